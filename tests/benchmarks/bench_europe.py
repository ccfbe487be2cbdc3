"""Benchmark: build a Europe-sized store and run the example queries and network views on it.

Run from the checkout (prints Markdown tables; nothing is asserted):

    .venv/bin/python tests/benchmarks/bench_europe.py --triples 1000000 [--keep DIR] [--beyond 60]

What it measures, at each size given with ``--triples`` (repeatable):

1. **Build.** A synthetic corpus of about N quads is written by ``europe_corpus.generate`` (gzip
   N-Quads, one named graph per synthetic strategy of a real NUTS 2 region), split by graph into
   N-Triples and written, with the packaged reference parts (ontology, vocabularies, regions, code
   lists), into a ris3kg store as ``ris3kg build`` writes one: ``OxigraphWriter.rebuild`` with the
   entailment as its derivation (a new generation with the named graphs, their merge as the
   default graph, the entailed graph, flushed and optimised). Printed: the time of each phase
   (generation, the reference parts' N-Triples, the split of the corpus, the loading of the graphs,
   the merge, the entailment, flush/optimise/publish), the rate (store triples over the time from
   the split to the publication) and the store's size on disk (``du``).
2. **Example queries** (``graph/queries/*.rq``), each run 3 times the way ``/sparql`` runs them:
   ``QueryExecutor`` with the default settings (2 workers, 10 s time limit, 1 GiB per worker,
   10 000 rows / 16 MiB per answer, cut at the limit; a query that answered in a worker within
   0.1 s runs again in this process), on the default dataset (merge and entailment). Reported:
   the first run, the median of the 3, and the outcome (rows; ``cut at 10000 rows``; ``over the
   time limit`` ...). With ``--beyond S`` (default 60; 0 skips), an example that did not answer
   whole is run once more with a time limit of S seconds and no row, byte or memory limit: how
   long it takes and how many rows it has.
3. **Network views** (``graph/export/views.py`` ``draw_view``): each of the five once, as an export
   builds it (on the store, in a fresh process, the layout included), with its nodes and edges,
   stopped after ``--view-timeout`` seconds.

Everything runs on this machine's 2 cores; the servers' workers are stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from ris3kg.api.settings import Settings
from ris3kg.graph.catalogue import codelist_parts, reference_parts
from ris3kg.graph.entailment import ENTAILMENT
from ris3kg.graph.export.views import draw_view, view_names
from ris3kg.graph.sparql.examples import ExampleQuery, example_queries
from ris3kg.graph.sparql.executor import (
    QueryExecutor,
    QueryJob,
    QueryMemoryError,
    QueryOutcome,
    QueryTimeoutError,
    ResultTooLargeError,
)
from ris3kg.graph.store.generations import StoreLayout
from ris3kg.graph.store.interface import GraphLoad
from ris3kg.graph.store.oxigraph import Derivation, OxigraphStore, OxigraphWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from europe_corpus import generate, iter_files

RUNS = 3
UNLIMITED_ROWS = 10**12


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------


@dataclass
class BuildTimes:
    """What a build took, phase by phase (seconds), and what it wrote."""

    corpus_triples: int = 0
    reference_triples: int = 0
    graphs: int = 0
    strategies: int = 0
    entailed: int = 0
    merged: int = 0
    generate: float = 0.0
    reference: float = 0.0
    split: float = 0.0
    load: float = 0.0
    merge: float = 0.0
    entailment: float = 0.0
    finish: float = 0.0
    disk_bytes: int = 0
    marks: dict[str, float] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        """Asserted triples: the corpus and the reference parts."""
        return self.corpus_triples + self.reference_triples

    @property
    def store_seconds(self) -> float:
        """From the split of the corpus to the publication of the generation."""
        return self.split + self.load + self.merge + self.entailment + self.finish


def corpus_loads(folder: Path, times: BuildTimes) -> Iterator[GraphLoad]:
    """Read the corpus files and yield each run of one graph's quads as N-Triples.

    Every strategy's graph is written in one run; a graph met again (a project graph, written in
    batches) is yielded again and the store adds to it. The time spent here (decompressing and
    splitting, not loading) is added to ``times.split``.
    """
    started = time.perf_counter()
    graph = b""
    suffix = b""
    lines: list[bytes] = []

    def flush() -> GraphLoad:
        times.corpus_triples += len(lines)
        times.graphs += 1
        data = b" .\n".join(lines) + b" .\n"
        lines.clear()
        return GraphLoad(graph.decode("utf-8"), data)

    for path in iter_files(folder):
        with gzip.open(path, "rb") as quads:
            for line in quads:
                if suffix and line.endswith(suffix):
                    lines.append(line[: -len(suffix)])
                    continue
                # A new graph: the graph term is the last `` <...>`` of the line (an IRI has no space).
                cut = line.rindex(b" <")
                if lines:
                    load = flush()
                    times.split += time.perf_counter() - started
                    yield load
                    started = time.perf_counter()
                suffix = line[cut:]
                graph = suffix[2 : suffix.rindex(b">")]
                lines.append(line[:cut])
    if lines:
        load = flush()
        times.split += time.perf_counter() - started
        yield load
    else:
        times.split += time.perf_counter() - started


def store_size(path: Path) -> int:
    """Bytes the folder takes on disk, as ``du`` counts them."""
    output = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout
    return int(output.split()[0]) * 1024


def build(path: Path, triples: int, *, seed: int = 1, corpus: Path | None = None) -> BuildTimes:
    """Generate a corpus of about ``triples`` quads and build a ris3kg store of it and the reference parts.

    Args:
        path: The store path (a link to its generation, as ``ris3kg build`` makes it).
        triples: The corpus's target size.
        seed: The corpus's random seed.
        corpus: Where to write the corpus (kept); a temporary folder beside ``path`` when None.

    Returns:
        The phases' times and the counts.
    """
    times = BuildTimes()
    folder = corpus or Path(tempfile.mkdtemp(prefix="europe-corpus-", dir=path.parent))
    try:
        report = generate(folder, triples=triples, seed=seed)
        times.generate = report.seconds
        times.strategies = report.strategies

        started = time.perf_counter()
        reference = [GraphLoad(str(part.graph), part.ntriples()) for part in (*reference_parts(), *codelist_parts())]
        times.reference = time.perf_counter() - started
        times.reference_triples = sum(load.ntriples.count(b"\n") for load in reference)

        def entail(store: ox.Store) -> int:
            times.marks["merged"] = time.perf_counter()
            count: int = ENTAILMENT.write(store)
            times.marks["entailed"] = time.perf_counter()
            return count

        def loaded(_load: GraphLoad) -> None:
            times.marks["loaded"] = time.perf_counter()

        def loads() -> Iterator[GraphLoad]:
            yield from reference
            yield from corpus_loads(folder, times)

        writer = OxigraphWriter(path, derivations=(Derivation(ENTAILMENT.graph, entail),))
        started = time.perf_counter()
        # rebuild reads its graphs once, in order: a stream keeps one graph's N-Triples in memory at a time.
        writer.rebuild(cast(Sequence[GraphLoad], loads()), on_graph=loaded)
        done = time.perf_counter()
    finally:
        if corpus is None:
            shutil.rmtree(folder, ignore_errors=True)
    times.load = times.marks["loaded"] - started - times.split
    times.entailment = times.marks["entailed"] - times.marks["merged"]
    times.merge = times.marks["merged"] - times.marks["loaded"]
    times.finish = done - times.marks["entailed"]
    generation = StoreLayout(path).current()
    assert generation is not None
    times.disk_bytes = store_size(generation)
    store = ox.Store.read_only(str(generation))
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=ox.DefaultGraph())
    assert isinstance(result, ox.QuerySolutions)
    times.merged = int(next(iter(result))["n"].value)
    times.entailed = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(ENTAILMENT.graph)))
    del store
    return times


def europe_store(path: Path, triples: int) -> int:
    """Write a ris3kg store at ``path``: the reference parts and a Europe corpus of about ``triples`` quads.

    Prints each phase's time, the rate and the size on disk.

    Returns:
        The asserted triples (corpus and reference parts).
    """
    times = build(path, triples)
    print(build_summary(times))
    return times.triples


def build_summary(times: BuildTimes) -> str:
    """The build's figures on one line each."""
    rate = times.triples / times.store_seconds
    return (
        f"corpus: {times.corpus_triples:,} quads, {times.strategies} strategies, {times.graphs} graph runs; "
        f"reference parts: {times.reference_triples:,} triples\n"
        f"generate {times.generate:.1f} s | reference N-Triples {times.reference:.1f} s | split {times.split:.1f} s"
        f" | load {times.load:.1f} s | merge {times.merge:.1f} s ({times.merged:,} triples)"
        f" | entailment {times.entailment:.1f} s ({times.entailed:,} triples) | flush+optimise {times.finish:.1f} s\n"
        f"store: {times.store_seconds:.1f} s from split to publication, {rate:,.0f} triples/s; "
        f"{times.disk_bytes / 2**20:,.0f} MiB on disk"
    )


# ---------------------------------------------------------------------------
# The example queries
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryTiming:
    """The runs of one example query."""

    key: str
    seconds: tuple[float, ...]
    outcome: str
    whole: bool
    beyond: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def rows_of(outcome: QueryOutcome) -> int:
    """Rows of a SELECT (JSON), triples of a CONSTRUCT (N-Triples lines), 1 for an ASK."""
    if outcome.form == "select":
        bindings: list[object] = json.loads(outcome.body)["results"]["bindings"]
        return len(bindings)
    if outcome.form == "graph":
        return int(outcome.body.count(b"\n"))
    return 1


def endpoint_executor(generation: Path, graphs: frozenset[str], settings: Settings) -> QueryExecutor:
    """A query executor as the web app makes one for ``/sparql`` (see ``api/web/state.py``)."""
    return QueryExecutor(
        generation,
        known_graphs=graphs,
        workers=settings.query_workers,
        timeout=settings.query_timeout,
        max_memory=settings.query_max_memory,
        max_waiting=settings.query_queue,
        wait=settings.query_wait,
        max_length=settings.max_query_length,
        proven_time=settings.proven_query_time,
        niceness=10,
    )


def run_once(executor: QueryExecutor, job: QueryJob) -> tuple[float, str, bool]:
    """Run a job; return its time, what it answered, and whether that was the whole answer."""
    started = time.perf_counter()
    try:
        outcome = executor.run(job)
    except QueryTimeoutError:
        return time.perf_counter() - started, f"over the time limit ({executor.timeout:g} s)", False
    except QueryMemoryError:
        return time.perf_counter() - started, "over the memory limit", False
    except ResultTooLargeError as exc:
        return time.perf_counter() - started, f"over the result limit ({exc.limit})", False
    except Exception as exc:
        return time.perf_counter() - started, f"{type(exc).__name__}: {exc}", False
    elapsed = time.perf_counter() - started
    if outcome.cut is not None:
        return elapsed, f"cut at {outcome.cut.kept} {outcome.cut.unit} (limit {outcome.cut.limit})", False
    return elapsed, f"{rows_of(outcome)} rows", True


def time_examples(generation: Path, examples: Sequence[ExampleQuery], *, beyond: float) -> list[QueryTiming]:
    """Run each example ``RUNS`` times through the endpoint's executor; then, if asked, the cut ones without limits."""
    settings = Settings()
    graphs = frozenset(OxigraphStore.open(generation).named_graphs())
    executor = endpoint_executor(generation, graphs, settings)
    timings: list[QueryTiming] = []
    try:
        executor.run(QueryJob("ASK {}"))  # start the workers: the first example should not pay for it
        for example in examples:
            job = QueryJob(
                example.query, max_rows=settings.max_result_rows, max_bytes=settings.max_result_bytes, cut=True
            )
            runs = [run_once(executor, job) for _ in range(RUNS)]
            timing = QueryTiming(example.key, tuple(r[0] for r in runs), runs[-1][1], all(r[2] for r in runs))
            print(f"  {timing.key}: {' / '.join(f'{s:.2f}' for s in timing.seconds)} s, {timing.outcome}", flush=True)
            timings.append(timing)
    finally:
        executor.close()
    if beyond <= 0 or all(t.whole for t in timings):
        return timings
    unlimited = QueryExecutor(generation, known_graphs=graphs, workers=1, timeout=beyond, proven_time=0)
    try:
        for i, timing in enumerate(timings):
            if timing.whole:
                continue
            example = examples[i]
            job = QueryJob(example.query, max_rows=UNLIMITED_ROWS, max_bytes=2**62)
            seconds, outcome, _ = run_once(unlimited, job)
            timings[i] = QueryTiming(timing.key, timing.seconds, timing.outcome, False, f"{seconds:.1f} s: {outcome}")
            print(f"  {timing.key} without limits: {timings[i].beyond}", flush=True)
    finally:
        unlimited.close()
    return timings


# ---------------------------------------------------------------------------
# The network views
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewTiming:
    """One view drawn once."""

    name: str
    seconds: float | None
    nodes: int
    edges: int
    error: str = ""


def _draw(generation: str, name: str, answer: Connection) -> None:
    store = OxigraphStore.open(Path(generation))
    started = time.perf_counter()
    try:
        network = draw_view(store, name)
    except Exception as exc:
        answer.send((time.perf_counter() - started, 0, 0, f"{type(exc).__name__}: {exc}"))
        return
    answer.send((time.perf_counter() - started, len(network.nodes), len(network.edges), ""))


def time_views(generation: Path, *, timeout: float) -> list[ViewTiming]:
    """Draw each view once, each in a fresh process stopped after ``timeout`` seconds."""
    context = multiprocessing.get_context("spawn")
    timings = []
    for name in view_names():
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_draw, args=(str(generation), name, send))
        process.start()
        send.close()
        if receive.poll(timeout + 30):  # the process's start and the store's opening are not timed
            seconds, nodes, edges, error = receive.recv()
            timing = ViewTiming(name, seconds, nodes, edges, error)
        else:
            timing = ViewTiming(name, None, 0, 0, f"stopped after {timeout:g} s")
        with contextlib.suppress(Exception):
            process.kill()
        process.join()
        print(
            f"  view {name}: {timing.seconds or 0:.2f} s, {timing.nodes} nodes, {timing.edges} edges {timing.error}",
            flush=True,
        )
        timings.append(timing)
    return timings


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def markdown(
    builds: Sequence[tuple[int, BuildTimes]],
    queries: Sequence[Sequence[QueryTiming]],
    views: Sequence[Sequence[ViewTiming]],
) -> str:
    """The Markdown tables of every size measured."""
    out = [
        "| target | asserted triples | merge | entailed | generate s | split s | load s | merge s | entailment s "
        "| flush+optimise s | store s | triples/s | on disk MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for target, b in builds:
        out.append(
            f"| {target:,} | {b.triples:,} | {b.merged:,} | {b.entailed:,} | {b.generate:.1f} | {b.split:.1f} "
            f"| {b.load:.1f} | {b.merge:.1f} | {b.entailment:.1f} | {b.finish:.1f} | {b.store_seconds:.1f} "
            f"| {b.triples / b.store_seconds:,.0f} | {b.disk_bytes / 2**20:,.0f} |"
        )
    sizes = [f"{target:,}" for target, _ in builds]
    out += ["", "| example | " + " | ".join(f"{s}: median s (1st) | {s}: outcome" for s in sizes) + " |"]
    out.append("|---|" + "---|---|" * len(sizes))
    for i, first in enumerate(queries[0] if queries else ()):
        cells = []
        for query_timings in queries:
            t = query_timings[i]
            outcome = t.outcome + (f"; without limits {t.beyond}" if t.beyond else "")
            cells.append(f"{t.median:.2f} ({t.seconds[0]:.2f}) | {outcome}")
        out.append(f"| {first.key} | " + " | ".join(cells) + " |")
    out += ["", "| view | " + " | ".join(f"{s}: s | {s}: nodes / edges" for s in sizes) + " |"]
    out.append("|---|" + "---|---|" * len(sizes))
    for i, first_view in enumerate(views[0] if views else ()):
        cells = []
        for view_timings in views:
            v = view_timings[i]
            seconds = f"{v.seconds:.2f}" if v.seconds is not None else "–"
            cells.append(f"{seconds} | {v.error or f'{v.nodes:,} / {v.edges:,}'}")
        out.append(f"| {first_view.name} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Build a store at each size, time the examples and the views, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--triples", type=int, action="append", help="corpus size (repeatable; default 1000000)", default=None
    )
    parser.add_argument("--seed", type=int, default=1, help="the corpus's random seed")
    parser.add_argument("--keep", type=Path, help="keep the stores (and corpora) in this folder")
    parser.add_argument(
        "--beyond", type=float, default=60.0, help="time limit of one more run of a cut example, unlimited (0: skip)"
    )
    parser.add_argument("--view-timeout", type=float, default=300.0, help="seconds a view may take")
    parser.add_argument("--no-views", action="store_true", help="skip the network views")
    args = parser.parse_args(argv)
    sizes: list[int] = args.triples or [1_000_000]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="ris3kg-europe-"))
    workdir.mkdir(parents=True, exist_ok=True)
    examples = example_queries()
    builds: list[tuple[int, BuildTimes]] = []
    queries: list[list[QueryTiming]] = []
    views: list[list[ViewTiming]] = []
    try:
        for target in sizes:
            path = workdir / f"store-{target}"
            if path.exists() or path.is_symlink():
                raise SystemExit(f"{path} exists: give an empty --keep folder")
            print(f"## {target:,} triples", flush=True)
            corpus = workdir / f"corpus-{target}" if args.keep else None
            times = build(path, target, seed=args.seed, corpus=corpus)
            print(build_summary(times), flush=True)
            builds.append((target, times))
            generation = StoreLayout(path).current()
            assert generation is not None
            queries.append(time_examples(generation, examples, beyond=args.beyond))
            if not args.no_views:
                views.append(time_views(generation, timeout=args.view_timeout))
            if not args.keep:  # the next size's store needs the room
                shutil.rmtree(StoreLayout(path).generations, ignore_errors=True)
                path.unlink()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(markdown(builds, queries, views))
    return 0


if __name__ == "__main__":
    sys.exit(main())
