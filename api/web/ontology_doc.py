"""The ontology page's content: the terms with their labels, hierarchy, properties and instance counts.

Read from the store's ontology graph with fixed queries (no client value enters them), once per
store generation (the page caches it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib.namespace import OWL

from ris3kg.graph.sparql.bounded import BoundedStore
from ris3kg.ontology.namespaces import GRAPH, ONTOLOGY_IRI

_ONTOLOGY_GRAPH = f"<{GRAPH.ontology}>"
_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
KINDS = (
    (str(OWL.Class), "classes", "Classes"),
    (str(OWL.ObjectProperty), "object-properties", "Object properties"),
    (str(OWL.DatatypeProperty), "datatype-properties", "Datatype properties"),
)
"""The kinds of term the page lists, in order: the kind's IRI, the section's anchor and its heading."""


@dataclass(frozen=True)
class Term:
    """One class or property of the ontology, as the page shows it.

    Attributes:
        iri: The term's IRI.
        name: Its local name (the anchor on the page).
        kind: The IRI of its kind (``owl:Class``, ``owl:ObjectProperty``, ``owl:DatatypeProperty``).
        label: Its English label.
        comment: Its English comment.
        labels: Its labels in every language, as ``(language, label)``, sorted by language.
        parents: Its direct superclasses or superproperties (IRIs).
        children: The ontology's terms that are directly below it.
        domains: The classes of its domain (a union's members), for a property.
        ranges: The classes or datatypes of its range (a union's members), for a property.
        outgoing: For a class, the properties whose domain it is.
        incoming: For a class, the object properties whose range it is.
        direct: For a class, how many things are stated to be of it.
        instances: For a class, how many things are of it or of one of its subclasses.
    """

    iri: str
    name: str
    kind: str
    label: str
    comment: str
    labels: tuple[tuple[str, str], ...]
    parents: tuple[str, ...]
    children: tuple[str, ...]
    domains: tuple[str, ...]
    ranges: tuple[str, ...]
    outgoing: tuple[str, ...]
    incoming: tuple[str, ...]
    direct: int
    instances: int


@dataclass(frozen=True)
class Section:
    """The terms of one kind: the page's section and its entry in the table of contents.

    Attributes:
        anchor: The section's anchor.
        heading: Its heading.
        terms: Its terms, sorted by name.
    """

    anchor: str
    heading: str
    terms: tuple[Term, ...]


def ontology_sections(store: BoundedStore) -> tuple[Section, ...]:
    """Read the ontology's classes and properties, with everything the page shows of each.

    Args:
        store: The store, queried over what was asserted.

    Raises:
        QueryError: A query failed or passed a limit.
    """
    own = f'FILTER(STRSTARTS(STR(?term), "{ONTOLOGY_IRI}#"))'
    terms = store.select(
        f"""{_PREFIXES}SELECT ?term ?kind ?label ?comment WHERE {{ GRAPH {_ONTOLOGY_GRAPH} {{
            ?term a ?kind . {own}
            FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty))
            OPTIONAL {{ ?term rdfs:label ?label FILTER(lang(?label) = "en") }}
            OPTIONAL {{ ?term rdfs:comment ?comment FILTER(lang(?comment) = "en") }} }} }}"""
    ).rows
    labels = store.select(
        f"""{_PREFIXES}SELECT ?term ?label (lang(?label) AS ?lang) WHERE {{ GRAPH {_ONTOLOGY_GRAPH} {{
            ?term rdfs:label ?label . {own} }} }}"""
    ).rows
    parents = store.select(
        f"""{_PREFIXES}SELECT ?term ?parent WHERE {{ GRAPH {_ONTOLOGY_GRAPH} {{
            ?term rdfs:subClassOf|rdfs:subPropertyOf ?parent . {own} FILTER(isIRI(?parent)) }} }}"""
    ).rows
    axes = store.select(
        f"""{_PREFIXES}SELECT ?term ?axis ?class WHERE {{ GRAPH {_ONTOLOGY_GRAPH} {{
            VALUES ?axis {{ rdfs:domain rdfs:range }}
            ?term ?axis ?value . {own}
            ?value (owl:unionOf/rdf:rest*/rdf:first)? ?class . FILTER(isIRI(?class)) }} }}"""
    ).rows
    counts = store.select(
        f"""{_PREFIXES}SELECT ?class (COUNT(DISTINCT ?thing) AS ?n) WHERE {{
            ?thing a ?class . FILTER(STRSTARTS(STR(?class), "{ONTOLOGY_IRI}#")) }} GROUP BY ?class"""
    ).rows
    rolled = store.select(
        f"""{_PREFIXES}SELECT ?class (COUNT(DISTINCT ?thing) AS ?n) WHERE {{
            GRAPH {_ONTOLOGY_GRAPH} {{ ?sub rdfs:subClassOf* ?class . FILTER(isIRI(?sub)) }}
            FILTER(STRSTARTS(STR(?class), "{ONTOLOGY_IRI}#"))
            ?thing a ?sub }} GROUP BY ?class"""
    ).rows

    labels_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in labels:
        labels_of[str(row["term"])].append((row["lang"] or "", str(row["label"])))
    parents_of: dict[str, set[str]] = defaultdict(set)
    children_of: dict[str, set[str]] = defaultdict(set)
    for row in parents:
        parents_of[str(row["term"])].add(str(row["parent"]))
        children_of[str(row["parent"])].add(str(row["term"]))
    domains_of: dict[str, set[str]] = defaultdict(set)
    ranges_of: dict[str, set[str]] = defaultdict(set)
    outgoing: dict[str, set[str]] = defaultdict(set)
    incoming: dict[str, set[str]] = defaultdict(set)
    for row in axes:
        term, cls = str(row["term"]), str(row["class"])
        if str(row["axis"]).endswith("#domain"):
            domains_of[term].add(cls)
            outgoing[cls].add(term)
        else:
            ranges_of[term].add(cls)
            incoming[cls].add(term)
    direct = {str(row["class"]): int(str(row["n"])) for row in counts}
    instances = {str(row["class"]): int(str(row["n"])) for row in rolled}

    by_kind: dict[str, list[Term]] = defaultdict(list)
    seen: set[str] = set()
    for row in terms:
        iri = str(row["term"])
        if iri in seen:
            continue
        seen.add(iri)
        name = iri.split("#", 1)[1]
        by_kind[str(row["kind"])].append(
            Term(
                iri=iri,
                name=name,
                kind=str(row["kind"]),
                label=str(row["label"] or name),
                comment=str(row["comment"] or ""),
                labels=tuple(sorted(labels_of[iri])),
                parents=tuple(sorted(parents_of[iri])),
                children=tuple(sorted(child for child in children_of[iri] if child.startswith(ONTOLOGY_IRI))),
                domains=tuple(sorted(domains_of[iri])),
                ranges=tuple(sorted(ranges_of[iri])),
                outgoing=tuple(sorted(outgoing[iri])),
                incoming=tuple(sorted(incoming[iri])),
                direct=direct.get(iri, 0),
                instances=instances.get(iri, 0),
            )
        )
    return tuple(
        Section(anchor=anchor, heading=heading, terms=tuple(sorted(by_kind[kind], key=lambda t: t.name.lower())))
        for kind, anchor, heading in KINDS
    )
