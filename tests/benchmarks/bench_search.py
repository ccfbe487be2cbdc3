"""Benchmark: building the search index of a generation, and the latency of searches on it.

Run from the checkout (prints a table; nothing is asserted):

    .venv/bin/python tests/benchmarks/bench_search.py [--synthetic 1000000] [--rounds 5]

On the seed graph and on a synthetic graph of about N triples (``synthetic_store`` of
``bench_sparql.py``: the seed strategies copied under fresh IRIs). For each it reports the time to
read the documents from the store (the fixed queries of ``graph/search/documents.py``) and to write
the index, the index's size, and the latency (p50 / p95) of a fixed mix of searches in-process
(:func:`ris3kg.graph.search.query.search`: parse, rank, snippets of one page, facet counts), with
and without a facet filter, cold (the first round) and warm.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sparql import synthetic_store

from ris3kg.graph.build import build_store
from ris3kg.graph.search.documents import read_corpus
from ris3kg.graph.search.index import SearchIndex, write_index
from ris3kg.graph.search.query import search
from ris3kg.graph.store.oxigraph import OxigraphStore

QUERIES = (
    "digitalisation",
    "digitalisering",
    "næringene",
    "innovationssystemet",
    "smart specialisation",
    '"industrial transition"',
    "kompetensförsörjning",
    "energy OR energi",
    "skills -education",
    "universitet forskning",
    "tourism",
    "title:( broken syntax",
)
"""The mix: English, Swedish and Norwegian words, a phrase, OR and NOT, a query of broken syntax."""
FILTERED = (("digitalisation", "theme", "https://w3id.org/ris3kg/id/theme/digitalisation"),)


def _quantiles(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _time_searches(index: SearchIndex, rounds: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"first round": [], "warm": [], "warm, page 3": [], "warm, with a facet": []}
    for round_ in range(rounds + 1):
        for query in QUERIES:
            started = time.perf_counter()
            search(index, query)
            timings["first round" if round_ == 0 else "warm"].append(time.perf_counter() - started)
            if round_:
                started = time.perf_counter()
                search(index, query, page=3)
                timings["warm, page 3"].append(time.perf_counter() - started)
        if round_:
            for query, facet, value in FILTERED:
                if value in index.values[facet]:
                    started = time.perf_counter()
                    search(index, query, filters={facet: value})
                    timings["warm, with a facet"].append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="triples of the synthetic graph (0: skip)")
    parser.add_argument("--rounds", type=int, default=5, help="times the query mix is run after a first round")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ris3kg-bench-search-"))
    rows: list[tuple[str, str, float, float, int]] = []
    try:
        datasets = [("seed", workdir / "seed")]
        build_store(datasets[0][1])
        if args.synthetic:
            started = time.perf_counter()
            triples = synthetic_store(workdir / "synthetic", args.synthetic)
            print(f"synthetic graph: {triples} triples, written in {time.perf_counter() - started:.1f} s")
            datasets.append((f"synthetic {triples // 1000}k", workdir / "synthetic"))
        for name, path in datasets:
            started = time.perf_counter()
            corpus = read_corpus(OxigraphStore.open(path.resolve()))
            read = time.perf_counter() - started
            index = write_index(corpus, workdir / f"index-{name.split()[0]}", generation=name)
            built = time.perf_counter() - started
            print(
                f"{name}: {len(corpus.documents)} documents; read from the store in {read:.2f} s, "
                f"index written in {built - read:.2f} s (build {built:.2f} s), "
                f"{_size(index.folder) / 1e6:.1f} MB"
            )
            for kind, latencies in _time_searches(index, args.rounds).items():
                if latencies:
                    p50, p95 = _quantiles(latencies)
                    rows.append((name, kind, p50, p95, len(latencies)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\n{len(QUERIES)} searches (20 hits with snippets, facet counts), {args.rounds} warm rounds\n")
    print(f"{'dataset':<16} {'searches':<20} {'p50 ms':>9} {'p95 ms':>9} {'n':>5}")
    for name, kind, p50, p95, n in rows:
        print(f"{name:<16} {kind:<20} {p50 * 1000:>9.2f} {p95 * 1000:>9.2f} {n:>5}")


if __name__ == "__main__":
    main()
