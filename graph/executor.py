"""Running SPARQL queries where a runaway query can really be stopped.

Oxigraph has no query timeout of its own and cannot be interrupted from Python, so queries run
in a small pool of worker processes, each with the store open read-only. A query that passes its
time limit has its worker killed (and a fresh one started); the caller gets a clear error.

A query that has already finished in a worker, quickly, is *proven*: it cannot run away, because
the store it runs on is one immutable generation and the same query on the same data does the same
work. A proven query runs again in the calling process, which saves the trip to a worker (about
half a millisecond). It keeps its row limit, and it loses its proof if a run there is slow.
"""

from __future__ import annotations

import multiprocessing
import queue
import select
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from ris3kg.graph.result_rows import CsvRows, JsonRows, LineRows, RowCounter, xml_rows
from ris3kg.ontology.namespaces import PREFIXES


class ResultFormat(Enum):
    """The formats of SELECT and ASK results, with their media types."""

    JSON = "application/sparql-results+json"
    XML = "application/sparql-results+xml"
    CSV = "text/csv"
    TSV = "text/tab-separated-values"


class QueryError(ValueError):
    """The query cannot be run; the message is for the person who wrote it."""


class QuerySyntaxError(QueryError):
    """The query engine could not parse the query."""


class QueryTimeoutError(QueryError):
    """The query ran past its time limit and was stopped."""


class ResultTooLargeError(QueryError):
    """The result has more rows (or triples) than allowed."""


class EndpointBusyError(QueryError):
    """Every worker stayed busy for the whole time limit."""


GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
"""Media types of CONSTRUCT / DESCRIBE results, with the Oxigraph format for each."""


@dataclass(frozen=True)
class QueryJob:
    """One query with its dataset and the result formats the client accepts.

    Attributes:
        query: The SPARQL query text.
        default_graphs: The protocol's ``default-graph-uri`` values (overriding FROM).
        named_graphs: The protocol's ``named-graph-uri`` values (overriding FROM NAMED).
        protocol_dataset: Whether the protocol gave a dataset (then the two lists above are it).
        query_dataset: Whether the query has FROM / FROM NAMED (then they define its dataset, unless
            the protocol gives one; otherwise the default graph is the union of all graphs).
        result_format: Format for SELECT and ASK results.
        graph_media_type: Media type for CONSTRUCT and DESCRIBE results (a key of GRAPH_FORMATS).
        max_rows: The largest number of rows or triples returned.
    """

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    protocol_dataset: bool = False
    query_dataset: bool = False
    result_format: ResultFormat = ResultFormat.JSON
    graph_media_type: str = "text/turtle"
    max_rows: int = 10_000


@dataclass(frozen=True)
class QueryOutcome:
    """A finished query.

    Attributes:
        form: ``select``, ``ask`` or ``graph`` (CONSTRUCT / DESCRIBE).
        body: The serialized result.
        media_type: Its media type.
    """

    form: str
    body: bytes
    media_type: str


def execute(store: ox.Store, job: QueryJob) -> QueryOutcome:
    """Run a job on an open store, in the calling process (no time limit).

    Results are written by Oxigraph's own serializers into a buffer that stops the query once the
    row limit is passed, so that a huge result is never held. A SELECT is written straight into the
    format the client asked for, its rows counted as they are written
    (:mod:`ris3kg.graph.result_rows`). A CONSTRUCT is written as N-Triples (one line per triple)
    and then converted, still by Oxigraph, into the format asked for.

    Raises:
        QuerySyntaxError: Oxigraph cannot parse the query.
        ResultTooLargeError: More than ``job.max_rows`` rows or triples.
    """
    kwargs: dict[str, object] = {}
    if job.protocol_dataset:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif not job.query_dataset:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    results_format = RESULT_FORMATS[job.result_format]
    if isinstance(result, ox.QueryBoolean):
        return QueryOutcome("ask", result.serialize(format=results_format) or b"", job.result_format.value)
    if isinstance(result, ox.QuerySolutions):
        buffer = _CappedBuffer(ROW_COUNTERS[job.result_format](), job.max_rows, "rows")
        result.serialize(cast(IO[bytes], buffer), format=results_format)
        return QueryOutcome("select", buffer.getvalue(), job.result_format.value)
    buffer = _CappedBuffer(LineRows(header=False), job.max_rows, "triples")
    ox.serialize(result, cast(IO[bytes], buffer), format=ox.RdfFormat.N_TRIPLES)
    fmt = GRAPH_FORMATS[job.graph_media_type]
    if fmt == ox.RdfFormat.N_TRIPLES:
        return QueryOutcome("graph", buffer.getvalue(), job.graph_media_type)
    triples = list(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_TRIPLES))
    body = ox.serialize(triples, format=fmt, prefixes=used_prefixes(triples, fmt)) or b""
    return QueryOutcome("graph", body, job.graph_media_type)


RESULT_FORMATS = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.CSV: ox.QueryResultsFormat.CSV,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}


ROW_COUNTERS: dict[ResultFormat, Callable[[], RowCounter]] = {
    ResultFormat.JSON: JsonRows,
    ResultFormat.XML: xml_rows,
    ResultFormat.CSV: CsvRows,
    ResultFormat.TSV: LineRows,
}


class _CappedBuffer:
    """A binary sink that counts rows as they are written and stops the writer once there are too many."""

    def __init__(self, counter: RowCounter, limit: int, what: str) -> None:
        self._parts: list[bytes] = []
        self._counter = counter
        self._limit = limit
        self._what = what

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self._counter.feed(chunk)
        if self._counter.exceeds(self._limit):
            raise ResultTooLargeError(_too_many(self._limit, self._what))
        self._parts.append(chunk)
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: the data stays in memory."""

    def getvalue(self) -> bytes:
        return b"".join(self._parts)


def used_prefixes(triples: list[ox.Triple], fmt: ox.RdfFormat) -> dict[str, str] | None:
    """The house prefixes that the triples use, for the formats that abbreviate IRIs."""
    if fmt not in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD):
        return None
    iris = {
        t.value
        for triple in triples
        for t in (triple.subject, triple.predicate, triple.object)
        if isinstance(t, ox.NamedNode)
    }
    iris |= {t.datatype.value for triple in triples for t in (triple.object,) if isinstance(t, ox.Literal)}
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def _too_many(limit: int, what: str) -> str:
    return f"the result has more than {limit} {what}, the limit of this endpoint: narrow the query or add LIMIT"


def _worker(store_path: str, conn: Connection) -> None:
    store = ox.Store.read_only(store_path)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", execute(store, job)))
        except QueryError as exc:
            conn.send((type(exc).__name__, str(exc)))
        except Exception as exc:  # report any engine failure instead of dying silently
            conn.send(("QueryError", f"the query failed: {exc}"))


_ERRORS: dict[str, type[QueryError]] = {
    cls.__name__: cls for cls in (QueryError, QuerySyntaxError, ResultTooLargeError, QueryTimeoutError)
}


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


class QueryExecutor:
    """A pool of worker processes that run queries on a store with a hard time limit.

    Args:
        store_path: The Oxigraph store (one generation, never written again) to open read-only in
            each worker and, for proven queries, in this process.
        workers: How many queries may run at once in workers.
        timeout: Seconds a query may run before its worker is killed.
        proven_time: A query that finished in a worker within this many seconds (and at most a tenth
            of ``timeout``) runs again in this process; 0 runs every query in a worker.
        proven_queries: How many proven queries are remembered (the least recently used are forgotten).
    """

    def __init__(
        self,
        store_path: Path,
        *,
        workers: int = 2,
        timeout: float = 10.0,
        proven_time: float = 0.1,
        proven_queries: int = 1024,
    ) -> None:
        self._path = str(store_path)
        self._timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        # Last in, first out: the worker that answered last takes the next query while its caches are warm.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._closed = False
        self._proven_time = max(0.0, min(proven_time, timeout / 10))
        self._proven_queries = proven_queries
        self._proven: OrderedDict[QueryJob, None] = OrderedDict()
        self._proven_lock = threading.Lock()
        self._local: ox.Store | None = None
        for _ in range(workers):
            self._idle.put(self._start())

    @property
    def timeout(self) -> float:
        """Seconds a query may run."""
        return self._timeout

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(self._path, child), daemon=True, name="ris3kg-query")
        process.start()
        child.close()
        return _Worker(process, parent)

    def is_proven(self, job: QueryJob) -> bool:
        """Whether the query has finished quickly before, so that it runs in this process."""
        with self._proven_lock:
            if job not in self._proven:
                return False
            self._proven.move_to_end(job)
            return True

    def _prove(self, job: QueryJob, *, proven: bool) -> None:
        with self._proven_lock:
            if not proven:
                self._proven.pop(job, None)
                return
            self._proven[job] = None
            self._proven.move_to_end(job)
            while len(self._proven) > self._proven_queries:
                self._proven.popitem(last=False)

    def run(self, job: QueryJob) -> QueryOutcome:
        """Run a query: in a worker, or in this process when it is proven.

        Raises:
            QuerySyntaxError: The engine cannot parse it.
            QueryTimeoutError: It ran past the time limit (its worker was killed).
            ResultTooLargeError: The result is over the row limit.
            EndpointBusyError: No worker became free within the time limit.
        """
        if self._proven_time and self.is_proven(job):
            started = time.perf_counter()
            try:
                outcome = execute(self._local_store(), job)
            except QueryError:
                self._prove(job, proven=False)
                raise
            if time.perf_counter() - started > self._proven_time:
                self._prove(job, proven=False)
            return outcome
        started = time.perf_counter()
        outcome = self._run_in_worker(job)
        if self._proven_time and time.perf_counter() - started <= self._proven_time:
            self._prove(job, proven=True)
        return outcome

    def _local_store(self) -> ox.Store:
        with self._proven_lock:
            if self._local is None:
                self._local = ox.Store.read_only(self._path)
            return self._local

    def _run_in_worker(self, job: QueryJob) -> QueryOutcome:
        try:
            worker = self._idle.get(timeout=self._timeout)
        except queue.Empty as exc:
            raise EndpointBusyError("all query workers are busy; try again shortly") from exc
        try:
            worker.conn.send(job)
            ready, _, _ = select.select([worker.conn], [], [], self._timeout)
            if not ready:
                self._kill(worker)
                worker = self._start()
                raise QueryTimeoutError(
                    f"the query ran longer than {self._timeout:g} s and was stopped: narrow it or add LIMIT"
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._kill(worker)
            worker = self._start()
            raise QueryError(f"the query worker failed: {exc}") from exc
        finally:
            if self._closed:  # closed while this query ran: it was allowed to finish
                self._kill(worker)
            else:
                self._idle.put(worker)
        if status == "ok":
            assert isinstance(payload, QueryOutcome)
            return payload
        raise _ERRORS.get(status, QueryError)(payload)

    @staticmethod
    def _kill(worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def close(self) -> None:
        """Stop every idle worker; a worker running a query stops when its query is answered."""
        self._closed = True
        with self._proven_lock:
            self._proven.clear()
            self._local = None  # closed when the last query running on it is answered
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            self._kill(worker)
