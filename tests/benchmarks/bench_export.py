"""Benchmark: laying out, drawing and exporting networks as GEXF (ris3kg's writer beside networkx's ``write_gexf``).

Run from the checkout (prints a table; nothing is asserted):

    .venv/bin/python tests/benchmarks/bench_export.py [--synthetic 1000000] [--nodes 100000] [--edges 400000]

Cases: every view of the seed graph; the largest view of a synthetic store of about N triples
(``synthetic_store`` of ``bench_sparql.py``: the seed strategies copied under fresh IRIs); a random
network of the given size with the views' attributes. Each (case, writer) runs in a fresh process:
"view" is making the network as an export does (for ris3kg: ``draw_view``, the view's queries and
its drawing; for networkx: the view undrawn; for the random network: making it, and drawing it),
"layout" the part of it spent in the layout (igraph's Fruchterman-Reingold), "write" the GEXF
writing alone, "total" view and write; memory is the process's peak resident set size, and "+MB"
its growth while writing. Targets: each seed view under 1 s in total, a laid-out 100,000-node
network under 30 s.
networkx gets the same nodes, edges and attributes, lists joined into strings (its writer cannot
write lists), and writes GEXF 1.3 (undrawn: it has no layout of its own in the export).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from ris3kg.graph.build import build_store
from ris3kg.graph.export import drawing
from ris3kg.graph.export.gexf import write_gexf
from ris3kg.graph.export.network import Edge, Network, Node, with_degrees
from ris3kg.graph.export.options import ViewOptions
from ris3kg.graph.export.tabular import flat
from ris3kg.graph.export.views import NODE_ATTRIBUTES, build_view, draw_view, view_names
from ris3kg.graph.store.oxigraph import OxigraphStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sparql import synthetic_store


def rss_mb() -> float:
    """The process's peak resident set size in MB (``VmHWM``: unlike ``ru_maxrss``, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def random_network(nodes: int, edges: int, seed: int = 1) -> Network:
    rng = random.Random(seed)
    kinds = ("region", "theme", "smart specialisation area", "university", "company")
    ids = [f"https://w3id.org/ris3kg/id/bench/node-{i}" for i in range(nodes)]
    node_list = tuple(
        Node(
            node_id,
            f"Node {i} & <co>",
            kinds[i % len(kinds)],
            {"region": (f"SE{i % 97}",), "strategy": ("blekinge", "nms")[: 1 + i % 2], "theme": ("energy",)},
        )
        for i, node_id in enumerate(ids)
    )
    edge_list = tuple(Edge(rng.choice(ids), rng.choice(ids), "linked", float(1 + i % 5)) for i in range(edges))
    return with_degrees(Network("random", "random benchmark network", True, node_list, edge_list, NODE_ATTRIBUTES))


def largest_view(store_path: Path) -> str:
    """The name of the store's largest view (nodes and edges), found before the clock starts."""
    store = OxigraphStore.open(store_path)
    networks = {name: build_view(store, name) for name in view_names()}
    return max(networks, key=lambda n: len(networks[n].nodes) + len(networks[n].edges))


def to_networkx(network: Network) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph() if network.directed else nx.MultiGraph()
    for node in network.nodes:
        values = {key: flat(value) for key, value in node.values.items()}
        graph.add_node(node.id, label=node.label, kind=node.kind, **values)
    for edge in network.edges:
        graph.add_edge(edge.source, edge.target, relation=edge.relation, weight=edge.weight)
    return graph


class Timed:
    """Wraps the drawing's layout function to add up the seconds spent in it."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._layout = drawing.positions

    def __call__(self, *args: object, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return self._layout(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            self.seconds += time.perf_counter() - started


def child(case: str, writer: str, store_path: str, nodes: int, edges: int) -> None:
    """Run one measurement and print it as JSON: the drawn view (of which the layout), then the write."""
    out = Path(tempfile.mkdtemp()) / "out.gexf"
    layout = Timed()
    drawing.positions = layout  # type: ignore[assignment]
    if case.startswith("view:"):
        name = case.removeprefix("view:")
    elif case == "largest":
        name = largest_view(Path(store_path))
    else:
        name = "random"
    started = time.perf_counter()
    if name == "random":
        network = random_network(nodes, edges)
        if writer == "ris3kg":
            network = drawing.draw(network, ViewOptions(), defaults=drawing.ViewDefaults())
    else:
        store = OxigraphStore.open(Path(store_path))
        network = draw_view(store, name) if writer == "ris3kg" else build_view(store, name)
    build = time.perf_counter() - started
    graph = to_networkx(network) if writer == "networkx" else None
    base = rss_mb()
    started = time.perf_counter()
    if graph is not None:
        nx.write_gexf(graph, out, version="1.3")
    else:
        with out.open("wb") as sink:
            write_gexf(network, sink)
    seconds = time.perf_counter() - started
    peak = rss_mb()
    print(
        json.dumps(
            {
                "view": name,
                "nodes": len(network.nodes),
                "edges": len(network.edges),
                "build": build,
                "layout": layout.seconds,
                "seconds": seconds,
                "peak_mb": peak,
                "extra_mb": peak - base,
                "bytes": out.stat().st_size,
            }
        )
    )


def measure(case: str, writer: str, store_path: Path | None, nodes: int, edges: int) -> dict[str, object]:
    args = [sys.executable, __file__, "--child", case, writer, str(store_path or ""), str(nodes), str(edges)]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="Triples in the synthetic store.")
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=400_000)
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, writer, store_path, nodes, edges = args.child
        child(case, writer, store_path, int(nodes), int(edges))
        return
    with tempfile.TemporaryDirectory() as folder:
        seed = build_store(Path(folder) / "seed").path
        synthetic = Path(folder) / "synthetic"
        triples = synthetic_store(synthetic, args.synthetic)
        cases = [(f"seed: {name}", f"view:{name}", seed) for name in view_names()]
        cases += [
            (f"synthetic ({triples:,} triples)", "largest", synthetic),
            ("random network", "random", None),
        ]
        header = (
            f"{'case':<32} {'view':<18} {'nodes':>8} {'edges':>8}  {'writer':<9} {'view s':>7} {'layout s':>8} "
            f"{'write s':>7} {'total s':>7}"
        )
        print(f"{header} {'peak MB':>8} {'+MB':>7}")
        for label, case, path in cases:
            writers = ("ris3kg",) if case.startswith("view:") else ("ris3kg", "networkx")
            for writer in writers:  # interleaved: each case with each writer in turn
                r = measure(case, writer, path, args.nodes, args.edges)
                total = float(r["build"]) + float(r["seconds"])  # type: ignore[arg-type]
                print(
                    f"{label:<32} {r['view']!s:<18} {r['nodes']:>8} {r['edges']:>8}  {writer:<9} "
                    f"{r['build']:>7.2f} {r['layout']:>8.2f} {r['seconds']:>7.2f} {total:>7.2f} "
                    f"{r['peak_mb']:>8.0f} {r['extra_mb']:>7.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
