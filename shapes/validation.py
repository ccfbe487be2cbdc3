"""Validating strategy data against the ris3kg shapes.

The shapes are applied with the ontology, vocabularies and NUTS regions merged into (a copy of)
the data graph, so that subclasses, closed value sets and region codes are known, but without RDFS
inference: inferring types from ``rdfs:range`` would make every ``sh:class`` check pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import RDF, RDFS, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from ris3kg.graph.catalogue import reference_graph
from ris3kg.graph.codelists.lookup import codelists
from ris3kg.ontology.namespaces import PREFIXES
from ris3kg.ontology.resources import TurtleResource, parse_path, parse_resource
from ris3kg.shapes.codes import check_codes
from ris3kg.shapes.literals import check_literals
from ris3kg.shapes.numbering import check_numbering
from ris3kg.shapes.results import Severity, ValidationResult, iri_of, short_name
from ris3kg.shapes.sparql_constraints import SplitShapes, run_batched, split_shapes

SHAPES = TurtleResource("ris3kg.shapes", "shapes.ttl")

_SEVERITY_IRI = {Severity.VIOLATION: SH.Violation, Severity.WARNING: SH.Warning, Severity.INFO: SH.Info}
_CHECKED_IN_PYTHON = URIRef(PREFIXES["ris3sh"] + "ValidatorCheck")
"""The constraint component the report names for the validator's own checks (codes, values, numbering)."""

__all__ = [
    "SHAPES",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "add_to_report",
    "shapes_graph",
    "short_name",
    "validate_file",
    "validate_graph",
]


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one data graph.

    Attributes:
        source: What was validated (a file name or a dataset part).
        results: Every result, violations first.
        report_graph: The SHACL validation report as RDF.
    """

    source: str
    results: tuple[ValidationResult, ...]
    report_graph: Graph

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings are allowed)."""
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """The results with severity Violation."""
        return tuple(r for r in self.results if r.severity is Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        """The results with severity Warning."""
        return tuple(r for r in self.results if r.severity is Severity.WARNING)


def shapes_graph() -> Graph:
    """Return the packaged shapes."""
    return parse_resource(SHAPES)


@lru_cache(maxsize=1)
def _packaged_split() -> SplitShapes:
    return split_shapes(shapes_graph())


@lru_cache(maxsize=1)
def _packaged_reference() -> Graph:
    return reference_graph()


def validate_graph(
    data: Graph,
    *,
    source: str,
    shapes: Graph | None = None,
    reference: Graph | None = None,
) -> ValidationReport:
    """Validate a data graph against the shapes.

    Args:
        data: The strategy or submission to check.
        source: Its name for the report (a file name).
        shapes: The shapes (the packaged ones by default).
        reference: Ontology, vocabularies and regions to mix in (the packaged ones by default).

    Returns:
        The report; ``conforms`` is False when any violation is found.
    """
    split = _packaged_split() if shapes is None else split_shapes(shapes)
    reference = reference if reference is not None else _packaged_reference()
    codes = codelists()
    used = codes.describe({term for triple in data for term in triple})
    mixed = Graph(bind_namespaces="none")
    mixed += data
    mixed += reference
    mixed += used
    _conforms, report_graph, _text = pyshacl.validate(
        mixed,
        shacl_graph=split.core,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
        advanced=False,
        meta_shacl=False,
        do_owl_imports=False,
    )
    if not isinstance(report_graph, Graph):  # pyshacl reports a broken shapes graph this way
        raise ValueError(f"the shapes cannot be applied: {report_graph}")
    run_batched(mixed, split.batched, report=report_graph)
    labels = _LabelLookup((data, reference, used))
    checked, replaced = check_codes(data, mixed, codes)
    impossible, replaced_values = check_literals(data)
    checked += impossible + check_numbering(data)
    replaced |= replaced_values
    own = {str(s) for s in data.subjects()}
    kept: list[ValidationResult] = []
    for node in list(report_graph.subjects(RDF.type, SH.ValidationResult)):
        result = _result(report_graph, node, labels)
        # a code list's own entries are reference, not the strategy's data; an unknown code, or a
        # value impossible for its datatype, has its own result below, which says what it could
        # have been
        if result.focus in own and (result.focus, result.value) not in replaced:
            kept.append(result)
        else:
            _remove_result(report_graph, node)
    for result in checked:
        add_to_report(report_graph, result, data=data, component=_CHECKED_IN_PYTHON)
    results = sorted(
        (*kept, *(replace(r, focus_label=labels(URIRef(r.focus))) for r in checked)),
        key=lambda r: (list(Severity).index(r.severity), r.focus, r.path or "", r.message),
    )
    report_node = report_graph.value(None, RDF.type, SH.ValidationReport, any=True)
    if report_node is not None:
        conforms = not any(r.severity is Severity.VIOLATION for r in results)
        report_graph.set((report_node, SH.conforms, Literal(conforms)))
    return ValidationReport(source, tuple(results), report_graph)


def validate_file(path: Path) -> ValidationReport:
    """Parse an RDF file and validate it.

    Raises:
        DataFileError: The file cannot be read or parsed (names the file and line).
    """
    return validate_graph(parse_path(path), source=str(path))


class _LabelLookup:
    def __init__(self, graphs: Iterable[Graph]) -> None:
        self._graphs = tuple(graphs)

    def __call__(self, node: Node) -> str | None:
        found: list[Literal] = []
        for graph in self._graphs:
            found.extend(o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal))
        if not found:
            return None
        english = [label for label in found if label.language == "en"]
        return str((english or found)[0])


def _result(report: Graph, node: Node, labels: _LabelLookup) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    messages = [m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    english = [m for m in messages if m.language in (None, "en")]
    message = str((english or messages)[0]) if messages else "constraint not met"
    return ValidationResult(
        severity=Severity.of(report.value(node, SH.resultSeverity)),
        focus=str(focus),
        focus_label=labels(focus) if focus is not None else None,
        path=short_name(path) if isinstance(path, URIRef) else (None if path is None else "(complex path)"),
        value=None if value is None else short_name(value),
        message=message,
        shape=short_name(report.value(node, SH.sourceShape)),
    )


def add_to_report(report: Graph, result: ValidationResult, *, data: Graph, component: URIRef) -> None:
    """Write a result found outside pySHACL into the SHACL report, as SHACL §3.6 shapes them.

    The focus, property and value are written as the data's own terms: a value that is an object
    of the focus's property stays what it is there (a literal stays a literal).

    Args:
        report: The SHACL validation report (``sh:conforms`` is set to false for a violation).
        result: The result.
        data: The data the result is about.
        component: The ``sh:sourceConstraintComponent`` to name (the kind of check).
    """
    report_node = report.value(None, RDF.type, SH.ValidationReport, any=True)
    if report_node is None or not result.focus:
        return
    focus: Node = URIRef(result.focus)
    if (focus, None, None) not in data:
        focus = BNode(result.focus.removeprefix("_:"))
    node = BNode()
    report.add((report_node, SH.result, node))
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.resultSeverity, _SEVERITY_IRI[result.severity]))
    report.add((node, SH.resultMessage, Literal(result.message, lang="en")))
    report.add((node, SH.sourceConstraintComponent, component))
    report.add((node, SH.focusNode, focus))
    shape = iri_of(result.shape)
    if isinstance(shape, URIRef):
        report.add((node, SH.sourceShape, shape))
    path = iri_of(result.path)
    if isinstance(path, URIRef):
        report.add((node, SH.resultPath, path))
    if result.value:
        given = [o for o in data.objects(focus, path) if short_name(o) == result.value] if path is not None else []
        report.add((node, SH.value, given[0] if given else iri_of(result.value) or Literal(result.value)))
    if result.severity is Severity.VIOLATION:
        report.set((report_node, SH.conforms, Literal(False)))


def _remove_result(report: Graph, node: Node) -> None:
    """Take one result, with the nodes only it uses (a complex path, say), out of a SHACL report."""
    report.remove((None, SH.result, node))
    pending = [node]
    while pending:
        current = pending.pop()
        objects = [o for o in report.objects(current, None) if isinstance(o, BNode)]
        report.remove((current, None, None))
        pending.extend(o for o in objects if (None, None, o) not in report)
