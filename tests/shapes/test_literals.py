"""Typed values impossible for their datatype, and numbering that contradicts itself."""

from __future__ import annotations

import pytest
from rdflib import XSD, Literal, URIRef

from ris3kg.ontology.namespaces import RIS3
from ris3kg.ontology.resources import parse_path
from ris3kg.shapes.literals import literal_problem
from ris3kg.shapes.numbering import check_numbering
from ris3kg.shapes.validation import validate_graph

from conftest import DATA

BLEKINGE = "https://w3id.org/ris3kg/id/blekinge/"


@pytest.mark.parametrize(
    ("lexical", "datatype", "reason"),
    [
        ("2021-02-30", XSD.date, "there is no 30 February 2021"),
        ("2023-02-29", XSD.date, "there is no 29 February 2023"),
        ("2021-04-31", XSD.date, "there is no 31 April 2021"),
        ("2021-00-10", XSD.date, "months run from 01 to 12"),
        ("2021-13", XSD.gYearMonth, "month 13"),
        ("21", XSD.gYear, "is not written as a year of four digits"),
        ("0000", XSD.gYear, "there is no year 0"),
        ("2021-05+15:00", XSD.gYearMonth, "time zone"),
        ("2,5", XSD.decimal, "is not written as a number"),
        ("1e5", XSD.decimal, "is not written as a number"),
        ("2nd", XSD.integer, "is not written as a whole number"),
        ("yes", XSD.boolean, "is not written as true or false"),
        ("2021-02-28T25:00:00", XSD.dateTime, "not a time of day"),
    ],
)
def test_impossible_values_are_named_with_what_to_write(lexical: str, datatype: URIRef, reason: str) -> None:
    problem = literal_problem(lexical, datatype)
    assert problem is not None and reason in problem.reason
    assert "e.g." in problem.advice


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("2024-02-29", XSD.date),
        ("2000-02-29", XSD.date),
        ("2021-12", XSD.gYearMonth),
        ("2021", XSD.gYear),
        (" 12 ", XSD.integer),  # XSD collapses whitespace
        ("-3.25", XSD.decimal),
        ("1.5E6", XSD.double),
        ("2021-02-28T24:00:00", XSD.dateTime),
        ("whatever", XSD.string),
    ],
)
def test_valid_values_pass(lexical: str, datatype: URIRef) -> None:
    assert literal_problem(lexical, datatype) is None


def test_an_impossible_date_gets_one_result_in_place_of_the_generic_one() -> None:
    graph = parse_path(DATA / "valid" / "blekinge-excerpt.ttl")
    issued = URIRef("http://purl.org/dc/terms/issued")
    graph.add((URIRef(BLEKINGE + "document"), issued, Literal("2021-02-30", datatype=XSD.date)))
    report = validate_graph(graph, source="test")
    (result,) = report.violations
    assert result.shape == "ris3sh:literal-valid"
    assert result.path == "dcterms:issued" and result.value == "2021-02-30"
    assert result.focus_label == "Blekinge's strategy for smart specialisation"
    assert "there is no 30 February 2021" in result.message and '"2021-02-28"^^xsd:date' in result.message


def test_the_same_number_in_different_lists_is_not_a_contradiction() -> None:
    graph = parse_path(DATA / "valid" / "blekinge-excerpt.ttl")
    second = URIRef(BLEKINGE + "action-2-2")
    first = URIRef(BLEKINGE + "action-2-1")
    for subject, serves in ((first, "area-tech"), (second, "area-other")):
        graph.add((subject, RIS3.ordinal, Literal(1)))
        graph.add((subject, RIS3.serves, URIRef(BLEKINGE + serves)))
    for p, o in list(graph.predicate_objects(first)):
        if p not in (RIS3.ordinal, RIS3.serves):
            graph.add((second, p, o))
    assert not check_numbering(graph)
    graph.remove((second, RIS3.serves, None))
    graph.add((second, RIS3.serves, URIRef(BLEKINGE + "area-tech")))
    (result,) = check_numbering(graph)
    assert result.focus == str(second) and "blekinge:action-2-1" in result.message


def test_an_area_that_contains_itself_is_a_violation() -> None:
    graph = parse_path(DATA / "valid" / "blekinge-excerpt.ttl")
    area = URIRef(BLEKINGE + "area-tech")
    graph.add((area, RIS3.hasSubArea, area))
    report = validate_graph(graph, source="test")
    assert any(r.shape == "ris3sh:StructureShape" and "It contains itself" in r.message for r in report.violations)


def test_the_shacl_report_holds_the_same_results_as_the_report() -> None:
    from rdflib import RDF
    from rdflib.namespace import SH

    graph = parse_path(DATA / "valid" / "blekinge-excerpt.ttl")
    issued = URIRef("http://purl.org/dc/terms/issued")
    graph.add((URIRef(BLEKINGE + "document"), issued, Literal("2021-02-30", datatype=XSD.date)))
    report = validate_graph(graph, source="test")
    shacl = report.report_graph
    (node,) = shacl.subjects(RDF.type, SH.ValidationResult)  # the generic sh:datatype result is gone
    assert shacl.value(node, SH.sourceShape) == URIRef("https://w3id.org/ris3kg/shapes#literal-valid")
    assert shacl.value(node, SH.value) == Literal("2021-02-30", datatype=XSD.date)
    assert shacl.value(node, SH.resultPath) == issued
    assert set(shacl.objects(None, SH.conforms)) == {Literal(False)}
    clean = validate_graph(parse_path(DATA / "valid" / "blekinge-excerpt.ttl"), source="test").report_graph
    assert set(clean.objects(None, SH.conforms)) == {Literal(True)}
