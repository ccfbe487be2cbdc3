"""SHACL-SPARQL constraints run once per shape, on Oxigraph, instead of once per focus node.

pySHACL evaluates a SPARQL-based constraint (SHACL §5) by parsing and running its SELECT once
for every focus node, with ``$this`` pre-bound, on rdflib's SPARQL engine. For a strategy of a
few thousand triples that is most of the validation time (seconds, against a fraction of a
second for every core constraint together). This module takes such constraints out of the shapes
handed to pySHACL and evaluates each with a single query: the shape's targets (a sub-select of
its focus nodes) joined with the constraint's own SELECT, run on an in-memory Oxigraph store. The
results are written into the SHACL validation report exactly as SHACL §5.3 describes them.

Only constraints for which the join is equivalent to pre-binding are taken out: the constraint
is an ``sh:select`` that projects ``$this``, on a node shape that has targets of its own and is
not used by another shape (``sh:node``, ``sh:or``, ``sh:xone`` ...). Everything else stays with
pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from ris3kg.graph.terms import to_oxigraph, to_rdflib
from ris3kg.ontology.namespaces import prefixed_name

_REFERENCING = (SH.node, SH["or"], SH["and"], SH["not"], SH.xone, SH.qualifiedValueShape, SH.property)
_PROJECTS_THIS = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?[^{]*?[$?]this\b", re.IGNORECASE)
_TEMPLATE = re.compile(r"\{[$?]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Targets:
    """The declared targets of a shape (SHACL §2.1.3).

    Attributes:
        classes: ``sh:targetClass`` values (instances of these or their subclasses).
        subjects_of: ``sh:targetSubjectsOf`` predicates.
        objects_of: ``sh:targetObjectsOf`` predicates.
        nodes: ``sh:targetNode`` values.
    """

    classes: tuple[URIRef, ...]
    subjects_of: tuple[URIRef, ...]
    objects_of: tuple[URIRef, ...]
    nodes: tuple[URIRef, ...]

    def __bool__(self) -> bool:
        """True when the shape has at least one target."""
        return bool(self.classes or self.subjects_of or self.objects_of or self.nodes)

    def pattern(self) -> str:
        """Return a SPARQL group pattern that binds ``?this`` to each focus node."""
        branches = [f"{{ ?this rdf:type/rdfs:subClassOf* <{c}> }}" for c in self.classes]
        branches += [f"{{ ?this <{p}> [] }}" for p in self.subjects_of]
        branches += [f"{{ [] <{p}> ?this }}" for p in self.objects_of]
        if self.nodes:
            branches.append("{ VALUES ?this { " + " ".join(f"<{n}>" for n in self.nodes) + " } }")
        return " UNION ".join(branches)


@dataclass(frozen=True)
class BatchedConstraint:
    """One SPARQL-based constraint, ready to run for all focus nodes at once.

    Attributes:
        shape: The node shape it belongs to.
        constraint: The ``sh:SPARQLConstraint`` node.
        query: The complete query: prefixes, the targets' sub-select and the constraint's SELECT.
        messages: The constraint's ``sh:message`` values (else the shape's), as templates.
        severity: The shape's severity (``sh:Violation`` unless it says otherwise).
    """

    shape: Node
    constraint: Node
    query: str
    messages: tuple[Literal, ...]
    severity: URIRef


@dataclass(frozen=True)
class SplitShapes:
    """Shapes divided between pySHACL and the batched evaluator.

    Attributes:
        core: The shapes graph for pySHACL, without the batched constraints.
        batched: The constraints this module runs.
    """

    core: Graph
    batched: tuple[BatchedConstraint, ...]


def split_shapes(shapes: Graph) -> SplitShapes:
    """Take the SPARQL constraints that can run once per shape out of a shapes graph.

    Args:
        shapes: The shapes graph (not changed).

    Returns:
        A copy of the shapes without those constraints, and the constraints themselves.
    """
    core = Graph(bind_namespaces="none")
    core += shapes
    referenced = {o for p in _REFERENCING for o in shapes.objects(None, p)}
    referenced |= {item for node in referenced for item in _list_items(shapes, node)}
    batched: list[BatchedConstraint] = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=lambda pair: (str(pair[0]), str(pair[1]))):
        targets = _targets(shapes, shape)
        select = shapes.value(constraint, SH.select)
        if (
            shape in referenced
            or not targets
            or select is None
            or _deactivated(shapes, shape)
            or _deactivated(shapes, constraint)
            or not _PROJECTS_THIS.search(str(select))
        ):
            continue
        messages = tuple(m for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal)) or tuple(
            m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)
        )
        severity = shapes.value(shape, SH.severity)
        query = (
            _prologue(shapes, constraint)
            + f"SELECT * WHERE {{\n  {{ SELECT DISTINCT ?this WHERE {{ {targets.pattern()} }} }}\n"
            + f"  {{ {select} }}\n}}"
        )
        batched.append(
            BatchedConstraint(
                shape=shape,
                constraint=constraint,
                query=query,
                messages=messages,
                severity=severity if isinstance(severity, URIRef) else SH.Violation,
            )
        )
        core.remove((shape, SH.sparql, constraint))
    return SplitShapes(core, tuple(batched))


def run_batched(data: Graph, constraints: Iterable[BatchedConstraint], *, report: Graph) -> int:
    """Run the batched constraints over a data graph and add their results to a SHACL report.

    Args:
        data: The data graph (with the ontology mixed in, as for pySHACL).
        constraints: The constraints from :func:`split_shapes`.
        report: The SHACL validation report (from pySHACL) to add ``sh:ValidationResult`` nodes to;
            its ``sh:conforms`` is updated to false when a violation is added.

    Returns:
        How many results were added.
    """
    constraints = tuple(constraints)
    if not constraints:
        return 0
    store = ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in data)  # type: ignore[arg-type]
    report_node = report.value(None, RDF.type, SH.ValidationReport, any=True)
    added = 0
    for constraint in constraints:
        solutions = store.query(constraint.query)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
            result = _add_result(report, constraint, row)
            if report_node is not None:
                report.add((report_node, SH.result, result))
            added += 1
            if constraint.severity == SH.Violation and report_node is not None:
                report.set((report_node, SH.conforms, Literal(False)))
    return added


def _add_result(report: Graph, constraint: BatchedConstraint, row: dict[str, Node]) -> BNode:
    focus = row["this"]
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, focus))
    report.add((result, SH.resultSeverity, constraint.severity))
    report.add((result, SH.sourceShape, constraint.shape))
    report.add((result, SH.sourceConstraint, constraint.constraint))
    report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    report.add((result, SH.value, row.get("value", focus)))
    if "path" in row:
        report.add((result, SH.resultPath, row["path"]))
    for message in constraint.messages:
        text = _TEMPLATE.sub(lambda m: _display(row.get(m.group(1))), str(message))
        report.add((result, SH.resultMessage, Literal(text, lang=message.language)))
    return result


def _display(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return prefixed_name(str(node))
    return str(node)


def _targets(shapes: Graph, shape: Node) -> Targets:
    def iris(predicate: URIRef) -> tuple[URIRef, ...]:
        return tuple(sorted(o for o in shapes.objects(shape, predicate) if isinstance(o, URIRef)))

    return Targets(iris(SH.targetClass), iris(SH.targetSubjectsOf), iris(SH.targetObjectsOf), iris(SH.targetNode))


def _prologue(shapes: Graph, constraint: Node) -> str:
    declared = {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    }
    for source in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                declared[str(prefix)] = str(namespace)
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(declared.items()))


def _deactivated(shapes: Graph, node: Node) -> bool:
    value = shapes.value(node, SH.deactivated)
    return isinstance(value, Literal) and value.toPython() is True


def _list_items(graph: Graph, node: Node) -> set[Node]:
    if (node, RDF.first, None) not in graph:
        return set()
    return set(graph.items(node))
