"""Checking a submission: the shapes, the checks against the graph, and where each problem is.

This joins :mod:`ris3kg.shapes.submission.read` (reading), :mod:`ris3kg.shapes.validation` (the shapes)
and :mod:`ris3kg.shapes.submission.graph_checks` (the graph around the submission) into one report whose results
say where in the submitted file each problem is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, URIRef

from ris3kg.graph.store.interface import GraphStore
from ris3kg.graph.versions import AcceptanceError, AcceptedVersion, SubmissionTarget, accept_graph
from ris3kg.ontology.namespaces import PREFIXES
from ris3kg.shapes.results import iri_of
from ris3kg.shapes.spreadsheet.messages import Cell, ResultKey, constraint_components, in_spreadsheet, result_key
from ris3kg.shapes.submission.changes import VersionComparison, compare_versions, current_version, labels_graph
from ris3kg.shapes.submission.graph_checks import SubmittedStrategy, check_context, submitted_strategy
from ris3kg.shapes.submission.read import Submission
from ris3kg.shapes.validation import Severity, ValidationReport, ValidationResult, add_to_report, validate_graph

_CONTEXT_CHECK = URIRef(PREFIXES["ris3sh"] + "ContextCheck")
"""The constraint component the SHACL report names for the checks against the graph."""


@dataclass(frozen=True)
class SubmissionReport:
    """The outcome of checking one submission.

    Attributes:
        submission: What was read.
        report: Every result (shapes, graph checks, notes on what was not used), each with its location.
        key: The strategy the submission is for, when it names exactly one.
        changes: What the submission changes against its strategy's current version in the store
            (None: no store was given, the strategy has no current version, or no single strategy).
        first_version: The store was given and holds no version of the strategy yet.
    """

    submission: Submission
    report: ValidationReport
    key: SubmittedStrategy | None
    changes: VersionComparison | None = None
    first_version: bool = False

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings are allowed)."""
        return self.report.conforms


def check_submission(
    submission: Submission,
    *,
    store: GraphStore | None,
    shapes: Graph | None = None,
    reference: Graph | None = None,
) -> SubmissionReport:
    """Validate a submission against the shapes and against the graph it would join.

    Args:
        submission: The submission as read.
        store: The store (None: check the submission on its own, without the graph checks).
        shapes: The shapes (the packaged ones by default).
        reference: Ontology, vocabularies and regions (the packaged ones by default).

    Returns:
        The report, with the location of every result in the submitted file.
    """
    report = validate_graph(submission.graph, source=submission.source, shapes=shapes, reference=reference)
    key = submitted_strategy(submission.graph)
    extra = list(check_context(submission.graph, key=key, store=store))
    if store is None:
        extra.append(_info("Not checked against the graph: no store is available."))
    extra += [_info(note) for note in submission.notes]
    report_graph = report.report_graph
    for result in extra:
        if result.focus:  # notes on the file as a whole are for people, not SHACL results
            add_to_report(report_graph, result, data=submission.graph, component=_CONTEXT_CHECK)
    components = constraint_components(report_graph)
    results = [_located(result, submission, components) for result in (*report.results, *extra)]
    results.sort(key=lambda r: (list(Severity).index(r.severity), r.location or "", r.focus, r.message))
    changes, first = _changes(submission, key, store)
    return SubmissionReport(
        submission,
        ValidationReport(submission.source, tuple(results), report_graph),
        key if isinstance(key, SubmittedStrategy) else None,
        changes,
        first,
    )


def _changes(
    submission: Submission, key: SubmittedStrategy | ValidationResult, store: GraphStore | None
) -> tuple[VersionComparison | None, bool]:
    """Compare the submission with its strategy's current version: (comparison, whether it is the first)."""
    if store is None or not isinstance(key, SubmittedStrategy):
        return None, False
    current = current_version(store, key)
    if current is None:
        return None, True
    comparison = compare_versions(
        submission.graph,
        current.graph,
        labels_from=labels_graph(),
        against=current.against,
        version=current.version,
        graph=current.graph_iri,
    )
    return comparison, False


def _info(message: str) -> ValidationResult:
    return ValidationResult(
        severity=Severity.INFO,
        focus="",
        focus_label=None,
        path=None,
        value=None,
        message=message,
        shape="ris3kg intake",
    )


def _located(result: ValidationResult, submission: Submission, components: dict[ResultKey, URIRef]) -> ValidationResult:
    """The result with where it is: the cell of its property in a spreadsheet (said in its words), else the line."""
    if not result.focus:
        return result
    focus = BNode(result.focus[2:]) if result.focus.startswith("_:") else URIRef(result.focus)
    if isinstance(focus, URIRef) and (focus, None, None) not in submission.graph:
        focus = BNode(result.focus)  # pySHACL names blank nodes by their id alone
    path = iri_of(result.path) if result.path and result.path != "(complex path)" else None
    location = submission.locate(focus, path, result.value)
    located = dataclasses.replace(result, location=str(location) if location else None)
    if location is None or location.sheet is None or location.row is None:
        return located
    cell = Cell(location.sheet, location.row, location.letter, location.column)
    return in_spreadsheet(located, cell, components.get(result_key(result)))


def submission_details(checked: SubmissionReport) -> dict[str, str]:
    """Return the facts about a submission that reports show beside the verdict.

    A first submission of its strategy says ``version: first version``; a resubmission says which
    version it replaces (the comparison itself is :attr:`SubmissionReport.changes`).
    """
    details = {
        "format": checked.submission.format.key,
        "checksum": checked.submission.checksum,
        "triples": str(len(checked.submission.graph)),
    }
    if checked.key is not None:
        details["strategy"] = str(checked.key.strategy)
        details["graph"] = str(checked.key.graph)
    if checked.first_version:
        details["version"] = "first version"
    elif checked.changes is not None:
        details["replaces"] = checked.changes.against
    return details


def accept_submission(
    checked: SubmissionReport,
    *,
    store_path: Path,
    submitted_by: str,
    on_step: Callable[[str], None] | None = None,
) -> AcceptedVersion:
    """Take a checked submission into the store as its strategy's new current version.

    Args:
        checked: The submission and its report (from :func:`check_submission`, with the store).
        store_path: The store.
        submitted_by: Who takes it in.
        on_step: Called with each step's name, for progress display.

    Returns:
        The new version's record.

    Raises:
        AcceptanceError: The submission has violations, or names no single strategy.
        StoreError: The store cannot be written (it is left unchanged).
    """
    if not checked.conforms:
        count = len(checked.report.violations)
        raise AcceptanceError(
            f"{checked.submission.source} has {count} violation(s) and is not taken in: fix them and submit again"
        )
    if checked.key is None:
        raise AcceptanceError(f"{checked.submission.source} does not name exactly one strategy")
    if not submitted_by.strip():
        raise AcceptanceError("say who takes the submission in")
    target = SubmissionTarget(checked.key.namespace, str(checked.key.strategy), str(checked.key.graph))
    return accept_graph(
        store_path,
        checked.submission.graph,
        target=target,
        checksum=checked.submission.checksum,
        file_name=Path(checked.submission.source).name,
        submitted_by=submitted_by.strip(),
        on_step=on_step,
    )
