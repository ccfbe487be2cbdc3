"""Descriptions of the endpoint and the dataset: SPARQL 1.1 Service Description and VoID."""

from __future__ import annotations

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from werkzeug.datastructures import MIMEAccept

from ris3kg.graph.store.interface import GraphStore
from ris3kg.ontology.formats import DESCRIPTION_SYNTAXES, RdfSyntax
from ris3kg.ontology.namespaces import PREFIXES

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

RDF_MEDIA_TYPES = tuple(syntax.media_type for syntax in DESCRIPTION_SYNTAXES)


def negotiate_rdf(accept: MIMEAccept) -> str | None:
    """Return the RDF media type to answer with (Turtle when anything goes), or None if none is acceptable."""
    if not accept:
        return "text/turtle"
    return accept.best_match(list(RDF_MEDIA_TYPES))


def _serialize(graph: Graph, media_type: str) -> bytes:
    for prefix, iri in (("sd", SD), ("void", VOID), ("formats", FORMATS)):
        graph.bind(prefix, iri)
    for prefix in ("rdf", "xsd", "ris3", "dcterms"):
        graph.bind(prefix, PREFIXES[prefix])
    data = graph.serialize(format=_rdflib_name(media_type), encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode()


def _rdflib_name(media_type: str) -> str:
    syntax = RdfSyntax.find(media_type)
    assert syntax is not None, media_type
    return syntax.rdflib


def service_description(endpoint: str, graphs: frozenset[str], media_type: str, *, counts: dict[str, int]) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``."""
    graph = Graph(bind_namespaces="none")
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        graph.add((service, SD.resultFormat, FORMATS[fmt]))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(sum(counts.values()), datatype=XSD.integer)))
    for name in sorted(graphs):
        named, inner = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(counts.get(name, 0), datatype=XSD.integer)))
    return _serialize(graph, media_type)


def void_description(
    endpoint: str,
    media_type: str,
    *,
    counts: dict[str, int],
    classes: tuple[tuple[str, int], ...],
    properties: tuple[tuple[str, int], ...],
) -> bytes:
    """The VoID description: the dataset, a subset per named graph, class and property partitions."""
    graph = Graph(bind_namespaces="none")
    dataset = URIRef("https://w3id.org/ris3kg/id/dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    graph.add((dataset, VOID.uriSpace, Literal(PREFIXES["id"])))
    graph.add((dataset, VOID.vocabulary, URIRef(PREFIXES["ris3"])))
    graph.add((dataset, VOID.triples, Literal(sum(counts.values()), datatype=XSD.integer)))
    for name, triples in sorted(counts.items()):
        subset = URIRef(name)
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for cls, entities in classes:
        node = BNode()
        graph.add((dataset, VOID.classPartition, node))
        graph.add((node, VOID["class"], URIRef(cls)))
        graph.add((node, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for prop, triples in properties:
        node = BNode()
        graph.add((dataset, VOID.propertyPartition, node))
        graph.add((node, VOID.property, URIRef(prop)))
        graph.add((node, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return _serialize(graph, media_type)


def graph_triples(store: GraphStore) -> dict[str, int]:
    """Triples per named graph."""
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    return {row["g"] or "": int(row["n"] or 0) for row in rows}


def partitions(store: GraphStore, kind: str) -> tuple[tuple[str, int], ...]:
    """Entities per class (``kind="class"``) or triples per property (``kind="property"``)."""
    if kind == "class":
        query = "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?x } GROUP BY ?x ORDER BY ?x"
    else:
        query = "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?x ?o } GROUP BY ?x ORDER BY ?x"
    return tuple((row["x"] or "", int(row["n"] or 0)) for row in store.select(query).rows if row["x"])
