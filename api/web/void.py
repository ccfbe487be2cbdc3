"""Descriptions of the endpoint and the dataset: SPARQL 1.1 Service Description and VoID.

Both come as RDF (Turtle, JSON-LD, N-Triples, RDF/XML) by content negotiation, and as an HTML page
for a browser: the description as escaped Turtle, a table of the named graphs with their dumps,
and links to each RDF syntax. The blueprint serves what needs an address of its own: each syntax
at a fixed address (``/void.ttl``, ``/sparql/description.jsonld``), and the Service Description's
page (``/sparql/description``), which the site's "SPARQL endpoint" link leads to, since the
endpoint itself sends a browser to the query page. ``/void`` and ``/sparql`` are served by
:mod:`ris3kg.api.web.sparql`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import Blueprint, Response, abort, has_request_context, render_template, request, url_for
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from werkzeug.datastructures import MIMEAccept
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.state import cached, dataset
from ris3kg.graph.entailment import ASSERTED_GRAPH, REGIME
from ris3kg.graph.export.dumps import dump_specs
from ris3kg.graph.store.interface import GraphStore
from ris3kg.ontology.formats import DESCRIPTION_SYNTAXES, RdfSyntax
from ris3kg.ontology.namespaces import DERIVED_GRAPHS, ENTAILED_GRAPH, PREFIXES

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DATASET_IRI = "https://w3id.org/ris3kg/id/dataset"

RDF_MEDIA_TYPES = tuple(syntax.media_type for syntax in DESCRIPTION_SYNTAXES)
HTML = "text/html"
SYNTAX_NAMES = {
    RdfSyntax.TURTLE: "Turtle",
    RdfSyntax.N_TRIPLES: "N-Triples",
    RdfSyntax.JSON_LD: "JSON-LD",
    RdfSyntax.RDF_XML: "RDF/XML",
    RdfSyntax.N_QUADS: "N-Quads",
}
"""How the pages name each syntax (and the W3C's format IRI, with ``_`` for spaces and ``/``)."""

bp = Blueprint("void", __name__, template_folder="templates")


def negotiate_rdf(accept: MIMEAccept) -> str | None:
    """Return the media type to answer a description with, or None if none is acceptable.

    Turtle when anything goes (no Accept, or ``*/*``); an RDF syntax when the client names one;
    ``text/html`` (a readable page) only when the client prefers HTML to every RDF syntax, as a
    browser does. HTML comes last, so a tie goes to RDF: ``*/*`` alone gives Turtle.
    """
    if not accept:
        return "text/turtle"
    return accept.best_match([*RDF_MEDIA_TYPES, HTML])


def _syntax_for_extension(ext: str) -> RdfSyntax:
    """The description syntax of a file extension (``ttl``, ``jsonld``, ``nt``, ``rdf``), else a 404."""
    for syntax in DESCRIPTION_SYNTAXES:
        if ext == syntax.extension:
            return syntax
    abort(404, description="descriptions come as " + ", ".join(f".{s.extension}" for s in DESCRIPTION_SYNTAXES))


def _serialize(graph: Graph, media_type: str, *, page: str | None = None, rows: tuple[GraphRow, ...] = ()) -> bytes:
    for prefix, iri in (("sd", SD), ("void", VOID), ("formats", FORMATS)):
        graph.bind(prefix, iri)
    for prefix in ("rdf", "xsd", "ris3", "dcterms"):
        graph.bind(prefix, PREFIXES[prefix])
    if media_type == HTML:
        return _page(graph, page or "void", rows)
    data = graph.serialize(format=_rdflib_name(media_type), encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode()


def _rdflib_name(media_type: str) -> str:
    syntax = RdfSyntax.find(media_type)
    assert syntax is not None, media_type
    return syntax.rdflib


@dataclass(frozen=True)
class GraphRow:
    """A named graph as the description pages list it.

    Attributes:
        graph: Its IRI.
        triples: How many triples it holds, when counted.
        dump: The absolute address of its dump, or None.
    """

    graph: str
    triples: int | None
    dump: str | None


def _page(graph: Graph, page: str, rows: tuple[GraphRow, ...]) -> bytes:
    """The description as a page: what it says in a table, the Turtle itself, the links to each syntax."""
    turtle = graph.serialize(format="turtle")
    endpoint_name = "void.void_file" if page == "void" else "void.service_file"
    downloads = [(SYNTAX_NAMES[s], url_for(endpoint_name, ext=s.extension)) for s in DESCRIPTION_SYNTAXES]
    html = render_template(
        "description.html",
        page=page,
        turtle=turtle,
        downloads=downloads,
        rows=rows,
        endpoint=url_for("sparql.endpoint", _external=True),
        everything=dump_urls().get(None),
        listing=_listing_url(),
    )
    return html.encode("utf-8")


def _rows(counts: Mapping[str, int], dumps: Mapping[str | None, str]) -> tuple[GraphRow, ...]:
    names = sorted({*counts, *(graph for graph in dumps if graph is not None)})
    return tuple(GraphRow(name, counts.get(name), dumps.get(name)) for name in names)


def dump_urls(graphs: Iterable[str] | None = None) -> dict[str | None, str]:
    """The absolute address of each dump by graph IRI (None: all graphs), or nothing outside a request.

    Args:
        graphs: The named graphs; by default those of the request's dataset.
    """
    if not has_request_context():
        return {}
    names = dataset().graphs if graphs is None else graphs
    try:
        return {spec.graph: url_for("dumps.download", name=spec.name, _external=True) for spec in dump_specs(names)}
    except BuildError:  # an application without the dumps blueprint
        return {}


def with_every_graph(counts: Mapping[str, int]) -> dict[str, int]:
    """The triples per named graph, with the graphs the page queries do not see counted from the store.

    The page queries leave out derived graphs (the entailed one); VoID describes every named graph
    of the dataset, so those are counted by an index scan, once per generation.
    """
    if not has_request_context():
        return dict(counts)
    current = dataset()
    missing = sorted(current.graphs - set(counts))
    if not missing:
        return dict(counts)
    extra = cached("graph-triples-unseen", lambda: {name: current.store.triple_count(name) for name in missing})
    return {**counts, **extra}


def _listing_url() -> str | None:
    try:
        return url_for("dumps.listing")
    except BuildError:
        return None


REGIME_LABEL = "RDFS and OWL hierarchy entailment (ris3kg)"
REGIME_COMMENT = (
    "Answers over the default dataset hold what the ontology's class and property hierarchy "
    "entails, besides what the sources state: rdfs:subClassOf and rdfs:subPropertyOf (rules rdfs5, "
    "rdfs7, rdfs9, rdfs11), owl:equivalentClass and owl:equivalentProperty, owl:inverseOf, "
    "owl:SymmetricProperty and owl:TransitiveProperty (OWL 2 RL prp-inv, prp-symp, prp-trp), with the "
    "axioms of the ontology, its vocabularies and the hierarchy of ORG, SKOS, DCTERMS, PROV-O and FOAF. "
    "rdfs:domain, rdfs:range and the axiomatic triples are not applied. The entailed triples are the "
    f"named graph <{ENTAILED_GRAPH}>. The request parameter infer=false, or "
    f"default-graph-uri=<{ASSERTED_GRAPH}>, answers from the asserted triples only."
)


def service_description(
    endpoint: str, graphs: frozenset[str], media_type: str, *, counts: dict[str, int], default_triples: int
) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``.

    The default graph is the RDF merge of the named graphs with the entailed triples
    (:mod:`ris3kg.graph.entailment`), so the service does not claim ``sd:UnionDefaultGraph`` (a
    union repeats a triple once per graph); it names the entailment regime instead.

    Args:
        endpoint: The endpoint's absolute address.
        graphs: The named graphs of the dataset.
        media_type: An RDF media type of :data:`RDF_MEDIA_TYPES`, or ``text/html`` for a page.
        counts: Triples per named graph.
        default_triples: Triples of the default graph (asserted, each once, and entailed).
    """
    graph = Graph(bind_namespaces="none")
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    regime = URIRef(REGIME)
    graph.add((service, SD.defaultEntailmentRegime, regime))
    graph.add((regime, RDF.type, SD.EntailmentRegime))
    graph.add((regime, RDFS.label, Literal(REGIME_LABEL, lang="en")))
    graph.add((regime, RDFS.comment, Literal(REGIME_COMMENT, lang="en")))
    graph.add((regime, RDFS.seeAlso, URIRef("http://www.w3.org/ns/entailment/RDFS")))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
        "N3",
    ):
        graph.add((service, SD.resultFormat, FORMATS[fmt]))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(default_triples, datatype=XSD.integer)))
    graph.add((default, SD.entailmentRegime, regime))
    for name in sorted(graphs):
        named, inner = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(counts.get(name, 0), datatype=XSD.integer)))
    rows = _rows({name: counts.get(name, 0) for name in graphs}, dump_urls(graphs)) if media_type == HTML else ()
    return _serialize(graph, media_type, page="service", rows=rows)


def void_description(
    endpoint: str,
    media_type: str,
    *,
    counts: dict[str, int],
    classes: tuple[tuple[str, int], ...],
    properties: tuple[tuple[str, int], ...],
    dumps: Mapping[str | None, str] | None = None,
) -> bytes:
    """The VoID description: the dataset, a subset per named graph, class and property partitions.

    The dataset and each subset name their dump (``void:dataDump``: the N-Quads of every named
    graph for the dataset, the Turtle of its graph for a subset) and its syntax (``void:feature``).

    Args:
        endpoint: The SPARQL endpoint's absolute address.
        media_type: An RDF media type of :data:`RDF_MEDIA_TYPES`, or ``text/html`` for a page.
        counts: Triples per named graph.
        classes: Entities per class.
        properties: Triples per property.
        dumps: The absolute address of each dump by graph IRI (None: the dump of every graph); by
            default those of the request's dataset (:func:`dump_urls`). A graph with a dump is a
            subset even when ``counts`` leaves it out (then without ``void:triples``).
    """
    dumps = dump_urls() if dumps is None else dumps
    counts = with_every_graph(counts)
    graph = Graph(bind_namespaces="none")
    dataset = URIRef(DATASET_IRI)
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    graph.add((dataset, VOID.uriSpace, Literal(PREFIXES["id"])))
    graph.add((dataset, VOID.vocabulary, URIRef(PREFIXES["ris3"])))
    graph.add((dataset, VOID.triples, Literal(sum(counts.values()), datatype=XSD.integer)))
    if None in dumps:
        graph.add((dataset, VOID.dataDump, URIRef(dumps[None])))
        graph.add((dataset, VOID.feature, FORMATS["N-Quads"]))
    # Every named graph is a subset, the ones the counts leave out (the entailed graph, which the
    # page queries do not see) too: they have a dump.
    for name in sorted({*counts, *(graph for graph in dumps if graph is not None)}):
        subset = URIRef(name)
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        if name in counts:
            graph.add((subset, VOID.triples, Literal(counts[name], datatype=XSD.integer)))
        if name in dumps:
            graph.add((subset, VOID.dataDump, URIRef(dumps[name])))
            graph.add((subset, VOID.feature, FORMATS.Turtle))
            graph.add((dataset, VOID.feature, FORMATS.Turtle))
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
    rows = _rows(counts, dumps) if media_type == HTML else ()
    return _serialize(graph, media_type, page="void", rows=rows)


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


def void_body(media_type: str) -> bytes:
    """The VoID description of the request's dataset (its counts computed once per generation)."""
    store = dataset().bounded
    counts = cached("graph-triples", lambda: graph_triples(store))
    classes = cached("classes", lambda: partitions(store, "class"))
    properties = cached("properties", lambda: partitions(store, "property"))
    assert isinstance(counts, dict) and isinstance(classes, tuple) and isinstance(properties, tuple)
    endpoint = url_for("sparql.endpoint", _external=True)
    return void_description(endpoint, media_type, counts=counts, classes=classes, properties=properties)


def default_graph_triples(store: GraphStore, counts: Mapping[str, int]) -> int:
    """Triples of the default dataset's default graph: the asserted merge (each triple once) and the entailed ones."""
    row = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]
    return int(row["n"] or 0) + sum(counts.get(name, 0) for name in DERIVED_GRAPHS)


def service_body(media_type: str) -> bytes:
    """The Service Description of the endpoint at ``/sparql``, over the request's dataset."""
    current = dataset()
    counts = with_every_graph(cached("graph-triples", lambda: graph_triples(current.bounded)))
    default = cached("default-triples", lambda: default_graph_triples(current.bounded, counts))
    assert isinstance(default, int)
    return service_description(
        url_for("sparql.endpoint", _external=True),
        current.graphs,
        media_type,
        counts=counts,
        default_triples=default,
    )


def _answer(body: bytes, media_type: str, *, filename: str | None = None) -> BaseResponse:
    response = Response(body, mimetype=media_type)
    if filename is None:
        response.headers["Vary"] = "Accept"
    else:  # shown where the browser can, else saved under a name that says what it is
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _not_acceptable(what: str) -> BaseResponse:
    message = f"Error 406: {what} is available as {', '.join([*RDF_MEDIA_TYPES, HTML])}\n"
    return Response(message, status=406, mimetype="text/plain")


@bp.route("/void.<ext>")
def void_file(ext: str) -> BaseResponse:
    """The VoID description in one syntax, whatever the client accepts (``/void.ttl``, ``.jsonld``, ...)."""
    syntax = _syntax_for_extension(ext)
    return _answer(void_body(syntax.media_type), syntax.media_type, filename=f"ris3kg-void.{syntax.extension}")


@bp.route("/sparql/description")
def service_page() -> BaseResponse:
    """The endpoint's Service Description: a page for a browser, RDF for a client that asks for it."""
    media_type = negotiate_rdf(request.accept_mimetypes)
    if media_type is None:
        return _not_acceptable("the service description")
    return _answer(service_body(media_type), media_type)


@bp.route("/sparql/description.<ext>")
def service_file(ext: str) -> BaseResponse:
    """The Service Description in one syntax (``/sparql/description.ttl``, ``.jsonld``, ``.nt``, ``.rdf``)."""
    syntax = _syntax_for_extension(ext)
    body = service_body(syntax.media_type)
    return _answer(body, syntax.media_type, filename=f"ris3kg-sparql-service.{syntax.extension}")
