"""Every example query either exports as a network or says why not and offers the nearest view.

The export of a query answers a browser with a page when it cannot export (other clients keep the
plain-text error), and the query page tells, per example, which of the two it is.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from lxml import etree
from lxml import html as lxml_html

from ris3kg.graph.export.views import VIEWS
from ris3kg.graph.sparql.examples import ExampleQuery, example_by_query, example_queries

from gexf_schema import NS, schema_errors

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

EXPORTS = {
    "01-strategies-and-regions": True,  # ?strategy -> ?region
    "02-areas-by-kind": True,  # ?strategy -> ?area
    "03-bottlenecks-and-actions": False,  # one resource column: ?challenge
    "04-themes-across-languages": False,  # one resource column: ?theme
    "05-shared-themes-between-strategies": True,  # the label pair ?a ?b, weighted by ?sharedThemes
    "06-actors-by-helix-role": False,
    "07-clusters-and-their-links": False,
    "08-provenance-of-the-strength-table": False,  # a table of values
    "09-figures": False,
    "10-governance": True,  # ?body -> ?superior (reports to)
    "11-overlapping-regions": False,
    "12-norwegian-counties-and-nuts-versions": False,
    "13-swot": False,
    "14-eu-criteria-survey": False,
    "15-regions-by-typology": True,  # ?strategy -> ?region, weighted by ?nuts3Regions
}
"""What each example gives when exported: a network (True) or a page saying why not."""

EXAMPLES = example_queries()


def test_the_expected_outcomes_cover_every_example_and_headers_name_views() -> None:
    assert set(EXPORTS) == {example.key for example in EXAMPLES}
    for example in EXAMPLES:
        assert example.network is None or example.network in VIEWS, (example.key, example.network)
    assert all(example.network for example in EXAMPLES if not EXPORTS[example.key] and example.key < "08")


def test_an_example_is_found_by_its_text_whatever_its_line_endings() -> None:
    example = EXAMPLES[2]
    assert example_by_query("\n" + example.query.replace("\n", "\r\n") + "  \n") == example
    assert example_by_query(example.query + " LIMIT 3") is None


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.key)
def test_each_example_exports_as_a_network_or_a_page_says_why(client: FlaskClient, example: ExampleQuery) -> None:
    response = client.get("/export/query.gexf", query_string={"query": example.query}, headers=BROWSER)
    if EXPORTS[example.key]:
        assert response.status_code == 200, response.text[:1000]
        assert schema_errors(response.data) is None
        root = etree.fromstring(response.data)
        nodes = root.findall(".//g:nodes/g:node", NS)
        edges = root.findall(".//g:edges/g:edge", NS)
        assert len(nodes) >= 2 and edges, example.key
        labels = {node.get("label") for node in nodes}
        assert all(labels), "every node has a label"
        return
    assert response.status_code == 400, response.text[:1000]
    assert response.mimetype == "text/html" and response.headers["Vary"] == "Accept"
    page = lxml_html.fromstring(response.text)
    assert page.xpath("string(//h1)") == "This query's result is not a network"
    why = page.xpath("string(//p[@id='error'])")
    assert "holds resources" in why or "table of values" in why, why
    assert "two columns (source, target) that hold resources" in why, "which shape would export"
    assert example.title in page.xpath("string(//p[@id='example'])")
    back = page.xpath("//a[@id='back-to-editor']/@href")[0]
    assert urlsplit(back).path == "/" and parse_qs(urlsplit(back).query)["query"] == [example.query]
    if example.network:
        assert page.xpath("//p[@id='nearest-view']//a[@class='network-page']/@href") == [f"/network/{example.network}"]
        downloads = page.xpath("//p[@id='nearest-view']//a[@class='view-download']/@href")
        assert f"/export/{example.network}.gexf" in downloads
    else:
        assert page.xpath("//p[@id='views']/a/@href") == ["/#network-views"]


def test_the_query_page_says_per_example_whether_it_exports(client: FlaskClient) -> None:
    # An example whose run passed the time limit (a cold store, a loaded machine) is run again by a
    # later request, and shows its export links meanwhile: load the page until every answer is in.
    for _attempt in range(6):
        page = lxml_html.fromstring(client.get("/").text)
        shown = {p.get("data-key"): p.get("data-exports") for p in page.xpath("//p[@class='example-network']")}
        if all(shown.get(e.key) == ("yes" if EXPORTS[e.key] else "no") for e in EXAMPLES):
            break
    for example in EXAMPLES:
        (info,) = page.xpath(f"//ol[@id='examples']//p[@class='example-network'][@data-key='{example.key}']")
        if EXPORTS[example.key]:
            assert info.get("data-exports") == "yes", example.key
            links = info.xpath(".//a[@class='example-export']/@href")
            assert len(links) == 3 and links[0].startswith("/export/query.gexf?")
            assert parse_qs(urlsplit(links[0]).query)["query"] == [example.query]
        else:
            assert info.get("data-exports") == "no", example.key
            text = " ".join(info.text_content().split())
            assert text.startswith("Not a network: "), text
            assert "holds resources" in text or "table of values" in text, text
            if example.network:
                assert info.xpath(".//a[@class='example-view']/@href") == [f"/network/{example.network}"]
                assert f"/export/{example.network}.gexf" in info.xpath(".//a[@class='example-view-download']/@href")


def test_other_clients_keep_the_plain_text_error(client: FlaskClient) -> None:
    query = next(example.query for example in EXAMPLES if not EXPORTS[example.key])
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "application/json"}):
        response = client.get("/export/query.gexf", query_string={"query": query}, headers=headers)
        assert response.status_code == 400 and response.mimetype == "text/plain", headers
        assert response.text.startswith("Error 400: only one column")


def test_a_browser_gets_a_page_for_a_missing_query_a_bad_format_and_a_refused_query(client: FlaskClient) -> None:
    missing = client.get("/export/query.gexf", headers=BROWSER)
    assert missing.status_code == 400 and missing.mimetype == "text/html"
    page = lxml_html.fromstring(missing.text)
    assert page.xpath("string(//h1)") == "No query to export"
    assert "give the SPARQL query" in page.xpath("string(//p[@id='error'])")
    assert page.xpath("//a[@id='back-to-editor']/@href") == ["/"]

    query = EXAMPLES[0].query
    bad = client.get("/export/query.pdf", query_string={"query": query}, headers=BROWSER)
    assert bad.status_code == 400 and bad.mimetype == "text/html"
    page = lxml_html.fromstring(bad.text)
    assert "unknown format 'pdf'" in page.xpath("string(//p[@id='error'])")
    formats = page.xpath("//p[@id='formats']/a/@href")
    assert [urlsplit(href).path for href in formats] == [
        "/export/query.gexf",
        "/export/query.graphml",
        "/export/query.csv",
    ]

    refused = client.get(
        "/export/query.gexf",
        query_string={"query": "INSERT DATA { <http://a> <http://b> <http://c> }"},
        headers=BROWSER,
    )
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    page = lxml_html.fromstring(refused.text)
    assert page.xpath("string(//h1)") == "This query was refused"
    assert "read-only" in page.xpath("string(//p[@id='error'])")
    assert not page.xpath("//p[@id='nearest-view']")
