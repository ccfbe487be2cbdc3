"""Browsing the graph by class: which classes have instances, and each class's instances.

:func:`class_index` reads the classes the ontology declares (``owl:Class`` in the ontology's own
namespace and the reused ones: ``org:Membership``, ``skos:Concept``, ...), their labels, comments and
superclasses, and counts each one's direct instances (what was stated, no entailment); it sorts them
into groups (strategy content, actors, places, funding, sources, vocabularies) by their place in the
hierarchy. :func:`class_instances` lists the instances of one class with their English label, a
label in another language where there is one, and the named graphs that state their type.

As in :mod:`ris3kg.graph.linked_data.entity`, every query is fixed text: the class is bound to the
variable ``?this`` when the query runs (SEP-0007 substitution), and every list is cut by a LIMIT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ris3kg.graph.store.interface import GraphStore, Row
from ris3kg.ontology.namespaces import PREFIXES, local_name, prefixed_name

RIS3 = PREFIXES["ris3"]
"""The ontology's namespace: its classes are named by their local name (``Bottleneck``)."""

_PREFIXES = "\n".join(f"PREFIX {name}: <{PREFIXES[name]}>" for name in ("rdf", "rdfs", "owl", "skos"))

GROUPS: tuple[tuple[str, str], ...] = (
    ("content", "Strategies and what they say"),
    ("actors", "Actors"),
    ("places", "Places"),
    ("funding", "Funding"),
    ("sources", "Sources"),
    ("vocabularies", "Themes and vocabularies"),
    ("other", "Other classes"),
)
"""The groups of the browse page, in order: (key, heading)."""

# A class belongs to the group of the first of these classes it is (or is a subclass of).
_GROUP_ROOTS: tuple[tuple[str, str], ...] = (
    (RIS3 + "Strategy", "content"),
    (RIS3 + "Study", "content"),
    (RIS3 + "StrategyElement", "content"),
    (RIS3 + "Actor", "actors"),
    (PREFIXES["org"] + "Organization", "actors"),
    (PREFIXES["org"] + "Membership", "actors"),
    (PREFIXES["org"] + "Role", "actors"),
    (PREFIXES["foaf"] + "Agent", "actors"),
    (PREFIXES["prov"] + "Agent", "actors"),
    (RIS3 + "Region", "places"),
    (RIS3 + "RegionChange", "places"),
    (PREFIXES["dcterms"] + "Location", "places"),
    (PREFIXES["org"] + "Site", "places"),
    (RIS3 + "FundingInstrument", "funding"),
    (RIS3 + "Project", "funding"),
    (RIS3 + "SourceDocument", "sources"),
    (RIS3 + "Passage", "sources"),
    (PREFIXES["foaf"] + "Document", "sources"),
    (RIS3 + "SubmissionVersion", "sources"),
    (PREFIXES["skos"] + "Concept", "vocabularies"),
    (PREFIXES["skos"] + "ConceptScheme", "vocabularies"),
    (PREFIXES["dcterms"] + "LinguisticSystem", "vocabularies"),
    (PREFIXES["dcterms"] + "PeriodOfTime", "vocabularies"),
)


@dataclass(frozen=True)
class Text:
    """A literal with its language.

    Attributes:
        text: The text.
        language: Its language tag; empty for an untagged literal.
    """

    text: str
    language: str = ""


@dataclass(frozen=True)
class ClassInfo:
    """A class of the ontology, as the browse pages show it.

    Attributes:
        iri: The class.
        name: Its name in addresses: the local name for a ris3kg class (``Bottleneck``), a prefixed
            name for a reused one (``org:Membership``).
        label: Its English label, else its name.
        labels: Its labels in other languages.
        comment: Its English comment, where it has one.
        group: The key of its group in :data:`GROUPS`.
        count: How many subjects are stated to be of this class (direct instances).
        superclasses: The names of its direct superclasses that are classes of the index.
        subclasses: The names of its direct subclasses.
    """

    iri: str
    name: str
    label: str
    labels: tuple[Text, ...]
    comment: str | None
    group: str
    count: int
    superclasses: tuple[str, ...] = ()
    subclasses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassIndex:
    """The classes of the ontology.

    Attributes:
        classes: Every declared class, by name.
    """

    classes: tuple[ClassInfo, ...]

    def find(self, name: str) -> ClassInfo | None:
        """The class with this name (``Bottleneck``, ``org:Membership``), or None."""
        for info in self.classes:
            if info.name == name:
                return info
        return None

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the classes, sorted."""
        return tuple(sorted(info.name for info in self.classes))

    def groups(self) -> tuple[tuple[str, tuple[ClassInfo, ...]], ...]:
        """The classes with instances, as (heading, classes) in the order of :data:`GROUPS`; empty groups left out."""
        found = []
        for key, heading in GROUPS:
            members = tuple(
                sorted(
                    (c for c in self.classes if c.group == key and c.count > 0),
                    key=lambda c: c.label.casefold(),
                )
            )
            if members:
                found.append((heading, members))
        return tuple(found)


@dataclass(frozen=True)
class Instance:
    """An instance of a class.

    Attributes:
        iri: Its IRI.
        label: Its English label, else another one, else the end of its IRI.
        original: Its label in another language (the source's), where it has one.
        graphs: The named graphs that state its type, sorted.
    """

    iri: str
    label: str
    original: Text | None
    graphs: tuple[str, ...]

    def matches(self, text: str) -> bool:
        """Whether ``text`` (case-folded by the caller or not) is part of one of its labels, ignoring case."""
        needle = text.casefold()
        return needle in self.label.casefold() or (
            self.original is not None and needle in self.original.text.casefold()
        )


@dataclass(frozen=True)
class Instances:
    """The instances of a class, as far as the limit.

    Attributes:
        items: The instances, sorted by label.
        truncated: Whether the limit cut the list.
    """

    items: tuple[Instance, ...]
    truncated: bool


def class_name(iri: str) -> str:
    """The name of a class in addresses: its local name in ris3kg's namespace, else a prefixed name."""
    return iri[len(RIS3) :] if iri.startswith(RIS3) else prefixed_name(iri)


# --------------------------------------------------------------------------- the queries

_CLASSES = f"""{_PREFIXES}
    SELECT ?class (MIN(?en) AS ?label) (MIN(?comment_en) AS ?comment)
           (GROUP_CONCAT(DISTINCT CONCAT(LANG(?other), "|", STR(?other)); separator="\\u001f") AS ?others)
           (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers)
    WHERE {{ {{ SELECT DISTINCT ?class WHERE {{ ?class a owl:Class FILTER(isIRI(?class)) }} LIMIT $limit }}
             OPTIONAL {{ ?class rdfs:label ?en FILTER(lang(?en) = "en") }}
             OPTIONAL {{ ?class rdfs:label ?other FILTER(lang(?other) != "en" && lang(?other) != "") }}
             OPTIONAL {{ ?class rdfs:comment ?comment_en FILTER(lang(?comment_en) = "en") }}
             OPTIONAL {{ ?class rdfs:subClassOf ?super FILTER(isIRI(?super)) }} }}
    GROUP BY ?class"""
# One pass over the type statements: cached once per generation by the server. Only the subjects a
# class page can list and link (IRIs) count: passages and other blank nodes are reached from their elements.
_COUNTS = f"""{_PREFIXES}
    SELECT ?class (COUNT(*) AS ?n) WHERE {{ ?s a ?class FILTER(isIRI(?s)) }} GROUP BY ?class LIMIT $limit"""
_INSTANCES = f"""{_PREFIXES}
    SELECT ?this ?s (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs) (MIN(?en) AS ?label_en)
           (MIN(?other) AS ?label_other) (MIN(?pref) AS ?label_pref) (MIN(STR(?any)) AS ?label_any)
    WHERE {{ {{ SELECT DISTINCT ?this ?s ?g WHERE {{ GRAPH ?g {{ ?s a ?this }} FILTER(isIRI(?s)) }} LIMIT $limit }}
             OPTIONAL {{ ?s rdfs:label ?en FILTER(lang(?en) = "en") }}
             OPTIONAL {{ ?s rdfs:label ?o FILTER(lang(?o) != "en") BIND(CONCAT(LANG(?o), "|", STR(?o)) AS ?other) }}
             OPTIONAL {{ ?s skos:prefLabel ?pref FILTER(lang(?pref) = "en") }}
             OPTIONAL {{ ?s skos:notation ?any }} }}
    GROUP BY ?this ?s"""


def _run(store: GraphStore, query: str, limit: int, bindings: dict[str, str] | None = None) -> tuple[Row, ...]:
    return store.select(query.replace("$limit", str(int(limit))), bindings=bindings).rows


def tagged(value: str | None) -> Text | None:
    """Read a ``lang|text`` pair made by the queries (``CONCAT(LANG(?l), "|", STR(?l))``)."""
    if not value:
        return None
    language, _, text = value.partition("|")
    return Text(text, language)


def _group(iri: str, supers: dict[str, set[str]]) -> str:
    ancestors: set[str] = set()
    todo = [iri]
    while todo:
        current = todo.pop()
        if current in ancestors:
            continue
        ancestors.add(current)
        todo.extend(supers.get(current, ()))
    for root, group in _GROUP_ROOTS:
        if root in ancestors:
            return group
    return "other"


def class_index(store: GraphStore, *, limit: int = 1000) -> ClassIndex:
    """Return the classes the ontology declares, with their counts of direct instances.

    Args:
        store: The store (the server passes its bounded store).
        limit: The most classes read.
    """
    rows = _run(store, _CLASSES, limit)
    counts = {row["class"]: int(row["n"] or 0) for row in _run(store, _COUNTS, 100_000)}
    supers = {row["class"] or "": set((row.get("supers") or "").split()) for row in rows}
    declared = set(supers)
    subs: dict[str, set[str]] = {}
    for iri, parents in supers.items():
        for parent in parents:
            subs.setdefault(parent, set()).add(iri)
    classes = []
    for row in rows:
        iri = row["class"] or ""
        others = (tagged(pair) for pair in (row.get("others") or "").split("\u001f"))
        classes.append(
            ClassInfo(
                iri=iri,
                name=class_name(iri),
                label=row.get("label") or class_name(iri),
                labels=tuple(sorted((t for t in others if t is not None), key=lambda t: (t.language, t.text))),
                comment=row.get("comment"),
                group=_group(iri, supers),
                count=counts.get(iri, 0),
                superclasses=tuple(sorted(class_name(s) for s in supers[iri] if s in declared)),
                subclasses=tuple(sorted(class_name(s) for s in subs.get(iri, ()))),
            )
        )
    return ClassIndex(tuple(sorted(classes, key=lambda c: c.name)))


def _instance(row: Row) -> Instance:
    iri = row["s"] or ""
    other = tagged(row.get("label_other"))
    label = row.get("label_en") or row.get("label_pref") or (other.text if other else None)
    if label is None:
        label = row.get("label_any") or local_name(iri)
    return Instance(iri, label, other, tuple(sorted(set((row.get("graphs") or "").split()))))


def class_instances(store: GraphStore, iri: str, *, limit: int = 5000) -> Instances:
    """Return the direct instances of a class, sorted by label.

    Args:
        store: The store.
        iri: The class (a valid IRI; only ever bound as a term).
        limit: The most (instance, graph) pairs read; past it the list is cut and says so.
    """
    rows = _run(store, _INSTANCES, limit, {"this": iri})
    # The LIMIT counts (instance, graph) pairs: at the limit, the list is cut somewhere.
    pairs = sum(len((row.get("graphs") or "").split()) or 1 for row in rows)
    items = sorted((_instance(row) for row in rows), key=lambda i: (i.label.casefold(), i.iri))
    return Instances(tuple(items), pairs >= limit)


def filter_instances(
    items: Iterable[Instance], *, text: str | None = None, graphs: frozenset[str] | None = None
) -> tuple[Instance, ...]:
    """The instances whose labels contain ``text`` (ignoring case) and that one of ``graphs`` states."""
    return tuple(
        item
        for item in items
        if (not text or item.matches(text)) and (graphs is None or not graphs.isdisjoint(item.graphs))
    )
