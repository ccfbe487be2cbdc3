"""The ontology, vocabularies and all strategies are consistent under HermiT; contradictions are caught."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from ris3kg.ontology.reasoner import ReasonerUnavailableError, check_consistency
from ris3kg.ontology.resources import parse_path

from conftest import DATA

pytestmark = pytest.mark.reasoner


def test_ontology_and_vocabularies_are_consistent(reference: Graph) -> None:
    report = check_consistency(reference)
    assert report.consistent and report.ok, report.detail
    assert report.classes >= 50


def test_ontology_with_every_strategy_is_consistent(reference: Graph, strategy_graphs: dict[str, Graph]) -> None:
    merged = Graph()
    merged += reference
    for graph in strategy_graphs.values():
        merged += graph
    report = check_consistency(merged)
    assert report.ok, report.detail or report.unsatisfiable
    assert report.individuals > 1000


@pytest.mark.parametrize("path", sorted((DATA / "inconsistent").glob("*.ttl")), ids=lambda p: p.stem)
def test_contradictory_data_is_found_inconsistent(reference: Graph, path: Path) -> None:
    merged = Graph()
    merged += reference
    merged += parse_path(path)
    report = check_consistency(merged)
    assert not report.consistent
    assert "inconsistent" in report.detail.lower()


def test_missing_java_is_reported_clearly(reference: Graph) -> None:
    with pytest.raises(ReasonerUnavailableError, match=r"HermiT failed to run|needs Java"):
        check_consistency(reference, java="/nonexistent/java")
