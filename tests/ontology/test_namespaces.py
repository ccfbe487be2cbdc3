"""The prefixes are declared once and every Turtle file uses them; the closed namespaces match the files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.namespace import SKOS

from ris3kg.graph.codelists.lookup import codelists
from ris3kg.ontology.namespaces import PREFIXES, RIS3, VOC
from ris3kg.ontology.resources import ONTOLOGY, VOCABULARIES, parse_resource

from conftest import REPO

TURTLE_FILES = sorted(p for p in REPO.rglob("*.ttl") if ".venv" not in p.parts and "build" not in p.parts)
_PREFIX = re.compile(r"^@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>\s*\.\s*$")


def _declared(path: Path) -> list[tuple[str, str, int]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _PREFIX.match(line)
        if match:
            found.append((match.group(1) or "", match.group(2), number))
        elif line.lstrip().lower().startswith(("@prefix", "prefix ", "@base", "base ")):
            pytest.fail(f"{path}:{number}: prefix declaration not in the house form: {line!r}")
    return found


def test_there_are_turtle_files_to_check() -> None:
    names = {p.name for p in TURTLE_FILES}
    assert {"ris3kg.ttl", "vocabularies.ttl", "shapes.ttl", "regions.ttl", "blekinge.ttl"} <= names


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_turtle_file_uses_the_house_prefixes(path: Path) -> None:
    declared = _declared(path)
    assert declared, f"{path} declares no prefixes"
    for prefix, iri, line in declared:
        assert prefix in PREFIXES, f"{path}:{line}: prefix {prefix!r} is not in PREFIXES"
        assert iri == PREFIXES[prefix], f"{path}:{line}: {prefix}: is <{iri}>, PREFIXES says <{PREFIXES[prefix]}>"
    lines = [line for _, _, line in declared]
    assert lines == list(range(lines[0], lines[0] + len(lines))), f"{path}: prefixes must form one block"
    assert len({p for p, _, _ in declared}) == len(declared), f"{path}: a prefix is declared twice"


def _defined_terms(graph: Graph, namespace: str) -> set[str]:
    return {
        str(s)[len(namespace) :]
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(namespace)
    }


def test_ris3_namespace_class_lists_exactly_the_ontology_terms() -> None:
    graph = parse_resource(ONTOLOGY)
    in_file = _defined_terms(graph, PREFIXES["ris3"])
    in_code = set(RIS3.__annotations__)
    assert in_file == in_code


def test_voc_namespace_class_lists_exactly_the_vocabulary_terms() -> None:
    graph = parse_resource(VOCABULARIES)
    in_file = _defined_terms(graph, PREFIXES["voc"])
    in_code = set(VOC.__annotations__) | set(VOC._extras)
    assert in_file == in_code


def test_closed_namespaces_refuse_unknown_terms() -> None:
    with pytest.raises(AttributeError):
        _ = RIS3.Strateg
    with pytest.raises(AttributeError):
        _ = VOC["kind-flagship"]


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_files_use_only_defined_ontology_and_vocabulary_terms(path: Path) -> None:
    ontology = parse_resource(ONTOLOGY) + parse_resource(VOCABULARIES)
    known = {str(s) for s in ontology.subjects()} | set(codelists().units)  # every currency is a unit
    graph = Graph().parse(path, format="turtle")
    used = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    for namespace in (PREFIXES["ris3"], PREFIXES["voc"], PREFIXES["theme"]):
        unknown = sorted(t for t in used if t.startswith(namespace) and t not in known)
        if path.parent.name == "invalid":
            continue  # invalid submissions may name unknown terms on purpose
        assert not unknown, f"{path.name} uses undefined terms: {unknown}"


def test_every_ontology_term_has_label_and_comment_in_english() -> None:
    from rdflib import RDFS

    graph = parse_resource(ONTOLOGY)
    for term in graph.subjects(RDF.type, None):
        if not isinstance(term, URIRef) or str(term) == str(OWL):
            continue
        labels = {lit.language for lit in graph.objects(term, RDFS.label)}
        comments = {lit.language for lit in graph.objects(term, RDFS.comment)}
        assert "en" in labels, f"{term} has no English rdfs:label"
        assert "en" in comments, f"{term} has no English rdfs:comment"
        if str(term).startswith(PREFIXES["ris3"]):
            assert {"sv", "nb"} <= labels, f"{term} lacks a Swedish or Norwegian label"


def test_every_concept_is_in_a_scheme_with_three_language_labels() -> None:
    graph = parse_resource(VOCABULARIES)
    for concept in set(graph.subjects(SKOS.inScheme, None)):
        languages = {lit.language for lit in graph.objects(concept, SKOS.prefLabel)}
        assert {"en", "sv", "nb"} <= languages, f"{concept} lacks an en/sv/nb prefLabel"
