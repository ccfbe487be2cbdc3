"""What the graph says about one entity: for linked-data pages and their RDF."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ris3kg.graph.store.interface import GraphStore
from ris3kg.ontology.namespaces import PREFIXES, prefixed_name

_LABEL = """
OPTIONAL {{ {var} <http://www.w3.org/2000/01/rdf-schema#label> ?{name}_en FILTER(lang(?{name}_en) = "en") }}
OPTIONAL {{ {var} <http://www.w3.org/2000/01/rdf-schema#label> ?{name}_any }}
"""


@dataclass(frozen=True)
class Link:
    """A property and its value, with names for display.

    Attributes:
        property: The property IRI.
        property_label: Its English label, or a prefixed name.
        value: The IRI, blank-node id or literal text.
        value_label: A name for an IRI value when the graph has one.
        is_iri: Whether the value is an IRI.
        language: The literal's language tag.
        graph: The named graph the statement is in.
    """

    property: str
    property_label: str
    value: str
    value_label: str | None
    is_iri: bool
    language: str | None
    graph: str


@dataclass(frozen=True)
class Quote:
    """A passage an entity rests on.

    Attributes:
        text: The verbatim passage.
        language: Its language tag.
        document: The source document's IRI.
        file: The source file's name.
    """

    text: str
    language: str | None
    document: str
    file: str | None


@dataclass(frozen=True)
class EntityView:
    """Everything an entity page shows.

    Attributes:
        iri: The entity.
        labels: Its labels as (language, text), English first.
        outgoing: Its properties and values (provenance excluded).
        incoming: Statements that point to it.
        quotes: The passages it rests on.
    """

    iri: str
    labels: tuple[tuple[str, str], ...]
    outgoing: tuple[Link, ...]
    incoming: tuple[Link, ...]
    quotes: tuple[Quote, ...]

    @property
    def title(self) -> str:
        """The English label, else any label, else the IRI."""
        return self.labels[0][1] if self.labels else self.iri


def _label(solution: ox.QuerySolution, name: str) -> str | None:
    for key in (f"{name}_en", f"{name}_any"):
        term = solution[key]
        if term is not None:
            return str(term.value)
    return None


# The entity is the variable ?this, bound to its IRI when the query runs (SEP-0007 substitution):
# no IRI a client sent ever becomes query text. Every query is an index lookup on ?this, cut by LIMIT.
_PROV = "http://www.w3.org/ns/prov#"
_OUTGOING = f"""
    SELECT ?this ?p ?o ?g (SAMPLE(?p_en) AS ?p_en) (SAMPLE(?p_any) AS ?p_any) (SAMPLE(?o_en) AS ?o_en)
           (SAMPLE(?o_any) AS ?o_any)
    WHERE {{ {{ SELECT ?this ?p ?o ?g WHERE {{ GRAPH ?g {{ ?this ?p ?o FILTER(?p != <{_PROV}wasDerivedFrom>) }} }}
               LIMIT $limit }}
             {_LABEL.format(var="?p", name="p")} {_LABEL.format(var="?o", name="o")} }}
    GROUP BY ?this ?p ?o ?g ORDER BY ?p ?o ?g"""
_INCOMING = f"""
    SELECT ?this ?s ?p ?g (SAMPLE(?p_en) AS ?p_en) (SAMPLE(?p_any) AS ?p_any) (SAMPLE(?s_en) AS ?s_en)
           (SAMPLE(?s_any) AS ?s_any)
    WHERE {{ {{ SELECT ?this ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p ?this FILTER(isIRI(?s)) }} }} LIMIT $limit }}
             {_LABEL.format(var="?p", name="p")} {_LABEL.format(var="?s", name="s")} }}
    GROUP BY ?this ?s ?p ?g ORDER BY ?p ?s ?g"""
_QUOTES = f"""
    SELECT DISTINCT ?this ?text ?doc ?file WHERE {{
        {{ SELECT DISTINCT ?this ?passage WHERE {{ ?this <{_PROV}wasDerivedFrom> ?passage }} LIMIT $limit }}
        ?passage <{_PROV}value> ?text ; <{_PROV}wasQuotedFrom> ?doc .
        OPTIONAL {{ ?doc <{PREFIXES["ris3"]}fileName> ?file }} }} ORDER BY ?doc ?text"""
_LABELS = "SELECT DISTINCT ?this ?l WHERE { ?this <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT $limit"
_TRIPLES = """CONSTRUCT { ?this ?p ?o . ?o ?p2 ?o2 }
    WHERE { { SELECT ?this ?p ?o WHERE { ?this ?p ?o } LIMIT $limit } OPTIONAL { FILTER(isBlank(?o)) ?o ?p2 ?o2 } }"""


def _run(store: GraphStore, query: str, iri: str, limit: int) -> ox.QuerySolutions | ox.QueryTriples:
    result = store.query(query.replace("$limit", str(int(limit))), bindings={"this": iri})
    assert isinstance(result, ox.QuerySolutions | ox.QueryTriples)
    return result


def entity_view(store: GraphStore, iri: str, *, limit: int = 500) -> EntityView | None:
    """Return what the store says about an IRI, or None when it says nothing.

    Args:
        store: The store.
        iri: A valid IRI (callers check it: :class:`pyoxigraph.NamedNode` raises ValueError otherwise).
        limit: The most statements of each kind (outgoing, incoming, passages, labels) shown.
    """

    def run(query: str) -> ox.QuerySolutions:
        result = _run(store, query, iri, limit)
        assert isinstance(result, ox.QuerySolutions)
        return result

    outgoing = tuple(
        Link(
            property=s["p"].value,
            property_label=_label(s, "p") or prefixed_name(s["p"].value),
            value=s["o"].value,
            value_label=_label(s, "o") if isinstance(s["o"], ox.NamedNode) else None,
            is_iri=isinstance(s["o"], ox.NamedNode),
            language=s["o"].language if isinstance(s["o"], ox.Literal) else None,
            graph=s["g"].value,
        )
        for s in run(_OUTGOING)
    )
    incoming = tuple(
        Link(
            property=s["p"].value,
            property_label=_label(s, "p") or prefixed_name(s["p"].value),
            value=s["s"].value,
            value_label=_label(s, "s"),
            is_iri=True,
            language=None,
            graph=s["g"].value,
        )
        for s in run(_INCOMING)
    )
    if not outgoing and not incoming:
        return None
    quotes = tuple(
        Quote(
            text=s["text"].value,
            language=s["text"].language,
            document=s["doc"].value,
            file=None if s["file"] is None else s["file"].value,
        )
        for s in run(_QUOTES)
    )
    labels = sorted(
        ((s["l"].language or "", s["l"].value) for s in run(_LABELS)), key=lambda item: (item[0] != "en", item)
    )
    return EntityView(iri, tuple(labels), outgoing, incoming, quotes)


def entity_triples(store: GraphStore, iri: str, *, limit: int = 5000) -> list[ox.Triple]:
    """The entity's concise bounded description: its statements and those of its blank nodes (passages).

    Args:
        store: The store.
        iri: A valid IRI.
        limit: The most statements of the entity itself.
    """
    result = _run(store, _TRIPLES, iri, limit)
    assert isinstance(result, ox.QueryTriples)
    return list(result)
