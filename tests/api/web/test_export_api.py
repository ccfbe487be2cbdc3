"""The export blueprint: view downloads, filters, a user query as a network, and clear errors."""

from __future__ import annotations

import io
import zipfile

import networkx as nx

from gexf_schema import node_values, schema_errors

ID = "https://w3id.org/ris3kg/id/"
PREFIXES = (
    "PREFIX ris3: <https://w3id.org/ris3kg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
)
CONSTRUCT = (
    PREFIXES
    + "CONSTRUCT { ?area ris3:theme ?theme ; rdfs:label ?label ; dcterms:description ?d . ?theme rdfs:label ?t }\n"
    "WHERE { ?area a ris3:SpecialisationArea ; ris3:theme ?theme ; rdfs:label ?label . ?theme rdfs:label ?t "
    "OPTIONAL { ?area dcterms:description ?d } }"
)


def test_the_index_lists_every_view_with_its_downloads(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/")
    assert response.status_code == 200
    names = [view["name"] for view in response.json]
    assert names == ["region-areas", "actors", "region-similarity", "bottlenecks", "partners"]
    assert response.json[1]["downloads"]["gexf"] == "/export/actors.gexf"


def test_a_view_downloads_as_valid_gexf(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/region-areas.gexf?lang=sv&strategy=norrbotten")
    assert response.status_code == 200
    assert response.mimetype == "application/gexf+xml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ris3kg-region-areas.gexf"'
    assert schema_errors(response.data) is None
    values = node_values(response.data)
    assert values[ID + "norrbotten/area-nature-based-economy"]["label"] == "Naturbaserad ekonomi"
    assert all('"norrbotten"' in v["strategy"] for v in values.values())


def test_graphml_and_csv_downloads(client) -> None:  # type: ignore[no-untyped-def]
    graphml = client.get("/export/bottlenecks.graphml?strategy=blekinge")
    assert graphml.status_code == 200
    graph = nx.read_graphml(io.BytesIO(graphml.data))
    assert graph.has_edge(ID + "blekinge/action-6-1", ID + "blekinge/bottleneck-6")
    csv = client.get("/export/actors.csv?region=SE332,SE312")
    assert csv.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(csv.data)) as archive:
        assert sorted(archive.namelist()) == ["actors-edges.csv", "actors-nodes.csv"]
        assert ID + "actor/irf" in archive.read("actors-nodes.csv").decode()


def test_unknown_view_is_404_with_the_list(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/regions.gexf")
    assert response.status_code == 404
    assert "unknown view 'regions'; the views are: region-areas, actors" in response.text


def test_bad_filter_and_format_are_400(client) -> None:  # type: ignore[no-untyped-def]
    region = client.get("/export/actors.gexf?region=XX1")
    assert region.status_code == 400 and "unknown region 'XX1'" in region.text
    lang = client.get("/export/actors.gexf?lang=xx")
    assert lang.status_code == 400 and "unknown language 'xx'" in lang.text
    fmt = client.get("/export/actors.pdf")
    assert fmt.status_code == 400 and "unknown format 'pdf'; use one of gexf, graphml, csv" in fmt.text


def test_a_construct_query_exports_as_a_network(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/query.gexf", query_string={"query": CONSTRUCT, "lang": "sv"})
    assert response.status_code == 200
    assert schema_errors(response.data) is None
    values = node_values(response.data)
    assert values[ID + "theme/energy"]["label"] == "energi"
    assert values[ID + "blekinge/area-tech"]["label"] == "Tech - digitalisation and smarter societies"
    description = values[ID + "blekinge/area-tech"]["dcterms:description"]
    assert description.startswith('["An established area in which a large part of the region')


def test_a_select_query_posted_as_a_form_exports_as_a_network(client) -> None:  # type: ignore[no-untyped-def]
    query = PREFIXES + "SELECT ?source ?target (2 AS ?weight) WHERE { ?source ris3:addresses ?target }"
    response = client.post("/export/query.gexf", data={"query": query})
    assert response.status_code == 200
    assert b'weight="2.0"' in response.data
    assert f'source="{ID}blekinge/action-6-1" target="{ID}blekinge/bottleneck-6"'.encode() in response.data


def test_bad_queries_get_clear_errors(client) -> None:  # type: ignore[no-untyped-def]
    cases = {
        "SELEC ?s": "malformed query",
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3": "two columns (source, target)",
        "ASK { ?s ?p ?o }": "an ASK query answers yes or no",
        "SELECT ?s ?o WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }": "SERVICE is not allowed",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }": "more than 500 triples",
        "INSERT DATA { <http://a> <http://b> <http://c> }": "read-only",
    }
    for query, message in cases.items():
        response = client.get("/export/query.gexf", query_string={"query": query})
        assert response.status_code == 400, query
        assert message in response.text, (query, response.text)
    missing = client.get("/export/query.gexf")
    assert missing.status_code == 400 and "give the SPARQL query" in missing.text


def test_the_query_page_links_the_views_and_exports_the_query(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/?query=SELECT+%3Fs+%3Fo+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D+LIMIT+3").text
    assert 'href="/export/actors.gexf"' in page and 'href="/export/region-similarity.csv"' in page
    assert 'class="network-export" data-format="gexf"' in page
    assert "/export/query.gexf?query=SELECT+%3Fs+%3Fo+WHERE" in page
