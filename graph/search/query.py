"""Running a search: a query string, facet filters and a page in, ranked hits with snippets and facet counts out.

The query string runs against every text field of the index, each field parsing it with its own
language's analyzer (tantivy's query parser tokenizes a term once per field), ranked by BM25 with
labels weighing more than descriptions, passages and themes (:data:`~ris3kg.graph.search.index.BOOSTS`).
Every word must match somewhere (``AND`` by default); tantivy's syntax works (``"a phrase"``,
``-word``, ``a OR b``). A query whose syntax tantivy cannot read is searched for its words alone,
any of them matching (ranked: more of them first), with a note saying so.

Facet filters are compared with the values the index holds (:attr:`SearchIndex.values`) and become
exact term queries: an unknown value is a :class:`SearchError`, never part of a query text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import tantivy

from ris3kg.graph.search.documents import PASSAGE, TEXT_KINDS, THEME
from ris3kg.graph.search.index import (
    FACETS,
    FIELD_BOOSTS,
    IRI,
    LANGUAGE,
    PLAIN,
    SUFFIXES,
    TEXT_FIELDS,
    TITLE,
    SearchIndex,
    field_name,
)

MAX_QUERY_LENGTH = 200
"""The longest query string, in characters."""
PER_PAGE = 20
"""Hits per page."""
MAX_PAGE = 50
"""The last page a client may ask for (1000 hits deep at most)."""
FACET_SIZE = 25
"""The most values of one facet counted and shown (the most frequent; a chosen one always)."""
SNIPPET_CHARS = 240
"""The longest snippet."""
_WORDS = re.compile(r"\w+")
_SNIPPET_ORDER = tuple(field_name(kind, suffix) for kind in TEXT_KINDS for suffix in SUFFIXES)


class SearchError(ValueError):
    """A search a client asked for cannot run: the message says why (a 400)."""


_UNSEARCHABLE = (
    "this search names a field that cannot be searched (field:value): search with words, "
    '"a phrase" in quotes, -word to leave a word out, or OR between words'
)


@dataclass(frozen=True)
class Snippet:
    """A piece of the text a hit matched, with the matched words marked.

    Attributes:
        text: The text.
        highlights: The marked words as (start, end) character offsets in ``text``.
        kind: Which kind of text it comes from (``passage``, ``label``, ``description``, ``theme``).
        language: The language of its field (the primary subtag: ``sv``, ``no``, ``en``), or ``""`` for
            text in a language without a stemmer or without a tag.
    """

    text: str
    highlights: tuple[tuple[int, int], ...]
    kind: str
    language: str = ""

    @property
    def html(self) -> str:
        """The text as HTML: every character escaped, the marked words in ``<mark>``."""
        parts: list[str] = []
        at = 0
        for start, end in self.highlights:
            if start < at:
                continue
            parts.append(html.escape(self.text[at:start]))
            parts.append(f"<mark>{html.escape(self.text[start:end])}</mark>")
            at = end
        parts.append(html.escape(self.text[at:]))
        return "".join(parts)


@dataclass(frozen=True)
class Named:
    """A facet value or a hit's attribute: an IRI and its display name.

    Attributes:
        value: The IRI.
        label: Its name.
    """

    value: str
    label: str


@dataclass(frozen=True)
class Hit:
    """One thing found.

    Attributes:
        iri: The thing.
        title: Its name.
        score: Its BM25 score.
        kind: Its class (the first, when it has several).
        strategy: The strategy or study it belongs to (the first), or None.
        language: The language of its source text (``sv``, ``nb``, ``en``), or ``""``.
        snippet: The best matching piece of its text (a passage when one matched), or None.
        via_theme: Whether only the labels of its themes matched.
        themes: Its themes.
    """

    iri: str
    title: str
    score: float
    kind: Named | None
    strategy: Named | None
    language: str
    snippet: Snippet | None
    via_theme: bool
    themes: tuple[Named, ...]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet among the hits.

    Attributes:
        value: The IRI.
        label: Its name.
        count: How many hits have it.
        selected: Whether the search is narrowed to it.
    """

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """A facet's values among the hits, most frequent first.

    Attributes:
        name: The facet (``kind``, ``strategy``, ...).
        values: Its values.
    """

    name: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class SearchResult:
    """One page of a search.

    Attributes:
        query: The query string.
        filters: The facet filters, by facet.
        total: How many things match.
        page: The page (from 1).
        per_page: Hits per page.
        hits: This page's hits.
        facets: The facets' counts over all the hits.
        notes: What the client should know (parts of the query ignored).
    """

    query: str
    filters: dict[str, str]
    total: int
    page: int
    per_page: int
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...]
    notes: tuple[str, ...]

    @property
    def pages(self) -> int:
        """How many pages the hits fill (at most :data:`MAX_PAGE`)."""
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))


def check_query(query: str) -> str:
    """Return the query stripped of surrounding space, or raise :class:`SearchError` when it is too long."""
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchError(f"the search text is too long: at most {MAX_QUERY_LENGTH} characters, it has {len(query)}")
    return query.strip()


def check_page(page: int) -> int:
    """Return a page number, or raise :class:`SearchError` when it is out of range."""
    if not 1 <= page <= MAX_PAGE:
        raise SearchError(f"page must be a number from 1 to {MAX_PAGE}")
    return page


def _parse(index: SearchIndex, query: str) -> tuple[tantivy.Query, tuple[str, ...]]:
    def parse(text: str, *, every_word: bool = True) -> tantivy.Query:
        return index.index.parse_query(
            text, list(TEXT_FIELDS), field_boosts=dict(FIELD_BOOSTS), conjunction_by_default=every_word
        )

    try:
        return parse(query), ()
    except ValueError as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else "invalid syntax"
        words = _WORDS.findall(query)
    if not words:
        raise SearchError("the search text has no words to search for")
    # Lower case: AND, OR, NOT and TO are operators only in capitals; the analyzers lower-case anyway.
    try:
        parsed = parse(" ".join(word.lower() for word in words), every_word=False)
    except ValueError as exc:
        raise SearchError("the search text cannot be read; try plain words") from exc
    return parsed, (f"the query's syntax could not be read ({reason}); any of its words was searched for instead",)


def _filters(index: SearchIndex, filters: Mapping[str, str]) -> list[tantivy.Query]:
    queries = []
    for facet, value in filters.items():
        if facet not in FACETS:
            raise SearchError(f"no facet {facet!r}: the facets are {', '.join(FACETS)}")
        if value not in index.values[facet]:
            raise SearchError(f"unknown {facet}: the value is not one the search index holds")
        queries.append(tantivy.Query.term_query(index.index.schema, facet, value))
    return queries


def _language(suffix: str) -> str:
    return "" if suffix == PLAIN else suffix


def _snippet(raw: tantivy.Snippet, kind: str, language: str) -> Snippet:
    fragment = raw.fragment()
    encoded = fragment.encode("utf-8")  # tantivy's ranges count bytes

    def chars(offset: int) -> int:
        return len(encoded[:offset].decode("utf-8", errors="ignore"))

    highlights = tuple(sorted((chars(r.start), chars(r.end)) for r in raw.highlighted()))
    return Snippet(fragment, highlights, kind, language)


def _plain(text: str, kind: str, language: str) -> Snippet:
    cut = text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return Snippet(cut, (), kind, language)


class _Snippets:
    """The snippet generators of one query, one per field, made when first needed."""

    def __init__(self, index: SearchIndex, query: tantivy.Query) -> None:
        self._index = index
        self._query = query
        self._generators: dict[str, tantivy.SnippetGenerator] = {}

    def best(self, document: tantivy.Document, doc: dict[str, list[object]]) -> tuple[Snippet | None, bool]:
        """The first field, in the order of :data:`TEXT_KINDS`, whose text matched; else the text's start."""
        for name in _SNIPPET_ORDER:
            if not doc.get(name):
                continue
            generator = self._generators.get(name)
            if generator is None:
                generator = tantivy.SnippetGenerator.create(
                    self._index.searcher, self._query, self._index.index.schema, name
                )
                generator.set_max_num_chars(SNIPPET_CHARS)
                self._generators[name] = generator
            kind, suffix = name.rsplit("_", 1)
            raw = generator.snippet_from_doc(document)
            if raw.highlighted():
                if kind != THEME:
                    return _snippet(raw, kind, _language(suffix)), False
                fallback = _first_text(doc)
                return fallback, True
        return _first_text(doc), False


def _first_text(doc: dict[str, list[object]]) -> Snippet | None:
    for kind in (PASSAGE, *TEXT_KINDS):
        for suffix in SUFFIXES:
            values = doc.get(field_name(kind, suffix))
            if values and kind != THEME:
                return _plain(str(values[0]), kind, _language(suffix))
    return None


def _named(index: SearchIndex, values: list[object]) -> Named | None:
    if not values:
        return None
    value = str(values[0])
    return Named(value, index.names.get(value, value))


def search(
    index: SearchIndex, query: str, *, filters: Mapping[str, str] | None = None, page: int = 1, per_page: int = PER_PAGE
) -> SearchResult:
    """Search an index.

    Args:
        index: The open index.
        query: The query string (at most :data:`MAX_QUERY_LENGTH` characters); empty: no search.
        filters: Facet values to narrow to, by facet (each must be one the index holds).
        page: Which page of hits (1 to :data:`MAX_PAGE`).
        per_page: Hits per page (1 to 100).

    Raises:
        SearchError: The query is too long or unreadable, a filter unknown, the page out of range.
    """
    text = check_query(query)
    page = check_page(page)
    if not 1 <= per_page <= 100:
        raise SearchError("per_page must be a number from 1 to 100")
    chosen = dict(filters or {})
    narrowing = _filters(index, chosen)
    if not text:
        return SearchResult(text, chosen, 0, page, per_page, (), (), ())
    parsed, notes = _parse(index, text)
    full = (
        tantivy.Query.boolean_query([(tantivy.Occur.Must, parsed)] + [(tantivy.Occur.Must, q) for q in narrowing])
        if narrowing
        else parsed
    )
    searcher = index.searcher
    try:  # the parser takes `field:` for any field of the schema; some cannot be searched that way
        found = searcher.search(full, limit=per_page, count=True, offset=(page - 1) * per_page)
    except ValueError as exc:
        raise SearchError(_UNSEARCHABLE) from exc
    total = int(found.count or 0)  # type: ignore[attr-defined]  # tantivy's stub lacks count
    if page > 1 and (page - 1) * per_page >= total:
        last = max(1, -(-total // per_page))
        raise SearchError(f"page {page} is past the last page of this search: page must be from 1 to {last}")
    snippets = _Snippets(index, parsed)
    hits = []
    for score, address in found.hits:
        document = searcher.doc(address)
        doc = document.to_dict()
        snippet, via_theme = snippets.best(document, doc)
        themes = tuple(Named(str(t), index.names.get(str(t), str(t))) for t in doc.get("theme", []))
        hits.append(
            Hit(
                iri=str(doc[IRI][0]),
                title=str((doc.get(TITLE) or doc[IRI])[0]),
                score=float(score),
                kind=_named(index, doc.get("kind", [])),
                strategy=_named(index, doc.get("strategy", [])),
                language=str((doc.get(LANGUAGE) or [""])[0]),
                snippet=snippet,
                via_theme=via_theme,
                themes=themes,
            )
        )
    facets = _facets(index, full, chosen) if total else ()
    return SearchResult(text, chosen, total, page, per_page, tuple(hits), facets, notes)


def _facets(index: SearchIndex, query: tantivy.Query, chosen: Mapping[str, str]) -> tuple[Facet, ...]:
    request = {facet: {"terms": {"field": facet, "size": FACET_SIZE}} for facet in FACETS}
    try:
        answer = index.searcher.aggregate(query, request)
    except ValueError as exc:
        raise SearchError(_UNSEARCHABLE) from exc
    facets = []
    for facet in FACETS:
        buckets = answer.get(facet, {}).get("buckets", [])
        values = [
            FacetValue(
                str(b["key"]),
                index.names.get(str(b["key"]), str(b["key"])),
                int(b["doc_count"]),
                chosen.get(facet) == b["key"],
            )
            for b in buckets
        ]
        facets.append(Facet(facet, tuple(sorted(values, key=lambda v: (-v.count, v.label.lower())))))
    return tuple(facets)
