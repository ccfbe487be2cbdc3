"""SHACL validation: every strategy conforms; each invalid file breaks its one rule and says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from ris3kg.graph.catalogue import strategy_parts
from ris3kg.shapes.validation import Severity, shapes_graph, validate_file, validate_graph

from conftest import DATA

INVALID = sorted((DATA / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def _expectations(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^# expect-(\w+): (.+)$", line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


@pytest.mark.parametrize("part", strategy_parts(), ids=lambda p: p.key)
def test_every_strategy_conforms_without_warnings(part, shapes: Graph, reference: Graph) -> None:  # type: ignore[no-untyped-def]
    report = validate_graph(part.load(), source=part.key, shapes=shapes, reference=reference)
    assert report.conforms, [(r.focus, r.message) for r in report.violations]
    assert not report.warnings, [(r.focus, r.message) for r in report.warnings]


def test_the_valid_submission_conforms() -> None:
    report = validate_file(DATA / "valid" / "blekinge-excerpt.ttl")
    assert report.conforms and not report.results


def test_there_is_an_invalid_file_per_rule() -> None:
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_is_caught_with_its_message(path: Path) -> None:
    expected = _expectations(path)
    assert {"severity", "message"} <= expected.keys(), f"{path.name} lacks expect- headers"
    report = validate_file(path)
    matching = [r for r in report.results if expected["message"] in r.message]
    assert matching, f"{path.name}: no result says {expected['message']!r}; got {[r.message for r in report.results]}"
    assert any(r.severity is Severity(expected["severity"]) for r in matching)
    if "focus" in expected:
        assert any(r.focus == expected["focus"] for r in matching)
    if expected["severity"] == "Violation":
        assert not report.conforms
    else:
        assert report.conforms and not report.violations
    # the file breaks only its own rule: every other result is about the same entity or is a warning
    others = [r for r in report.violations if expected["message"] not in r.message]
    assert all(r.focus == matching[0].focus for r in others), [(r.focus, r.message) for r in others]


def test_results_name_the_entity_and_property() -> None:
    report = validate_file(DATA / "invalid" / "unknown-helix-role.ttl")
    (result,) = report.violations
    assert result.focus_label == "Region Blekinge"
    assert result.path == "ris3:helixRole"
    assert result.value == "voc:helix-media"
    assert result.shape == "ris3sh:actor-helix"


def test_closed_value_sets_in_the_shapes_match_the_vocabulary_schemes(shapes: Graph, reference: Graph) -> None:
    from rdflib import RDF as _RDF
    from rdflib.collection import Collection
    from rdflib.namespace import SH, SKOS

    checked = 0
    for node in set(shapes.objects(None, SH["in"])):
        members = set(Collection(shapes, node))
        schemes = {s for m in members for s in reference.objects(m, SKOS.inScheme)}
        if len(schemes) != 1 or not all(isinstance(m, type(next(iter(members)))) for m in members):
            continue
        (scheme,) = schemes
        in_scheme = set(reference.subjects(SKOS.inScheme, scheme))
        assert members == in_scheme, f"sh:in list for {scheme} differs from the scheme"
        checked += 1
    assert checked >= 7
    # Units are a scheme: the hand-made units and every currency of the generated code list.
    from ris3kg.graph.codelists.lookup import codelists

    units = codelists().units
    assert {str(u) for u in reference.subjects(SKOS.inScheme, URIRef("https://w3id.org/ris3kg/id/vocab/Units"))} < set(
        units
    )
    assert len(units) > 170 and "https://w3id.org/ris3kg/id/vocab/unit-pln" in units
    assert len(set(reference.subjects(_RDF.type, URIRef("https://w3id.org/ris3kg/ontology#Theme")))) >= 30
