"""The enabling-condition report: the criteria from the vocabulary, evidence from the graph, the renderings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from ris3kg.graph.catalogue import DatasetPart, part_by_key, strategy_parts
from ris3kg.ontology.namespaces import ID, RIS3, THEME, VOC
from ris3kg.ontology.resources import new_graph
from ris3kg.shapes.enabling.criteria import PIECES, CriteriaError, criteria, read_criteria
from ris3kg.shapes.enabling.evidence import EnablingReport, Verdict, enabling_report, part_report, submission_report
from ris3kg.shapes.enabling.render import CSV_COLUMNS, enabling_format, render
from ris3kg.shapes.enabling.sources import UnknownStrategyError, find_strategy, known_strategies, strategy_graph
from ris3kg.shapes.report import ReportFormat
from ris3kg.shapes.spreadsheet.template import write_template
from ris3kg.shapes.submission.read import read_submission_file

from conftest import DATA

EXPECTED_KINDS: dict[str, tuple[URIRef, ...]] = {
    "challenge": (RIS3.Challenge,),
    "analysis": (RIS3.SwotAnalysis, RIS3.SwotEntry, RIS3.Figure),
    "digitalisation": (RIS3.Challenge, RIS3.SwotEntry),
    "owner": (RIS3.Actor,),
    "governance-body": (RIS3.GovernanceBody,),
    "reports-to": (RIS3.GovernanceBody,),
    "milestone": (RIS3.Milestone,),
    "indicator": (RIS3.Figure, RIS3.Goal),
    "edp": (RIS3.EntrepreneurialDiscoveryProcess, RIS3.Discovery),
    "addresses-challenge": (RIS3.Action, RIS3.Initiative, RIS3.Step),
    "serves-area": (RIS3.Action, RIS3.Initiative, RIS3.Step),
    "ri-theme": (RIS3.Action, RIS3.Initiative, RIS3.Step),
    "facility": (RIS3.Facility,),
    "transition-action": (RIS3.Action, RIS3.Initiative, RIS3.Step, RIS3.Priority),
    "international-action": (RIS3.Action, RIS3.Initiative, RIS3.Step, RIS3.Priority),
    "in-priority-area": (RIS3.Action, RIS3.Initiative, RIS3.Step, RIS3.Priority),
    "partner-abroad": (RIS3.InternationalOrganisation, RIS3.PriorityOverlap),
    "interregional": (RIS3.PriorityOverlap,),
}
"""The classes (or their subclasses) an element evidencing each piece must have; pieces not here are by property."""


def _superclasses(reference: Graph, cls: URIRef) -> set[URIRef]:
    found = {cls}
    pending = [cls]
    while pending:
        for parent in reference.objects(pending.pop(), RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in found:
                found.add(parent)
                pending.append(parent)
    return found


def test_the_seven_criteria_come_from_the_vocabulary(reference: Graph) -> None:
    found = criteria()
    assert [c.notation for c in found] == ["1", "2", "3", "4", "5", "6", "7"]
    in_scheme = set(reference.subjects(SKOS.inScheme, VOC.EnablingConditionCriteria))
    assert {URIRef(c.iri) for c in found} == in_scheme
    for c in found:
        assert (URIRef(c.iri), RDF.type, RIS3.Criterion) in reference
        assert c.definition and c.label and dict(c.labels)["en"] == c.label
        assert {"en", "sv", "nb"} <= set(dict(c.labels))
        assert c.query_file in c.reading, "the reading rule names its query file"
        assert c.pieces == PIECES[c.notation] and any(p.required for p in c.pieces)
        assert all(p.missing for p in c.pieces if p.required)
        result = ox.Store().query(c.query())  # each packaged query parses and runs
        assert isinstance(result, ox.QuerySolutions)
        assert [v.value for v in result.variables] == ["entity", "piece"]
    assert "partners outside a given Member State" in found[6].definition
    assert [c.where_relevant for c in found] == [False, False, False, False, True, True, False]


def test_a_vocabulary_without_a_criterion_is_refused(reference: Graph) -> None:
    damaged = Graph()
    for triple in reference:
        damaged.add(triple)
    damaged.remove((VOC["ec-monitoring"], SKOS.inScheme, None))
    with pytest.raises(CriteriaError, match="expected one each"):
        read_criteria(damaged)


@pytest.fixture(scope="module")
def reports() -> dict[str, EnablingReport]:
    return {part.key: part_report(part) for part in strategy_parts()}


@pytest.mark.parametrize("part", strategy_parts(), ids=lambda p: p.key)
def test_each_seed_gets_a_report_whose_evidence_is_in_its_graph(
    part: DatasetPart, reports: dict[str, EnablingReport], strategy_graphs: dict[str, Graph], reference: Graph
) -> None:
    report = reports[part.key]
    graph = strategy_graphs[part.key]
    assert report.source == part.key and report.title == part.title
    assert [r.criterion.notation for r in report.results] == [c.notation for c in criteria()]
    for result in report.results:
        keys = {p.key for p in result.criterion.pieces}
        required = {p.key for p in result.criterion.pieces if p.required}
        assert set(result.found) <= keys
        if result.verdict is Verdict.EVIDENCED:
            assert required <= set(result.found) and not result.missing
        elif result.verdict is Verdict.PARTLY:
            assert result.evidence and result.missing
        else:
            assert not result.evidence and result.missing
        for evidence in result.evidence:
            node = URIRef(evidence.iri)
            assert (node, None, None) in graph, f"{evidence.iri} is not described by {part.key}"
            types = {t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)}
            assert len(evidence.kinds) == len(types) and types
            ancestors = set().union(*(_superclasses(reference, t) for t in types))
            for piece in evidence.pieces:
                assert piece in keys
                if piece in EXPECTED_KINDS:
                    assert ancestors & set(EXPECTED_KINDS[piece]), f"{evidence.iri} ({types}) for {piece}"
            labels = {str(o) for o in graph.objects(node, RDFS.label)}
            assert evidence.label in labels
            for quote in evidence.quotes:  # every passage is the graph's own
                assert any(
                    str(v) == quote.text
                    for p in graph.objects(node, PROV.wasDerivedFrom)
                    for v in graph.objects(p, PROV.value)
                )
            if evidence.quotes:
                assert evidence.location and part.seed_file and part.seed_file in evidence.location


def test_what_the_seeds_evidence(reports: dict[str, EnablingReport]) -> None:
    blekinge = reports["blekinge"].results
    institution = blekinge[1]
    assert institution.verdict is Verdict.EVIDENCED
    owners = [e for e in institution.evidence if "owner" in e.pieces]
    assert [e.iri for e in owners] == [str(ID["actor/region-blekinge"])]
    assert reports["nms"].results[0].verdict is Verdict.EVIDENCED  # challenges, SWOT, digitalisation
    norway = reports["s3norge"].results[5]
    assert norway.verdict is Verdict.NONE and norway.missing
    assert "industrial transition" in norway.missing[0]
    # source-language labels come with the English one
    swedish = [e for r in reports["norrbotten"].results for e in r.evidence if e.source_language == "sv"]
    assert swedish and all(e.source_label for e in swedish)


def test_a_strategy_with_nothing_for_a_criterion_gets_no_evidence_and_what_is_missing() -> None:
    graph = new_graph()
    strategy = ID["testland/strategy"]
    graph.add((strategy, RDF.type, RIS3.Strategy))
    graph.add((strategy, RDFS.label, Literal("Testland S3", lang="en")))
    challenge = ID["testland/challenge-1"]
    graph.add((challenge, RDF.type, RIS3.Challenge))
    graph.add((challenge, RDFS.label, Literal("Slow uptake of digital tools", lang="en")))
    graph.add((challenge, RIS3.theme, THEME.digitalisation))
    report = enabling_report(graph, source="testland.ttl")
    assert report.title == "Testland S3"
    first, *rest = report.results
    assert first.verdict is Verdict.PARTLY and first.found == ("challenge", "digitalisation")
    assert len(first.missing) == 1 and "SWOT" in first.missing[0]
    for result in rest:
        assert result.verdict is Verdict.NONE and not result.evidence
        assert result.missing == tuple(p.missing for p in result.criterion.pieces if p.required)
    assert first.evidence[0].location is None  # no passage, no source document


def test_a_turtle_submission_gets_a_report_with_lines() -> None:
    path = DATA / "valid" / "blekinge-excerpt.ttl"
    report = submission_report(read_submission_file(path))
    assert report.source == str(path)
    located = [e for r in report.results for e in r.evidence]
    assert located
    for evidence in located:
        assert evidence.location is not None and evidence.location.startswith(f"{path}, line ")
    assert report.results[1].verdict is Verdict.EVIDENCED


def test_a_filled_template_gets_a_report_with_sheets_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "blekinge.xlsx"
    write_template(path, graph=part_by_key("blekinge").load())
    report = submission_report(read_submission_file(path))
    evidence = [e for r in report.results for e in r.evidence]
    assert evidence and all(e.location and "sheet '" in e.location and "row " in e.location for e in evidence)
    packaged = part_report(part_by_key("blekinge"))
    assert [r.verdict for r in report.results] == [r.verdict for r in packaged.results]
    assert [len(r.evidence) for r in report.results] == [len(r.evidence) for r in packaged.results]


def test_the_hand_filled_template_reads_too() -> None:
    report = submission_report(read_submission_file(DATA / "submissions" / "testlandia.xlsx"))
    assert len(report.results) == 7
    assert any(r.evidence for r in report.results)


def _hostile() -> EnablingReport:
    graph = new_graph()
    challenge = ID["testland/challenge-1"]
    graph.add((challenge, RDF.type, RIS3.Challenge))
    graph.add((challenge, RDFS.label, Literal("<script>alert(1)</script>", lang="en")))
    graph.add((challenge, RDFS.label, Literal('=HYPERLINK("http://x","y")', lang="sv")))
    return enabling_report(graph, source="<b>hostile</b>.ttl", title="<img src=x onerror=alert(1)>")


def test_html_is_escaped_and_csp_safe() -> None:
    report = _hostile()
    linked = render(report, ReportFormat.HTML, stylesheet="/submissions/report.css")
    assert "<script>alert" not in linked and "&lt;script&gt;alert(1)&lt;/script&gt;" in linked
    assert "<img src=x" not in linked and "&lt;b&gt;hostile" in linked
    assert "<script" not in linked and "<style" not in linked and "style=" not in linked
    assert '<link rel="stylesheet" href="/submissions/report.css">' in linked
    standalone = render(report, ReportFormat.HTML)
    assert "<style>" in standalone and "<link" not in standalone


def test_csv_cells_cannot_run_as_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(render(_hostile(), ReportFormat.CSV))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + 6  # the challenge, and one row for each criterion without evidence
    assert rows[0]["source_label"].startswith("'=HYPERLINK")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_json_and_text_carry_the_same_facts(reports: dict[str, EnablingReport]) -> None:
    report = reports["blekinge"]
    data = json.loads(render(report, ReportFormat.JSON))
    assert data["source"] == "blekinge" and len(data["criteria"]) == 7
    for item, result in zip(data["criteria"], report.results, strict=True):
        assert item["verdict"] == result.verdict.value and len(item["evidence"]) == len(result.evidence)
        assert item["query"] == result.criterion.query_file
    text = render(report, ReportFormat.TEXT)
    assert text.startswith("blekinge: ") and "MISSING:" in text
    with pytest.raises(ValueError, match="use one of"):
        enabling_format("turtle")


def test_strategies_are_found_by_key_only(store) -> None:  # type: ignore[no-untyped-def]
    keys = [s.key for s in known_strategies(store)]
    assert keys[:5] == [p.key for p in strategy_parts()]
    source = find_strategy("blekinge", store)
    from_store = enabling_report(strategy_graph(source, store), source=source.key, title=source.title)
    packaged = part_report(part_by_key("blekinge"))
    assert [len(r.evidence) for r in from_store.results] == [len(r.evidence) for r in packaged.results]
    for bad in ("nope", "../blekinge", "blekinge> } #", ""):
        with pytest.raises(UnknownStrategyError, match="use one of blekinge"):
            find_strategy(bad, store)


def test_the_listed_evidence_can_be_capped_without_changing_the_verdicts() -> None:
    graph = part_by_key("nms").load()
    full = enabling_report(graph, source="nms")
    capped = enabling_report(graph, source="nms", max_evidence=3)
    for whole, cut in zip(full.results, capped.results, strict=True):
        assert cut.verdict is whole.verdict and cut.found == whole.found and cut.count == whole.count
        assert cut.evidence == whole.evidence[:3] and cut.omitted == max(0, len(whole.evidence) - 3)
    assert "more element(s), not listed" in render(capped, ReportFormat.TEXT)
    assert json.loads(render(capped, ReportFormat.JSON))["criteria"][0]["omitted"] == full.results[0].count - 3


def test_an_accepted_new_strategy_is_reported_by_its_namespace(tmp_path: Path) -> None:
    from ris3kg.graph.build import build_store
    from ris3kg.graph.store.oxigraph import OxigraphStore
    from ris3kg.shapes.submission.check import accept_submission, check_submission

    from conftest import BLEKINGE_ONLY

    path = tmp_path / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    submitted = read_submission_file(DATA / "submissions" / "testlandia.xlsx")
    version = accept_submission(check_submission(submitted, store=None), store_path=path, submitted_by="Testlandia")
    store = OxigraphStore.open(path)
    source = find_strategy(version.namespace, store)
    assert not source.packaged and source.graph == version.graph and source.report_title is None
    assert version.namespace in [s.key for s in known_strategies(store)]
    from_store = enabling_report(strategy_graph(source, store), source=source.key, title=source.report_title)
    from_file = submission_report(submitted)
    assert from_store.title == from_file.title != source.key
    assert [r.verdict for r in from_store.results] == [r.verdict for r in from_file.results]
    with pytest.raises(UnknownStrategyError):
        find_strategy(version.namespace, None)  # without the store only the packaged strategies are known
