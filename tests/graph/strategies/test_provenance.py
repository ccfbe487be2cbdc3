"""Faithful to the sources: every quote is in its source text, every fact has a quote, labels in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from ris3kg.graph.catalogue import DatasetPart, strategy_parts
from ris3kg.ontology.namespaces import PREFIXES, RIS3

PARTS = strategy_parts()
UNSOURCED = {RIS3.Passage, RIS3.SourceDocument, SKOS.ConceptScheme, RIS3.Criterion}


def _skeleton(text: str) -> str:
    """Lower case with every space, punctuation mark and hyphen removed, so line breaks and split words match."""
    return re.sub(r"[\W_]+", "", text.lower())


def _document(graph: Graph) -> URIRef:
    (document,) = [d for d in graph.subjects(RDF.type, RIS3.SourceDocument) if isinstance(d, URIRef)]
    return document


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.key)
def test_every_quote_is_in_the_source_text(part: DatasetPart, seeds_dir: Path) -> None:
    assert part.seed_file
    source = _skeleton((seeds_dir / part.seed_file).read_text(encoding="utf-8"))
    graph = part.load()
    quotes = [q for q in graph.objects(None, PROV.value) if isinstance(q, Literal)]
    assert len(quotes) > 100
    missing = [str(q) for q in quotes if _skeleton(str(q)) not in source]
    assert not missing, f"quotes not found in {part.seed_file}: {missing[:5]}"


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.key)
def test_the_document_names_its_seed_file_and_language(part: DatasetPart) -> None:
    graph = part.load()
    document = _document(graph)
    assert str(graph.value(document, RIS3.fileName)) == part.seed_file
    language = graph.value(document, URIRef("http://purl.org/dc/terms/language"))
    assert language is not None and str(language).endswith({"en": "ENG", "sv": "SWE", "nb": "NOB"}[part.language or ""])


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.key)
def test_every_described_subject_rests_on_a_passage_of_its_document(part: DatasetPart) -> None:
    graph = part.load()
    document = _document(graph)
    subjects = {s for s, t in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and t not in UNSOURCED}
    assert len(subjects) > 50
    for subject in sorted(subjects):
        passages = list(graph.objects(subject, PROV.wasDerivedFrom))
        assert passages, f"{subject} has no passage"
        for passage in passages:
            assert graph.value(passage, PROV.wasQuotedFrom) == document, f"{subject}: passage from another document"


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.key)
def test_labels_in_the_source_language_and_english(part: DatasetPart) -> None:
    graph = part.load()
    for subject in {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}:
        languages = [lit.language for lit in graph.objects(subject, RDFS.label) if isinstance(lit, Literal)]
        assert "en" in languages, f"{subject} has no English label"
        assert part.language in languages, f"{subject} has no label in {part.language}"
        assert len(languages) == len(set(languages)), f"{subject} has two labels in one language"


def test_shared_iris_have_the_same_labels_in_every_strategy() -> None:
    labels: dict[tuple[URIRef, str | None], set[str]] = {}
    own = tuple(PREFIXES[part.key] for part in PARTS)
    for part in PARTS:
        graph = part.load()
        for subject, label in graph.subject_objects(RDFS.label):
            if isinstance(subject, URIRef) and isinstance(label, Literal) and not subject.startswith(own):
                labels.setdefault((subject, label.language), set()).add(str(label))
    clashes = {key: values for key, values in labels.items() if len(values) > 1}
    assert not clashes
