"""Standard SPARQL clients work against the endpoint over real HTTP: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from rdflib import RDF, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from ris3kg.ontology.namespaces import RIS3


def test_sparqlwrapper_select_json_and_csv(live_server: str) -> None:
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(
        "PREFIX ris3: <https://w3id.org/ris3kg/ontology#> SELECT ?b WHERE { ?b a ris3:Bottleneck } ORDER BY ?b"
    )
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]  # type: ignore[index, call-overload]
    assert len(bindings) == 7
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines()[0] == "b"  # type: ignore[union-attr]


def test_sparqlwrapper_construct_as_turtle_and_post(live_server: str) -> None:
    client = SPARQLWrapper(live_server + "/sparql")
    client.setMethod("POST")
    client.setQuery("CONSTRUCT WHERE { ?b a <https://w3id.org/ris3kg/ontology#Bottleneck> }")
    client.setReturnFormat(TURTLE)
    data = client.query().convert()
    graph = Graph().parse(data=data, format="turtle")
    assert len(graph) == 7


def test_rdflib_sparqlstore(live_server: str) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=live_server + "/sparql"))
    bottlenecks = list(graph.subjects(RDF.type, RIS3.Bottleneck))
    assert len(bottlenecks) == 7
    rows = list(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/ris3kg/ontology#Strategy> }"))
    assert int(rows[0][0]) >= 5  # type: ignore[index]
    assert (URIRef("https://w3id.org/ris3kg/id/blekinge/bottleneck-1"), RDF.type, RIS3.Bottleneck) in graph


# Every return format of SPARQLWrapper, for each query form: what it asks for (its Accept header
# and its format=, output=, results= parameters) must get an answer its own convert() reads.
SELECT = "PREFIX ris3: <https://w3id.org/ris3kg/ontology#> SELECT ?b WHERE { ?b a ris3:Bottleneck } ORDER BY ?b"
ASK = "PREFIX ris3: <https://w3id.org/ris3kg/ontology#> ASK { ?b a ris3:Bottleneck }"
CONSTRUCT = "CONSTRUCT WHERE { ?b a <https://w3id.org/ris3kg/ontology#Bottleneck> }"
DESCRIBE = "DESCRIBE <https://w3id.org/ris3kg/id/blekinge/bottleneck-1>"

_TABLE_FORMATS = [XML, JSON, CSV, TSV]
_GRAPH_FORMATS = [XML, RDFXML, TURTLE, N3, JSONLD, JSON]


def _wrapper(live_server: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(live_server + "/sparql")
    client.setMethod(method)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", _TABLE_FORMATS)
def test_sparqlwrapper_select_in_every_format(live_server: str, fmt: str, method: str) -> None:
    answer = _wrapper(live_server, SELECT, fmt, method).query()
    result = answer.convert()
    if fmt == XML:
        assert len(result.getElementsByTagName("result")) == 7  # type: ignore[union-attr]
    elif fmt == JSON:
        assert len(result["results"]["bindings"]) == 7  # type: ignore[index, call-overload]
    else:
        lines = result.decode().splitlines()  # type: ignore[union-attr]
        assert len(lines) == 8 and lines[0] in ("b", "?b")


@pytest.mark.parametrize("fmt", _TABLE_FORMATS)
def test_sparqlwrapper_ask_in_every_format(live_server: str, fmt: str) -> None:
    result = _wrapper(live_server, ASK, fmt, "GET").query().convert()
    if fmt == XML:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
    elif fmt == JSON:
        assert result["boolean"] is True  # type: ignore[index, call-overload]
    else:
        assert result.decode().splitlines()[-1].strip().lower() in ("true", "1")  # type: ignore[union-attr]


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("fmt", _GRAPH_FORMATS)
def test_sparqlwrapper_construct_and_describe_in_every_format(live_server: str, fmt: str, query: str) -> None:
    answer = _wrapper(live_server, query, fmt, "GET").query()
    media_type = answer.response.headers["Content-Type"].split(";")[0]
    expected = {
        XML: "application/rdf+xml",
        RDFXML: "application/rdf+xml",
        TURTLE: "text/turtle",
        N3: "text/n3",
        JSONLD: "application/ld+json",
        JSON: "application/ld+json",
    }[fmt]
    assert media_type == expected
    result = answer.convert()
    if isinstance(result, Graph):
        graph = result
    else:
        syntax = {"text/turtle": "turtle", "text/n3": "n3", "application/ld+json": "json-ld"}[media_type]
        graph = Graph().parse(data=result if isinstance(result, (str, bytes)) else json.dumps(result), format=syntax)
    subjects = set(graph.subjects(RDF.type, RIS3.Bottleneck))
    assert len(subjects) == (7 if query == CONSTRUCT else 1)


def test_rdflib_sparqlstore_construct_and_ask(live_server: str) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=live_server + "/sparql"))
    built = graph.query(CONSTRUCT).graph
    assert built is not None and len(set(built.subjects(RDF.type, RIS3.Bottleneck))) == 7
    assert graph.query(ASK).askAnswer is True


def test_rdflib_sparqlstore_by_post(live_server: str) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=live_server + "/sparql", method="POST"))
    assert len(list(graph.query(SELECT))) == 7


# What Jena (ARQ's QueryExecutionHTTP) and RDF4J (SPARQLRepository) send, as of their current releases.
JENA_SELECT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.7, "
    "text/csv;q=0.5, application/json;q=0.2, application/xml;q=0.2, */*;q=0.1"
)
JENA_GRAPH = "text/turtle, application/n-triples;q=0.9, application/ld+json;q=0.8, application/rdf+xml;q=0.7, */*;q=0.5"
RDF4J_SELECT = (
    "application/x-binary-rdf-results-table, application/sparql-results+xml;q=0.8, "
    "application/sparql-results+json;q=0.8, text/csv;q=0.8, text/tab-separated-values;q=0.8"
)
RDF4J_GRAPH = (
    "application/x-binary-rdf, application/rdf+xml;q=0.9, text/turtle;q=0.8, application/n-triples;q=0.8, "
    "application/ld+json;q=0.8, application/trig;q=0.8, text/n3;q=0.8"
)


@pytest.mark.parametrize(
    ("accept", "query", "media_type"),
    [
        (JENA_SELECT, SELECT, "application/sparql-results+json"),
        (JENA_GRAPH, CONSTRUCT, "text/turtle"),
        (RDF4J_SELECT, SELECT, "application/sparql-results+json"),  # a tie: the server's first choice
        (RDF4J_GRAPH, CONSTRUCT, "application/rdf+xml"),
        ("application/sparql-results+json,*/*;q=0.9", SELECT, "application/sparql-results+json"),  # YASGUI
        ("text/turtle,*/*;q=0.9", CONSTRUCT, "text/turtle"),  # YASGUI
    ],
    ids=["jena-select", "jena-construct", "rdf4j-select", "rdf4j-construct", "yasgui-select", "yasgui-construct"],
)
def test_accept_headers_of_jena_rdf4j_and_yasgui(client: FlaskClient, accept: str, query: str, media_type: str) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.data
    assert response.mimetype == media_type


def test_an_unknown_format_names_the_known_ones(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT, "format": "yaml"})
    assert response.status_code == 400
    assert b"unknown format 'yaml'" in response.data and b"json-ld" in response.data
