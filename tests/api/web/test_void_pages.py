"""VoID and the Service Description: their dumps, and a readable page in a browser."""

from __future__ import annotations

import html

import pytest
from flask.testing import FlaskClient
from rdflib import RDF, Graph, Namespace, URIRef

from ris3kg.graph.export.dumps import ALL_NAME, graph_dump_name
from ris3kg.graph.store.oxigraph import OxigraphStore

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DATASET = URIRef("https://w3id.org/ris3kg/id/dataset")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _void(client: FlaskClient) -> Graph:
    return Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"}).data, format="turtle")


def test_void_lists_every_dump(client: FlaskClient, store: OxigraphStore) -> None:
    graph = _void(client)
    assert set(graph.objects(DATASET, VOID.dataDump)) == {URIRef(f"http://localhost/dumps/{ALL_NAME}")}
    assert {FORMATS["N-Quads"], FORMATS.Turtle} <= set(graph.objects(DATASET, VOID.feature))
    for name in store.named_graphs():
        dumps = set(graph.objects(URIRef(name), VOID.dataDump))
        assert dumps == {URIRef(f"http://localhost/dumps/{graph_dump_name(name)}")}, name
        assert (URIRef(name), VOID.feature, FORMATS.Turtle) in graph
    for dump in graph.objects(None, VOID.dataDump):
        path = str(dump).replace("http://localhost", "")
        assert client.get(path).status_code in (200, 503), path


@pytest.mark.parametrize("accept", ["", "*/*", "text/turtle", "application/ld+json", "application/rdf+xml"])
def test_machine_clients_still_get_rdf(client: FlaskClient, accept: str) -> None:
    response = client.get("/void", headers={"Accept": accept} if accept else {})
    assert response.mimetype == (accept if "/" in accept and "*" not in accept else "text/turtle")


@pytest.mark.parametrize("url", ["/void", "/.well-known/void", "/sparql/description"])
def test_a_browser_gets_a_page_with_the_escaped_turtle(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.data.decode()
    assert '<pre class="turtle">' in page and "&lt;https://w3id.org/ris3kg/" in page
    assert "<https://w3id.org/ris3kg/" not in page.split('<pre class="turtle">')[1], "the Turtle is escaped"
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    ("url", "fmt", "media_type"),
    [
        ("/void.ttl", "turtle", "text/turtle"),
        ("/void.nt", "nt", "application/n-triples"),
        ("/void.jsonld", "json-ld", "application/ld+json"),
        ("/void.rdf", "xml", "application/rdf+xml"),
        ("/sparql/description.ttl", "turtle", "text/turtle"),
        ("/sparql/description.jsonld", "json-ld", "application/ld+json"),
    ],
)
def test_each_syntax_has_an_address_that_a_browser_follows(
    client: FlaskClient, url: str, fmt: str, media_type: str
) -> None:
    response = client.get(url, headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == media_type
    graph = Graph().parse(data=response.data, format=fmt)
    assert (DATASET, RDF.type, VOID.Dataset) in graph or (None, RDF.type, SD.Service) in graph


def test_unknown_syntax_is_404(client: FlaskClient) -> None:
    assert client.get("/void.exe").status_code == 404
    assert client.get("/sparql/description.html").status_code == 404


def test_the_service_description_page_names_the_endpoint(client: FlaskClient) -> None:
    page = client.get("/sparql/description", headers={"Accept": BROWSER}).data.decode()
    assert "http://localhost/sparql" in page and html.escape("/sparql/description.ttl") in page
    rdf = client.get("/sparql/description", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=rdf.data, format="turtle")
    assert (URIRef("http://localhost/sparql"), RDF.type, SD.Service) in graph
