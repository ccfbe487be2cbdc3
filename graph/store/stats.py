"""Counting what the store holds: per named graph, per class, per strategy."""

from __future__ import annotations

from dataclasses import dataclass

from ris3kg.graph.catalogue import PARTS, PartKind
from ris3kg.graph.store.interface import GraphStore

_CLASS_COUNTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?g ?class ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s a ?class }
  OPTIONAL { ?class rdfs:label ?label FILTER(langMatches(lang(?label), "en")) }
} GROUP BY ?g ?class ?label ORDER BY ?g DESC(?n) ?class
"""

_TRIPLES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


@dataclass(frozen=True)
class ClassCount:
    """How many distinct subjects of one class a graph holds.

    Attributes:
        class_iri: The class.
        label: Its English label, or the IRI's last part.
        count: Number of distinct instances.
    """

    class_iri: str
    label: str
    count: int


@dataclass(frozen=True)
class GraphStats:
    """The size of one named graph.

    Attributes:
        graph: The named graph's IRI.
        key: The dataset part's key, or the IRI for graphs not in the catalogue.
        kind: ``ontology``, ``vocabulary``, ``reference``, ``strategy`` or ``other``.
        triples: Number of triples.
        classes: Instances per class, largest first.
    """

    graph: str
    key: str
    kind: str
    triples: int
    classes: tuple[ClassCount, ...]

    @property
    def entities(self) -> int:
        """Typed subjects, counting a subject once per class it is typed with."""
        return sum(c.count for c in self.classes)

    def count(self, label: str) -> int:
        """Return the number of instances of the class with this English label (0 if none)."""
        return sum(c.count for c in self.classes if c.label == label)


def graph_stats(store: GraphStore) -> tuple[GraphStats, ...]:
    """Return triple and class counts for every named graph of the store, in catalogue order."""
    triples = {row["g"] or "": int(row["n"] or 0) for row in store.select(_TRIPLES).rows}
    classes: dict[str, list[ClassCount]] = {}
    for row in store.select(_CLASS_COUNTS).rows:
        graph, class_iri = row["g"] or "", row["class"] or ""
        label = row["label"] or class_iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        classes.setdefault(graph, []).append(ClassCount(class_iri, label, int(row["n"] or 0)))
    known = {str(part.graph): part for part in PARTS}
    order = [str(part.graph) for part in PARTS] + sorted(set(triples) - set(known))
    result = []
    for graph in order:
        if graph not in triples:
            continue
        part = known.get(graph)
        result.append(
            GraphStats(
                graph=graph,
                key=part.key if part else graph,
                kind=part.kind.value if part else "other",
                triples=triples[graph],
                classes=tuple(classes.get(graph, ())),
            )
        )
    return tuple(result)


def strategy_stats(store: GraphStore) -> tuple[GraphStats, ...]:
    """Return the statistics of the strategy graphs only."""
    return tuple(s for s in graph_stats(store) if s.kind == PartKind.STRATEGY.value)
