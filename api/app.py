"""The Flask application factory: the SPARQL endpoint, the query page and linked-data pages."""

from __future__ import annotations

import atexit
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from flask import Flask, Response, current_app, g, request

from ris3kg.api.errors import register_error_handlers
from ris3kg.api.security import secure_headers
from ris3kg.api.tokens import TokenGuard, merge, parse_tokens, read_tokens_file
from ris3kg.graph.bounded import BoundedStore
from ris3kg.graph.executor import QueryExecutor
from ris3kg.graph.generations import GenerationLease, StoreLayout
from ris3kg.graph.store import OxigraphStore, StoreError, default_store_path
from ris3kg.graph.workers import PoolLimits, WorkerPool
from ris3kg.shapes.submission_job import submission_handler

EXTENSION = "ris3kg"
MIB = 2**20

DEFAULTS: Mapping[str, object] = {
    "STORE_PATH": None,  # default_store_path() when None
    # Users' queries (/sparql, the query page, /export/query.*): worker processes with hard limits.
    "QUERY_TIMEOUT": 10.0,  # seconds a query may run before its worker is killed
    "QUERY_WORKERS": 2,  # queries that may run at once in worker processes
    "QUERY_MAX_MEMORY": 1024 * MIB,  # bytes of resident memory a query worker may use before it is killed
    "QUERY_QUEUE": 8,  # queries that may wait for a worker; more get 503 with Retry-After at once
    "QUERY_WAIT": 5.0,  # seconds a query may wait for a worker before a 503 with Retry-After
    "PROVEN_QUERY_TIME": 0.1,  # seconds: a deterministic query that finished this fast runs again in-process (0: never)
    "MAX_QUERY_LENGTH": 20_000,  # characters
    "MAX_RESULT_ROWS": 10_000,  # rows of a SELECT, triples of a CONSTRUCT / DESCRIBE
    "MAX_RESULT_BYTES": 16 * MIB,  # bytes of a query's result
    # The server's own queries for pages, VoID and exports: a pool of their own, so that users'
    # slow queries never hold them up.
    "PAGE_WORKERS": 1,
    "PAGE_QUERY_TIMEOUT": 30.0,
    "PAGE_MAX_MEMORY": 2048 * MIB,
    "PAGE_QUEUE": 8,
    "PAGE_WAIT": 10.0,
    "PAGE_MAX_ROWS": 2_000_000,
    "PAGE_MAX_BYTES": 256 * MIB,
    # Validation and acceptance of submissions: a worker process with limits of its own.
    "VALIDATION_WORKERS": 1,
    "VALIDATION_TIMEOUT": 120.0,  # seconds one validation (or acceptance) may take
    "VALIDATION_MAX_MEMORY": 3072 * MIB,
    "VALIDATION_QUEUE": 16,
    "VALIDATION_WAIT": 30.0,
    "MAX_CONTENT_LENGTH": 256 * 1024,  # bytes of a request body (Flask's own limit)
    "SUBMISSION_MAX_BYTES": 16 * MIB,  # bytes of a submitted file (the submission routes only)
    "SUBMISSION_MAX_TRIPLES": 100_000,  # triples of a submission
    "SUBMISSION_TOKENS": {},  # bearer token -> name, or {"name": ..., "scopes": [namespace, ... | "*"]}
    "SUBMISSION_TOKENS_FILE": None,  # a JSON file of such tokens, added to SUBMISSION_TOKENS
    "AUTH_MAX_FAILURES": 5,  # failed token attempts from one client within AUTH_WINDOW before 429
    "AUTH_WINDOW": 60.0,  # seconds
}
"""Settings; each can also come from the environment as ``RIS3KG_<NAME>`` (values read as JSON where they parse)."""

_log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    """One generation of the store as the application serves it.

    Attributes:
        generation: The generation's folder (what the store path linked to when it was opened).
        store: The store, opened read-only, for the server's own index lookups (entity pages).
        executor: The worker pool that runs users' queries with their limits.
        pages: The worker pool that runs the server's own queries (pages, VoID, views).
        bounded: A :class:`~ris3kg.graph.store.GraphStore` whose queries run on ``pages``.
        graphs: The named graphs of the dataset.
        lease: The reader's lease on the generation (released once its workers are stopped).
        cache: Values computed once per generation (VoID partitions, triple counts).
        cache_lock: Guards ``cache`` and ``recent``.
        recent: Values that depend on what a client asked, by kind (``views``, ``entities``): the
            most recently used of each kind only, up to :data:`RECENT_BYTES`.
        recent_bytes: How many bytes each kind in ``recent`` holds.
    """

    generation: Path
    store: OxigraphStore
    executor: QueryExecutor
    pages: QueryExecutor
    bounded: BoundedStore
    graphs: frozenset[str]
    lease: GenerationLease
    cache: dict[str, object] = field(default_factory=dict)
    cache_lock: threading.Lock = field(default_factory=threading.Lock)
    recent: dict[str, OrderedDict[str, object]] = field(default_factory=dict)
    recent_bytes: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        """Stop the workers and give up the lease (queries running now finish first)."""
        self.executor.close()
        self.pages.close()
        self.lease.release()


class AppState:
    """What the blueprints share, kept in ``app.extensions["ris3kg"]``.

    The store path links to the current generation of the store (see
    :mod:`ris3kg.graph.generations`). When an accepted submission or a build publishes a new one,
    the next request opens it and starts fresh query workers; queries already running on the old
    generation finish there.
    """

    def __init__(self, store_path: Path, config: Mapping[str, object], *, tokens: TokenGuard) -> None:
        self.store_path = store_path
        self.tokens = tokens
        self._config = dict(config)
        self._layout = StoreLayout(store_path)
        self._lock = threading.Lock()
        self._opened_link = self._link()
        self._dataset = self._open()
        self.validation = WorkerPool(
            submission_handler,
            (),
            workers=self._int("VALIDATION_WORKERS"),
            limits=PoolLimits(
                timeout=self._float("VALIDATION_TIMEOUT"),
                max_memory=self._int("VALIDATION_MAX_MEMORY"),
                max_waiting=self._int("VALIDATION_QUEUE"),
                wait=self._float("VALIDATION_WAIT"),
            ),
            name="validation",
        )

    def _setting(self, name: str) -> object:
        value = self._config.get(name)
        return DEFAULTS[name] if value is None else value

    def _int(self, name: str) -> int:
        return int(str(self._setting(name)))

    def _float(self, name: str) -> float:
        return float(str(self._setting(name)))

    def _link(self) -> Path | None:
        """The store link's target as written (one cheap system call; None for a store without generations)."""
        try:
            return self.store_path.readlink()
        except OSError:
            return None

    def _open(self) -> Dataset:
        try:  # a reader's lease: no build or acceptance deletes the generation while it is served
            lease = self._layout.lease()
        except OSError as exc:
            raise StoreError(
                f"no ris3kg store at {self.store_path}; run `ris3kg build` first",
                public_message="the store is not there; the server's operator must run `ris3kg build`",
            ) from exc
        generation = lease.generation
        try:
            store = OxigraphStore.open(generation)
        except StoreError:
            lease.release()
            raise
        graphs = frozenset(store.named_graphs())
        executor = QueryExecutor(
            generation,
            known_graphs=graphs,
            workers=self._int("QUERY_WORKERS"),
            timeout=self._float("QUERY_TIMEOUT"),
            max_memory=self._int("QUERY_MAX_MEMORY"),
            max_waiting=self._int("QUERY_QUEUE"),
            wait=self._float("QUERY_WAIT"),
            max_length=self._int("MAX_QUERY_LENGTH"),
            proven_time=self._float("PROVEN_QUERY_TIME"),
            niceness=10,  # a slow query leaves the processor to pages and static files first
        )
        pages = QueryExecutor(
            generation,
            known_graphs=graphs,
            workers=self._int("PAGE_WORKERS"),
            timeout=self._float("PAGE_QUERY_TIMEOUT"),
            max_memory=self._int("PAGE_MAX_MEMORY"),
            max_waiting=self._int("PAGE_QUEUE"),
            wait=self._float("PAGE_WAIT"),
            max_length=1_000_000,
            proven_time=self._float("PROVEN_QUERY_TIME"),
            name="page query",
        )
        bounded = BoundedStore(
            pages, graphs=graphs, max_rows=self._int("PAGE_MAX_ROWS"), max_bytes=self._int("PAGE_MAX_BYTES")
        )
        return Dataset(generation, store, executor, pages, bounded, graphs, lease)

    def current(self) -> Dataset:
        """Return the dataset of the current generation, opening it if it changed since the last call."""
        with self._lock:  # the dataset and the link it was opened for are read together
            dataset, opened = self._dataset, self._opened_link
        link = self._link()
        if link == opened:
            return dataset
        with self._lock:
            if link != self._opened_link:
                new = self._open()  # on failure, the old generation stays and the next request tries again
                old, self._dataset, self._opened_link = self._dataset, new, link
                # Requests that took the old dataset may still run queries on it: its workers stop
                # (and its lease goes) once they have had the time their limits allow.
                retire = threading.Timer(self._grace(), old.close)
                retire.daemon = True
                retire.start()
            return self._dataset

    def _grace(self) -> float:
        return (
            self._float("QUERY_TIMEOUT")
            + self._float("QUERY_WAIT")
            + self._float("PAGE_QUERY_TIMEOUT")
            + self._float("PAGE_WAIT")
        )

    def close(self) -> None:
        """Stop the query and validation workers."""
        self._dataset.close()
        self.validation.close()


def dataset() -> Dataset:
    """The dataset of this request: one generation for all the work of one request (kept in ``flask.g``)."""
    found = g.get("ris3kg_dataset")
    if found is None:
        found = g.ris3kg_dataset = state(current_app).current()
    assert isinstance(found, Dataset)
    return found


RECENT_BYTES = {"views": 256 * MIB, "entities": 64 * MIB}
"""How many bytes of each kind of value that a client's parameters choose are kept per generation."""


def _size(key: str, value: object) -> int:
    return len(key) + (len(value) if isinstance(value, bytes | str) else 64)


def cached(key: str, compute: Callable[[], T], *, recent: str | None = None) -> T:
    """Compute a value once per generation of the store (a generation never changes).

    Two requests may compute the same value at once; the first one stored is kept.

    Args:
        key: What the value is.
        compute: Computes it.
        recent: For keys that a client's parameters choose, which would otherwise grow without
            bound: the kind of value (a key of :data:`RECENT_BYTES`); only the most recently used
            values of the kind are kept, up to that many bytes (keys included).
    """
    current = dataset()
    with current.cache_lock:
        store = current.cache if recent is None else current.recent.setdefault(recent, OrderedDict())
        if key in store:
            if isinstance(store, OrderedDict):
                store.move_to_end(key)
            return store[key]  # type: ignore[return-value]
    value = compute()
    with current.cache_lock:
        if key in store:
            return store[key]  # type: ignore[return-value]
        store[key] = value
        if recent is not None:
            assert isinstance(store, OrderedDict)
            total = current.recent_bytes.get(recent, 0) + _size(key, value)
            while total > RECENT_BYTES[recent] and len(store) > 1:
                dropped_key, dropped = store.popitem(last=False)
                total -= _size(dropped_key, dropped)
            current.recent_bytes[recent] = total
    return value


_CORS_PREFIXES = ("/sparql", "/void", "/.well-known/void", "/id/", "/ontology", "/export/")


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Create the ris3kg web application.

    Args:
        config: Settings overriding ``DEFAULTS`` (``STORE_PATH``, ``QUERY_TIMEOUT``, ...).

    Returns:
        The application, with the store opened read-only and the query workers started.

    Raises:
        StoreError: There is no store at ``STORE_PATH`` (run ``ris3kg build``).
        ValueError: The tokens are unusable (weak, malformed); the message says which.
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("RIS3KG")
    if config:
        app.config.from_mapping(config)
    configs = [parse_tokens(dict(app.config["SUBMISSION_TOKENS"] or {}), source="SUBMISSION_TOKENS")]
    if app.config["SUBMISSION_TOKENS_FILE"]:
        configs.append(read_tokens_file(Path(str(app.config["SUBMISSION_TOKENS_FILE"]))))
    tokens = merge(*configs)
    for warning in tokens.warnings:
        _log.warning("ris3kg: %s", warning)
    store_path = Path(str(app.config["STORE_PATH"] or default_store_path())).absolute()
    guard = TokenGuard(
        tokens, max_failures=int(app.config["AUTH_MAX_FAILURES"]), window=float(app.config["AUTH_WINDOW"])
    )
    app_state = AppState(store_path, app.config, tokens=guard)
    atexit.register(app_state.close)
    app.extensions[EXTENSION] = app_state

    from ris3kg.api import export, pages, sparql, submissions

    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(submissions.bp)
    register_error_handlers(app)

    @app.after_request
    def headers(response: Response) -> Response:
        if request.path.startswith(_CORS_PREFIXES):  # read-only routes; submissions are not for other sites
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
            response.headers["Access-Control-Expose-Headers"] = "Content-Type, Content-Disposition"
        return secure_headers(response)

    return app


def read_tokens(path: Path) -> dict[str, str]:
    """Check a tokens file (for the CLI's ``--tokens``); return its token names.

    Raises:
        ValueError: The file cannot be read, is not a tokens object, or holds a weak token.
    """
    config = read_tokens_file(path)
    return {token: entry.name for token, entry in config.tokens.items()}


def state(app: Flask) -> AppState:
    """Return the shared state of an application made by :func:`create_app`."""
    value = app.extensions[EXTENSION]
    assert isinstance(value, AppState)
    return value
