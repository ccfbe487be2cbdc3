"""The export blueprint draws every view: options from the URL, clear 400s for wrong ones, layouts reused."""

from __future__ import annotations

from lxml import etree

from gexf_schema import NS, schema_errors

VIZ = "{http://gexf.net/1.3/viz}"


def test_a_view_comes_laid_out_and_coloured_as_asked(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/region-similarity.gexf?colour=community&size=weighted_degree&backbone=none")
    assert response.status_code == 200, response.data
    assert schema_errors(response.data) is None
    root = etree.fromstring(response.data)
    nodes = root.findall(".//g:node", NS)
    assert nodes and all(node.find(f"{VIZ}position") is not None for node in nodes)
    description = root.findtext("g:meta/g:description", namespaces=NS)
    assert "Colours by community" in description and "Backbone: none" in description
    assert "Sizes: weighted degree" in description


def test_the_same_layout_whatever_the_colours(client) -> None:  # type: ignore[no-untyped-def]
    def positions(query: str) -> dict[str, tuple[str, str]]:
        root = etree.fromstring(client.get("/export/bottlenecks.gexf" + query).data)
        return {
            node.get("id"): (node.find(f"{VIZ}position").get("x"), node.find(f"{VIZ}position").get("y"))
            for node in root.findall(".//g:node", NS)
        }

    assert positions("?colour=strategy") == positions("?colour=theme&size=betweenness")


def test_a_timeline_gives_a_dynamic_gexf(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/region-areas.gexf?timeline=period")
    assert response.status_code == 200
    assert schema_errors(response.data) is None
    graph = etree.fromstring(response.data).find("g:graph", NS)
    assert graph is not None and graph.get("mode") == "dynamic"


def test_wrong_options_are_400s_that_say_what_to_give(client) -> None:  # type: ignore[no-untyped-def]
    colour = client.get("/export/actors.gexf?colour=hue", headers={"Accept": "application/json"})
    assert colour.status_code == 400
    assert "unknown colour 'hue'; use one of kind, strategy, country, theme, helix_role, community" in colour.text
    backbone = client.get("/export/actors.gexf?backbone=disparity", headers={"Accept": "application/json"})
    assert backbone.status_code == 400 and "applies to the views weighted by similarity" in backbone.text
    alpha = client.get("/export/region-similarity.gexf?alpha=x", headers={"Accept": "application/json"})
    assert alpha.status_code == 400 and "alpha 'x' is not a number" in alpha.text


QUERY = (
    "PREFIX ris3: <https://w3id.org/ris3kg/ontology#>\n"
    "SELECT ?source ?target WHERE { ?source ris3:theme ?target } LIMIT 50"
)


def test_a_query_export_is_drawn_in_the_export_worker(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/query.gexf", query_string={"query": QUERY, "colour": "community"})
    assert response.status_code == 200, response.text
    assert schema_errors(response.data) is None
    root = etree.fromstring(response.data)
    nodes = root.findall(".//g:node", NS)
    assert nodes and all(node.find(f"{VIZ}position") is not None for node in nodes)
    assert "Colours by community" in root.findtext("g:meta/g:description", namespaces=NS)


def test_a_query_export_refuses_bad_options_and_infinite_weights(client) -> None:  # type: ignore[no-untyped-def]
    colour = client.get("/export/query.gexf", query_string={"query": QUERY, "colour": "hue"})
    assert colour.status_code == 400 and "unknown colour 'hue'" in colour.text
    infinite = (
        "PREFIX ris3: <https://w3id.org/ris3kg/ontology#>\n"
        'SELECT ?source ?target ?weight WHERE { ?source ris3:theme ?target BIND("INF" AS ?weight) } LIMIT 5'
    )
    weight = client.get("/export/query.gexf", query_string={"query": infinite})
    assert weight.status_code == 400 and "is not a finite number" in weight.text


def test_the_index_lists_each_views_options_and_page(client) -> None:  # type: ignore[no-untyped-def]
    views = {view["name"]: view for view in client.get("/export/").json}
    assert views["actors"]["page"] == "/network/actors"
    assert views["actors"]["options"]["isolated"]["default"] == "drop"
    assert "backbone" not in views["actors"]["options"]
    similarity = views["region-similarity"]["options"]
    assert similarity["backbone"] == {"values": ["disparity", "none"], "default": "disparity"}
    assert similarity["alpha"]["default"] == 0.2
    assert views["bottlenecks"]["options"]["colour"]["values"][-1] == "community"
