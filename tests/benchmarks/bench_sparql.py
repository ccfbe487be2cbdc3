"""Benchmark: the example queries over HTTP against ris3kg, in-process on pyoxigraph, and a peer.

Run from the checkout (prints a table; nothing is asserted):

    .venv/bin/python tests/benchmarks/bench_sparql.py [--synthetic 1000000] [--rounds 5] [--peer]

Three ways of answering the same fixed mix of example queries (``graph/queries/*.rq``):
- ``oxigraph``: in-process pyoxigraph on the same on-disk store, results serialized to JSON (the floor);
- ``ris3kg``: HTTP POST to ``ris3kg serve`` (granian, the app factory, the worker pool), timed until the
  whole answer has arrived (as in-process, where the JSON is written but not read back), with the
  row, byte and memory limits raised so that it does the same work as in-process. The first
  round is reported on its own line: it parses each query for the checks and runs it in a worker;
  the rounds after it run the proven queries in the server process;
- ``rdflib-endpoint`` (``--peer``): the PyPI package of that name serving the same triples from
  rdflib, if it can be installed.
On the seed graph and on a synthetic graph of about N triples made by copying the seed
strategies under fresh IRIs. Reports p50 / p95 latency per query and throughput. The systems are
timed interleaved: each query on each system in turn, so that a neighbour's burst on this shared
machine moves both alike. Every server is started in its own process group and stopped with all
its processes (granian's worker, the query workers).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ris3kg.graph.build import build_store
from ris3kg.graph.catalogue import PARTS, strategy_parts
from ris3kg.graph.entailment import materialise
from ris3kg.graph.sparql.examples import example_queries
from ris3kg.graph.store.oxigraph import FORMAT_FILE, STORE_FORMAT, write_merge
from ris3kg.ontology.namespaces import DERIVED_GRAPHS, ENTAILED_GRAPH

WORKERS = 2


@dataclass(frozen=True)
class Timing:
    """Latencies of one system on one dataset."""

    system: str
    dataset: str
    latencies: tuple[float, ...]
    failures: int
    wall: float

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else float("nan")


def synthetic_store(path: Path, target: int) -> int:
    """Write a store of about ``target`` triples: the reference parts plus renamed copies of the strategies."""
    store = ox.Store(str(path))
    total = 0
    for part in PARTS:
        data = part.load().serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(part.graph)))
        total += data.count(b"\n")
    strategies = [(part, part.load().serialize(format="nt", encoding="utf-8")) for part in strategy_parts()]
    copy = 0
    while total < target:
        copy += 1
        for part, data in strategies:
            renamed = data.replace(b"https://w3id.org/ris3kg/id/", f"https://w3id.org/ris3kg/id/copy{copy}-".encode())
            renamed = renamed.replace(
                b"https://w3id.org/ris3kg/id/copy%d-vocab/" % copy, b"https://w3id.org/ris3kg/id/vocab/"
            )
            renamed = renamed.replace(
                b"https://w3id.org/ris3kg/id/copy%d-theme/" % copy, b"https://w3id.org/ris3kg/id/theme/"
            )
            graph = ox.NamedNode(f"{part.graph}-copy{copy}")
            store.load(renamed, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            total += renamed.count(b"\n")
    # What every generation holds besides its named graphs: the merge and the entailment.
    started = time.perf_counter()
    write_merge(store, derived=DERIVED_GRAPHS)
    merged = time.perf_counter()
    entailed = materialise(store)
    done = time.perf_counter()
    store.flush()
    store.optimize()
    del store
    (path / FORMAT_FILE).write_text(STORE_FORMAT + "\n", encoding="ascii")
    print(
        f"synthetic graph: merge written in {merged - started:.1f} s, "
        f"{entailed} entailed triples in {done - merged:.1f} s"
    )
    return total


class InProcess:
    """In-process pyoxigraph on the store: each query run and serialized to JSON (the floor).

    Args:
        path: The store.
        entailed: Query the endpoint's default dataset (the merge and the entailed graph), as
            ris3kg does; otherwise the merge alone (``infer=false``): what the entailment costs.
            (The union of the named graphs, as before the merge, is no baseline: given as a list
            of 80 default graphs, Oxigraph takes 10-100x longer at 300k triples.)
    """

    def __init__(self, path: Path, *, entailed: bool = True) -> None:
        self._store = ox.Store.read_only(str(path))
        self._dataset: dict[str, object] = (
            {"default_graph": [ox.DefaultGraph(), ox.NamedNode(ENTAILED_GRAPH)]}
            if entailed
            else {"default_graph": [ox.DefaultGraph()]}
        )

    def time(self, query: str) -> float | None:
        t = time.perf_counter()
        result = self._store.query(query, **self._dataset)  # type: ignore[arg-type]
        assert isinstance(result, ox.QuerySolutions)
        result.serialize(format=ox.QueryResultsFormat.JSON)
        return time.perf_counter() - t


class Http:
    """POST each query as a form over one kept-alive HTTP/1.1 connection, as a client library would."""

    def __init__(self, endpoint: str, timeout: float) -> None:
        self._url = urllib.parse.urlsplit(endpoint)
        self._timeout = timeout
        self._connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self._url.hostname or "127.0.0.1", self._url.port, timeout=self._timeout)

    def time(self, query: str) -> float | None:
        headers = {"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"}
        body = urllib.parse.urlencode({"query": query})
        t = time.perf_counter()
        try:
            self._connection.request("POST", self._url.path, body=body, headers=headers)
            response = self._connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - t  # the whole answer has arrived; checking it is the client's work
            if response.status != 200:
                raise RuntimeError(response.status)
            json.loads(data)
            return elapsed
        except Exception:
            self._connection.close()
            self._connection = self._connect()
            return None

    def close(self) -> None:
        self._connection.close()


def interleaved(systems: dict[str, InProcess | Http], queries: list[str], rounds: int) -> dict[str, Timing]:
    """Time each query on each system in turn (the order of the systems alternating by round).

    A burst from a neighbour on this shared machine then moves every system's figures alike,
    not one system's block.
    """
    latencies: dict[str, list[float]] = {name: [] for name in systems}
    failures = dict.fromkeys(systems, 0)
    walls = dict.fromkeys(systems, 0.0)
    names = list(systems)
    for round_number in range(rounds):
        order = names if round_number % 2 == 0 else names[::-1]
        for query in queries:
            for name in order:
                started = time.perf_counter()
                elapsed = systems[name].time(query)
                walls[name] += time.perf_counter() - started
                if elapsed is None:
                    failures[name] += 1
                else:
                    latencies[name].append(elapsed)
    return {name: Timing(name, "", tuple(latencies[name]), failures[name], walls[name]) for name in systems}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


def serve_ris3kg(path: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "ris3kg.api.cli",
        "--store",
        str(path),
        "serve",
        "--port",
        str(port),
        "--timeout",
        "60",
        "--workers",
        "2",
        "--max-rows",  # the same work as in-process: no query of the mix may be cut short by the row limit
        "100000000",
    ]
    # The same work as in-process: no result may be cut by the byte limit or a worker's memory limit.
    env = {**os.environ, "RIS3KG_MAX_RESULT_BYTES": str(2**40), "RIS3KG_QUERY_MAX_MEMORY": "0"}
    log = path.parent / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=sink, start_new_session=True, env=env)
    try:
        wait_for(f"http://127.0.0.1:{port}/sparql", 180)
    except RuntimeError:
        stop_tree(process)
        print(log.read_text(errors="replace")[-2000:])
        raise
    return process


def stop_tree(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by :func:`serve_ris3kg` or :func:`serve_peer` with every process it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


def serve_peer(path: Path, port: int, workdir: Path) -> subprocess.Popen[bytes] | None:
    """Serve the same triples with rdflib-endpoint, installed into its own venv; None if unavailable."""
    venv = workdir / "peer-venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        installed = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "rdflib-endpoint[cli]", "uvicorn"], capture_output=True
        )
        if installed.returncode != 0:
            print("rdflib-endpoint could not be installed:", installed.stderr.decode()[-300:])
            return None
    dump = workdir / "data.nq"
    ox.Store.read_only(str(path)).dump(str(dump), format=ox.RdfFormat.N_QUADS)
    script = workdir / "peer.py"
    script.write_text(
        "import sys, uvicorn\nfrom rdflib import Dataset\nfrom rdflib_endpoint import SparqlEndpoint\n"
        "ds = Dataset(default_union=True)\nds.parse(sys.argv[1], format='nquads')\n"
        "app = SparqlEndpoint(graph=ds, path='/sparql')\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='error')\n"
    )
    process = subprocess.Popen(
        [str(venv / "bin" / "python"), str(script), str(dump), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", 600)
    except RuntimeError:
        stop_tree(process)
        return None
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="triples of the synthetic graph (0: skip)")
    parser.add_argument("--rounds", type=int, default=5, help="times the query mix is run")
    parser.add_argument("--workers", type=int, default=2, help="query workers of the ris3kg server")
    parser.add_argument("--peer", action="store_true", help="also benchmark rdflib-endpoint (installs it)")
    parser.add_argument("--peer-on", default="seed", choices=("seed", "all"), help="datasets the peer is run on")
    parser.add_argument(
        "--peer-timeout", type=float, default=60.0, help="seconds per peer query before it counts as failed"
    )
    args = parser.parse_args()
    global WORKERS
    WORKERS = args.workers

    queries = [e.query for e in example_queries()]
    workdir = Path(tempfile.mkdtemp(prefix="ris3kg-bench-"))
    results: list[Timing] = []
    try:
        datasets = [("seed", workdir / "seed")]
        build_store(datasets[0][1])
        if args.synthetic:
            started = time.perf_counter()
            triples = synthetic_store(workdir / "synthetic", args.synthetic)
            print(f"synthetic graph: {triples} triples, written in {time.perf_counter() - started:.1f} s")
            datasets.append((f"synthetic {triples // 1000}k", workdir / "synthetic"))
        for name, path in datasets:
            port = free_port()
            server = serve_ris3kg(path, port)
            client = Http(f"http://127.0.0.1:{port}/sparql", 120)
            floor = InProcess(path)
            plain = InProcess(path, entailed=False)
            try:
                # The first round pays for what is done once per query text: the rdflib parse of the
                # checks, and the run in a worker that proves the query (see graph/executor.py).
                first = interleaved({"oxigraph in-process": floor, "ris3kg HTTP, 1st run": client}, queries, 1)
                results.append(dataclasses.replace(first["ris3kg HTTP, 1st run"], dataset=name))
                timed = interleaved(
                    {"oxigraph in-process": floor, "ris3kg HTTP": client, "oxigraph, infer=false": plain},
                    queries,
                    args.rounds,
                )
                results += [dataclasses.replace(t, dataset=name) for t in timed.values()]
            finally:
                client.close()
                stop_tree(server)
            if args.peer and (args.peer_on == "all" or name == "seed"):
                port = free_port()
                peer = serve_peer(path, port, workdir)
                if peer is None:
                    print(f"rdflib-endpoint: not available on {name}")
                    continue
                try:
                    timed = interleaved(
                        {"rdflib-endpoint HTTP": Http(f"http://127.0.0.1:{port}/sparql", args.peer_timeout)},
                        queries,
                        1,
                    )
                    results += [dataclasses.replace(t, dataset=name) for t in timed.values()]
                finally:
                    stop_tree(peer)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\n{len(queries)} example queries, {args.rounds} rounds after a first one (peer: 1 round)\n")
    print(f"{'system':<22} {'dataset':<16} {'p50 ms':>9} {'p95 ms':>9} {'queries/s':>10} {'failed':>7}")
    for r in results:
        print(
            f"{r.system:<22} {r.dataset:<16} {r.p50 * 1000:>9.2f} {r.p95 * 1000:>9.2f} {r.throughput:>10.1f} "
            f"{r.failures:>7}"
        )
    for dataset in dict.fromkeys(r.dataset for r in results):
        floor = next(r for r in results if r.dataset == dataset and r.system == "oxigraph in-process")
        plain = next(r for r in results if r.dataset == dataset and r.system == "oxigraph, infer=false")
        http = next(r for r in results if r.dataset == dataset and r.system == "ris3kg HTTP")
        print(f"{dataset}: ris3kg HTTP p50 / in-process p50 = {http.p50 / floor.p50:.2f}x (target ≤ 1.5x)")
        print(f"{dataset}: with entailment / asserted only = {floor.p50 / plain.p50:.2f}x (in-process p50)")


if __name__ == "__main__":
    main()
