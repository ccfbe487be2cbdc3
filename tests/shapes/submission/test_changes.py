"""What a resubmission changes against the current version: by kind, with labels, blank nodes by content."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from ris3kg.graph.build import build_store
from ris3kg.graph.catalogue import part_by_key
from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.ontology.namespaces import RIS3
from ris3kg.shapes.report import ReportFormat, changes_csv, render
from ris3kg.shapes.spreadsheet.template import read_template, write_template
from ris3kg.shapes.submission.changes import (
    VersionComparison,
    compare_versions,
    current_version,
    labels_graph,
    version_changes,
)
from ris3kg.shapes.submission.check import (
    SubmissionReport,
    accept_submission,
    check_submission,
    submission_details,
)
from ris3kg.shapes.submission.graph_checks import SubmittedStrategy, submitted_strategy
from ris3kg.shapes.submission.read import read_submission, read_submission_file

from conftest import BLEKINGE_ONLY, DATA

B = "https://w3id.org/ris3kg/id/blekinge/"
BOTTLENECK = URIRef(B + "bottleneck-1")
ACTION = URIRef(B + "action-1-1")
NEW_BOTTLENECK = URIRef(B + "bottleneck-99")


@pytest.fixture(scope="module")
def blekinge() -> Graph:
    return part_by_key("blekinge").load()


def _reread(graph: Graph) -> Graph:
    """The same statements with fresh blank nodes (as a file read again gives them)."""
    return Graph().parse(data=graph.serialize(format="nt"), format="nt")


def _edited(graph: Graph) -> Graph:
    """Blekinge with a bottleneck added, an action removed, and a bottleneck's ordinal, label and quote changed."""
    new = _reread(graph)
    new.add((NEW_BOTTLENECK, RDF.type, RIS3.Bottleneck))
    new.add((NEW_BOTTLENECK, RDFS.label, Literal("Too few engineers", lang="en")))
    new.add((NEW_BOTTLENECK, RDFS.label, Literal("För få ingenjörer", lang="sv")))
    new.remove((ACTION, None, None))
    new.set((BOTTLENECK, RIS3.ordinal, Literal(7)))
    new.set((BOTTLENECK, RDFS.label, Literal("Blekinge lacks critical mass", lang="en")))
    for passage, _p, quote in list(new.triples((None, PROV.value, None))):
        if str(quote).startswith("1. Blekinge is lacking"):
            new.remove((passage, PROV.value, quote))
            new.add((passage, PROV.value, Literal("1. Blekinge lacks critical mass", lang="en")))
    return new


def test_an_identical_resubmission_with_fresh_blank_nodes_changes_nothing(blekinge: Graph) -> None:
    comparison = compare_versions(_reread(blekinge), blekinge, labels_from=labels_graph())
    assert comparison.unchanged and comparison.items == () and comparison.counts == ()
    assert comparison.truncated == 0


@pytest.mark.parametrize("key", ["blekinge", "nms"])
def test_a_strategy_read_back_from_a_filled_template_changes_nothing(key: str, tmp_path: Path) -> None:
    graph = part_by_key(key).load()
    write_template(tmp_path / "filled.xlsx", graph=graph)
    back = read_template(tmp_path / "filled.xlsx").graph
    comparison = compare_versions(back, graph)
    assert comparison.unchanged, comparison.counts


def test_added_removed_and_changed_elements_are_reported_by_kind_with_labels(blekinge: Graph) -> None:
    comparison = compare_versions(_edited(blekinge), blekinge, labels_from=labels_graph(), against="version 1")
    counts = {c.kind_label: (c.added, c.removed, c.changed) for c in comparison.counts}
    assert counts == {"Action": (0, 1, 0), "Bottleneck": (1, 0, 1)}
    by_iri = {item.iri: item for item in comparison.items}
    added = by_iri[str(NEW_BOTTLENECK)]
    assert (added.change, added.kind, added.kind_label) == ("added", str(RIS3.Bottleneck), "Bottleneck")
    assert (added.label, added.source_label, added.source_language) == ("Too few engineers", "För få ingenjörer", "sv")
    removed = by_iri[str(ACTION)]
    assert (removed.change, removed.kind_label, removed.label) == (
        "removed",
        "Action",
        "Enlarge the regional labour market",
    )
    changed = by_iri[str(BOTTLENECK)]
    assert changed.change == "changed" and changed.label == "Blekinge lacks critical mass"
    properties = {p.property: p for p in changed.properties}
    assert set(properties) == {str(RDFS.label), str(RIS3.ordinal), str(PROV.wasDerivedFrom)}
    assert (properties[str(RIS3.ordinal)].old, properties[str(RIS3.ordinal)].new) == (("1",), ("7",))
    assert properties[str(RIS3.ordinal)].property_label == "ordinal"
    label = properties[str(RDFS.label)]
    assert label.old == ("“Blekinge is lacking in critical mass”@en",)
    assert label.new == ("“Blekinge lacks critical mass”@en",)
    quote = properties[str(PROV.wasDerivedFrom)]
    assert len(quote.old) == 1 and "“1. Blekinge is lacking in critical mass”@en" in quote.old[0]
    assert len(quote.new) == 1 and "“1. Blekinge lacks critical mass”@en" in quote.new[0]
    assert "Blekinge's strategy for smart specialisation" in quote.new[0], "the quoted document by its label"
    text = "\n".join(comparison.text_lines())
    assert text.startswith("Changes since version 1:")
    assert "ordinal (ris3:ordinal): 1 → 7" in text
    assert "ADDED Bottleneck: “Too few engineers” / “För få ingenjörer”@sv" in text


def test_the_list_is_capped_and_the_counts_stay_complete(blekinge: Graph) -> None:
    new = _reread(blekinge)
    for n in range(30):
        node = URIRef(f"{B}bottleneck-new-{n}")
        new.add((node, RDF.type, RIS3.Bottleneck))
        new.add((node, RDFS.label, Literal(f"New {n}", lang="en")))
    comparison = compare_versions(new, blekinge, limit=10)
    assert comparison.counts[0].added == 30 and comparison.total == 30
    assert len(comparison.items) == 10 and comparison.truncated == 20
    assert comparison.text_lines()[-1] == "  and 20 more"
    assert json.loads(json.dumps(comparison.as_json()))["truncated"] == 20
    rows = list(csv.reader(io.StringIO(changes_csv(comparison))))
    assert len(rows) == 1 + 10 + 1 and rows[-1][1] == "and 20 more"


def test_every_format_shows_the_comparison_escaped_and_safe(blekinge: Graph) -> None:
    new = _edited(blekinge)
    new.set((NEW_BOTTLENECK, RDFS.label, Literal("<script>alert(1)</script>", lang="en")))
    new.add((URIRef(B + "bottleneck-98"), RDF.type, RIS3.Bottleneck))
    new.add((URIRef(B + "bottleneck-98"), RDFS.label, Literal("=HYPERLINK(1)", lang="en")))
    comparison = compare_versions(new, blekinge, labels_from=labels_graph(), against="version 3", version=3)
    checked = check_submission(read_submission(b"", name="empty.ttl"), store=None)
    report = checked.report
    html = render(report, ReportFormat.HTML, changes=comparison)
    assert "<h2>Changes since version 3</h2>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<h3>Bottleneck</h3>" in html and "<h3>Action</h3>" in html
    body = json.loads(render(report, ReportFormat.JSON, changes=comparison))
    assert body["changes"]["against"] == "version 3" and body["changes"]["version"] == 3
    assert {c["kind_label"] for c in body["changes"]["counts"]} == {"Action", "Bottleneck"}
    text = render(report, ReportFormat.TEXT, changes=comparison)
    assert "Changes since version 3:" in text
    results_csv = render(report, ReportFormat.CSV, changes=comparison)
    assert results_csv.splitlines()[0] == "severity,location,focus,focus_label,path,value,message,shape"
    cells = [row for row in csv.DictReader(io.StringIO(changes_csv(comparison)))]
    assert any(row["label"] == "'=HYPERLINK(1)" for row in cells)
    assert not any(cell.startswith("=") for row in cells for cell in row.values() if cell)


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    return path


def _checked(store_path: Path, graph: Graph) -> SubmissionReport:
    data = graph.serialize(format="turtle", encoding="utf-8")
    return check_submission(read_submission(data, name="blekinge.ttl"), store=OxigraphStore.open(store_path))


def test_a_resubmission_of_a_packaged_strategy_is_compared_with_the_packaged_data(
    store_path: Path, blekinge: Graph
) -> None:
    key = submitted_strategy(blekinge)
    assert isinstance(key, SubmittedStrategy)
    current = current_version(OxigraphStore.open(store_path), key)
    assert current is not None and current.against == "the packaged data" and current.version is None
    assert len(current.graph) == len(blekinge)
    same = _checked(store_path, blekinge)
    assert same.changes is not None and same.changes.unchanged and not same.first_version
    edited = _checked(store_path, _edited(blekinge))
    assert isinstance(edited.changes, VersionComparison) and edited.changes.total == 3
    details = submission_details(edited)
    assert details["replaces"] == "the packaged data"
    text = render(edited.report, ReportFormat.TEXT, details=details, changes=edited.changes)
    assert "Changes since the packaged data:" in text
    as_json = render(edited.report, ReportFormat.JSON, details=details, changes=edited.changes)
    assert json.loads(as_json)["changes"]["total"] == 3


def test_a_first_submission_says_first_version(store_path: Path) -> None:
    submission = read_submission_file(DATA / "submissions" / "testlandia.xlsx")
    checked = check_submission(submission, store=OxigraphStore.open(store_path))
    assert checked.changes is None and checked.first_version
    details = submission_details(checked)
    assert details["version"] == "first version"
    assert "first version" in render(checked.report, ReportFormat.TEXT, details=details)
    assert "first version" in render(checked.report, ReportFormat.HTML, details=details)
    assert json.loads(render(checked.report, ReportFormat.JSON, details=details))["version"] == "first version"
    alone = check_submission(submission, store=None)
    assert alone.changes is None and not alone.first_version


def test_accepted_versions_are_compared_with_their_predecessors(store_path: Path, blekinge: Graph) -> None:
    accept_submission(_checked(store_path, blekinge), store_path=store_path, submitted_by="Ann")
    relabelled = _reread(blekinge)
    relabelled.set((BOTTLENECK, RDFS.label, Literal("Blekinge lacks critical mass", lang="en")))
    edited = _checked(store_path, relabelled)
    assert edited.changes is not None and edited.changes.against == "version 1" and edited.changes.version == 1
    assert edited.conforms, edited.report.violations
    accept_submission(edited, store_path=store_path, submitted_by="Bo")
    store = OxigraphStore.open(store_path)
    first = version_changes(store_path, "blekinge", 1, store=store)
    assert first is not None and first.against == "the packaged data" and first.unchanged
    second = version_changes(store_path, "blekinge", 2, store=store)
    assert second is not None and second.against == "version 1" and second.total == 1
    assert [(i.iri, i.change) for i in second.items] == [(str(BOTTLENECK), "changed")]
    with pytest.raises(KeyError, match="no version 3 of 'blekinge'"):
        version_changes(store_path, "blekinge", 3, store=store)
    with pytest.raises(KeyError, match="is not a strategy namespace"):
        version_changes(store_path, "../etc", 1, store=store)
