"""Norrbotten's short version (001_…) against what the text states."""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ris3kg.ontology.namespaces import NUTS, PREFIXES, RIS3, VOC

from conftest import instances

N = PREFIXES["norrbotten"]

# The strength table as printed (Ja = True): research, locomotive companies, medium-sized, micro and small.
TABLE = {
    "area-arctic-test-beds": (True, False, True, True),
    "area-energy-technology": (True, True, True, True),
    "area-space-technology": (True, False, False, True),
    "area-cultural-creative-industries": (False, False, False, True),
    "area-visitor-economy": (False, False, False, True),
    "area-nature-based-economy": (True, True, True, True),
    "area-smart-society": (True, True, False, False),
}
CRITERIA = (
    "criterion-research",
    "criterion-locomotive-companies",
    "criterion-medium-sized-companies",
    "criterion-micro-small-companies",
)


@pytest.fixture(scope="module")
def graph(strategy_graphs: dict[str, Graph]) -> Graph:
    return strategy_graphs["norrbotten"]


def _sv(graph: Graph, node: URIRef) -> str:
    return next(str(x) for x in graph.objects(node, RDFS.label) if isinstance(x, Literal) and x.language == "sv")


def test_vision_and_goal_in_swedish(graph: Graph) -> None:
    (vision,) = instances(graph, RIS3.Vision)
    assert "permanent världsutställning för en hållbar och innovativ framtid" in _sv(graph, vision)
    assert any("hållbar tillväxt" in _sv(graph, g) for g in instances(graph, RIS3.Goal))


def test_one_s3_area_five_diversification_areas_and_smart_society(graph: Graph) -> None:
    areas = instances(graph, RIS3.SpecialisationArea)
    kinds = {a: set(graph.objects(a, RIS3.areaKind)) for a in areas}
    assert [a for a, k in kinds.items() if VOC["kind-specialisation"] in k] == [URIRef(N + "area-nature-based-economy")]
    diversification = [a for a, k in kinds.items() if VOC["kind-diversification"] in k]
    assert sorted(int(graph.value(a, RIS3.ordinal)) for a in diversification) == [1, 2, 3, 4, 5]  # type: ignore[arg-type]
    assert VOC["kind-horizontal"] in kinds[URIRef(N + "area-smart-society")]
    assert len(areas) == 7


def test_strength_table_cell_by_cell(graph: Graph) -> None:
    assessments = instances(graph, RIS3.Assessment)
    assert len(assessments) == 28
    cells = {
        (str(graph.value(a, RIS3.assessedEntity))[len(N) :], str(graph.value(a, RIS3.criterion))[len(N) :]): bool(
            graph.value(a, RIS3.criterionMet).toPython()  # type: ignore[union-attr]
        )
        for a in assessments
    }
    for area, row in TABLE.items():
        for criterion, met in zip(CRITERIA, row, strict=True):
            assert cells[(area, criterion)] is met, (area, criterion)


def test_only_two_areas_meet_all_four_criteria(graph: Graph) -> None:
    full = [area for area, row in TABLE.items() if all(row)]
    assert sorted(full) == ["area-energy-technology", "area-nature-based-economy"]
    scheme = URIRef(N + "strength-criteria")
    assert len(set(graph.subjects(SKOS.inScheme, scheme))) == 4


def test_five_strategic_opportunities_a_to_e_with_proposals(graph: Graph) -> None:
    opportunities = instances(graph, RIS3.StrategicOpportunity)
    assert sorted(str(graph.value(o, SKOS.notation)) for o in opportunities) == ["A", "B", "C", "D", "E"]
    counts = {
        str(graph.value(o, SKOS.notation)): len(set(graph.subjects(RIS3.serves, o)) & instances(graph, RIS3.Action))
        for o in opportunities
    }
    assert counts == {"A": 4, "B": 11, "C": 8, "D": 7, "E": 2}


def test_seven_challenges_for_open_innovation(graph: Graph) -> None:
    numbered = [c for c in instances(graph, RIS3.Challenge) if graph.value(c, RIS3.ordinal) is not None]
    assert sorted(int(graph.value(c, RIS3.ordinal)) for c in numbered) == list(range(1, 8))  # type: ignore[arg-type]
    assert all(_sv(graph, c).startswith("Att stödja") or "stödja" in _sv(graph, c).lower() for c in numbered)


def test_figures_as_stated(graph: Graph) -> None:
    figures = {str(f)[len(N) :]: f for f in instances(graph, RIS3.Figure)}

    def value(key: str) -> float:
        return float(graph.value(figures[key], RIS3.value).toPython())  # type: ignore[union-attr]

    assert value("figure-test-industry-turnover") == 100_000_000
    assert graph.value(figures["figure-test-industry-turnover"], RIS3.unit) == VOC["unit-eur"]
    assert value("figure-visitor-economy-turnover-growth") == 58
    assert value("figure-visitor-economy-fte-2015") == 4068
    assert graph.value(figures["figure-visitor-economy-fte-2015"], RIS3.year).toPython() == 2015  # type: ignore[union-attr]
    assert value("figure-nature-based-economy-grp-share") == 50
    assert value("figure-public-sector-employment-share") == 42


def test_space_actors_named_in_the_text(graph: Graph) -> None:
    names = {
        _sv(graph, a)
        for a in instances(graph, RIS3.Organisation)
        | {
            s
            for c in (
                RIS3.Company,
                RIS3.ResearchInstitute,
                RIS3.University,
                RIS3.InternationalOrganisation,
                RIS3.Incubator,
                RIS3.PublicBody,
            )
            for s in instances(graph, c)
        }
    }
    for expected in ("Rymdbolaget", "Institutet för rymdfysik (IRF)", "EISCAT", "ESA BIC"):
        assert any(expected in name for name in names), expected
    assert not any("Luleå" in name for name in names), "the text names no university for the space department"


def test_strategy_covers_norrbotten(graph: Graph) -> None:
    assert graph.value(URIRef(N + "strategy"), URIRef(PREFIXES["dcterms"] + "spatial")) == NUTS.SE332
