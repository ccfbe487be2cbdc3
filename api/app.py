"""The Flask application factory: the SPARQL endpoint, the query page and linked-data pages."""

from __future__ import annotations

import atexit
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response

from ris3kg.graph.executor import QueryExecutor
from ris3kg.graph.generations import StoreLayout
from ris3kg.graph.store import GraphStore, OxigraphStore, StoreError, default_store_path

EXTENSION = "ris3kg"

DEFAULTS: Mapping[str, object] = {
    "STORE_PATH": None,  # default_store_path() when None
    "QUERY_TIMEOUT": 10.0,  # seconds a query may run before its worker is killed
    "QUERY_WORKERS": 2,  # queries that may run at once in worker processes
    "PROVEN_QUERY_TIME": 0.1,  # seconds: a query that finished this fast runs again in the server process (0: never)
    "MAX_QUERY_LENGTH": 20_000,  # characters
    "MAX_RESULT_ROWS": 10_000,  # rows of a SELECT, triples of a CONSTRUCT / DESCRIBE
    "MAX_CONTENT_LENGTH": 256 * 1024,  # bytes of a request body (Flask's own limit)
    "SUBMISSION_MAX_BYTES": 16 * 1024 * 1024,  # bytes of a submitted file (the submission routes only)
    "SUBMISSION_MAX_TRIPLES": 250_000,  # triples of a submission
    "SUBMISSION_TOKENS": {},  # bearer token -> the name recorded with an accepted version
    "SUBMISSION_TOKENS_FILE": None,  # a JSON file {"<token>": "<name>"} added to SUBMISSION_TOKENS
}
"""Settings; each can also come from the environment as ``RIS3KG_<NAME>`` (values read as JSON where they parse)."""


@dataclass(frozen=True)
class Dataset:
    """One generation of the store as the application serves it.

    Attributes:
        generation: The generation's folder (what the store path linked to when it was opened).
        store: The store, opened read-only, for the server's own small queries.
        executor: The worker pool that runs users' queries with a time limit.
        graphs: The named graphs of the dataset.
        cache: Values computed once per generation (VoID partitions, triple counts).
    """

    generation: Path
    store: OxigraphStore
    executor: QueryExecutor
    graphs: frozenset[str]
    cache: dict[str, object] = field(default_factory=dict)


class AppState:
    """What the blueprints share, kept in ``app.extensions["ris3kg"]``.

    The store path links to the current generation of the store (see
    :mod:`ris3kg.graph.generations`). When an accepted submission or a build publishes a new one,
    the next request opens it and starts fresh query workers; queries already running on the old
    generation finish there.
    """

    def __init__(self, store_path: Path, *, workers: int, timeout: float, proven_time: float) -> None:
        self.store_path = store_path
        self._layout = StoreLayout(store_path)
        self._workers = workers
        self._timeout = timeout
        self._proven_time = proven_time
        self._lock = threading.Lock()
        self._opened_link: Path | None = None
        self._dataset = self._open()

    def _link(self) -> Path | None:
        """The store link's target as written (one cheap system call; None for a store without generations)."""
        try:
            return self.store_path.readlink()
        except OSError:
            return None

    def _open(self) -> Dataset:
        self._opened_link = self._link()
        generation = self._layout.current()
        if generation is None:
            raise StoreError(f"no ris3kg store at {self.store_path}; run `ris3kg build` first")
        store = OxigraphStore.open(generation)
        executor = QueryExecutor(
            generation, workers=self._workers, timeout=self._timeout, proven_time=self._proven_time
        )
        return Dataset(generation, store, executor, frozenset(store.named_graphs()))

    def current(self) -> Dataset:
        """Return the dataset of the current generation, opening it if it changed since the last call."""
        dataset = self._dataset
        if self._link() == self._opened_link:
            return dataset
        with self._lock:
            if self._link() != self._opened_link:
                old, self._dataset = self._dataset, self._open()
                old.executor.close()
            return self._dataset

    @property
    def store(self) -> GraphStore:
        """The current generation's store."""
        return self.current().store

    @property
    def executor(self) -> QueryExecutor:
        """The current generation's query workers."""
        return self.current().executor

    @property
    def graphs(self) -> frozenset[str]:
        """The current generation's named graphs."""
        return self.current().graphs

    def close(self) -> None:
        """Stop the query workers."""
        self._dataset.executor.close()


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
    app.config.from_prefixed_env("RIS3KG")
    if config:
        app.config.from_mapping(config)
    if app.config["SUBMISSION_TOKENS_FILE"]:
        tokens = read_tokens(Path(str(app.config["SUBMISSION_TOKENS_FILE"])))
        app.config["SUBMISSION_TOKENS"] = {**dict(app.config["SUBMISSION_TOKENS"] or {}), **tokens}
    store_path = Path(str(app.config["STORE_PATH"] or default_store_path()))
    app_state = AppState(
        store_path,
        workers=int(app.config["QUERY_WORKERS"]),
        timeout=float(app.config["QUERY_TIMEOUT"]),
        proven_time=float(app.config["PROVEN_QUERY_TIME"]),
    )
    atexit.register(app_state.close)
    app.extensions[EXTENSION] = app_state

    from ris3kg.api import export, pages, sparql, submissions

    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(submissions.bp)

    @app.after_request
    def cors(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response.headers["Access-Control-Expose-Headers"] = "Content-Type, Content-Disposition"
        return response

    return app


def read_tokens(path: Path) -> dict[str, str]:
    """Read API tokens, ``{"<token>": "<name recorded>"}``, from a JSON file.

    Raises:
        ValueError: The file cannot be read or is not such an object; the message names the file.
    """
    try:
        tokens = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    if not isinstance(tokens, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tokens.items()):
        raise ValueError(f'{path}: expected a JSON object {{"<token>": "<name>"}}')
    return tokens


def state(app: Flask) -> AppState:
    """Return the shared state of an application made by :func:`create_app`."""
    value = app.extensions[EXTENSION]
    assert isinstance(value, AppState)
    return value
