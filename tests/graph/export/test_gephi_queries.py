"""The CONSTRUCT queries for Gephi's SemanticWebImport plugin, served by /sparql as the plugin reads them."""

from __future__ import annotations

from importlib.resources import files

import pyoxigraph as ox
import pytest

from ris3kg.graph.export.network import PALETTE

GEPHI = "http://gephi.org/"
FOLDER = files("ris3kg.graph").joinpath("queries", "gephi")
QUERIES = sorted(entry.name for entry in FOLDER.iterdir() if entry.name.endswith(".rq"))


def test_there_are_gephi_queries() -> None:
    assert QUERIES == ["actors.rq", "region-areas.rq"]


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize(
    ("accept", "fmt"), [("application/rdf+xml", ox.RdfFormat.RDF_XML), ("text/turtle", ox.RdfFormat.TURTLE)]
)
def test_the_endpoint_serves_them_as_rdf_xml_and_turtle(client, name: str, accept: str, fmt: ox.RdfFormat) -> None:  # type: ignore[no-untyped-def]
    query = FOLDER.joinpath(name).read_text(encoding="utf-8")
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.mimetype == accept
    triples = list(ox.parse(response.data, format=fmt))
    labels = [t for t in triples if t.predicate == ox.NamedNode(GEPHI + "label")]
    colours = [t for t in triples if t.predicate == ox.NamedNode(GEPHI + "color_r")]
    assert labels and colours
    edges = [t for t in triples if isinstance(t.object, ox.NamedNode) and not t.predicate.value.startswith(GEPHI)]
    assert edges


def test_the_rest_driver_can_ask_for_rdf_xml_with_a_parameter(client) -> None:  # type: ignore[no-untyped-def]
    query = FOLDER.joinpath("region-areas.rq").read_text(encoding="utf-8")
    response = client.get("/sparql", query_string={"query": query, "format": "rdfxml"})
    assert response.status_code == 200 and response.mimetype == "application/rdf+xml"
    blekinge = ox.NamedNode("http://data.europa.eu/nuts/code/SE221")
    triples = list(ox.parse(response.data, format=ox.RdfFormat.RDF_XML))
    assert ox.Literal("Blekinge County", language="en") in {t.object for t in triples if t.subject == blekinge}


def test_region_colours_match_the_gexf_palette() -> None:
    text = FOLDER.joinpath("region-areas.rq").read_text(encoding="utf-8")
    for kind in ("region", "smart specialisation area", "theme"):
        r, g, b = PALETTE[kind]
        assert f'gephi:kind "{kind}" ; gephi:size' in text
        assert f"gephi:color_r {r} ; gephi:color_g {g} ; gephi:color_b {b} ." in text
