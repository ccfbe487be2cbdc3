"""Checking submissions: seeds validate clean, invalid files fail where they should, graph checks, reports."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH

from ris3kg.graph.catalogue import DatasetPart, strategy_parts
from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.ontology.namespaces import RIS3
from ris3kg.shapes.report import ReportFormat, render
from ris3kg.shapes.spreadsheet.template import write_template
from ris3kg.shapes.submission.check import check_submission, submission_details
from ris3kg.shapes.submission.read import read_submission, read_submission_file
from ris3kg.shapes.validation import Severity

from conftest import DATA

INVALID = sorted((DATA / "invalid").glob("*.ttl"))
BLEKINGE = "https://w3id.org/ris3kg/id/blekinge/"


def _expectations(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^# expect-(\w+): (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE))


@pytest.mark.parametrize("part", strategy_parts(), ids=lambda p: p.key)
def test_every_seed_strategy_as_a_submission_validates_clean(part: DatasetPart, store: OxigraphStore) -> None:
    data = part.load().serialize(format="turtle", encoding="utf-8")
    checked = check_submission(read_submission(data, name=f"{part.key}.ttl"), store=store)
    assert checked.conforms
    assert not checked.report.violations and not checked.report.warnings, checked.report.results
    assert checked.key is not None and checked.key.graph == part.graph


@pytest.mark.parametrize("part", strategy_parts(), ids=lambda p: p.key)
def test_every_seed_strategy_as_a_filled_template_validates_clean(
    part: DatasetPart, store: OxigraphStore, tmp_path: Path
) -> None:
    path = tmp_path / f"{part.key}.xlsx"
    write_template(path, graph=part.load())
    checked = check_submission(read_submission_file(path), store=store)
    assert checked.conforms and not checked.report.warnings, checked.report.results


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_each_invalid_file_is_rejected_with_its_message_and_location(path: Path, store: OxigraphStore) -> None:
    expected = _expectations(path)
    checked = check_submission(read_submission_file(path), store=store)
    matching = [r for r in checked.report.results if expected["message"] in r.message]
    assert matching, [r.message for r in checked.report.results]
    assert any(r.severity is Severity(expected["severity"]) for r in matching)
    assert any(r.location == f"{path}, line {expected['line']}" for r in matching), [r.location for r in matching]
    if expected["severity"] == "Violation":
        assert not checked.conforms


def _excerpt() -> Graph:
    return read_submission_file(DATA / "valid" / "blekinge-excerpt.ttl").graph


def _check(graph: Graph, store: OxigraphStore | None) -> list[tuple[Severity, str]]:
    data = graph.serialize(format="turtle", encoding="utf-8")
    report = check_submission(read_submission(data, name="s.ttl"), store=store).report
    return [(r.severity, r.message) for r in report.results]


def test_the_valid_excerpt_conforms_against_the_graph(store: OxigraphStore) -> None:
    assert not [r for r in _check(_excerpt(), store) if r[0] is not Severity.INFO]


def test_iris_in_another_strategys_namespace_are_refused(store: OxigraphStore) -> None:
    graph = _excerpt()
    intruder = URIRef("https://w3id.org/ris3kg/id/norrbotten/challenge-99")
    graph.add((intruder, RDFS.label, Literal("x", lang="en")))
    results = _check(graph, store)
    assert (
        Severity.VIOLATION,
        "This IRI is in the namespace of another strategy (id/norrbotten/), but the submission is for "
        "blekinge:strategy (id/blekinge/): mint its IRIs under https://w3id.org/ris3kg/id/blekinge/.",
    ) in results


def test_links_into_another_strategy_are_refused(store: OxigraphStore) -> None:
    graph = _excerpt()
    action = next(graph.subjects(RDF.type, RIS3.Action))
    graph.add((action, RIS3.addresses, URIRef("https://w3id.org/ris3kg/id/norrbotten/challenge-1")))
    messages = [m for s, m in _check(graph, store) if s is Severity.VIOLATION]
    assert any(
        "links (ris3:addresses) to norrbotten:challenge-1, which belongs to another strategy" in m for m in messages
    ), messages


def test_statements_about_the_ontology_or_regions_are_refused(store: OxigraphStore) -> None:
    graph = _excerpt()
    graph.add((RIS3.Bottleneck, RDFS.subClassOf, RIS3.Action))
    graph.add((URIRef("http://data.europa.eu/nuts/code/SE221"), RDFS.label, Literal("Blekinge!", lang="en")))
    messages = [m for s, m in _check(graph, store) if s is Severity.VIOLATION]
    assert any(m.startswith("The submission describes ris3:Bottleneck, a term of ris3kg's ontology") for m in messages)
    assert any(m.startswith("The submission describes nuts:SE221") for m in messages)


def test_a_shared_actor_with_another_name_is_a_warning(store: OxigraphStore) -> None:
    graph = _excerpt()
    actor = URIRef("https://w3id.org/ris3kg/id/actor/region-blekinge")
    graph.remove((actor, RDFS.label, None))
    graph.add((actor, RDFS.label, Literal("Blekinge County Council", lang="en")))
    warnings = [m for s, m in _check(graph, store) if s is Severity.WARNING]
    assert any(
        "actor:region-blekinge is shared with other strategies and is named “Region Blekinge”" in m for m in warnings
    )


def test_a_submission_without_a_strategy_is_told_so(store: OxigraphStore) -> None:
    graph = _excerpt()
    graph.remove((None, RDF.type, RIS3.Strategy))
    messages = [m for s, m in _check(graph, store) if s is Severity.VIOLATION]
    assert any(m.startswith("A submission describes one strategy") for m in messages)


def test_without_a_store_the_report_says_what_was_not_checked() -> None:
    results = _check(_excerpt(), None)
    assert (Severity.INFO, "Not checked against the graph: no store is available.") in results


@pytest.fixture(scope="module")
def bad_report(store: OxigraphStore) -> tuple[str, object]:
    path = DATA / "invalid" / "unknown-helix-role.ttl"
    checked = check_submission(read_submission_file(path), store=store)
    return str(path), checked


def test_reports_carry_the_same_facts_in_every_format(bad_report: tuple[str, object]) -> None:
    path, checked = bad_report
    report = checked.report  # type: ignore[attr-defined]
    details = submission_details(checked)  # type: ignore[arg-type]
    violation = report.violations[0]
    as_json = json.loads(render(report, ReportFormat.JSON, details=details))
    assert as_json["conforms"] is False and as_json["violations"] == 1
    assert as_json["checksum"] == details["checksum"] and as_json["strategy"] == BLEKINGE + "strategy"
    row = as_json["results"][0]
    assert row["location"] == f"{path}, line {_expectations(Path(path))['line']}"
    assert row["focus"] == violation.focus and row["path"] == "ris3:helixRole" and row["message"] == violation.message
    assert row["focus_label"] == "Region Blekinge" and row["value"] == violation.value
    rows = list(csv.DictReader(io.StringIO(render(report, ReportFormat.CSV))))
    assert rows[0]["location"] == row["location"] and rows[0]["message"] == violation.message
    html = render(report, ReportFormat.HTML, details=details)
    assert "does NOT conform" in html and violation.message in html and row["location"] in html
    shacl = Graph().parse(data=render(report, ReportFormat.TURTLE), format="turtle")
    assert (None, SH.conforms, Literal(False)) in shacl
    assert (None, SH.focusNode, URIRef(violation.focus)) in shacl
    text = render(report, ReportFormat.TEXT)
    assert f"at {row['location']}" in text
