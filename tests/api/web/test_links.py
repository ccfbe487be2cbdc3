"""Links that do what they say: followed with a browser's Accept header, each gives what it names."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient
from rdflib import RDF, Graph, Namespace

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RDF_LINKS = {
    "Turtle": ("text/turtle", "turtle"),
    "JSON-LD": ("application/ld+json", "json-ld"),
    "N-Triples": ("application/n-triples", "nt"),
    "RDF/XML": ("application/rdf+xml", "xml"),
}
PAGES = ["/id/blekinge/bottleneck-1", "/id/norrbotten/area-energy-technology", "/region/SE221", "/region/SE"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._text.strip(), self._href))
            self._href = None


def _links(client: FlaskClient, url: str) -> dict[str, str]:
    response = client.get(url, headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html", url
    parser = _Links()
    parser.feed(response.data.decode())
    return dict(parser.links)


def _follow(client: FlaskClient, href: str):  # type: ignore[no-untyped-def]
    return client.get(href.replace("http://localhost", ""), headers={"Accept": BROWSER})


@pytest.mark.parametrize("url", PAGES)
def test_each_rdf_link_of_a_page_gives_its_syntax_in_a_browser(client: FlaskClient, url: str) -> None:
    links = _links(client, url)
    for label, (media_type, fmt) in RDF_LINKS.items():
        assert label in links, f"{url} links to its {label}"
        response = _follow(client, links[label])
        assert response.status_code == 200 and response.mimetype == media_type, (url, label)
        assert len(Graph().parse(data=response.data, format=fmt)) > 0


@pytest.mark.parametrize("url", PAGES)
def test_content_negotiation_still_works(client: FlaskClient, url: str) -> None:
    assert client.get(url, headers={"Accept": "application/ld+json"}).mimetype == "application/ld+json"
    assert client.get(url, headers={"Accept": BROWSER}).mimetype == "text/html"


def test_an_unknown_format_is_a_clear_400(client: FlaskClient) -> None:
    for url in ("/id/blekinge/bottleneck-1", "/region/SE221"):
        response = client.get(url, query_string={"format": "<script>"}, headers={"Accept": BROWSER})
        assert response.status_code == 400 and b"turtle" in response.data and b"<script>" not in response.data


def test_the_sparql_endpoint_link_leads_to_the_endpoint_description(client: FlaskClient) -> None:
    links = _links(client, "/")
    page = _follow(client, links["SPARQL endpoint"])
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.data.decode()
    assert "http://localhost/sparql" in text and "Service Description" in text
    parser = _Links()
    parser.feed(text)
    turtle = _follow(client, dict(parser.links)["Turtle"])
    assert turtle.mimetype == "text/turtle"
    assert (None, RDF.type, SD.Service) in Graph().parse(data=turtle.data, format="turtle")


def test_the_void_and_downloads_links_give_pages_in_a_browser(client: FlaskClient) -> None:
    links = _links(client, "/")
    void = _follow(client, links["VoID"])
    assert void.status_code == 200 and void.mimetype == "text/html" and b"void:Dataset" in void.data
    downloads = _follow(client, links["Downloads"])
    assert downloads.status_code == 200 and downloads.mimetype == "text/html" and b"ris3kg.nq.gz" in downloads.data
