"""Benchmark: the pages for people (browse, strategy, theme, compare, partners, search, ...) over HTTP.

Run from the checkout (prints tables; nothing is asserted):

    .venv/bin/python tests/benchmarks/bench_pages.py [--synthetic 1000000] [--rounds 20]

Two stores, each served by ``ris3kg serve`` (granian, the app factory, the page workers) with the
default settings: the store built from the packaged data, and a synthetic store of about N
triples (the packaged parts plus renamed copies of the strategies, as in ``bench_sparql.py``).
Every page is fetched first once per store (the *cold* figure: the page's queries run in a page
worker, the search index is built on the first search of a generation), then ``--rounds`` times
more. The stores are timed interleaved: each page on each store in turn, so that a neighbour's
burst on this shared machine moves both alike. The search queries differ from round to round
(a search result is not kept), so the search row is always uncached. Each server is started in
its own process group and stopped with every process it started (granian's worker, the query
and page workers).

Targets (issue 16): p95 under 300 ms on the seed graph and under 2 s on the 1M-triple graph.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench_sparql import free_port, stop_tree, synthetic_store, wait_for

from ris3kg.graph.build import build_store

PAGES = (
    "/",
    "/browse",
    "/class/Bottleneck",
    "/class/Actor",
    "/strategy/blekinge",
    "/strategy/nms",
    "/strategy/vasternorrland",
    "/themes",
    "/theme/digitalisation",
    "/compare?strategy=blekinge&strategy=norrbotten",
    "/compare?strategy=nms&strategy=vasternorrland&strategy=s3norge",
    "/partners/vasternorrland",
    "/partners/blekinge",
    "/api/partners/norrbotten",
    "/region/SE221",
    "/id/blekinge/strategy",
    "/ontology",
    "/guide",
)
"""The pages timed; each is cached per generation after its first answer."""

SEARCHES = ("digitalisation", "energi", "innovasjon", "battery", "skog", "tourism", "næringsliv", "hydrogen")
"""Search terms, one per round in turn (``/search?q=``): English, Swedish and Norwegian."""


def serve(path: Path, port: int) -> subprocess.Popen[bytes]:
    """Start ``ris3kg serve`` on the store with its default settings, in its own process group."""
    command = [sys.executable, "-m", "ris3kg.api.cli", "--store", str(path), "serve", "--port", str(port)]
    log = path.parent / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=sink, start_new_session=True, env=dict(os.environ))
    try:
        wait_for(f"http://127.0.0.1:{port}/static/ris3kg.css", 300)  # a static file: no page computed while it comes up
    except RuntimeError:
        stop_tree(process)
        print(log.read_text(errors="replace")[-2000:])
        raise
    return process


def fetch(port: int, path: str) -> tuple[float, int]:
    """GET a page and read it whole: (seconds, status)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept": "text/html"})
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - started, response.status
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="triples of the synthetic graph (0: skip)")
    parser.add_argument("--rounds", type=int, default=20, help="timed fetches of each page after the first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ris3kg-bench-pages-") as folder:
        workdir = Path(folder)
        stores = {"seed": build_store(workdir / "seed").path}
        if args.synthetic:
            started = time.perf_counter()
            triples = synthetic_store(workdir / "synthetic", args.synthetic)
            print(f"synthetic graph: {triples} triples, written in {time.perf_counter() - started:.1f} s")
            stores[f"synthetic {triples // 1000}k"] = workdir / "synthetic"
        servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
        try:
            for name, path in stores.items():
                port = free_port()
                servers[name] = (serve(path, port), port)
            search_rows = [f"/search?q={quote(term)}" for term in SEARCHES]
            cold: dict[tuple[str, str], float] = {}
            warm: dict[tuple[str, str], list[float]] = {}
            statuses: dict[tuple[str, str], int] = {}
            for page in (*PAGES, search_rows[0]):  # cold: each page on each store in turn
                for name, (_process, port) in servers.items():
                    seconds, status = fetch(port, page)
                    cold[(page, name)] = seconds
                    statuses[(page, name)] = status
            searches = itertools.cycle(search_rows[1:])
            for _round in range(args.rounds):
                search = next(searches)
                for page in (*PAGES, "/search"):
                    for name, (_process, port) in servers.items():
                        seconds, status = fetch(port, search if page == "/search" else page)
                        warm.setdefault((page, name), []).append(seconds)
                        statuses.setdefault((page, name), status)
        finally:
            for process, _port in servers.values():
                stop_tree(process)
    names = list(stores)
    width = max(len(page) for page in PAGES) + 2
    print(f"\n{'page':<{width}}" + "".join(f"| {name:^34} " for name in names))
    print(f"{'':<{width}}" + "".join(f"| {'status':>6} {'cold':>8} {'p50':>8} {'p95':>8} " for _ in names))
    everything: dict[str, list[float]] = {name: [] for name in names}
    for page in (*PAGES, "/search"):
        line = f"{(page if page != '/search' else '/search?q=… (uncached)'):<{width}}"
        for name in names:
            key = (page, name)
            times = warm.get(key, [])
            everything[name].extend(times)
            first = cold.get(key, cold.get((search_rows[0], name), 0.0)) if page == "/search" else cold[key]
            status = statuses.get(key, statuses.get((search_rows[0], name), 0))
            line += (
                f"| {status:>6} {first * 1000:>6.0f}ms {statistics.median(times) * 1000:>6.1f}ms "
                f"{percentile(times, 0.95) * 1000:>6.1f}ms "
            )
        print(line)
    for name in names:
        times = everything[name]
        colds = [seconds for (page, store), seconds in cold.items() if store == name]
        print(
            f"{name}: all pages after the first fetch p50 {statistics.median(times) * 1000:.1f} ms, "
            f"p95 {percentile(times, 0.95) * 1000:.1f} ms (n={len(times)}); "
            f"first fetch p50 {statistics.median(colds) * 1000:.0f} ms, max {max(colds) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
