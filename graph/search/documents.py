"""What the search index holds: one document per described thing, read from a store with fixed queries.

A thing is indexed when it is an IRI typed with a ris3 class, or an IRI of the project's own
namespace (``https://w3id.org/ris3kg/id/``) with any type (memberships, roles, vocabulary
concepts). Its document holds:

- its text: labels (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``), descriptions
  (``dcterms:description``) and the quoted passages it rests on (the ``prov:value`` of each
  ``ris3:Passage`` it has through ``prov:wasDerivedFrom``), each with its language tag;
- the labels, in every language, of its themes (``ris3:theme``): what lets an English word find a
  Swedish passage whose element has that theme;
- its facets: its classes, the strategies (or studies) it belongs to (``ris3:inStrategy``,
  ``ris3:inStudy``, ``ris3:actorIn``, the strategy a document documents; a strategy or study is its
  own), the regions those strategies concern (``dcterms:spatial``), their countries
  (``ris3:country``; a country's own code is its country), its themes, and the strategies'
  periods (``dcterms:temporal``).

Every query is a fixed text with no value from outside, and each is one index scan over a
predicate; the store is read once per generation, when its index is built. What one document
keeps is capped (:data:`MAX_VALUES` values of each kind, :data:`MAX_TEXT` characters each).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from ris3kg.graph.store.interface import GraphStore
from ris3kg.ontology.namespaces import ID_BASE, PREFIXES, prefixed_name

RIS3 = PREFIXES["ris3"]
_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_DCT = PREFIXES["dcterms"]
_PROV = PREFIXES["prov"]

MAX_VALUES = 50
"""The most values of one kind (labels, passages, strategies, ...) a document keeps."""
MAX_TEXT = 4000
"""The most characters of one text a document keeps."""

LABEL = "label"
DESCRIPTION = "description"
PASSAGE = "passage"
THEME = "theme"
TEXT_KINDS = (PASSAGE, DESCRIPTION, LABEL, THEME)
"""The kinds of text a document holds, in the order snippets prefer them (passages first)."""

_TYPES = f"""SELECT ?s ?c WHERE {{ ?s <{_RDF}type> ?c FILTER(isIRI(?s) && isIRI(?c)) }}"""
_TEXTS = f"""SELECT ?s ?p ?o WHERE {{
    VALUES ?p {{ <{_RDFS}label> <{_SKOS}prefLabel> <{_SKOS}altLabel> <{_DCT}description> }}
    ?s ?p ?o FILTER(isIRI(?s) && isLiteral(?o)) }}"""
_PASSAGES = f"""SELECT ?s ?o WHERE {{
    ?s <{_PROV}wasDerivedFrom> ?passage . ?passage a <{RIS3}Passage> ; <{_PROV}value> ?o
    FILTER(isIRI(?s) && isLiteral(?o)) }}"""
_LINKS = f"""SELECT ?s ?p ?o WHERE {{
    VALUES ?p {{ <{RIS3}inStrategy> <{RIS3}inStudy> <{RIS3}actorIn> <{RIS3}theme> <{_DCT}spatial>
                <{_DCT}temporal> <{RIS3}country> }}
    ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) }}"""
_DOCUMENTED = f"""SELECT ?s ?o WHERE {{ ?o <{RIS3}documentedIn> ?s FILTER(isIRI(?s) && isIRI(?o)) }}"""

_MEMBERSHIP = (f"{RIS3}inStrategy", f"{RIS3}inStudy", f"{RIS3}actorIn")
_OWN_STRATEGY = (f"{RIS3}Strategy", f"{RIS3}Study")
_NUTS = PREFIXES["nuts"]


@dataclass(frozen=True)
class Text:
    """A text in a language.

    Attributes:
        language: The lower-case language tag (``sv``, ``nb``, ``en-gb``), or ``""`` for none.
        text: The text.
    """

    language: str
    text: str


@dataclass(frozen=True)
class SearchDocument:
    """One indexed thing.

    Attributes:
        iri: The thing.
        title: Its English label, else any label, else its prefixed name.
        kinds: Its classes (ris3 classes when it has any).
        texts: Its texts by kind (:data:`TEXT_KINDS`).
        strategies: The strategies or studies it belongs to.
        regions: The regions those concern.
        countries: Their countries.
        themes: Its themes.
        periods: The strategies' periods.
        language: The language of its source text: that of its passages, else of a label not in
            English, else ``en`` (``""`` when it has no text in any language).
    """

    iri: str
    title: str
    kinds: tuple[str, ...]
    texts: dict[str, tuple[Text, ...]]
    strategies: tuple[str, ...]
    regions: tuple[str, ...]
    countries: tuple[str, ...]
    themes: tuple[str, ...]
    periods: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class Corpus:
    """What the index is built from.

    Attributes:
        documents: The documents, by IRI.
        names: A display name for every IRI the facets use (English label first).
    """

    documents: tuple[SearchDocument, ...]
    names: dict[str, str]


def _rows(store: GraphStore, query: str) -> Iterator[ox.QuerySolution]:
    result = store.query(query)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query gave no solutions")
    yield from result


def _add(values: dict[str, list[str]], key: str, value: str) -> None:
    found = values[key]
    if len(found) < MAX_VALUES and value not in found:
        found.append(value)


def _add_text(texts: dict[str, list[Text]], key: str, literal: ox.Literal) -> None:
    found = texts[key]
    text = Text((literal.language or "").lower(), literal.value[:MAX_TEXT])
    if len(found) < MAX_VALUES and text not in found:
        found.append(text)


def _name(labels: list[Text], iri: str) -> str:
    for text in labels:
        if text.language == "en" or text.language.startswith("en-"):
            return text.text
    return labels[0].text if labels else prefixed_name(iri)


def read_corpus(store: GraphStore) -> Corpus:
    """Read every document to index from a store (the merge of its asserted graphs).

    Args:
        store: The store (one generation; the queries are fixed texts).
    """
    kinds: dict[str, list[str]] = defaultdict(list)
    for row in _rows(store, _TYPES):
        _add(kinds, row["s"].value, row["c"].value)
    subjects = {
        iri for iri, classes in kinds.items() if iri.startswith(ID_BASE) or any(c.startswith(RIS3) for c in classes)
    }
    labels: dict[str, list[Text]] = defaultdict(list)
    descriptions: dict[str, list[Text]] = defaultdict(list)
    for row in _rows(store, _TEXTS):
        iri, literal = row["s"].value, row["o"]
        assert isinstance(literal, ox.Literal)
        if row["p"].value == f"{_DCT}description":
            if iri in subjects:
                _add_text(descriptions, iri, literal)
        else:
            _add_text(labels, iri, literal)  # every IRI: facet values and themes need names too
    passages: dict[str, list[Text]] = defaultdict(list)
    for row in _rows(store, _PASSAGES):
        if row["s"].value in subjects:
            literal = row["o"]
            assert isinstance(literal, ox.Literal)
            _add_text(passages, row["s"].value, literal)
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _rows(store, _LINKS):
        _add(links[row["p"].value], row["s"].value, row["o"].value)
    for row in _rows(store, _DOCUMENTED):
        _add(links[f"{RIS3}inStrategy"], row["s"].value, row["o"].value)

    def strategies_of(iri: str, classes: list[str]) -> list[str]:
        found = [iri] if any(c in _OWN_STRATEGY for c in classes) else []
        for prop in _MEMBERSHIP:
            found += [s for s in links[prop].get(iri, ()) if s not in found]
        return found[:MAX_VALUES]

    def country_of(region: str) -> list[str]:
        own = links[f"{RIS3}country"].get(region)
        if own:
            return own
        code = region[len(_NUTS) :] if region.startswith(_NUTS) else ""
        return [region] if len(code) == 2 and code.isalpha() else []

    documents = []
    used: set[str] = set()
    for iri in sorted(subjects):
        classes = kinds[iri]
        own = [c for c in classes if c.startswith(RIS3)] or classes
        strategies = strategies_of(iri, classes)
        regions: list[str] = []
        periods: list[str] = []
        for strategy in strategies:
            regions += [r for r in links[f"{_DCT}spatial"].get(strategy, ()) if r not in regions]
            periods += [p for p in links[f"{_DCT}temporal"].get(strategy, ()) if p not in periods]
        countries: list[str] = []
        for region in regions:
            countries += [c for c in country_of(region) if c not in countries]
        themes = links[f"{RIS3}theme"].get(iri, [])
        theme_labels = [text for theme in themes for text in labels.get(theme, ())]
        texts = {
            LABEL: tuple(labels.get(iri, ())),
            DESCRIPTION: tuple(descriptions.get(iri, ())),
            PASSAGE: tuple(passages.get(iri, ())),
            THEME: tuple(theme_labels),
        }
        facets = (own, strategies, regions[:MAX_VALUES], countries[:MAX_VALUES], themes, periods[:MAX_VALUES])
        for values in facets:
            used.update(values)
        documents.append(
            SearchDocument(
                iri=iri,
                title=_name(labels.get(iri, []), iri),
                kinds=tuple(own),
                texts=texts,
                strategies=tuple(strategies),
                regions=tuple(regions[:MAX_VALUES]),
                countries=tuple(countries[:MAX_VALUES]),
                themes=tuple(themes),
                periods=tuple(periods[:MAX_VALUES]),
                language=_language(texts),
            )
        )
    names = {iri: _name(labels.get(iri, []), iri) for iri in sorted(used)}
    return Corpus(tuple(documents), names)


def _language(texts: dict[str, tuple[Text, ...]]) -> str:
    for text in texts[PASSAGE]:
        if text.language:
            return text.language
    tagged = [t.language for t in (*texts[LABEL], *texts[DESCRIPTION]) if t.language]
    others = [tag for tag in tagged if tag != "en" and not tag.startswith("en-")]
    return others[0] if others else ("en" if tagged else "")
