"""The query page, the example queries, entity pages and the ontology page."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from ris3kg.graph.sparql.examples import ExampleQuery, example_queries
from ris3kg.ontology.resources import ONTOLOGY


def test_at_least_ten_examples_each_with_a_description() -> None:
    examples = example_queries()
    assert len(examples) >= 10
    assert all(e.title and e.description and "SELECT" in e.query.upper() for e in examples)


@pytest.mark.parametrize("example", example_queries(), ids=lambda e: e.key)
def test_every_example_answers_on_the_seed_graph(client: FlaskClient, example: ExampleQuery) -> None:
    response = client.post("/sparql", data={"query": example.query})
    assert response.status_code == 200, response.data
    assert json.loads(response.data)["results"]["bindings"], f"{example.key} returns no rows"


def test_query_page_lists_examples_and_works_without_javascript(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert page.count('class="example-text"') == len(example_queries())
    assert "https://" not in page.split("<main>")[0].replace("https://w3id.org", ""), "no CDN"
    rendered = client.get("/", query_string={"example": "06-actors-by-helix-role", "run": "1"}).data.decode()
    assert '<table class="results">' in rendered and rendered.count("<tr>") > 10
    assert 'href="/id/actor/' in rendered, "result IRIs link to their pages"


def test_query_page_shows_errors(client: FlaskClient) -> None:
    response = client.get("/", query_string={"query": "SELECT nonsense"})
    assert response.status_code == 400 and "malformed query" in response.data.decode()


def test_entity_page_has_labels_properties_incoming_links_and_provenance(client: FlaskClient) -> None:
    page = client.get("/id/norrbotten/area-energy-technology").data.decode()
    assert "Energiteknik" in page and "Energy technology" in page.replace("energy technology", "Energy technology")
    assert "<blockquote" in page and "001_d28ca491b358aa3f.txt" in page
    assert "Referred to by" in page


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_entity_rdf_by_content_negotiation(client: FlaskClient, accept: str, fmt: str) -> None:
    response = client.get("/id/blekinge/bottleneck-1", headers={"Accept": accept})
    assert response.mimetype == accept
    graph = Graph().parse(data=response.data, format=fmt)
    assert len(graph) > 5


def test_unknown_entity_is_404(client: FlaskClient) -> None:
    assert client.get("/id/blekinge/no-such-thing").status_code == 404
    assert client.get("/id/../../etc/passwd").status_code == 404


def test_ontology_as_html_and_as_the_hand_written_turtle(client: FlaskClient) -> None:
    html = client.get("/ontology").data.decode()
    assert 'id="SpecialisationArea"' in html and 'id="helixRole"' in html
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"}).data.decode()
    assert turtle == ONTOLOGY.read_text()


def _term_section(html: str, name: str) -> str:
    start = html.index(f'<section id="{name}" class="term">')
    return html[start : html.index("</section>", start)]


def test_the_ontology_page_has_contents_and_each_class_its_hierarchy_properties_labels_and_count(
    client: FlaskClient,
) -> None:
    html = client.get("/ontology").data.decode()
    contents = html[html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))]
    for anchor in ("classes", "object-properties", "datatype-properties"):
        assert f'href="#{anchor}"' in contents and f'id="{anchor}"' in html
    assert 'href="#Bottleneck"' in contents and 'href="#addresses"' in contents

    challenge = _term_section(html, "Challenge")
    assert "utmaning" in challenge and "utfordring" in challenge  # labels in every language
    assert "ris3:StrategyElement" in challenge  # superclass
    assert "ris3:Bottleneck" in challenge  # subclass
    assert "ris3:addresses" in challenge  # a property whose range it is
    bottleneck = _term_section(html, "Bottleneck")
    stated = int(bottleneck.split('<dd class="count">', 1)[1].split("<", 1)[0].split()[0])
    assert stated > 0
    with_subclasses = int(challenge.split('<dd class="count">', 1)[1].split("<", 1)[0].split()[0])
    assert with_subclasses >= stated  # counted through the subclasses

    addresses = _term_section(html, "addresses")
    assert "domain" in addresses and "ris3:StrategyElement" in addresses and "range" in addresses
    actor_in = _term_section(html, "actorIn")
    assert "ris3:Strategy" in actor_in and "ris3:Study" in actor_in  # a union's members
