"""Region pages under /region/<code>, and links to them from every page that shows a region IRI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ris3kg.graph.linked_data.region import Located, Named, RegionChange, RegionRef, RegionView, Typology

from conftest import REPO

NUTS = "http://data.europa.eu/nuts/code/"


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    if response.status_code == 503:  # a cold page worker
        response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def hrefs(text: str) -> list[str]:
    return [str(a.get("href")) for a in lxml_html.fromstring(text).iter("a")]


def section(text: str, name: str) -> lxml_html.HtmlElement:
    (found,) = lxml_html.fromstring(text).xpath(f"//section[contains(@class, '{name}')]")
    return found


# --------------------------------------------------------------------------- what a page shows


def test_blekinge_shows_its_strategy_areas_and_actors(client: FlaskClient) -> None:
    text = page(client, "/region/SE221")
    assert "<h1>Blekinge County" in text
    strategies = section(text, "strategies")
    links = [a.get("href") for a in strategies.iter("a")]
    assert "/id/blekinge/strategy" in links
    assert "/id/blekinge/area-smart-industry" in links, "the strategy's areas"
    assert "No strategy in ris3kg covers this region yet" not in text
    actors = [a.get("href") for a in section(text, "actors").iter("a")]
    assert "/id/actor/region-blekinge" in actors and "/id/actor/region-blekinge-run" in actors
    facts = lxml_html.fromstring(text).xpath("//table[contains(@class, 'facts')]")[0].text_content()
    assert "NUTS 3" in facts and "NUTS 2016, 2021, 2024" in facts
    assert "/region/SE22" in hrefs(text) and "/region/SE" in hrefs(text), "parent and country link to their pages"


def test_a_region_in_no_strategy_says_so_and_links_the_submission_form(client: FlaskClient) -> None:
    text = page(client, "/region/SE322")  # Jämtland: no seed strategy covers it
    assert "Jämtlands län" in text
    notice = section(text, "strategies").xpath(".//p[@class='notice']")[0]
    assert "No strategy in ris3kg covers this region yet" in notice.text_content()
    assert [a.get("href") for a in notice.iter("a")] == ["/submissions"]


def test_troms_og_finnmark_was_split_into_troms_and_finnmark_in_nuts_2024(client: FlaskClient) -> None:
    text = page(client, "/region/NO074")
    changes = section(text, "changes")
    (split,) = [li for li in changes.iter("li") if li.text_content().startswith("Split")]
    assert "NUTS 2021 → NUTS 2024" in split.text_content() and "replaced by" in split.text_content()
    assert [a.get("href") for a in split.iter("a")] == [
        "/id/codelists/change/2021-2024/NO074",
        "/region/NO072",
        "/region/NO073",
    ]
    # and the other way round: Troms's page says it was split off from NO074
    troms = section(page(client, "/region/NO072"), "changes")
    assert "/region/NO074" in [a.get("href") for a in troms.iter("a")]


def test_a_nuts_3_region_shows_its_typology_classes(client: FlaskClient) -> None:
    typologies = section(page(client, "/region/SE221"), "typologies")
    rows = {tr.xpath("string(th)").strip(): tr.xpath("string(td)").strip() for tr in typologies.iter("tr")}
    assert rows["urban–rural typology"] == "intermediate"
    assert rows["coastal regions"] == "coastal"
    assert "/id/typology/urban-rural/intermediate" in [a.get("href") for a in typologies.iter("a")]


def test_a_larger_region_shows_what_is_in_its_sub_regions_marked_as_such(client: FlaskClient) -> None:
    text = page(client, "/region/SE3")
    children = [a.get("href") for a in section(text, "children").iter("a")]
    assert children == ["/region/SE31", "/region/SE32", "/region/SE33"]
    strategies = section(text, "strategies")
    (norrbotten,) = strategies.xpath(".//li[a[@href='/id/norrbotten/strategy']]")
    assert norrbotten.get("class") == "in-sub-region"
    assert "in the sub-region" in norrbotten.text_content()
    assert "/region/SE332" in [a.get("href") for a in norrbotten.iter("a")]
    actors = section(text, "actors")
    (kiruna,) = actors.xpath(".//li[a[@href='/id/facility-rymdcampus-kiruna']]")
    assert "/id/region/kiruna" in [a.get("href") for a in kiruna.iter("a")], "through the local place"


def test_strategies_of_a_larger_region_are_shown_apart(client: FlaskClient) -> None:
    strategies = section(page(client, "/region/SE322"), "strategies")
    (national,) = strategies.xpath(".//li[a[@href='/id/strategy-smart-industri']]")
    assert "for SE Sweden" in national.text_content()


@pytest.mark.parametrize(("code", "name"), [("NO072", "Troms"), ("IS001", "Höfuðborgarsvæði"), ("PL", "Poland")])
def test_every_kind_of_region_has_a_page(client: FlaskClient, code: str, name: str) -> None:
    text = page(client, f"/region/{code}")
    (h1,) = lxml_html.fromstring(text).iter("h1")
    assert h1.text_content().split() == [*name.split(), code]


def test_a_region_page_has_no_inline_code_and_the_security_headers(client: FlaskClient) -> None:
    response = client.get("/region/SE332")
    text = response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers
    assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=", text)
    assert all(href.startswith(("/", "http://", "https://")) for href in hrefs(text))


def test_a_region_page_is_cached_per_generation(app: Flask, client: FlaskClient) -> None:
    from ris3kg.api.web.state import recall

    first = page(client, "/region/SE312")
    with app.test_request_context():
        assert recall("region text/html SE312", recent="entities") == first.encode()
    assert page(client, "/region/SE312") == first


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_region_rdf_by_content_negotiation(client: FlaskClient, accept: str, fmt: str) -> None:
    response = client.get("/region/SE221", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert response.headers["Vary"] == "Accept"
    graph = Graph().parse(data=response.data, format=fmt)
    assert (URIRef(NUTS + "SE221"), SKOS.notation, Literal("SE221")) in graph
    assert (URIRef(NUTS + "SE221"), SKOS.broader, URIRef(NUTS + "SE22")) in graph


# --------------------------------------------------------------------------- codes that are not regions


@pytest.mark.parametrize(
    "path",
    ["/region/se221", "/region/<script>alert(1)</script>", "/region/SE2211", "/region/S", "/region/%3Cb%3Ex%3C%2Fb%3E"],
)
def test_a_malformed_code_is_a_404_that_does_not_echo_it(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "not a region code" in text
    assert "<script>alert" not in text and "<b>x" not in text
    assert "alert(1)" not in text


def test_a_lower_case_code_is_told_the_right_spelling(client: FlaskClient) -> None:
    assert "did you mean SE221?" in client.get("/region/se221").get_data(as_text=True)


def test_an_unknown_code_is_a_404_that_says_so_and_suggests_close_codes(client: FlaskClient) -> None:
    response = client.get("/region/NO079")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "knows no region with the code NO079" in text
    assert "close codes: NO07, NO071, NO072" in text


def test_hostile_names_and_iris_in_a_region_view_are_escaped(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ris3kg.api.web import regions

    evil = "<script>alert('x')</script>"
    ref = RegionRef("javascript:alert(1)", "SE22", evil, ("2021",), 2)
    view = RegionView(
        iri=NUTS + "SE221",
        code="SE221",
        labels=(("en", f"Blekinge {evil}"), ("", evil)),
        level=3,
        region_types=(Named("data:text/html,x", evil),),
        versions=("2024",),
        parents=(ref,),
        country=ref,
        children=(ref,),
        typologies=(Typology(evil, "vbscript:msgbox(1)", Named("javascript:alert(2)", evil)),),
        changes=(RegionChange("replaced-by", (ref,), "javascript:alert(3)", evil, "2021", "2024", "javascript:x"),),
        strategies=(Located("javascript:alert(4)", evil, (evil,), (ref,), (Named("javascript:y", evil),)),),
        actors=(Located("https://example.org/fine", evil, (evil,)),),
        places=(),
        elements=(),
    )
    monkeypatch.setattr(regions, "region_view", lambda store, code: view if code == "SE221" else None)
    monkeypatch.setattr(regions, "cached", lambda key, compute, recent=None: compute())
    text = page(client, "/region/SE221")
    assert "<script>alert" not in text and "&lt;script&gt;" in text
    links = hrefs(text.split("<main>", 1)[1])
    assert "https://example.org/fine" in links
    assert not [href for href in links if not href.startswith(("/", "http://", "https://"))], links


# --------------------------------------------------------------------------- links to region pages


def test_link_for_links_nuts_iris_to_region_pages(app: Flask) -> None:
    from ris3kg.api.web.pages import link_for

    with app.test_request_context():
        assert link_for(NUTS + "SE221") == "/region/SE221"
        assert link_for(NUTS + "NO0A1") == "/region/NO0A1"
        assert link_for(NUTS + "PL") == "/region/PL"
        # not a well-formed code: the IRI links to itself, as any web address
        for iri in (NUTS + "se221", NUTS + "SE2211", NUTS + "SE221/x", NUTS + "SE221\n", NUTS):
            assert link_for(iri) == iri, iri
        assert link_for("https://data.europa.eu/nuts/code/SE221") == "https://data.europa.eu/nuts/code/SE221"


def test_query_results_link_nuts_iris_to_region_pages(client: FlaskClient) -> None:
    query = f"SELECT ?r WHERE {{ VALUES ?r {{ <{NUTS}SE221> <{NUTS}NO074> }} }}"
    response = client.get("/", query_string={"query": query})
    if response.status_code == 503:
        response = client.get("/", query_string={"query": query})
    results = response.get_data(as_text=True).split('<div id="results"', 1)[1]
    links = hrefs(results)
    assert "/region/SE221" in links and "/region/NO074" in links
    assert not [href for href in links if "data.europa.eu" in href]


def test_entity_pages_link_their_regions_to_region_pages(client: FlaskClient) -> None:
    assert "/region/SE221" in hrefs(page(client, "/id/blekinge/strategy"))
    assert "/region/SE332" in hrefs(page(client, "/id/actor/irf"))


def test_query_js_links_as_link_for_does(app: Flask) -> None:
    """The link rule of static/query.js, run in Node, gives what link_for gives for the same IRIs."""
    from ris3kg.api.web.pages import link_for

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is needed to run query.js's link rule (apt-get install nodejs)")
    script = (REPO / "api" / "web" / "static" / "query.js").read_text(encoding="utf-8")
    found = re.search(r"^  function linkFor\(iri\) \{\n.*?^  \}\n", script, re.MULTILINE | re.DOTALL)
    assert found, "query.js has no linkFor function"
    iris = [
        NUTS + "SE221",
        NUTS + "NO0A1",
        NUTS + "PL",
        NUTS + "se221",
        NUTS + "SE2211",
        NUTS + "SE221/x",
        NUTS,
        "https://w3id.org/ris3kg/id/actor/irf",
        "https://w3id.org/ris3kg/ontology#Actor",
        "https://example.org/a",
        "javascript:alert(1)",
    ]
    program = found.group(0) + f"console.log(JSON.stringify({json.dumps(iris)}.map(linkFor)));"
    done = subprocess.run([node, "-e", program], check=True, capture_output=True, text=True, timeout=60)
    with app.test_request_context():
        assert json.loads(done.stdout) == [link_for(iri) for iri in iris]
