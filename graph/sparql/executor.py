"""Running SPARQL queries where a runaway query can really be stopped.

Oxigraph has no query timeout of its own and cannot be interrupted from Python, so queries run
in a small pool of worker processes (:class:`~ris3kg.graph.workers.WorkerPool`), each with the
store open read-only. A worker first checks the query (:mod:`ris3kg.graph.sparql.policy`: parsed
there, one query at a time, under the time limit), then runs it. A query that passes its time
limit or its memory limit has its worker killed (and a fresh one started); a result past the row
or byte limit is stopped as it is written; the caller gets a clear error naming the limit.

A deterministic query (no ``NOW``, ``RAND``, ``UUID``, ``STRUUID``, ``BNODE``) that has already
finished in a worker, quickly, is *proven*: it cannot run away, because the store it runs on is one
immutable generation and the same query on the same data does the same work. A proven query runs
again in the calling process, which saves the trip to a worker (about half a millisecond). It keeps
its row and byte limits, and it loses its proof if a run there is slow.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from ris3kg.graph.entailment import ASSERTED_GRAPH
from ris3kg.graph.sparql.policy import CheckedQuery, check_length, check_query
from ris3kg.graph.sparql.rows import CsvRows, JsonRows, LineRows, RowCounter, xml_rows
from ris3kg.graph.workers import (
    PoolBusyError,
    PoolLimits,
    WorkerDiedError,
    WorkerPool,
    WorkMemoryError,
    WorkTimeoutError,
)
from ris3kg.ontology.formats import GRAPH_RESULT_SYNTAXES, ResultFormat
from ris3kg.ontology.namespaces import DERIVED_GRAPHS, ENTAILED_GRAPH, PREFIXES


class QueryError(ValueError):
    """The query cannot be run; the message is for the person who wrote it."""


class QuerySyntaxError(QueryError):
    """The query engine could not parse the query."""


class ResultTooLargeError(QueryError):
    """The result has more rows (or triples, or bytes) than allowed.

    Attributes:
        limit: The limit passed and its unit (``rows``, ``triples``, ``bytes``), when known.
    """

    def __init__(self, message: str, *, limit: tuple[int, str] | None = None) -> None:
        super().__init__(message)
        self.limit = limit


class QueryLimitError(QueryError):
    """The server stopped the query at one of its limits (time, memory) or could not run it now.

    These are the server's answer about its own resources (HTTP 503), not a mistake in the query.

    Attributes:
        retry_after: Seconds after which trying again may work, when it may (None: narrow the query instead).
    """

    retry_after: int | None = None


class QueryTimeoutError(QueryLimitError):
    """The query ran past its time limit and was stopped."""


class QueryMemoryError(QueryLimitError):
    """The query needed more memory than allowed and was stopped."""


class QueryWorkerError(QueryLimitError):
    """The query's worker stopped without answering; trying again may work."""

    retry_after = 1


class EndpointBusyError(QueryLimitError):
    """Every worker is busy and the queue is full."""

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


GRAPH_FORMATS = {syntax.media_type: syntax for syntax in GRAPH_RESULT_SYNTAXES}
"""Media types of CONSTRUCT / DESCRIBE results, with the syntax of each."""


@dataclass(frozen=True)
class QueryJob:
    """One query with its dataset and the result formats the client accepts.

    Attributes:
        query: The SPARQL query text.
        default_graphs: The protocol's ``default-graph-uri`` values (overriding FROM).
        named_graphs: The protocol's ``named-graph-uri`` values (overriding FROM NAMED).
        protocol_dataset: Whether the protocol gave a dataset (then the two lists above are it;
            otherwise FROM / FROM NAMED in the query define it, and without them the default graph
            is the union of all graphs).
        result_format: Format for SELECT and ASK results.
        graph_media_type: Media type for CONSTRUCT and DESCRIBE results (a key of GRAPH_FORMATS).
        max_rows: The largest number of rows or triples returned.
        max_bytes: The largest result, in bytes.
        bindings: Variables bound to IRIs before the query runs (``(name, iri)`` pairs; SEP-0007
            substitution), so that no value a client sent becomes query text.
        infer: Whether the default dataset (no FROM, no protocol dataset) holds the entailed
            triples beside the asserted merge (:mod:`ris3kg.graph.entailment`).
        cut: Past ``max_rows`` or ``max_bytes``, whether to answer the first rows, marked as cut
            (:attr:`QueryOutcome.cut`), rather than refuse the result.
    """

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    protocol_dataset: bool = False
    result_format: ResultFormat = ResultFormat.JSON
    graph_media_type: str = "text/turtle"
    max_rows: int = 10_000
    max_bytes: int = 16 * 2**20
    bindings: tuple[tuple[str, str], ...] = ()
    infer: bool = True
    cut: bool = False


@dataclass(frozen=True)
class Cut:
    """Where a result was cut.

    Attributes:
        limit: The limit that cut it.
        unit: ``rows``, ``triples`` or ``bytes``.
        kept: How many rows (or triples) the answer holds.
    """

    limit: int
    unit: str
    kept: int


@dataclass(frozen=True)
class QueryOutcome:
    """A finished query.

    Attributes:
        form: ``select``, ``ask`` or ``graph`` (CONSTRUCT / DESCRIBE).
        body: The serialized result.
        media_type: Its media type.
        cut: Where the result was cut at a limit (None: it is whole).
    """

    form: str
    body: bytes
    media_type: str
    cut: Cut | None = None


def execute(store: ox.Store, job: QueryJob, *, query_dataset: bool = False) -> QueryOutcome:
    """Run a job on an open store, in the calling process (no time limit: see :class:`QueryExecutor`).

    Results are written by Oxigraph's own serializers into a buffer that stops the query once the
    row or byte limit is passed, so that a huge result is never held. A SELECT is written straight
    into the format the client asked for, its rows counted as they are written
    (:mod:`ris3kg.graph.sparql.rows`). A CONSTRUCT is written as N-Triples (one line per triple)
    and then converted, still by Oxigraph, into the format asked for.

    Args:
        store: The store.
        job: The query and its formats and limits.
        query_dataset: Whether the query has FROM / FROM NAMED (what its check found).

    Raises:
        QuerySyntaxError: Oxigraph cannot parse the query.
        ResultTooLargeError: More than ``job.max_rows`` rows or triples, or ``job.max_bytes`` bytes.
    """
    kwargs: dict[str, object] = {}
    if job.protocol_dataset:
        kwargs["default_graph"] = [_graph(g) for g in job.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif not query_dataset:
        # The default graph is the merge of the asserted named graphs, and the entailed graph
        # holds only triples the merge lacks: together they are a set.
        kwargs["default_graph"] = _INFERRED if job.infer else _ASSERTED
        if not job.infer:  # asserted only: GRAPH ?g does not reach the entailed graph either
            kwargs["named_graphs"] = asserted_graphs(store)
    if job.bindings:
        kwargs["substitutions"] = {ox.Variable(name): ox.NamedNode(iri) for name, iri in job.bindings}
    try:
        result = store.query(job.query, **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    except RuntimeError as exc:  # what the engine refuses to evaluate (an unknown function, say)
        raise QueryError(f"the query cannot be evaluated: {exc}") from exc
    try:
        return _write(result, job)
    except RuntimeError as exc:  # raised while the solutions are evaluated and written
        raise QueryError(f"the query cannot be evaluated: {exc}") from exc


_ASSERTED: list[ox.DefaultGraph | ox.NamedNode] = [ox.DefaultGraph()]
_INFERRED: list[ox.DefaultGraph | ox.NamedNode] = [ox.DefaultGraph(), ox.NamedNode(ENTAILED_GRAPH)]


def asserted_graphs(store: ox.Store) -> list[ox.NamedNode | ox.BlankNode]:
    """The store's named graphs but the entailed one."""
    return [g for g in store.named_graphs() if g.value not in DERIVED_GRAPHS]


def _graph(iri: str) -> ox.DefaultGraph | ox.NamedNode:
    """A graph the protocol names: :data:`ASSERTED_GRAPH` stands for the asserted merge."""
    return ox.DefaultGraph() if iri == ASSERTED_GRAPH else ox.NamedNode(iri)


def _write(result: ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean, job: QueryJob) -> QueryOutcome:
    """Write a result in the job's formats, within its row and byte limits."""
    results_format = job.result_format.oxigraph
    if isinstance(result, ox.QueryBoolean):
        return QueryOutcome("ask", result.serialize(format=results_format) or b"", job.result_format.media_type)
    if isinstance(result, ox.QuerySolutions):
        buffer = _CappedBuffer(ROW_COUNTERS[job.result_format](), job.max_rows, job.max_bytes, "rows")
        try:
            result.serialize(cast(IO[bytes], buffer), format=results_format)
        except ResultTooLargeError as exc:
            if not job.cut:
                raise
            body, rows_cut = cut_result(buffer.getvalue(), job.result_format, exc)
            return QueryOutcome("select", body, job.result_format.media_type, rows_cut)
        return QueryOutcome("select", buffer.getvalue(), job.result_format.media_type)
    buffer = _CappedBuffer(LineRows(header=False), job.max_rows, job.max_bytes, "triples")
    cut: Cut | None = None
    try:
        ox.serialize(result, cast(IO[bytes], buffer), format=ox.RdfFormat.N_TRIPLES)
        lines = buffer.getvalue()
    except ResultTooLargeError as exc:
        if not job.cut:
            raise
        lines, cut = cut_result(buffer.getvalue(), None, exc)
    fmt = GRAPH_FORMATS[job.graph_media_type].oxigraph
    if fmt == ox.RdfFormat.N_TRIPLES:
        return QueryOutcome("graph", lines, job.graph_media_type, cut)
    triples = list(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))
    body = ox.serialize(triples, format=fmt, prefixes=used_prefixes(triples, fmt)) or b""
    if len(body) > job.max_bytes:  # the syntax asked for is longer than N-Triples (RDF/XML can be)
        if not job.cut:
            raise ResultTooLargeError(_too_many(job.max_bytes, "bytes"))
        kept = max(1, len(triples) * job.max_bytes // len(body) * 9 // 10)
        triples = triples[:kept]
        body = ox.serialize(triples, format=fmt, prefixes=used_prefixes(triples, fmt)) or b""
        cut = Cut(job.max_bytes, "bytes", len(triples))
    return QueryOutcome("graph", body, job.graph_media_type, cut)


def cut_result(data: bytes, fmt: ResultFormat | None, exc: ResultTooLargeError) -> tuple[bytes, Cut]:
    """Close a result that was stopped at a limit after its last whole row (``fmt`` None: N-Triples).

    Args:
        data: What was written before the writer was stopped (more rows than the limit, or more bytes).
        fmt: The results format, or None for N-Triples.
        exc: The error that stopped the writer, which names the limit.
    """
    assert exc.limit is not None
    limit, unit = exc.limit
    room = limit - _CLOSING_BYTES if unit == "bytes" else len(data)
    ends = [end for end in row_ends(data, fmt) if end <= room]
    if unit != "bytes":
        ends = ends[:limit]
    kept = len(ends)
    if fmt is None:
        return data[: ends[-1] if ends else 0], Cut(limit, unit, kept)
    start = _first_row_start(data, fmt)
    body = data[: ends[-1]] if ends else data[:start]
    return body + _closing(fmt), Cut(limit, unit, kept)


_CLOSING_BYTES = 32
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\]]')
_CSV_TOKENS = re.compile(rb'"(?:[^"]|"")*"|\n')


def row_ends(data: bytes, fmt: ResultFormat | None) -> Iterator[int]:
    """The offset just after each whole row (or triple) in a result's bytes."""
    if fmt is None or fmt is ResultFormat.TSV:
        skip = 0 if fmt is None else 1
        for match in re.finditer(rb"\n", data):
            if skip:
                skip -= 1
                continue
            yield match.end()
    elif fmt is ResultFormat.CSV:
        header = True
        for match in _CSV_TOKENS.finditer(data):
            if match.group() == b"\n":
                if header:
                    header = False
                    continue
                yield match.end()
    elif fmt is ResultFormat.XML:
        for match in re.finditer(rb"</result>", data):
            yield match.end()
    else:  # JSON: a row is an object at depth 3 ({"results": {"bindings": [ {row} ]}})
        depth = 0
        for match in _JSON_TOKENS.finditer(data):
            token = match.group()
            if token in (b"{", b"["):
                depth += 1
            elif token in (b"}", b"]"):
                depth -= 1
                if depth == 3 and token == b"}":
                    yield match.end()


def _first_row_start(data: bytes, fmt: ResultFormat) -> int:
    """Where the first row would start: after the header, or after the opening of the rows."""
    if fmt is ResultFormat.JSON:
        return data.index(b'"bindings":[') + len(b'"bindings":[')
    if fmt is ResultFormat.XML:
        return data.index(b"<results>") + len(b"<results>")
    return data.index(b"\n") + 1


def _closing(fmt: ResultFormat) -> bytes:
    if fmt is ResultFormat.JSON:
        return b"]}}"
    if fmt is ResultFormat.XML:
        return b"</results></sparql>"
    return b""


ROW_COUNTERS: dict[ResultFormat, Callable[[], RowCounter]] = {
    ResultFormat.JSON: JsonRows,
    ResultFormat.XML: xml_rows,
    ResultFormat.CSV: CsvRows,
    ResultFormat.TSV: LineRows,
}


class _CappedBuffer:
    """A binary sink that counts rows and bytes as they are written and stops the writer past either limit."""

    def __init__(self, counter: RowCounter, limit: int, max_bytes: int, what: str) -> None:
        self._parts: list[bytes] = []
        self._counter = counter
        self._limit = limit
        self._max_bytes = max_bytes
        self._size = 0
        self._what = what

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self._size += len(chunk)
        self._parts.append(chunk)  # kept, so that a cut result can be closed after its last whole row
        if self._size > self._max_bytes:
            raise ResultTooLargeError(_too_many(self._max_bytes, "bytes"), limit=(self._max_bytes, "bytes"))
        self._counter.feed(chunk)
        if self._counter.exceeds(self._limit):
            raise ResultTooLargeError(_too_many(self._limit, self._what), limit=(self._limit, self._what))
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


@dataclass(frozen=True)
class _Answer:
    """What a worker sends back: the outcome and what the check learned."""

    outcome: QueryOutcome
    checked: CheckedQuery


def query_handler(store_path: str, known_graphs: frozenset[str], max_length: int) -> Callable[[QueryJob], _Answer]:
    """Make a worker's handler: open the store read-only, then check and run each job.

    A top-level function, so that a spawned worker can be told to call it.
    """
    store = ox.Store.read_only(store_path)

    def handle(job: QueryJob) -> _Answer:
        checked = check_query(job.query, known_graphs=known_graphs, max_length=max_length)
        return _Answer(execute(store, job, query_dataset=checked.has_dataset), checked)

    return handle


class QueryExecutor:
    """A pool of worker processes that check and run queries on a store, with hard limits.

    Args:
        store_path: The Oxigraph store (one generation, never written again) to open read-only in
            each worker and, for proven queries, in this process.
        known_graphs: The store's named graphs (FROM and the protocol may name only these).
        workers: How many queries may run at once in workers.
        timeout: Seconds a query may run before its worker is killed.
        max_memory: Bytes of resident memory a worker may use before it is killed (0: no limit).
        max_waiting: Queries that may wait for a worker at once; more are refused at once.
        wait: Seconds a query may wait for a worker.
        max_length: The longest query accepted, in characters.
        proven_time: A deterministic query that finished in a worker within this many seconds (and
            at most a tenth of ``timeout``) runs again in this process, as many at once as there
            are cores; it loses the proof if a run here takes more than a tenth of ``timeout``;
            0 runs every query in a worker.
        proven_queries: How many proven queries are remembered (the least recently used are forgotten).
        name: What error messages call the work (``query``, ``page query``).
        niceness: How much lower the workers' processor priority is (see :class:`WorkerPool`).
    """

    def __init__(
        self,
        store_path: Path,
        *,
        known_graphs: Collection[str] = (),
        workers: int = 2,
        timeout: float = 10.0,
        max_memory: int = 0,
        max_waiting: int = 8,
        wait: float = 5.0,
        max_length: int = 20_000,
        proven_time: float = 0.1,
        proven_queries: int = 1024,
        name: str = "query",
        niceness: int = 0,
    ) -> None:
        self._path = str(store_path)
        self._timeout = timeout
        self._max_length = max_length
        self._pool = WorkerPool(
            query_handler,
            (self._path, frozenset(known_graphs), max_length),
            workers=workers,
            limits=PoolLimits(timeout=timeout, max_memory=max_memory, max_waiting=max_waiting, wait=wait),
            name=name,
            niceness=niceness,
        )
        self._proven_time = max(0.0, min(proven_time, timeout / 10))
        # A proven query does the same work each time; a run here that is slower only because the
        # server is busy keeps its proof, one slower than a tenth of the time limit loses it.
        self._demote_time = max(self._proven_time, timeout / 10)
        # Proven queries run here at most as many at once as there are cores, so that cheap
        # requests (static files, pages) keep their share of the processor.
        self._in_process = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
        self._proven_queries = proven_queries
        self._proven: OrderedDict[QueryJob, CheckedQuery] = OrderedDict()
        self._proven_lock = threading.Lock()
        self._local: ox.Store | None = None

    @property
    def timeout(self) -> float:
        """Seconds a query may run."""
        return self._timeout

    def is_proven(self, job: QueryJob) -> bool:
        """Whether the query has finished quickly before, so that it runs in this process."""
        return self._proof(job) is not None

    def _proof(self, job: QueryJob) -> CheckedQuery | None:
        with self._proven_lock:
            checked = self._proven.get(job)
            if checked is not None:
                self._proven.move_to_end(job)
            return checked

    def _prove(self, job: QueryJob, checked: CheckedQuery | None) -> None:
        with self._proven_lock:
            if checked is None:
                self._proven.pop(job, None)
                return
            self._proven[job] = checked
            self._proven.move_to_end(job)
            while len(self._proven) > self._proven_queries:
                self._proven.popitem(last=False)

    def run(self, job: QueryJob) -> QueryOutcome:
        """Check and run a query: in a worker, or in this process when it is proven.

        Raises:
            RefusedQueryError: The endpoint's policy refuses it (malformed, update, SERVICE, ...).
            QuerySyntaxError: The engine cannot parse it.
            ResultTooLargeError: The result is over the row or byte limit.
            QueryTimeoutError: It ran past the time limit (its worker was killed).
            QueryMemoryError: It passed the memory limit (its worker was killed).
            QueryWorkerError: Its worker died.
            EndpointBusyError: No worker became free (queue full, or for the longest wait).
        """
        check_length(job.query, max_length=self._max_length)
        checked = self._proof(job) if self._proven_time else None
        if checked is not None:
            if not self._in_process.acquire(timeout=self._timeout):  # quick queries: the wait is short
                raise EndpointBusyError("the server is busy: try again shortly", retry_after=1)
            try:
                started = time.perf_counter()
                outcome = execute(self._local_store(), job, query_dataset=checked.has_dataset)
            except QueryError:
                self._prove(job, None)
                raise
            finally:
                self._in_process.release()
            if time.perf_counter() - started > self._demote_time:
                self._prove(job, None)
            return outcome
        started = time.perf_counter()
        answer = self._run_in_worker(job)
        if self._proven_time and answer.checked.deterministic and time.perf_counter() - started <= self._proven_time:
            self._prove(job, answer.checked)
        return answer.outcome

    def _local_store(self) -> ox.Store:
        with self._proven_lock:
            if self._local is None:
                self._local = ox.Store.read_only(self._path)
            return self._local

    def _run_in_worker(self, job: QueryJob) -> _Answer:
        try:
            answer = self._pool.run(job)
        except PoolBusyError as exc:
            raise EndpointBusyError(str(exc), retry_after=exc.retry_after) from exc
        except WorkTimeoutError as exc:
            raise QueryTimeoutError(f"{exc}: narrow it or add LIMIT") from exc
        except WorkMemoryError as exc:
            raise QueryMemoryError(str(exc)) from exc
        except WorkerDiedError as exc:
            raise QueryWorkerError(str(exc)) from exc
        assert isinstance(answer, _Answer)
        return answer

    def close(self) -> None:
        """Stop every idle worker; a worker running a query stops when its query is answered."""
        self._pool.close()
        with self._proven_lock:
            self._proven.clear()
            self._local = None  # closed when the last query running on it is answered
