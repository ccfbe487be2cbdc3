"""WSP's S3 mapping for Region Västernorrland (004_…) against what the text states."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef

from ris3kg.ontology.namespaces import NUTS, PREFIXES, RIS3, VOC

from conftest import instances

V = PREFIXES["vasternorrland"]


@pytest.fixture(scope="module")
def graph(strategy_graphs: dict[str, Graph]) -> Graph:
    return strategy_graphs["vasternorrland"]


def test_five_strength_areas_one_horizontal_and_four_development_areas(graph: Graph) -> None:
    areas = instances(graph, RIS3.SpecialisationArea)
    kinds = Counter(k for a in areas for k in graph.objects(a, RIS3.areaKind))
    assert len(areas) == 9
    assert kinds[VOC["kind-strength"]] == 5 and kinds[VOC["kind-development"]] == 4
    assert kinds[VOC["kind-horizontal"]] == 1


def test_286_organisations_and_the_count_per_area(graph: Graph) -> None:
    figures = instances(graph, RIS3.Figure)
    by_about: dict[object, list[int]] = {}
    for figure in figures:
        if graph.value(figure, RIS3.measure) == VOC["measure-organisations"]:
            value = int(graph.value(figure, RIS3.value).toPython())  # type: ignore[union-attr]
            by_about.setdefault(graph.value(figure, RIS3.about), []).append(value)
    per_area = sorted(
        v for about, values in by_about.items() if about in instances(graph, RIS3.SpecialisationArea) for v in values
    )
    assert per_area == sorted([18, 51, 43, 19, 24, 45, 63, 13, 39])
    assert any(286 in values for values in by_about.values())


def test_overlapping_regions_are_nuts_regions_with_one_overlap_per_region_and_area(graph: Graph) -> None:
    overlaps = instances(graph, RIS3.PriorityOverlap)
    pairs = {(graph.value(o, RIS3.overlapRegion), graph.value(o, RIS3.overlapArea)) for o in overlaps}
    assert len(pairs) == len(overlaps) == 87
    regions = {region for region, _ in pairs}
    assert len(regions) == 22
    for code in (
        "EL30",
        "DK04",
        "ITH5",
        "ITC4",
        "ITC1",
        "ES11",
        "ES51",
        "ES41",
        "ES30",
        "FRK",
        "FI1D",
        "FI19",
        "NL41",
        "RO11",
        "RO32",
        "LT01",
        "AT31",
        "AT22",
        "SE22",
        "SE311",
        "SE23",
    ):
        assert NUTS[code] in regions, code
    counted = {
        int(graph.value(o, RIS3.organisationCount).toPython())
        for o in overlaps  # type: ignore[union-attr]
        if graph.value(o, RIS3.organisationCount) is not None
    }
    assert counted == {2, 3}


def test_mapping_timeline_and_team(graph: Graph) -> None:
    years = [int(graph.value(m, RIS3.year).toPython()) for m in instances(graph, RIS3.Milestone)]  # type: ignore[union-attr]
    assert len(years) >= 5 and set(years) == {2022}
    assert len(instances(graph, RIS3.Person)) == 6


def test_no_personal_contact_data(strategy_graphs: dict[str, Graph]) -> None:
    contact = re.compile(r"[\w.]+@[\w-]+\.\w+|\b0\d{2,3}-\d{2,3} ?\d{2} ?\d{2}\b")
    for key, graph in strategy_graphs.items():
        for literal in graph.objects():
            if isinstance(literal, Literal):
                assert not contact.search(str(literal)), (key, str(literal))


def test_the_study_is_funded_by_the_erdf(graph: Graph) -> None:
    erdf = URIRef(PREFIXES["fund"] + "erdf")
    assert (None, RIS3.fundedBy, erdf) in graph
    assert (URIRef(V + "study"), RIS3.studyOf, URIRef(V + "strategy")) in graph
