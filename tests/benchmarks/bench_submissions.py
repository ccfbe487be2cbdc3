"""Benchmark: validating submissions end to end through the API, against a bare pySHACL call.

For a typical submission (one region's strategy, 2-5k triples: the packaged strategies) and a
large one (about 50k triples: Norra Mellansverige's data repeated under one strategy), it prints
the time to answer ``POST /api/submissions`` over real HTTP (waitress, the app on the packaged
store: reading, the shapes, the checks against the graph, the JSON report), beside two bare
``pyshacl.validate`` calls on the same, already parsed graph with the ontology, vocabularies and
regions mixed in: with ris3kg's full shapes (what anyone running pySHACL on the shapes waits for),
and with the shapes ris3kg hands pySHACL itself (the SPARQL-based constraints taken out, as
ris3kg runs those once per shape on Oxigraph).

    python tests/benchmarks/bench_submissions.py [--rounds 3] [--large-triples 50000] [--skip-full-large]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import waitress
from rdflib import BNode, Graph, URIRef

from ris3kg.api.web.app import create_app
from ris3kg.api.web.state import state
from ris3kg.graph.build import build_store
from ris3kg.graph.catalogue import part_by_key, reference_graph
from ris3kg.ontology.namespaces import ID_BASE
from ris3kg.shapes.sparql_constraints import split_shapes
from ris3kg.shapes.validation import shapes_graph


@dataclass(frozen=True)
class Case:
    """One submission to time."""

    name: str
    graph: Graph


def large_submission(target: int) -> Graph:
    """Norra Mellansverige's data repeated, every element under one strategy, until ``target`` triples."""
    source = part_by_key("nms").load()
    namespace = f"{ID_BASE}norra-mellansverige/"
    strategy = URIRef(namespace + "strategy")
    keep = {strategy, URIRef(namespace + "document")}
    graph = Graph()
    copy = 0
    while len(graph) < target:
        copy += 1
        bnodes: dict[BNode, BNode] = {}

        def rename(node: object, n: int = copy, bnodes: dict[BNode, BNode] = bnodes) -> object:
            if isinstance(node, URIRef) and str(node).startswith(namespace) and node not in keep:
                return URIRef(f"{node}-copy{n}") if n > 1 else node
            if isinstance(node, BNode):
                return bnodes.setdefault(node, BNode())
            return node

        for s, p, o in source:
            if copy > 1 and s in keep:
                continue
            graph.add((rename(s), p, rename(o)))  # type: ignore[arg-type]
    return graph


def bare(graph: Graph, reference: Graph, shapes: Graph) -> float:
    mixed = Graph()
    mixed += graph
    mixed += reference
    started = time.perf_counter()
    pyshacl.validate(mixed, shacl_graph=shapes, inference="none", allow_warnings=True)
    return time.perf_counter() - started


def over_http(port: int, body: bytes) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request(
        "POST",
        "/api/submissions?name=bench.ttl",
        body=body,
        headers={"Content-Type": "text/turtle", "Accept": "application/json"},
    )
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"the API answered {response.status}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="Timed runs per case (the median is shown).")
    parser.add_argument("--large-triples", type=int, default=50_000, help="Size of the large submission.")
    parser.add_argument(
        "--skip-full-large", action="store_true", help="Skip bare pySHACL with the full shapes on the large one."
    )
    args = parser.parse_args()

    reference, shapes = reference_graph(), shapes_graph()
    core = split_shapes(shapes).core
    cases = [Case(f"typical: {key}", part_by_key(key).load()) for key in ("norrbotten", "vasternorrland", "nms")]
    cases.append(Case(f"large: nms x{args.large_triples // 3000}", large_submission(args.large_triples)))

    with tempfile.TemporaryDirectory(prefix="ris3kg-bench-") as folder:
        store = Path(folder) / "store"
        build_store(store)
        app = create_app({"STORE": store, "QUERY_WORKERS": 1, "SUBMISSION_MAX_BYTES": 256 * 1024 * 1024})
        server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
        threading.Thread(target=server.run, daemon=True).start()
        port = int(server.effective_port)  # type: ignore[attr-defined]
        header = (
            f"{'submission':<24} {'triples':>8} {'API (s)':>9} {'pySHACL full (s)':>17} {'pySHACL core (s)':>17} "
            f"{'API/full':>9} {'API/core':>9}"
        )
        print(header)
        print("-" * len(header))
        for case in cases:
            body = case.graph.serialize(format="turtle", encoding="utf-8")
            over_http(port, body)  # warm-up: caches of shapes and reference
            api = statistics.median(over_http(port, body) for _ in range(args.rounds))
            rounds_bare = 1 if case.name.startswith("large") else args.rounds
            skip_full = args.skip_full_large and case.name.startswith("large")
            full = (
                None
                if skip_full
                else statistics.median(bare(case.graph, reference, shapes) for _ in range(rounds_bare))
            )
            core_time = statistics.median(bare(case.graph, reference, core) for _ in range(rounds_bare))
            full_text = f"{full:17.2f}" if full is not None else f"{'skipped':>17}"
            ratio_full = f"{api / full:9.2f}" if full is not None else f"{'-':>9}"
            print(
                f"{case.name:<24} {len(case.graph):>8} {api:9.2f} {full_text} {core_time:17.2f} {ratio_full} "
                f"{api / core_time:9.2f}"
            )
        server.close()
        state(app).close()


if __name__ == "__main__":
    main()
