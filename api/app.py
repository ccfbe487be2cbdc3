"""The Flask application factory: the SPARQL endpoint, the query page and linked-data pages."""

from __future__ import annotations

import atexit
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response

from ris3kg.graph.executor import QueryExecutor
from ris3kg.graph.store import GraphStore, OxigraphStore, default_store_path

EXTENSION = "ris3kg"

DEFAULTS: Mapping[str, object] = {
    "STORE_PATH": None,  # default_store_path() when None
    "QUERY_TIMEOUT": 10.0,  # seconds a query may run before its worker is killed
    "QUERY_WORKERS": 2,  # queries that may run at once
    "MAX_QUERY_LENGTH": 20_000,  # characters
    "MAX_RESULT_ROWS": 10_000,  # rows of a SELECT, triples of a CONSTRUCT / DESCRIBE
    "MAX_CONTENT_LENGTH": 256 * 1024,  # bytes of a request body (Flask's own limit)
}


@dataclass(frozen=True)
class AppState:
    """What the blueprints share, kept in ``app.extensions["ris3kg"]``.

    Attributes:
        store_path: The on-disk store.
        store: The store, opened read-only, for the server's own small queries.
        executor: The worker pool that runs users' queries with a time limit.
        graphs: The named graphs of the dataset.
    """

    store_path: Path
    store: GraphStore
    executor: QueryExecutor
    graphs: frozenset[str]


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Create the ris3kg web application.

    Args:
        config: Settings overriding ``DEFAULTS`` (``STORE_PATH``, ``QUERY_TIMEOUT``, ...).

    Returns:
        The application, with the store opened read-only and the query workers started.

    Raises:
        StoreError: There is no store at ``STORE_PATH`` (run ``ris3kg build``).
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if config:
        app.config.from_mapping(config)
    store_path = Path(str(app.config["STORE_PATH"] or default_store_path()))
    store = OxigraphStore.open(store_path)
    executor = QueryExecutor(
        store_path, workers=int(app.config["QUERY_WORKERS"]), timeout=float(app.config["QUERY_TIMEOUT"])
    )
    atexit.register(executor.close)
    app.extensions[EXTENSION] = AppState(store_path, store, executor, frozenset(store.named_graphs()))

    from ris3kg.api import export, pages, sparql

    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(export.bp)

    @app.after_request
    def cors(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response.headers["Access-Control-Expose-Headers"] = "Content-Type, Content-Disposition"
        return response

    return app


def state(app: Flask) -> AppState:
    """Return the shared state of an application made by :func:`create_app`."""
    value = app.extensions[EXTENSION]
    assert isinstance(value, AppState)
    return value
