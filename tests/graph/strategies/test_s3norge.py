"""The Norwegian note "Smart spesialisering – hva nå?" (003_…) against what the text states."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from ris3kg.ontology.namespaces import NUTS, PREFIXES, RIS3, VOC

from conftest import instances

S = PREFIXES["s3norge"]


@pytest.fixture(scope="module")
def graph(strategy_graphs: dict[str, Graph]) -> Graph:
    return strategy_graphs["s3norge"]


def test_a_note_and_a_study_not_a_strategy(graph: Graph) -> None:
    document = URIRef(S + "document")
    assert graph.value(document, RIS3.documentType) == VOC["doc-note"]
    assert (URIRef(S + "study"), RIS3.documentedIn, document) in graph
    assert len(set(graph.subjects(RIS3.inStudy, URIRef(S + "study")))) > 30


def test_nordland_strategy_with_its_three_priority_areas_and_process_industry(graph: Graph) -> None:
    strategy = URIRef(S + "strategy-nordland")
    assert graph.value(strategy, URIRef(PREFIXES["dcterms"] + "spatial")) == NUTS.NO071
    areas = set(graph.subjects(RIS3.inStrategy, strategy)) & instances(graph, RIS3.SpecialisationArea)
    assert {URIRef(S + f"area-{a}") for a in ("energy-based-industry", "tourism", "seafood")} <= areas
    assert len(areas) == 4, "the three satsningsområder and the process industry"


def test_counties_carry_the_nuts_version_of_their_time(graph: Graph) -> None:
    used = {o for o in graph.objects() if isinstance(o, URIRef) and o.startswith(PREFIXES["nuts"])}
    # after the 2020 reform: Viken, Agder, Oslo, Møre og Romsdal (2021 codes); Trøndelag, Nordland unchanged
    assert {NUTS.NO082, NUTS.NO092, NUTS.NO081, NUTS.NO0A3, NUTS.NO060, NUTS.NO071} <= used
    # named as they were before the reform: Oppland and Østfold (2016 codes)
    assert {NUTS.NO022, NUTS.NO031} <= used
    # never the 2024 codes of the re-split counties, nor Østfold's 2024 code
    assert not used & {NUTS.NO083, NUTS.NO084, NUTS.NO085}


def test_viken_trondelag_and_oslo_do_not_work_with_s3(graph: Graph) -> None:
    judged = {}
    for assessment in instances(graph, RIS3.Assessment):
        entity = graph.value(assessment, RIS3.assessedEntity)
        met = graph.value(assessment, RIS3.criterionMet)
        judged.setdefault(entity, set()).add(bool(met.toPython()) if met is not None else None)  # type: ignore[union-attr]
    for county in (NUTS.NO082, NUTS.NO060, NUTS.NO081):
        assert False in judged.get(county, set()), county
    assert True in judged.get(NUTS.NO071, set())


def test_survey_figures_per_eu_criterion(graph: Graph) -> None:
    criteria = {graph.value(f, RIS3.criterion) for f in instances(graph, RIS3.Figure)}
    assert {
        VOC["s3-leadership"],
        VOC["s3-analysis"],
        VOC["s3-priorities"],
        VOC["s3-entrepreneurial-discovery"],
    } <= criteria
    leadership = sorted(
        int(graph.value(f, RIS3.value).toPython())  # type: ignore[union-attr]
        for f in instances(graph, RIS3.Figure)
        if graph.value(f, RIS3.criterion) == VOC["s3-leadership"]
    )
    assert leadership == sorted([3, 4, 3, 1, 6, 5, 4, 3])


def test_nine_portfolio_principles(graph: Graph) -> None:
    numbered = [p for p in instances(graph, RIS3.Principle) if p.startswith(S + "principle-portfolio-")]
    assert sorted(int(graph.value(p, RIS3.ordinal)) for p in numbered) == list(range(1, 10))  # type: ignore[arg-type]


def test_the_mo_i_rana_case(graph: Graph) -> None:
    values = {float(graph.value(f, RIS3.value).toPython()) for f in instances(graph, RIS3.Figure)}  # type: ignore[union-attr]
    assert {130_000_000, 117_000_000, 40, 1500} <= values
    employment = URIRef(S + "figure-freyr-main-factory-employment")
    assert graph.value(employment, RIS3.upperValue).toPython() == 2000  # type: ignore[union-attr]
    assert graph.value(employment, RIS3.valueQualifier) == VOC["value-range"]
    actor = PREFIXES["actor"]
    for name in ("freyr", "nordland-fylkeskommune", "innovasjon-norge", "nordlandsforskning"):
        assert (URIRef(actor + name), None, None) in graph, name
    freyr_partners = set(graph.objects(URIRef(actor + "freyr"), RIS3.collaboratesWith))
    assert len(freyr_partners) >= 6
