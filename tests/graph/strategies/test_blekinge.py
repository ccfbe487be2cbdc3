"""Blekinge's strategy (000_…) against what the text states."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from ris3kg.ontology.namespaces import NUTS, PREFIXES, RIS3, VOC

from conftest import instances

B = PREFIXES["blekinge"]


@pytest.fixture(scope="module")
def graph(strategy_graphs: dict[str, Graph]) -> Graph:
    return strategy_graphs["blekinge"]


def _label(graph: Graph, node: URIRef) -> str:
    return str(graph.value(node, URIRef(PREFIXES["rdfs"] + "label")))


def test_three_specialisations_with_their_kinds(graph: Graph) -> None:
    areas = {int(graph.value(a, RIS3.ordinal)): a for a in instances(graph, RIS3.SpecialisationArea)}  # type: ignore[arg-type]
    assert sorted(areas) == [1, 2, 3]
    kinds = {n: set(graph.objects(a, RIS3.areaKind)) for n, a in areas.items()}
    assert _label(graph, areas[1]).startswith("Smart industry")
    assert VOC["kind-horizontal"] in kinds[2] and _label(graph, areas[2]).startswith("Tech")
    assert VOC["kind-method"] in kinds[3] and _label(graph, areas[3]).startswith("Missions")


def test_marine_technology_is_a_development_sub_area_of_smart_industry(graph: Graph) -> None:
    marine = [s for s in instances(graph, RIS3.SubArea) if "marine technology" in _label(graph, s).lower()]
    assert len(marine) == 1
    assert (None, RIS3.hasSubArea, marine[0]) in graph
    assert VOC["kind-development"] in set(graph.objects(marine[0], RIS3.areaKind))


def test_seven_bottlenecks_each_with_proposed_actions(graph: Graph) -> None:
    bottlenecks = instances(graph, RIS3.Bottleneck)
    assert sorted(int(graph.value(b, RIS3.ordinal)) for b in bottlenecks) == list(range(1, 8))  # type: ignore[arg-type]
    for bottleneck in bottlenecks:
        assert list(graph.subjects(RIS3.addresses, bottleneck)), f"nothing addresses {bottleneck}"
    assert "critical mass" in _label(graph, URIRef(B + "bottleneck-1"))


def test_bullet_lists_of_bottlenecks_6_and_7_are_all_there(graph: Graph) -> None:
    for number, bullets in ((6, 4), (7, 5)):
        actions = set(graph.subjects(RIS3.addresses, URIRef(f"{B}bottleneck-{number}"))) & instances(graph, RIS3.Action)
        assert len(actions) >= bullets


def test_coastal_railway_is_an_initiative_for_critical_mass(graph: Graph) -> None:
    railway = [i for i in instances(graph, RIS3.Initiative) if "railway" in _label(graph, i).lower()]
    assert len(railway) == 1
    assert (railway[0], RIS3.addresses, URIRef(B + "bottleneck-1")) in graph


def test_five_overall_initiatives(graph: Graph) -> None:
    numbered = [i for i in instances(graph, RIS3.Initiative) if graph.value(i, RIS3.ordinal) is not None]
    assert sorted(int(graph.value(i, RIS3.ordinal)) for i in numbered) == [1, 2, 3, 4, 5]  # type: ignore[arg-type]


def test_four_level_organisation(graph: Graph) -> None:
    bodies = instances(graph, RIS3.GovernanceBody)
    levels = {graph.value(b, RIS3.governanceLevel) for b in bodies}
    assert levels == {VOC[f"level-{x}"] for x in ("political", "strategic", "coordinating", "operational")}
    operational = [b for b in bodies if graph.value(b, RIS3.governanceLevel) == VOC["level-operational"]]
    assert len(operational) == 3, "one operational working group per specialisation"
    run = [b for b in bodies if graph.value(b, RIS3.governanceLevel) == VOC["level-political"]]
    secretariat = [b for b in bodies if graph.value(b, RIS3.governanceLevel) == VOC["level-coordinating"]]
    assert len(run) == 1 and len(secretariat) == 1
    assert (secretariat[0], URIRef(PREFIXES["org"] + "reportsTo"), run[0]) in graph


def test_innovation_ecosystem_counts_are_figures_not_invented_actors(graph: Graph) -> None:
    values = sorted(int(graph.value(f, RIS3.value)) for f in instances(graph, RIS3.Figure))  # type: ignore[arg-type]
    assert values == [1, 1, 2]
    assert not instances(graph, RIS3.SciencePark) and not instances(graph, RIS3.Incubator)


def test_strategy_covers_blekinge_and_states_no_period(graph: Graph) -> None:
    strategy = URIRef(B + "strategy")
    assert graph.value(strategy, URIRef(PREFIXES["dcterms"] + "spatial")) == NUTS.SE221
    assert graph.value(strategy, URIRef(PREFIXES["dcterms"] + "temporal")) is None


def test_labels_are_english_as_the_document(graph: Graph) -> None:
    for label in graph.objects(None, URIRef(PREFIXES["rdfs"] + "label")):
        assert isinstance(label, Literal) and label.language == "en"
