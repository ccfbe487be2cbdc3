"""The SPARQL 1.1 Protocol endpoint: every protocol case, each refusal, the limits."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Namespace, URIRef

from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.ontology.namespaces import ENTAILED_GRAPH, GRAPH

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
BOTTLENECKS = "CONSTRUCT WHERE { ?b a <https://w3id.org/ris3kg/ontology#Bottleneck> }"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


def _count(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


def _total(store: OxigraphStore) -> int:
    """The triples of the default dataset: each asserted triple once, and those entailed beside them."""
    asserted = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]
    assert asserted is not None
    return int(asserted) + store.triple_count(ENTAILED_GRAPH)


def test_get_query_answers_over_the_union_of_all_graphs(client: FlaskClient, store: OxigraphStore) -> None:
    response = client.get("/sparql", query_string={"query": COUNT})
    assert response.mimetype == "application/sparql-results+json"
    assert _count(response) == _total(store)


def test_post_form_encoded(client: FlaskClient, store: OxigraphStore) -> None:
    assert _count(client.post("/sparql", data={"query": COUNT})) == _total(store)


def test_post_sparql_query_body(client: FlaskClient, store: OxigraphStore) -> None:
    response = client.post("/sparql", data=COUNT, content_type="application/sparql-query")
    assert _count(response) == _total(store)


def test_default_graph_uri_overrides_from(client: FlaskClient, store: OxigraphStore) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH.ontology}> WHERE {{ ?s ?p ?o }}"
    assert _count(client.get("/sparql", query_string={"query": query})) == store.triple_count(str(GRAPH.ontology))
    overridden = client.get("/sparql", query_string={"query": query, "default-graph-uri": str(GRAPH.regions)})
    assert _count(overridden) == store.triple_count(str(GRAPH.regions))


def test_named_graph_uri_restricts_the_named_graphs(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(
        "/sparql?named-graph-uri=" + str(GRAPH.blekinge), data=query, content_type="application/sparql-query"
    )
    graphs = [b["g"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert graphs == [str(GRAPH.blekinge)]
    empty_default = client.get("/sparql", query_string={"query": COUNT, "named-graph-uri": str(GRAPH.blekinge)})
    assert _count(empty_default) == 0, "with only named-graph-uri the default graph is empty"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_results_in_every_format(client: FlaskClient, accept: str, media_type: str) -> None:
    query = (
        "SELECT ?area ?label WHERE { ?area a <https://w3id.org/ris3kg/ontology#SpecialisationArea> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?area ?label"
    )
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    text = response.data.decode()
    if media_type.endswith("json"):
        assert json.loads(text)["head"]["vars"] == ["area", "label"]
    elif media_type.endswith("xml"):
        root = ET.fromstring(text)
        assert len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result")) > 20
    elif media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["area", "label"] and len(rows) > 20
    else:
        assert text.splitlines()[0] == "?area\t?label" and "@sv" in text


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_results_in_every_format(client: FlaskClient, accept: str, rdflib_format: str) -> None:
    response = client.get("/sparql", query_string={"query": BOTTLENECKS}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    graph = Graph().parse(data=response.data, format=rdflib_format)
    assert len(graph) == 7


def test_ask_and_describe(client: FlaskClient) -> None:
    ask = client.get("/sparql", query_string={"query": "ASK { ?s a <https://w3id.org/ris3kg/ontology#Strategy> }"})
    assert json.loads(ask.data)["boolean"] is True
    describe = client.get(
        "/sparql",
        query_string={"query": "DESCRIBE <https://w3id.org/ris3kg/id/blekinge/bottleneck-1>"},
        headers={"Accept": "text/turtle"},
    )
    assert describe.status_code == 200 and b"bottleneck-1" in describe.data


def test_format_parameter_downloads(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT, "format": "csv"})
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]


def test_malformed_query_gets_400_with_the_parser_message(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert b"malformed query" in response.data and b"line:1" in response.data


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", b"SERVICE is not allowed"),
        ("SELECT * WHERE { ?s ?p ?o . SERVICE SILENT <http://127.0.0.1:1/> { ?a ?b ?c } }", b"SERVICE is not allowed"),
        ("SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }", b"not in this dataset"),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", b"not in this dataset"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", b"read-only"),
        ("LOAD <http://example.org/data.ttl>", b"read-only"),
    ],
)
def test_refused_queries(client: FlaskClient, query: str, message: bytes) -> None:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert message in response.data


def test_protocol_dataset_must_be_in_the_dataset(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400 and b"default-graph-uri" in response.data


def test_updates_are_refused(client: FlaskClient) -> None:
    assert client.get("/sparql", query_string={"update": "CLEAR ALL"}).status_code == 400
    assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 400
    response = client.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update")
    assert response.status_code == 415 and b"read-only" in response.data


def test_methods_and_media_types_the_protocol_refuses(client: FlaskClient) -> None:
    assert client.put("/sparql", data=COUNT).status_code == 405
    assert client.delete("/sparql").status_code == 405
    assert client.post("/sparql", data=COUNT, content_type="text/plain").status_code == 415
    assert client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "image/png"}).status_code == 406
    two = client.get("/sparql?query=" + COUNT + "&query=" + COUNT)
    assert two.status_code == 400 and b"exactly one" in two.data


def test_limits_on_query_length_rows_and_request_size(client: FlaskClient) -> None:
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 6000
    assert b"at most 5000" in client.get("/sparql", query_string={"query": long}).data
    many = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert many.status_code == 200 and many.headers["X-SPARQL-MaxRows"] == "500"
    huge = client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000})
    assert huge.status_code == 413


def _rows(fmt: str, body: str) -> list[object]:
    if fmt == "json":
        return list(json.loads(body)["results"]["bindings"])
    if fmt == "xml":
        results = ET.fromstring(body).findall("{http://www.w3.org/2005/sparql-results#}results/*")
        return [ET.tostring(row) for row in results]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body, newline="")))[1:]
    return body.splitlines()[1:]


CUT_QUERY = (
    "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/ris3kg/graph/vasternorrland> { ?s ?p ?o } } ORDER BY ?s ?p ?o"
)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_a_result_past_the_row_limit_comes_cut_with_its_first_rows(client: FlaskClient, fmt: str) -> None:
    # The rows are counted as the result is written in the format asked for (limit 500 in tests);
    # the result is closed after the 500th row and the headers say it was cut. One strategy's
    # graph: sorting the whole store takes longer than the tests' time limit on a loaded machine.
    cut = client.get("/sparql", query_string={"query": CUT_QUERY, "format": fmt})
    assert cut.status_code == 200
    assert cut.headers["X-SPARQL-MaxRows"] == "500"
    assert cut.headers["X-SPARQL-Truncated"] == "rows; limit=500; kept=500"
    assert 'rel="describedby"' in cut.headers["Link"]
    whole = client.get("/sparql", query_string={"query": CUT_QUERY + " LIMIT 500", "format": fmt})
    assert whole.status_code == 200 and "X-SPARQL-Truncated" not in whole.headers
    assert _rows(fmt, cut.data.decode()) == _rows(fmt, whole.data.decode())
    assert len(_rows(fmt, whole.data.decode())) == 500


def test_a_graph_result_past_the_row_limit_comes_cut(client: FlaskClient) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/ris3kg/graph/vasternorrland> { ?s ?p ?o } }"
    for media_type in ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"):
        cut = client.get("/sparql", query_string={"query": query}, headers={"Accept": media_type})
        assert cut.status_code == 200 and cut.mimetype == media_type
        assert cut.headers["X-SPARQL-Truncated"] == "triples; limit=500; kept=500"
        syntax = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}
        assert len(Graph().parse(data=cut.data, format=syntax.get(media_type, "xml"))) == 500


def test_runaway_query_is_stopped_at_the_time_limit(client: FlaskClient, store: OxigraphStore) -> None:
    import time

    started = time.perf_counter()
    response = client.get(
        "/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 503 and b"was stopped" in response.data
    assert elapsed < 6
    # the killed worker was replaced: the endpoint still answers
    assert _count(client.get("/sparql", query_string={"query": COUNT})) == _total(store)


def test_cors_for_get_and_post(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_service_description_without_a_query(client: FlaskClient, store: OxigraphStore) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    service = next(graph.subjects(None, SD.Service))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert len(list(graph.objects(None, SD.namedGraph))) == len(store.named_graphs())
    assert client.get("/sparql", headers={"Accept": "text/html"}).status_code == 303


def test_void_counts_triples_per_graph_classes_and_properties(client: FlaskClient, store: OxigraphStore) -> None:
    graph = Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    for name in store.named_graphs():
        assert int(graph.value(URIRef(name), VOID.triples)) == store.triple_count(name)  # type: ignore[arg-type]
    assert len(list(graph.objects(None, VOID.classPartition))) > 30
    assert len(list(graph.objects(None, VOID.propertyPartition))) > 30


CHALLENGES = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a <https://w3id.org/ris3kg/ontology#Challenge> }"


def test_answers_hold_the_entailed_types_by_default_and_the_asserted_on_request(client: FlaskClient) -> None:
    entailed = _count(client.get("/sparql", query_string={"query": CHALLENGES}))
    asserted = _count(client.get("/sparql", query_string={"query": CHALLENGES, "infer": "false"}))
    bottlenecks = _count(
        client.get(
            "/sparql",
            query_string={"query": CHALLENGES.replace("Challenge", "Bottleneck"), "infer": "false"},
        )
    )
    assert entailed == asserted + bottlenecks  # every bottleneck is a challenge, none is stated as one
    by_graph = client.get(
        "/sparql",
        query_string={"query": CHALLENGES, "default-graph-uri": "https://w3id.org/ris3kg/graph/asserted"},
    )
    assert _count(by_graph) == asserted
    assert _count(client.get("/sparql", query_string={"query": CHALLENGES, "infer": "true"})) == entailed


def test_asserted_only_leaves_the_entailed_graph_out_of_graph_patterns(client: FlaskClient) -> None:
    query = f"ASK {{ GRAPH <{ENTAILED_GRAPH}> {{ ?s ?p ?o }} }}"
    assert json.loads(client.get("/sparql", query_string={"query": query}).data)["boolean"] is True
    answer = client.get("/sparql", query_string={"query": query, "infer": "false"})
    assert json.loads(answer.data)["boolean"] is False


def test_a_wrong_infer_value_is_refused(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": CHALLENGES, "infer": "maybe"})
    assert response.status_code == 400 and b"infer= must be true" in response.data


def test_a_triple_stated_in_several_graphs_counts_once(client: FlaskClient) -> None:
    # The European Union is an actor in several strategies' graphs: one row per solution, not per graph.
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        'FILTER(str(?l) = "European Union") }'
    )
    per_graph = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        'FILTER(str(?l) = "European Union") } }'
    )
    once = _count(client.get("/sparql", query_string={"query": query, "infer": "false"}))
    assert once >= 1
    assert _count(client.get("/sparql", query_string={"query": per_graph, "infer": "false"})) > once


def test_the_service_description_names_the_entailment_regime_and_the_merge(
    client: FlaskClient, store: OxigraphStore
) -> None:
    graph = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    service = next(graph.subjects(None, SD.Service))
    regime = graph.value(service, SD.defaultEntailmentRegime)
    assert regime == URIRef("https://w3id.org/ris3kg/entailment/hierarchy")
    assert (regime, None, SD.EntailmentRegime) in graph
    assert "infer=false" in str(graph.value(regime, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    assert (service, SD.feature, SD.UnionDefaultGraph) not in graph
    default = graph.value(graph.value(service, SD.defaultDataset), SD.defaultGraph)
    assert int(graph.value(default, VOID.triples)) == _total(store)  # type: ignore[arg-type]


def test_the_query_page_says_when_a_result_was_cut(client: FlaskClient) -> None:
    page = client.get("/", query_string={"query": CUT_QUERY})
    assert page.status_code == 200
    assert b"The result was cut at the limit of 500 rows" in page.data
    assert b"500 rows" in page.data
