"""Views that open ready to read: positions, sizes and colours for every node, legends, communities,
backbones, isolated nodes and timelines, each valid GEXF 1.3 (dynamic ones included)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from lxml import etree

from ris3kg.graph.export.drawing import (
    COLOUR_BLIND_SAFE,
    NONE_COLOUR,
    OTHER_COLOUR,
    DrawingData,
    DrawingError,
    ViewDefaults,
    disparity_filter,
    draw,
)
from ris3kg.graph.export.formats import ExportFormat, to_bytes
from ris3kg.graph.export.network import Edge, Network, Node, Spell
from ris3kg.graph.export.options import (
    Backbone,
    ColourBy,
    Isolated,
    OptionError,
    SizeBy,
    Timeline,
    ViewOptions,
    parse_options,
)
from ris3kg.graph.export.views import build_view, draw_view, view_names
from ris3kg.graph.store.oxigraph import OxigraphStore

from gexf_schema import NS, schema_errors

ID = "https://w3id.org/ris3kg/id/"
VIZ = "{http://gexf.net/1.3/viz}"
ALLOWED = {*COLOUR_BLIND_SAFE, OTHER_COLOUR, NONE_COLOUR}


@pytest.fixture(scope="module")
def drawn(store: OxigraphStore) -> dict[str, Network]:
    return {name: draw_view(store, name) for name in view_names()}


@pytest.mark.parametrize("name", ["region-areas", "actors", "region-similarity", "bottlenecks", "partners"])
def test_every_node_of_every_view_has_a_position_a_size_and_a_colour_in_the_gexf(
    drawn: dict[str, Network], name: str
) -> None:
    document = to_bytes(drawn[name], ExportFormat.GEXF)
    assert schema_errors(document) is None
    root = etree.fromstring(document)
    nodes = root.findall(".//g:node", NS)
    assert nodes and len(nodes) == len(drawn[name].nodes)
    points = set()
    for node in nodes:
        position, colour, size = node.find(f"{VIZ}position"), node.find(f"{VIZ}color"), node.find(f"{VIZ}size")
        assert position is not None and colour is not None and size is not None, node.get("id")
        assert colour.get("a") is None  # Gephi Lite shows no colour with an alpha
        assert (int(colour.get("r")), int(colour.get("g")), int(colour.get("b"))) in ALLOWED
        assert 5 <= float(size.get("value")) <= 40
        points.add((position.get("x"), position.get("y")))
    assert len(points) == len(nodes)  # laid out, not piled up
    description = root.findtext("g:meta/g:description", namespaces=NS)
    assert "Layout: Fruchterman-Reingold" in description and "Colours by kind" in description


def test_the_layout_is_the_same_every_time(store: OxigraphStore, drawn: dict[str, Network]) -> None:
    again = draw_view(store, "bottlenecks")
    assert [(n.x, n.y) for n in again.nodes] == [(n.x, n.y) for n in drawn["bottlenecks"].nodes]


@pytest.mark.parametrize("colour", list(ColourBy))
def test_colours_follow_the_chosen_attribute_with_a_legend(store: OxigraphStore, colour: ColourBy) -> None:
    network = draw_view(store, "actors", options=ViewOptions(colour=colour))
    by_group: dict[str, set[tuple[int, int, int] | None]] = defaultdict(set)
    for node in network.nodes:
        by_group[str(node.values["colour_group"])].add(node.colour)
    assert all(len(colours) == 1 for colours in by_group.values())  # one colour per group
    legend = {entry.colour: entry for entry in network.legend}
    assert set(legend) == {node.colour for node in network.nodes}
    assert sum(entry.count for entry in network.legend) == len(network.nodes)
    assert len(network.legend) <= len(COLOUR_BLIND_SAFE) + 2
    assert f"Colours by {colour.value}" in network.full_description


def test_helix_roles_and_countries_colour_the_actors(store: OxigraphStore) -> None:
    helix = draw_view(store, "actors", options=ViewOptions(colour=ColourBy.HELIX_ROLE))
    groups = {entry.label for entry in helix.legend}
    assert {"academia", "business", "public-sector"} <= groups
    country = draw_view(store, "actors", options=ViewOptions(colour=ColourBy.COUNTRY))
    assert {"SE", "NO"} <= {entry.label for entry in country.legend}


def test_communities_are_an_integer_attribute_numbered_by_size(drawn: dict[str, Network]) -> None:
    network = drawn["region-areas"]
    communities = [node.values["community"] for node in network.nodes]
    assert all(isinstance(value, int) and value >= 1 for value in communities)
    sizes = [communities.count(number) for number in range(1, max(communities) + 1)]  # type: ignore[type-var]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize("measure", list(SizeBy))
def test_sizes_follow_the_chosen_measure(store: OxigraphStore, measure: SizeBy) -> None:
    network = draw_view(store, "region-areas", options=ViewOptions(size=measure))
    key = measure.value
    values = {node.id: float(node.values[key]) for node in network.nodes}  # type: ignore[arg-type]
    largest = max(network.nodes, key=lambda node: values[node.id])
    assert largest.size == max(node.size for node in network.nodes if node.size is not None)
    if measure is SizeBy.ORGANISATIONS:  # Västernorrland's overlap regions count the organisations named there
        assert values[largest.id] > 0


def test_actors_drop_isolated_nodes_by_default_and_keep_them_when_asked(store: OxigraphStore) -> None:
    dropped = draw_view(store, "actors")
    kept = draw_view(store, "actors", options=ViewOptions(isolated=Isolated.KEEP))
    linked = {e.source for e in dropped.edges} | {e.target for e in dropped.edges}
    assert all(node.id in linked for node in dropped.nodes)
    assert len(kept.nodes) == len(build_view(store, "actors").nodes) > len(dropped.nodes)
    assert "without edges dropped" in dropped.full_description


def test_region_similarity_keeps_its_backbone_with_weights(store: OxigraphStore) -> None:
    backbone = draw_view(store, "region-similarity")
    everything = draw_view(store, "region-similarity", options=ViewOptions(backbone=Backbone.NONE))
    assert 0 < len(backbone.edges) < len(everything.edges) / 3
    assert "disparity filter at alpha 0.2" in backbone.full_description
    linked = {e.source for e in backbone.edges} | {e.target for e in backbone.edges}
    assert len(linked) >= len(backbone.nodes) - 2  # nearly every region keeps a link
    stricter = draw_view(store, "region-similarity", options=ViewOptions(alpha=0.05))
    assert len(stricter.edges) < len(backbone.edges)


def test_the_disparity_filter_keeps_the_edge_that_dominates_a_node() -> None:
    nodes = tuple(Node(name, name, "region") for name in "abcde")
    edges = (Edge("a", "b", "s", 20.0), Edge("a", "c", "s", 1.0), Edge("a", "d", "s", 1.0), Edge("a", "e", "s", 1.0))
    kept = disparity_filter(Network("n", "", False, nodes, edges), alpha=0.05)
    assert [(e.source, e.target) for e in kept.edges] == [("a", "b")]


def test_a_backbone_on_a_view_not_weighted_by_similarity_is_refused(store: OxigraphStore) -> None:
    with pytest.raises(DrawingError, match="backbone=disparity applies to the views weighted by similarity"):
        draw_view(store, "actors", options=ViewOptions(backbone=Backbone.DISPARITY))


def test_bad_options_name_the_option_and_its_values() -> None:
    with pytest.raises(OptionError, match="unknown colour 'hue'; use one of kind, strategy, country"):
        parse_options({"colour": "hue"})
    with pytest.raises(OptionError, match="alpha '2' is out of range"):
        parse_options({"alpha": "2"})
    assert parse_options({"size": "betweenness", "isolated": "drop"}) == ViewOptions(
        size=SizeBy.BETWEENNESS, isolated=Isolated.DROP
    )


def test_a_period_timeline_is_a_valid_dynamic_gexf(store: OxigraphStore) -> None:
    network = draw_view(store, "region-areas", options=ViewOptions(timeline=Timeline.PERIOD))
    nms = [node for node in network.nodes if node.values.get("strategy") == ("nms",)]
    assert nms and all(node.spells == (Spell("2021-01-01", "2027-12-31"),) for node in nms)
    blekinge = [node for node in network.nodes if node.values.get("strategy") == ("blekinge",)]
    assert blekinge and all(node.spells == () for node in blekinge)  # no period stated: always there
    document = to_bytes(network, ExportFormat.GEXF)
    assert schema_errors(document) is None
    root = etree.fromstring(document)
    graph = root.find("g:graph", NS)
    assert graph is not None and (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    spells = root.findall(".//g:node/g:spells/g:spell", NS)
    assert spells and all(s.get("start") == "2021-01-01" and s.get("end") == "2027-12-31" for s in spells)


def test_version_spells_open_at_acceptance_and_edges_live_when_both_ends_do() -> None:
    nodes = (
        Node("a", "A", "action", {"strategy": ("x",)}),
        Node("b", "B", "action", {"strategy": ("x", "y")}),
        Node("t", "T", "theme"),
    )
    edges = (Edge("a", "t", "theme"), Edge("a", "b", "serves"))
    network = draw(
        Network("n", "", True, nodes, edges),
        ViewOptions(timeline=Timeline.VERSION),
        defaults=ViewDefaults(),
        data=DrawingData(intervals={"x": (Spell("2026-03-01", None),)}),
    )
    spells = {node.id: node.spells for node in network.nodes}
    assert spells == {"a": (Spell("2026-03-01", None),), "b": (), "t": ()}  # y has no version: b is always there
    assert [edge.spells for edge in network.edges] == [(Spell("2026-03-01", None),)] * 2
    assert schema_errors(to_bytes(network, ExportFormat.GEXF)) is None
    assert "accepted, onwards" in network.full_description


def test_spells_never_overlap_and_an_edge_lives_only_when_both_ends_do() -> None:
    nodes = (
        Node("a", "A", "theme", {"strategy": ("x", "y")}),
        Node("b", "B", "action", {"strategy": ("y",)}),
        Node("c", "C", "action", {"strategy": ("z",)}),
    )
    edges = (Edge("a", "b", "theme"), Edge("b", "c", "serves"))
    network = draw(
        Network("n", "", True, nodes, edges),
        ViewOptions(timeline=Timeline.VERSION),
        defaults=ViewDefaults(),
        data=DrawingData(
            intervals={
                "x": (Spell("2025-01-01", None),),
                "y": (Spell("2026-03-01", "2026-12-31"),),
                "z": (Spell("2014-01-01", "2020-12-31"),),
            }
        ),
    )
    spells = {node.id: node.spells for node in network.nodes}
    assert spells["a"] == (Spell("2025-01-01", None),)  # merged: Gephi refuses overlapping spells
    assert [(e.source, e.target, e.spells) for e in network.edges] == [("a", "b", (Spell("2026-03-01", "2026-12-31"),))]
    assert "1 edges whose ends never exist at the same time are left out" in network.full_description
