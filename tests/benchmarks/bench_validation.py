"""How long validating each packaged strategy takes (in-process ``validate_graph``), and a build.

Prints, per strategy, the median over ``--rounds`` runs after one warm-up, then the time of
``build_store`` into a temporary folder (median of ``--builds``). To compare two versions of the
code, run it alternately with each on ``PYTHONPATH`` (a tree of symlinks ``ris3kg/{ontology,
graph,shapes,api}`` pointing at the other checkout), e.g.::

    python tests/benchmarks/bench_validation.py --rounds 5
    PYTHONPATH=/tmp/old-tree python tests/benchmarks/bench_validation.py --rounds 5

Run it from outside the checkout folder when comparing, so that the editable install of this
checkout does not shadow the other version.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    """Time validation per strategy and the build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--builds", type=int, default=3)
    args = parser.parse_args()

    import ris3kg.graph
    from ris3kg.graph.build import build_store
    from ris3kg.graph.catalogue import strategy_parts
    from ris3kg.shapes.validation import validate_graph

    print(f"code: {Path(ris3kg.graph.__file__).resolve().parent.parent}")
    started = time.perf_counter()
    graphs = {part.key: part.load() for part in strategy_parts()}
    validate_graph(graphs["blekinge"], source="warm-up")
    print(f"first validation (loads shapes and reference): {time.perf_counter() - started:.2f} s")
    for key, graph in graphs.items():
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            report = validate_graph(graph, source=key)
            times.append(time.perf_counter() - start)
        print(f"validate {key:<16} median {statistics.median(times):.3f} s  (conforms: {report.conforms})")
    builds = []
    for _ in range(args.builds):
        with tempfile.TemporaryDirectory(prefix="ris3kg-bench-") as folder:
            start = time.perf_counter()
            result = build_store(Path(folder) / "store")
            builds.append(time.perf_counter() - start)
    print(f"build_store median {statistics.median(builds):.2f} s ({result.triples} triples)")


if __name__ == "__main__":
    main()
