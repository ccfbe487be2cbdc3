"""What the reviewer checks add to validating each packaged strategy.

Prints, per strategy, the median of ``--rounds`` runs of the whole ``validate_graph`` and of the
reviewer checks alone: the 14 SHACL-SPARQL constraints of shapes.ttl's "What a reviewer checks"
section (batched on Oxigraph, including loading the graph into a store of their own, which the
validator does once for every constraint) plus ``shapes/literals.py`` and ``shapes/numbering.py``::

    python tests/benchmarks/bench_review_checks.py --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    """Time validation and the reviewer checks per strategy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from rdflib import Graph

    from ris3kg.graph.catalogue import reference_graph, strategy_parts
    from ris3kg.shapes.literals import check_literals
    from ris3kg.shapes.numbering import check_numbering
    from ris3kg.shapes.sparql_constraints import run_batched, split_shapes
    from ris3kg.shapes.validation import shapes_graph, validate_graph

    review = {
        "figure-share-bounds", "figure-not-negative", "figure-year-after-document", "figure-year-near",
        "strategy-published-in-period", "milestone-in-period", "reports-to-itself", "reporting-loop",
        "part-of-itself", "member-of-itself", "contains-itself", "membership-of-itself", "quote-has-words",
        "quote-not-placeholder",
    }  # fmt: skip
    constraints = [c for c in split_shapes(shapes_graph()).batched if str(c.constraint).rsplit("#", 1)[1] in review]
    reference = reference_graph()
    for part in strategy_parts():
        graph = part.load()
        validate_graph(graph, source="warm-up")
        mixed = Graph()
        mixed += graph
        mixed += reference
        whole, checks = [], []
        for _ in range(args.rounds):
            started = time.perf_counter()
            validate_graph(graph, source=part.key)
            whole.append(time.perf_counter() - started)
            started = time.perf_counter()
            run_batched(mixed, constraints, report=Graph())
            check_literals(graph)
            check_numbering(graph)
            checks.append(time.perf_counter() - started)
        total, extra = statistics.median(whole), statistics.median(checks)
        print(
            f"{part.key:15} {len(graph):5} triples  validate {total:.3f} s  "
            f"reviewer checks {extra:.3f} s ({100 * extra / total:.0f} %)"
        )


if __name__ == "__main__":
    main()
