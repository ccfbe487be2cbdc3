"""The named network views, built from the seed store: real facts of the data, filters and errors."""

from __future__ import annotations

import pytest

from ris3kg.graph.export.network import Network
from ris3kg.graph.export.views import VIEWS, FilterError, UnknownViewError, ViewFilter, build_view, view_names
from ris3kg.graph.store.oxigraph import OxigraphStore

NUTS = "http://data.europa.eu/nuts/code/"
ID = "https://w3id.org/ris3kg/id/"


def edge_set(network: Network) -> set[tuple[str, str, str]]:
    return {(edge.source, edge.target, edge.relation) for edge in network.edges}


def node(network: Network, node_id: str):  # type: ignore[no-untyped-def]
    return next(n for n in network.nodes if n.id == node_id)


@pytest.fixture(scope="module")
def networks(store: OxigraphStore) -> dict[str, Network]:
    return {name: build_view(store, name) for name in view_names()}


def test_the_views_are_listed() -> None:
    assert view_names() == ("region-areas", "actors", "region-similarity", "bottlenecks", "partners")


@pytest.mark.parametrize("name", ["region-areas", "actors", "region-similarity", "bottlenecks", "partners"])
def test_every_edge_joins_two_nodes_and_degrees_add_up(networks: dict[str, Network], name: str) -> None:
    network = networks[name]
    ids = [n.id for n in network.nodes]
    assert len(ids) == len(set(ids)) and network.edges
    assert {e.source for e in network.edges} | {e.target for e in network.edges} <= set(ids)
    assert sum(int(n.values["degree"]) for n in network.nodes) == 2 * len(network.edges)  # type: ignore[call-overload]


def test_blekinge_specialises_in_tech_which_has_the_digitalisation_theme(networks: dict[str, Network]) -> None:
    network = networks["region-areas"]
    assert (NUTS + "SE221", ID + "blekinge/area-tech", "hasArea") in edge_set(network)
    assert (ID + "blekinge/area-tech", ID + "theme/digitalisation", "theme") in edge_set(network)
    area = node(network, ID + "blekinge/area-tech")
    assert area.kind == "smart specialisation area"
    assert area.label == "Tech - digitalisation and smarter societies"
    assert area.values["strategy"] == ("blekinge",)
    assert area.values["region"] == ("SE221",)
    assert area.values["theme"] == ("digitalisation", "smart-cities")
    region = node(network, NUTS + "SE221")
    assert (region.label, region.kind, region.values["region"]) == ("Blekinge County", "region", ("SE221",))


def test_overlap_regions_link_to_areas_weighted_by_organisations(networks: dict[str, Network]) -> None:
    overlap = next(
        e
        for e in networks["region-areas"].edges
        if e.source == NUTS + "FI1D" and e.target == ID + "vasternorrland/area-forest-bioeconomy"
    )
    assert (overlap.relation, overlap.weight) == ("overlapsWith", 3.0)


def test_labels_follow_the_language_with_english_fallback(store: OxigraphStore) -> None:
    network = build_view(store, "region-areas", view_filter=ViewFilter(language="sv"))
    assert node(network, ID + "norrbotten/area-nature-based-economy").label == "Naturbaserad ekonomi"
    assert node(network, NUTS + "SE221").label == "Blekinge län"
    assert node(network, ID + "theme/energy").label == "energi"
    # Blekinge's strategy is English only: its areas fall back to English.
    assert node(network, ID + "blekinge/area-tech").label == "Tech - digitalisation and smarter societies"


def test_actors_carry_helix_role_region_and_list_valued_strategies(networks: dict[str, Network]) -> None:
    network = networks["actors"]
    irf = node(network, ID + "actor/irf")
    assert (irf.kind, irf.values["helix_role"], irf.values["region"]) == (
        "research institute",
        ("academia",),
        ("SE332",),
    )
    dalarna = node(network, ID + "actor/region-dalarna")
    assert dalarna.values["helix_role"] == ("public-sector",)
    assert (ID + "actor/region-dalarna", ID + "actor/vanguard-initiative", "participatesIn") in edge_set(network)
    assert (ID + "actor/region-dalarna", NUTS + "SE312", "locatedIn") in edge_set(network)
    several = [n for n in network.nodes if len(n.values["strategy"]) > 1]  # type: ignore[arg-type]
    assert ID + "actor/european-union" in {n.id for n in several}


def test_region_similarity_joins_regions_sharing_an_area(networks: dict[str, Network]) -> None:
    network = networks["region-similarity"]
    assert not network.directed and {n.kind for n in network.nodes} == {"region"}
    pairs = {frozenset((e.source, e.target)): e for e in network.edges}
    edge = pairs[frozenset((NUTS + "FI1D", NUTS + "SE321"))]
    assert edge.relation == "sharesArea"
    assert "Forest-based bioeconomy" in " ".join(edge.values["shared_areas"])  # type: ignore[arg-type]
    assert edge.weight == len(edge.values["shared_themes"]) + len(edge.values["shared_areas"])  # type: ignore[arg-type]


def test_bottlenecks_with_the_actions_addressing_them_and_what_they_serve(networks: dict[str, Network]) -> None:
    edges = edge_set(networks["bottlenecks"])
    assert (ID + "blekinge/action-6-1", ID + "blekinge/bottleneck-6", "addresses") in edges
    assert (ID + "blekinge/action-1-3", ID + "blekinge/area-tech", "serves") in edges
    kinds = {n.kind for n in networks["bottlenecks"].nodes}
    assert {"bottleneck", "challenge", "action", "smart specialisation area"} <= kinds


def test_strategy_filter_keeps_one_strategy_and_its_themes(store: OxigraphStore) -> None:
    network = build_view(store, "region-areas", view_filter=ViewFilter(strategies=("blekinge",)))
    areas = {n.id for n in network.nodes if n.kind == "smart specialisation area"}
    assert areas == {ID + "blekinge/area-tech", ID + "blekinge/area-smart-industry", ID + "blekinge/area-missions"}
    assert {n.id for n in network.nodes if n.kind == "region"} == {NUTS + "SE221"}


def test_region_and_theme_filters(store: OxigraphStore) -> None:
    by_region = build_view(store, "actors", view_filter=ViewFilter(regions=("SE332",)))
    assert ID + "actor/irf" in {n.id for n in by_region.nodes}
    assert ID + "actor/region-dalarna" not in {n.id for n in by_region.nodes}
    by_theme = build_view(store, "region-areas", view_filter=ViewFilter(themes=("space",)))
    assert all("space" in n.values["theme"] for n in by_theme.nodes if n.kind != "region")  # type: ignore[operator]
    assert by_theme.nodes and len(by_theme.nodes) < 20


def test_unknown_view_lists_the_views(store: OxigraphStore) -> None:
    with pytest.raises(UnknownViewError, match=r"unknown view 'regions'.*region-areas, actors, region-similarity"):
        build_view(store, "regions")


@pytest.mark.parametrize(
    ("view_filter", "message"),
    [
        (ViewFilter(strategies=("lapland",)), "unknown strategy 'lapland'.*blekinge"),
        (ViewFilter(regions=("SE999",)), "unknown region 'SE999'"),
        (ViewFilter(themes=("nuclear",)), "unknown theme 'nuclear'.*energy"),
        (ViewFilter(language="xx"), "unknown language 'xx'; use one of en, sv, nb, bg"),
    ],
)
def test_bad_filters_name_the_field(store: OxigraphStore, view_filter: ViewFilter, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        build_view(store, "actors", view_filter=view_filter)


def test_views_come_out_in_the_same_order_every_time(store: OxigraphStore) -> None:
    for name in VIEWS:
        first, second = (build_view(store, name, view_filter=ViewFilter()) for _ in range(2))
        assert [n.id for n in first.nodes] == sorted(n.id for n in first.nodes) == [n.id for n in second.nodes]
        assert first.edges == second.edges
