"""Standard SPARQL clients work against the endpoint over real HTTP: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

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
