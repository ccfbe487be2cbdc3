"""Load benchmark: many clients at once on the real ``ris3kg serve``, with and without runaway queries.

Run from the checkout (loopback only; bounded in time; prints a table; nothing is asserted):

    .venv/bin/python tests/benchmarks/bench_load.py [--clients 50] [--seconds 30] [--runaways 4]

It builds the seed store in a temporary folder, starts ``ris3kg serve`` on a free loopback port
(in its own process group, which it stops as a whole at the end), warms it with each example
query, and then runs two phases of ``--seconds`` each:

1. ``--clients`` clients, each looping with no pause over a mix: 40 % example queries (POST
   /sparql), 25 % entity pages, 20 % static files, 14 % Gephi exports of a view, 1 % validation
   POSTs;
2. the same, with ``--runaways`` more clients that each send a query that never finishes
   (a triple cartesian product, a different text each time so that it is never proven).

It prints, per phase: requests per second, p50 / p99 per route, the statuses that were not 200,
and the server's memory (the resident memory of its whole process tree) sampled every second.
At the end it checks that every example query answers exactly as before the load.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ris3kg.graph.build import build_store
from ris3kg.graph.sparql.examples import example_queries

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # {n}"
ENTITIES = (
    "/id/blekinge/strategy",
    "/id/norrbotten/strategy",
    "/id/actor/european-commission",
    "/id/funding/erdf",
    "/id/vasternorrland/strategy",
)
STATIC = ("/static/ris3kg.css", "/static/query.js")
VIEWS = ("/export/region-areas.gexf", "/export/actors.gexf", "/export/bottlenecks.graphml")
SUBMISSION = Path(__file__).resolve().parents[1] / "data" / "valid" / "blekinge-excerpt.ttl"


@dataclass
class Record:
    """What one phase saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    memory: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, route: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[route].append(seconds)
            self.statuses[(route, status)] += 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        return 0, b""
    finally:
        connection.close()


def query(port: int, text: str, timeout: float = 60.0) -> tuple[int, bytes]:
    return request(
        port,
        "POST",
        "/sparql",
        urllib.parse.urlencode({"query": text, "format": "csv"}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
        timeout,
    )


def tree_memory(root: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def client(port: int, record: Record, stop: float, seed: int) -> None:
    rng = random.Random(seed)
    examples = [ex.query for ex in example_queries()]
    submission = SUBMISSION.read_bytes()
    while time.monotonic() < stop:
        pick = rng.random()
        started = time.perf_counter()
        if pick < 0.40:
            route, (status, _) = "query", query(port, rng.choice(examples))
        elif pick < 0.65:
            route, (status, _) = "entity", request(port, "GET", rng.choice(ENTITIES), headers={"Accept": "text/html"})
        elif pick < 0.85:
            route, (status, _) = "static", request(port, "GET", rng.choice(STATIC))
        elif pick < 0.99:
            route, (status, _) = "export", request(port, "GET", rng.choice(VIEWS))
        else:
            route, (status, _) = (
                "validate",
                request(port, "POST", "/api/submissions", submission, {"Content-Type": "text/turtle"}),
            )
        record.add(route, status, time.perf_counter() - started)


def runaway(port: int, record: Record, stop: float, seed: int) -> None:
    n = 0
    while time.monotonic() < stop:
        n += 1
        started = time.perf_counter()
        status, _ = query(port, RUNAWAY.format(n=f"{seed}-{n}"), timeout=max(1.0, stop - time.monotonic() + 15))
        record.add("runaway", status, time.perf_counter() - started)
        if status == 503:
            time.sleep(0.5)


def phase(port: int, server: int, *, clients: int, runaways: int, seconds: float) -> Record:
    record = Record()
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, record, stop, i), daemon=True) for i in range(clients)]
    threads += [
        threading.Thread(target=runaway, args=(port, record, stop, 1000 + i), daemon=True) for i in range(runaways)
    ]
    for thread in threads:
        thread.start()
    while time.monotonic() < stop:
        record.memory.append(tree_memory(server))
        time.sleep(1.0)
    for thread in threads:
        thread.join(timeout=max(5.0, 90.0))
    record.memory.append(tree_memory(server))
    return record


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


def report(name: str, record: Record, seconds: float) -> None:
    total = sum(len(v) for route, v in record.latencies.items() if route != "runaway")
    print(f"\n### {name}: {total / seconds:.1f} requests/s (runaway clients not counted)\n")
    print("| route | requests | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for route in sorted(record.latencies):
        values = record.latencies[route]
        print(
            f"| {route} | {len(values)} | {statistics.median(values) * 1000:.1f} | {percentile(values, 0.99):.1f} "
            f"| {max(values) * 1000:.1f} |"
        )
    others = {key: count for key, count in sorted(record.statuses.items()) if key[1] != 200}
    errors = sum(count for (route, _), count in others.items() if route != "runaway")
    print(f"\nnot 200: {others or 'none'}; errors outside the runaway clients: {errors}")
    mib = [m / 2**20 for m in record.memory]
    print(f"server memory (MiB, every second): start {mib[0]:.0f}, max {max(mib):.0f}, end {mib[-1]:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--runaways", type=int, default=4)
    parser.add_argument("--threads", type=int, default=32, help="the server's request threads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ris3kg-load-") as folder:
        store = Path(folder) / "store"
        build_store(store)
        port = free_port()
        command = [
            sys.executable, "-m", "ris3kg.api.cli", "--store", str(store), "serve",
            "--port", str(port), "--threads", str(args.threads),
        ]  # fmt: skip
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while request(port, "GET", "/sparql?query=ASK%7B%7D", timeout=5)[0] != 200:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not come up")
                time.sleep(0.5)
            examples = example_queries()
            before = {}
            for ex in examples:  # warm: each query parsed, checked and proven
                for _ in range(2):
                    before[ex.key] = query(port, ex.query)
            for view in VIEWS:
                request(port, "GET", view)
            print(f"ris3kg serve on 127.0.0.1:{port}, {args.clients} clients, {args.seconds:g} s per phase")
            quiet = phase(port, server.pid, clients=args.clients, runaways=0, seconds=args.seconds)
            report("without runaway queries", quiet, args.seconds)
            loud = phase(port, server.pid, clients=args.clients, runaways=args.runaways, seconds=args.seconds)
            report(f"with {args.runaways} runaway queries", loud, args.seconds)
            after = {ex.key: query(port, ex.query) for ex in examples}
            same = [key for key in before if before[key] == after[key] and before[key][0] == 200]
            print(f"\nexample queries answering exactly as before the load: {len(same)} of {len(before)}")
        finally:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
