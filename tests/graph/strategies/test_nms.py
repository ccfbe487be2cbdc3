"""Norra Mellansverige's strategy for industrial transition (002_…) against what the text states."""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal, URIRef

from ris3kg.ontology.namespaces import NUTS, PREFIXES, RIS3, VOC

from conftest import instances

DCTERMS = PREFIXES["dcterms"]


@pytest.fixture(scope="module")
def graph(strategy_graphs: dict[str, Graph]) -> Graph:
    return strategy_graphs["nms"]


def _sv(graph: Graph, node: URIRef) -> str:
    return next(str(x) for x in graph.objects(node, RDFS.label) if isinstance(x, Literal) and x.language == "sv")


def _values(graph: Graph) -> set[float]:
    return {float(graph.value(f, RIS3.value).toPython()) for f in instances(graph, RIS3.Figure)}  # type: ignore[union-attr]


def test_the_three_counties_and_the_nuts_2_region(graph: Graph) -> None:
    strategy = URIRef(PREFIXES["nms"] + "strategy")
    regions = set(graph.objects(strategy, URIRef(DCTERMS + "spatial")))
    assert {NUTS.SE31, NUTS.SE311, NUTS.SE312, NUTS.SE313} <= regions
    assert len(set(graph.objects(strategy, RIS3.owner))) == 3


def test_five_challenges(graph: Graph) -> None:
    challenges = [c for c in instances(graph, RIS3.Challenge) if graph.value(c, RIS3.ordinal) is not None]
    by_number = {int(graph.value(c, RIS3.ordinal)): _sv(graph, c).lower() for c in challenges}  # type: ignore[arg-type]
    assert sorted(by_number) == [1, 2, 3, 4, 5]
    for number, word in (
        (1, "innovationskapacitet"),
        (2, "matchning"),
        (3, "forskning"),
        (4, "internationalisering"),
        (5, "samordning"),
    ):
        assert word in by_number[number], (number, by_number[number])


def test_six_priorities_four_core_two_horizontal_each_with_steps(graph: Graph) -> None:
    priorities = instances(graph, RIS3.Priority)
    assert sorted(int(graph.value(p, RIS3.ordinal)) for p in priorities) == [1, 2, 3, 4, 5, 6]  # type: ignore[arg-type]
    kinds = [graph.value(p, RIS3.priorityKind) for p in priorities]
    assert kinds.count(VOC["priority-core"]) == 4 and kinds.count(VOC["priority-horizontal"]) == 2
    horizontal = {
        _sv(graph, p).lower() for p in priorities if graph.value(p, RIS3.priorityKind) == VOC["priority-horizontal"]
    }
    assert any("grön och cirkulär" in h for h in horizontal)
    for priority in priorities:
        assert list(graph.objects(priority, RIS3.hasStep)), f"{priority} has no steps"
    assert len(instances(graph, RIS3.Step)) >= 20


def test_the_strong_industries(graph: Graph) -> None:
    strong = [a for a in instances(graph, RIS3.SpecialisationArea) if (a, RIS3.areaKind, VOC["kind-strength"]) in graph]
    assert len(strong) == 4
    assert any("stål" in _sv(graph, a).lower() for a in strong)


def test_industry_figures(graph: Graph) -> None:
    values = _values(graph)
    assert {50_000, 2_500, 7_900_000_000, 10_000, 85, 109, 98} <= values


def test_follow_up_dates(graph: Graph) -> None:
    years = {int(graph.value(m, RIS3.year).toPython()) for m in instances(graph, RIS3.Milestone)}  # type: ignore[union-attr]
    assert {2022, 2024} <= years


def test_four_swot_tables_with_all_four_quadrants(graph: Graph) -> None:
    analyses = instances(graph, RIS3.SwotAnalysis)
    assert len(analyses) == 4
    for analysis in analyses:
        entries = set(graph.subjects(RIS3.inAnalysis, analysis))
        categories = {graph.value(e, RIS3.swotCategory) for e in entries}
        assert categories == {VOC[f"swot-{c}"] for c in ("strength", "weakness", "opportunity", "threat")}, analysis
    assert len(instances(graph, RIS3.SwotEntry)) >= 60


def test_industrial_transition_pilot_and_oecd(graph: Graph) -> None:
    projects = instances(graph, RIS3.Project)
    assert any("pilot" in _sv(graph, p).lower() for p in projects)
    assert (None, None, URIRef(PREFIXES["actor"] + "oecd")) in graph
    assert (None, None, URIRef(PREFIXES["actor"] + "paper-province")) in graph
