"""The batched SHACL-SPARQL evaluator gives exactly what pySHACL's per-focus-node evaluation gives."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH, XSD

from ris3kg.ontology.namespaces import RIS3, VOC
from ris3kg.ontology.resources import parse_path
from ris3kg.shapes.sparql_constraints import split_shapes
from ris3kg.shapes.validation import shapes_graph, validate_graph

from conftest import DATA

NUTS = Namespace("http://data.europa.eu/nuts/code/")
BLEKINGE = Namespace("https://w3id.org/ris3kg/id/blekinge/")
PROV = Namespace("http://www.w3.org/ns/prov#")


def test_every_packaged_sparql_constraint_is_batched() -> None:
    shapes = shapes_graph()
    split = split_shapes(shapes)
    assert len(split.batched) == len(set(shapes.objects(None, SH.sparql))) == 21
    assert not set(split.core.objects(None, SH.sparql))
    assert all("SELECT DISTINCT ?this WHERE" in c.query for c in split.batched)


def _broken_excerpt() -> Graph:
    """The valid excerpt with one error for each SPARQL constraint of the shapes."""
    graph = parse_path(DATA / "valid" / "blekinge-excerpt.ttl")
    # A NUTS code whose level disagrees with its length.
    graph.add((NUTS.SE221, RIS3.nutsLevel, Literal(2)))
    graph.remove((NUTS.SE221, RIS3.nutsLevel, Literal(3)))
    # A figure with an upper value but no range qualifier.
    figure = BLEKINGE["figure-test"]
    graph.add((figure, RDF.type, RIS3.Figure))
    graph.add((figure, RIS3.value, Literal(5)))
    graph.add((figure, RIS3.upperValue, Literal(3)))
    # An element in a strategy that links to an element of another.
    action = next(iter(graph.subjects(RDF.type, RIS3.Action)))
    other = URIRef("https://w3id.org/ris3kg/id/norrbotten/challenge-1")
    graph.add((other, RIS3.inStrategy, URIRef("https://w3id.org/ris3kg/id/norrbotten/strategy")))
    graph.add((action, RIS3.addresses, other))
    # A passage quoted in the wrong language, and an element named only in another language.
    passage = BNode()
    graph.add((action, PROV.wasDerivedFrom, passage))
    graph.add((passage, RDF.type, RIS3.Passage))
    graph.add((passage, PROV.wasQuotedFrom, BLEKINGE.document))
    graph.add((passage, PROV.value, Literal("Ett citat på fel språk.", lang="sv")))
    for label in list(graph.objects(action, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))):
        graph.remove((action, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), label))
    graph.add((action, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Åtgärd", lang="sv")))
    assert VOC["value-range"] not in set(graph.objects(figure, RIS3.valueQualifier))
    return graph


def _sparql_results(report: Graph) -> set[tuple[str, str, str]]:
    """Focus, severity and shape of each result from a SPARQL constraint in a SHACL report."""
    return {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultSeverity)),
            str(report.value(r, SH.sourceShape)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(r, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    }


def _pyshacl_results(data: Graph, reference: Graph) -> set[tuple[str, str, str]]:
    mixed = Graph()
    mixed += data
    mixed += reference
    _conforms, report, _text = pyshacl.validate(
        mixed, shacl_graph=shapes_graph(), inference="none", allow_warnings=True
    )
    return _sparql_results(report)


def _our_results(data: Graph) -> set[tuple[str, str, str]]:
    return _sparql_results(validate_graph(data, source="test").report_graph)


@pytest.mark.parametrize(
    "path",
    [DATA / "valid" / "blekinge-excerpt.ttl", *sorted((DATA / "invalid").glob("*.ttl"))],
    ids=lambda p: p.name,
)
def test_same_results_as_pyshacl_on_the_test_files(path: Path, reference: Graph) -> None:
    data = parse_path(path)
    assert _our_results(data) == _pyshacl_results(data, reference)


def test_same_results_as_pyshacl_with_every_constraint_broken(reference: Graph) -> None:
    data = _broken_excerpt()
    ours = _our_results(data)
    shapes = {shape.rsplit("#", 1)[1] for _focus, _severity, shape in ours}
    assert shapes == {
        "NutsLevelShape",
        "FigureShape",
        "StrategyElementShape",
        "PassageShape",
        "SourceLanguageLabelShape",
    }
    assert ours == _pyshacl_results(data, reference)


def test_messages_fill_in_the_query_variables() -> None:
    report = validate_graph(_broken_excerpt(), source="test")
    messages = {r.message for r in report.results}
    assert "The NUTS code SE221 has level 2, but a code of that length is level 3." in messages
    assert any(m.startswith("A range needs") and "(5 to 3)" in m for m in messages)
    level = next(r for r in report.results if r.message.startswith("The NUTS code SE221"))
    assert level.focus == str(NUTS.SE221)
    assert level.value == "nuts:SE221"
    assert not report.conforms
    assert set(report.report_graph.objects(None, SH.conforms)) == {Literal(False, datatype=XSD.boolean)}
