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

Every query is a fixed text with no value from outside, and each is one index scan over one
predicate (one query a predicate, so no row carries its predicate; a passage's text is joined
here, a hash join, where the store would look each row's passage up in turn); each property's
values are kept in the order of its scan. The store is read once per generation, when its index
is built. What one document
keeps is capped (:data:`MAX_VALUES` values of each kind, :data:`MAX_TEXT` characters each).
"""

from __future__ import annotations

import gc
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
_LABEL_PROPERTIES = (f"{_RDFS}label", f"{_SKOS}prefLabel", f"{_SKOS}altLabel")
_LINK_PROPERTIES = (
    f"{RIS3}inStrategy",
    f"{RIS3}inStudy",
    f"{RIS3}actorIn",
    f"{RIS3}theme",
    f"{_DCT}spatial",
    f"{_DCT}temporal",
    f"{RIS3}country",
)


def _literals_of(prop: str) -> str:
    return f"SELECT ?s ?o WHERE {{ ?s <{prop}> ?o FILTER(isIRI(?s) && isLiteral(?o)) }}"


def _iris_of(prop: str) -> str:
    return f"SELECT ?s ?o WHERE {{ ?s <{prop}> ?o FILTER(isIRI(?s) && isIRI(?o)) }}"


_LABELS = tuple(_literals_of(prop) for prop in _LABEL_PROPERTIES)
_DESCRIPTIONS = _literals_of(f"{_DCT}description")
_DERIVED = f"""SELECT ?s ?passage WHERE {{ ?s <{_PROV}wasDerivedFrom> ?passage FILTER(isIRI(?s)) }}"""
_PASSAGE_NODES = f"""SELECT ?passage WHERE {{ ?passage <{_RDF}type> <{RIS3}Passage> }}"""
_PASSAGE_VALUES = f"""SELECT ?passage ?o WHERE {{ ?passage <{_PROV}value> ?o FILTER(isLiteral(?o)) }}"""
_LINKS = tuple((prop, _iris_of(prop)) for prop in _LINK_PROPERTIES)
_DOCUMENTED = f"""SELECT ?s ?o WHERE {{ ?o <{RIS3}documentedIn> ?s FILTER(isIRI(?s) && isIRI(?o)) }}"""

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


def _add_text(found: list[tuple[str, str]], literal: ox.Literal) -> None:
    """Keep a text (a language and a text, as in :class:`Text`) unless it is kept already or enough are."""
    if len(found) < MAX_VALUES:
        text = ((literal.language or "").lower(), literal.value[:MAX_TEXT])
        if text not in found:
            found.append(text)


def _name(labels: list[tuple[str, str]], iri: str) -> str:
    for language, text in labels:
        if language == "en" or language.startswith("en-"):
            return text
    return labels[0][1] if labels else prefixed_name(iri)


def read_corpus(store: GraphStore) -> Corpus:
    """Read every document to index from a store (the merge of its asserted graphs).

    Args:
        store: The store (one generation; the queries are fixed texts).
    """
    collecting = gc.isenabled()
    gc.disable()  # a million acyclic objects: the collector would walk them again and again for nothing
    try:
        return _read_corpus(store)
    finally:
        if collecting:
            gc.enable()


def _read_corpus(store: GraphStore) -> Corpus:
    kinds: dict[str, list[str]] = defaultdict(list)
    for s, c in _rows(store, _TYPES):
        _add(kinds, s.value, c.value)
    subjects = {
        iri for iri, classes in kinds.items() if iri.startswith(ID_BASE) or any(c.startswith(RIS3) for c in classes)
    }
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for query in _LABELS:
        for s, o in _rows(store, query):
            _add_text(labels[s.value], o)  # every IRI: facet values and themes need names too
    descriptions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, o in _rows(store, _DESCRIPTIONS):
        iri = s.value
        if iri in subjects:
            _add_text(descriptions[iri], o)
    # Passages by their IRI or blank node label (a label has no colon, an IRI has one).
    typed = {passage.value for (passage,) in _rows(store, _PASSAGE_NODES)}
    values: dict[str, list[ox.Literal]] = defaultdict(list)
    for passage, o in _rows(store, _PASSAGE_VALUES):
        key = passage.value
        if key in typed:
            values[key].append(o)
    passages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, passage in _rows(store, _DERIVED):
        iri, key = s.value, passage.value
        if key in values and iri in subjects:
            found = passages[iri]
            for o in values[key]:
                _add_text(found, o)
    links: dict[str, dict[str, list[str]]] = {prop: defaultdict(list) for prop in _LINK_PROPERTIES}
    for prop, query in _LINKS:
        found_of = links[prop]
        for s, o in _rows(store, query):
            _add(found_of, s.value, o.value)
    in_strategy, in_study, actor_in, theme_of, spatial, temporal, country = (links[prop] for prop in _LINK_PROPERTIES)
    for s, o in _rows(store, _DOCUMENTED):
        _add(in_strategy, s.value, o.value)

    label_texts: dict[str, tuple[Text, ...]] = {}

    def labels_of(iri: str) -> tuple[Text, ...]:
        found = label_texts.get(iri)
        if found is None:
            pairs = labels.get(iri)
            found = label_texts[iri] = tuple([Text(*pair) for pair in pairs]) if pairs else ()
        return found

    countries_of: dict[str, list[str]] = {}

    def country_of(region: str) -> list[str]:
        own = country.get(region)
        if own:
            return own
        code = region[len(_NUTS) :] if region.startswith(_NUTS) else ""
        return [region] if len(code) == 2 and code.isalpha() else []

    documents = []
    used: set[str] = set()
    empty: list[str] = []
    unnamed: list[tuple[str, str]] = []
    for iri in sorted(subjects):
        classes = kinds[iri]
        own = [c for c in classes if c.startswith(RIS3)] or classes
        strategies = [iri] if any(c in _OWN_STRATEGY for c in classes) else []
        for membership in (in_strategy, in_study, actor_in):
            for strategy in membership.get(iri, empty):
                if strategy not in strategies:
                    strategies.append(strategy)
        del strategies[MAX_VALUES:]
        regions: list[str] = []
        periods: list[str] = []
        for strategy in strategies:
            regions += [r for r in spatial.get(strategy, empty) if r not in regions]
            periods += [p for p in temporal.get(strategy, empty) if p not in periods]
        countries: list[str] = []
        for region in regions:
            theirs = countries_of.get(region)
            if theirs is None:
                theirs = countries_of[region] = country_of(region)
            countries += [c for c in theirs if c not in countries]
        del regions[MAX_VALUES:], periods[MAX_VALUES:], countries[MAX_VALUES:]  # countries of every region
        themes = theme_of.get(iri, empty)
        described = descriptions.get(iri)
        quoted = passages.get(iri)
        texts = {
            LABEL: labels_of(iri),
            DESCRIPTION: tuple([Text(*pair) for pair in described]) if described else (),
            PASSAGE: tuple([Text(*pair) for pair in quoted]) if quoted else (),
            THEME: tuple([text for theme in themes for text in labels_of(theme)]) if themes else (),
        }
        for facet in (own, strategies, regions, countries, themes, periods):
            used.update(facet)
        documents.append(
            SearchDocument(
                iri,
                _name(labels.get(iri, unnamed), iri),
                tuple(own),
                texts,
                tuple(strategies),
                tuple(regions),
                tuple(countries),
                tuple(themes),
                tuple(periods),
                _language(texts),
            )
        )
    names = {iri: _name(labels.get(iri, unnamed), iri) for iri in sorted(used)}
    return Corpus(tuple(documents), names)


def _language(texts: dict[str, tuple[Text, ...]]) -> str:
    for text in texts[PASSAGE]:
        if text.language:
            return text.language
    tagged = [t.language for t in (*texts[LABEL], *texts[DESCRIPTION]) if t.language]
    others = [tag for tag in tagged if tag != "en" and not tag.startswith("en-")]
    return others[0] if others else ("en" if tagged else "")
