"""What the blueprints share: the state of one application and the dataset of one request.

:func:`dataset` gives a request its generation of the store, taken once (in ``flask.g``) and
shared by all the work of that request; :func:`cached` keeps values per generation;
:func:`settings` gives the checked settings. Blueprints import this module, never the factory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar

from flask import Flask, current_app, g

from ris3kg.api.settings import MIB, Settings
from ris3kg.api.tokens import TokenGuard
from ris3kg.graph.export.job import ExportedFile, ExportJob, export_handler
from ris3kg.graph.sparql.bounded import BoundedStore
from ris3kg.graph.sparql.executor import QueryExecutor
from ris3kg.graph.store.generations import GenerationLease, StoreLayout
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.store.oxigraph import STORE_FORMAT, OxigraphStore, store_format
from ris3kg.graph.workers import WorkerPool
from ris3kg.shapes.enabling.sources import StrategySource, UnknownStrategyError, known_strategies
from ris3kg.shapes.submission.job import submission_handler

EXTENSION = "ris3kg"
T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    """One generation of the store as the application serves it.

    Attributes:
        generation: The generation's folder (what the store path linked to when it was opened).
        store: The store, opened read-only, for the server's own index lookups (entity pages).
        executor: The worker pool that runs users' queries with their limits.
        pages: The worker pool that runs the server's own queries (pages, VoID, views).
        bounded: A :class:`~ris3kg.graph.store.oxigraph.GraphStore` whose queries run on ``pages``.
        graphs: The named graphs of the dataset.
        lease: The reader's lease on the generation (released once its workers are stopped).
        cache: Values computed once per generation (VoID partitions, triple counts).
        cache_lock: Guards ``cache`` and ``recent``.
        recent: Values that depend on what a client asked, by kind (``views``, ``entities``): the
            most recently used of each kind only, up to :data:`RECENT_BYTES`.
        recent_bytes: How many bytes each kind in ``recent`` holds.
        computing: A lock per value being computed by :func:`cached` (guarded by ``cache_lock``).
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
    computing: dict[str, threading.Lock] = field(default_factory=dict)

    def close(self) -> None:
        """Stop the workers and give up the lease (queries running now finish first)."""
        self.executor.close()
        self.pages.close()
        self.lease.release()


class AppState:
    """What the blueprints share, kept in ``app.extensions["ris3kg"]``.

    The store path links to the current generation of the store (see
    :mod:`ris3kg.graph.store.generations`). When an accepted submission or a build publishes a new one,
    the next request opens it and starts fresh query workers; queries already running on the old
    generation finish there.
    """

    def __init__(self, store_path: Path, settings: Settings, *, tokens: TokenGuard) -> None:
        self.store_path = store_path
        self.tokens = tokens
        self.settings = settings
        self._layout = StoreLayout(store_path)
        self._lock = threading.Lock()
        self._opened_link = self._link()
        self._dataset = self._open()
        self.validation = WorkerPool(
            submission_handler,
            (),
            workers=self.settings.validation_workers,
            limits=self.settings.validation_limits(),
            name="validation",
        )
        self._exports: WorkerPool | None = None
        self._exports_lock = threading.Lock()
        self._spool: tempfile.TemporaryDirectory[str] | None = None

    def export(self, job: ExportJob) -> BinaryIO:
        """Export a view in the export worker (started at the first export), under the page queries' limits.

        Args:
            job: The view to export; its ``target`` becomes a new file in the server's own folder, and
                its ``max_bytes`` the ``PAGE_MAX_BYTES`` setting.

        Returns:
            The written file, open for reading and already unlinked: it goes when it is closed.

        Raises:
            UnknownViewError, ViewError: From the view (a 404 and a 400).
            WorkError: A limit stopped the export, or the workers are busy (503).
        """
        with self._exports_lock:
            if self._exports is None:
                self._spool = tempfile.TemporaryDirectory(prefix="ris3kg-exports-")
                self._exports = WorkerPool(
                    export_handler,
                    (),
                    workers=self.settings.page_workers,
                    limits=self.settings.page_limits(),
                    name="export",
                )
            pool, spool = self._exports, self._spool
        assert spool is not None
        fd, name = tempfile.mkstemp(prefix="export-", suffix=f".{job.fmt.extension}", dir=spool.name)
        os.close(fd)
        try:
            exported = pool.run(dataclasses.replace(job, target=name, max_bytes=self.settings.page_max_bytes))
            assert isinstance(exported, ExportedFile)
            return Path(name).open("rb")
        finally:  # also when the worker was killed at a limit: the file never outlives the request
            Path(name).unlink(missing_ok=True)

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
            if store_format(generation) != STORE_FORMAT:
                raise StoreError(
                    f"the store at {self.store_path} was built by an earlier ris3kg, without the merged default "
                    "graph and the entailment: run `ris3kg build` (accepted submissions are kept)",
                    public_message="the store was built by an earlier ris3kg; the server's operator must run "
                    "`ris3kg build`",
                )
            store = OxigraphStore.open(generation)
        except StoreError:
            lease.release()
            raise
        graphs = frozenset(store.named_graphs())
        executor = QueryExecutor(
            generation,
            known_graphs=graphs,
            workers=self.settings.query_workers,
            timeout=self.settings.query_timeout,
            max_memory=self.settings.query_max_memory,
            max_waiting=self.settings.query_queue,
            wait=self.settings.query_wait,
            max_length=self.settings.max_query_length,
            proven_time=self.settings.proven_query_time,
            niceness=10,  # a slow query leaves the processor to pages and static files first
        )
        pages = QueryExecutor(
            generation,
            known_graphs=graphs,
            workers=self.settings.page_workers,
            timeout=self.settings.page_query_timeout,
            max_memory=self.settings.page_max_memory,
            max_waiting=self.settings.page_queue,
            wait=self.settings.page_wait,
            max_length=1_000_000,
            proven_time=self.settings.proven_query_time,
            name="page query",
        )
        bounded = BoundedStore(
            pages, graphs=graphs, max_rows=self.settings.page_max_rows, max_bytes=self.settings.page_max_bytes
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
                retire = threading.Timer(self.settings.grace, old.close)
                retire.daemon = True
                retire.start()
            return self._dataset

    def close(self) -> None:
        """Stop the query and validation workers."""
        self._dataset.close()
        self.validation.close()
        with self._exports_lock:
            if self._exports is not None:
                self._exports.close()
            if self._spool is not None:
                self._spool.cleanup()


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

    One request computes a value at a time: others asking for it meanwhile wait for it rather
    than compute it too (a page that many clients open at once on a new generation, or a client
    that polls while it is computed, costs one computation, not one per request).

    Args:
        key: What the value is.
        compute: Computes it.
        recent: For keys that a client's parameters choose, which would otherwise grow without
            bound: the kind of value (a key of :data:`RECENT_BYTES`); only the most recently used
            values of the kind are kept, up to that many bytes (keys included).
    """
    found = recall(key, recent=recent)
    if found is not None:
        return found  # type: ignore[return-value]
    current = dataset()
    with current.cache_lock:
        lock = current.computing.setdefault(key, threading.Lock())
    with lock:
        found = recall(key, recent=recent)
        if found is not None:
            return found  # type: ignore[return-value]
        try:
            return keep(key, compute(), recent=recent)
        finally:  # the value is kept (or the computation failed and the next request tries again)
            with current.cache_lock:
                current.computing.pop(key, None)


def recall(key: str, *, recent: str | None = None) -> object | None:
    """Return the value :func:`cached` or :func:`keep` stored under ``key`` for this generation, or None."""
    current = dataset()
    with current.cache_lock:
        store = current.cache if recent is None else current.recent.setdefault(recent, OrderedDict())
        if key in store:
            if isinstance(store, OrderedDict):
                store.move_to_end(key)
            return store[key]
    return None


def keep(key: str, value: T, *, recent: str | None = None) -> T:
    """Store a value for this generation (see :func:`cached`); a value stored meanwhile wins."""
    current = dataset()
    with current.cache_lock:
        store = current.cache if recent is None else current.recent.setdefault(recent, OrderedDict())
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


def strategies() -> tuple[StrategySource, ...]:
    """The strategies of this request's generation: the packaged ones and the accepted submissions (read once)."""
    return cached("strategies", lambda: known_strategies(dataset().store))


def strategy(key: str) -> StrategySource:
    """The strategy of this generation with the key (a packaged strategy's, or a submission's namespace).

    The key is only compared with the keys there are.

    Raises:
        UnknownStrategyError: No strategy has it; the message lists the keys there are (a 404).
    """
    known = strategies()
    for source in known:
        if source.key == key:
            return source
    raise UnknownStrategyError(key[:80], tuple(source.key for source in known))


def artefact_root(store_path: Path, kind: str) -> Path:
    """The folder of what is written once per generation of the store (``dumps``, ``search``), by kind.

    Beside the store (``.store.<kind>``), where the store's folder is writable; otherwise (a
    server that may only read the store's folder) a folder of the user's cache
    (``$XDG_CACHE_HOME/ris3kg/<kind>/<hash of the store path>``).
    """
    beside = store_path.parent / f".{store_path.name}.{kind}"
    if beside.is_dir() or os.access(store_path.parent, os.W_OK):
        return beside
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.sha256(str(store_path).encode("utf-8")).hexdigest()[:16]
    return cache_home / "ris3kg" / kind / digest


def state(app: Flask) -> AppState:
    """Return the shared state of an application made by :func:`create_app`."""
    value = app.extensions[EXTENSION]
    assert isinstance(value, AppState)
    return value


def settings() -> Settings:
    """The settings of the application serving this request."""
    return state(current_app).settings
