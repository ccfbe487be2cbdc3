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
from rdflib import RDF, RDFS, Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from ris3kg.graph.catalogue import reference_graph
from ris3kg.graph.codelists.lookup import codelists
from ris3kg.ontology.resources import TurtleResource, parse_path, parse_resource
from ris3kg.shapes.codes import check_codes
from ris3kg.shapes.literals import check_literals
from ris3kg.shapes.numbering import check_numbering
from ris3kg.shapes.results import Severity, ValidationResult, short_name
from ris3kg.shapes.sparql_constraints import SplitShapes, run_batched, split_shapes

SHAPES = TurtleResource("ris3kg.shapes", "shapes.ttl")

__all__ = [
    "SHAPES",
    "Severity",
    "ValidationReport",
    "ValidationResult",
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
    found = [_result(report_graph, node, labels) for node in report_graph.subjects(RDF.type, SH.ValidationResult)]
    results = sorted(
        (
            *(
                r
                for r in found
                # a code list's own entries are reference, not the strategy's data; an unknown
                # code, or a value impossible for its datatype, has its own result below, which
                # says what it could have been
                if r.focus in own and (r.focus, r.value) not in replaced
            ),
            *(replace(r, focus_label=labels(URIRef(r.focus))) for r in checked),
        ),
        key=lambda r: (list(Severity).index(r.severity), r.focus, r.path or "", r.message),
    )
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
