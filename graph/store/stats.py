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


_REGIONS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ris3: <https://w3id.org/ris3kg/ontology#>
SELECT ?version ?country (COUNT(DISTINCT ?r) AS ?n) WHERE {
  ?r a ris3:Region ; skos:notation ?code ; skos:inScheme ?scheme .
  FILTER(STRSTARTS(STR(?scheme), "http://data.europa.eu/nuts/scheme/"))
  BIND(STRAFTER(STR(?scheme), "http://data.europa.eu/nuts/scheme/") AS ?version)
  BIND(SUBSTR(STR(?code), 1, 2) AS ?country)
} GROUP BY ?version ?country ORDER BY ?version ?country
"""

_CODES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ris3: <https://w3id.org/ris3kg/ontology#>
SELECT ?list ?level (COUNT(DISTINCT ?c) AS ?n) WHERE {
  { ?c a dcterms:LinguisticSystem BIND("languages" AS ?list) }
  UNION { ?c skos:inScheme <https://w3id.org/ris3kg/id/vocab/Currencies> BIND("currencies" AS ?list) }
  UNION { ?c skos:inScheme <http://data.europa.eu/ux2/nace2/nace2> ; ris3:naceLevel ?level
          BIND("NACE Rev. 2" AS ?list) }
  UNION { ?c skos:inScheme <http://data.europa.eu/ux2/nace2.1/nace2.1> ; ris3:naceLevel ?level
          BIND("NACE Rev. 2.1" AS ?list) }
} GROUP BY ?list ?level ORDER BY ?list ?level
"""

NACE_LEVELS = {1: "sections", 2: "divisions", 3: "groups", 4: "classes"}


@dataclass(frozen=True)
class ReferenceStats:
    """What the reference data covers.

    Attributes:
        regions: For each NUTS version, the number of region codes per country code.
        codes: For each code list (languages, currencies, NACE Rev. 2, NACE Rev. 2.1), the number
            of codes per level (level 0 for lists without levels).
    """

    regions: dict[str, dict[str, int]]
    codes: dict[str, dict[int, int]]

    def region_total(self, version: str) -> int:
        """All region codes of one NUTS version."""
        return sum(self.regions.get(version, {}).values())

    def code_total(self, name: str) -> int:
        """All codes of one code list."""
        return sum(self.codes.get(name, {}).values())


def reference_stats(store: GraphStore) -> ReferenceStats:
    """Count the regions per NUTS version and country, and the codes of each code list."""
    regions: dict[str, dict[str, int]] = {}
    for row in store.select(_REGIONS).rows:
        regions.setdefault(row["version"] or "", {})[row["country"] or ""] = int(row["n"] or 0)
    codes: dict[str, dict[int, int]] = {}
    for row in store.select(_CODES).rows:
        codes.setdefault(row["list"] or "", {})[int(row["level"] or 0)] = int(row["n"] or 0)
    return ReferenceStats(regions, codes)
