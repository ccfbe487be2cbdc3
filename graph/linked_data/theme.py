"""The themes of the theme scheme, and what each strategy says under one theme.

Every area, challenge, action and other element of a strategy names at least one theme of
``theme:scheme`` (``ris3:theme``), whatever its language: :func:`theme_index` lists the themes with
how many elements of each named graph name them, and :func:`theme_view` gathers, per named graph,
every element with one theme: its kind, its label in English and in its own language, and the
passages it rests on.

Every query is fixed text: the theme is bound to the variable ``?this`` when it runs (SEP-0007
substitution), and every list is cut by a LIMIT.
"""

from __future__ import annotations

from dataclasses import dataclass

from ris3kg.graph.linked_data.browse import Text, tagged
from ris3kg.graph.linked_data.strategy import SEP, Passage
from ris3kg.graph.store.interface import GraphStore, Row
from ris3kg.ontology.namespaces import PREFIXES, prefixed_name

THEME_BASE = PREFIXES["theme"]
"""The namespace of the themes: ``/theme/<name>`` is ``THEME_BASE + name``."""
THEME_SCHEME = THEME_BASE + "scheme"
"""The theme scheme."""

_PREFIXES = "\n".join(f"PREFIX {name}: <{PREFIXES[name]}>" for name in ("rdf", "rdfs", "skos", "prov", "ris3"))


@dataclass(frozen=True)
class ThemeInfo:
    """A theme of the scheme.

    Attributes:
        iri: The theme.
        name: Its local name (``skills-supply``), the end of its address.
        label: Its English label.
        labels: Its labels in other languages.
        comment: Its English comment or definition.
        counts: How many elements name it, per named graph.
    """

    iri: str
    name: str
    label: str
    labels: tuple[Text, ...]
    comment: str | None
    counts: tuple[tuple[str, int], ...] = ()

    @property
    def total(self) -> int:
        """How many elements name it in all graphs."""
        return sum(n for _graph, n in self.counts)


@dataclass(frozen=True)
class ThemeElement:
    """An element that names the theme.

    Attributes:
        iri: The element.
        kind: The English label of its class.
        label: Its English label, else another one.
        original: Its label in its own language, when that is not English.
        passages: The passages it rests on.
    """

    iri: str
    kind: str
    label: str
    original: Text | None
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class ThemeView:
    """What every strategy says under one theme.

    Attributes:
        theme: The theme.
        graphs: Per named graph, its elements that name the theme (by kind, then label); graphs sorted.
        truncated: Whether a LIMIT cut the lists.
    """

    theme: ThemeInfo
    graphs: tuple[tuple[str, tuple[ThemeElement, ...]], ...]
    truncated: bool = False


_THEMES = f"""{_PREFIXES}
    SELECT ?theme (MIN(?en) AS ?label) (MIN(?comment_en) AS ?comment)
           (GROUP_CONCAT(DISTINCT CONCAT(LANG(?other), "|", STR(?other)); separator="{SEP}") AS ?others)
    WHERE {{ {{ SELECT DISTINCT ?theme WHERE {{ ?theme skos:inScheme <{THEME_SCHEME}> }} LIMIT $limit }}
             OPTIONAL {{ ?theme rdfs:label ?en FILTER(lang(?en) = "en") }}
             OPTIONAL {{ ?theme rdfs:label ?other FILTER(lang(?other) != "en" && lang(?other) != "") }}
             OPTIONAL {{ ?theme rdfs:comment ?comment_en FILTER(lang(?comment_en) = "en") }} }}
    GROUP BY ?theme"""
_COUNTS = f"""{_PREFIXES}
    SELECT ?theme ?g (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ris3:theme ?theme }} }}
    GROUP BY ?theme ?g LIMIT $limit"""
_ELEMENTS = f"""{_PREFIXES}
    SELECT ?this ?g ?s (MIN(?type_en) AS ?kind) (MIN(STR(?type)) AS ?type_iri) (MIN(?en) AS ?label_en)
           (MIN(?other) AS ?label_other)
    WHERE {{ {{ SELECT DISTINCT ?this ?g ?s ?type WHERE {{ GRAPH ?g {{ ?s ris3:theme ?this ; a ?type }} }}
                LIMIT $limit }}
             OPTIONAL {{ ?type rdfs:label ?type_en FILTER(lang(?type_en) = "en") }}
             OPTIONAL {{ ?s rdfs:label ?en FILTER(lang(?en) = "en") }}
             OPTIONAL {{ ?s rdfs:label ?o FILTER(lang(?o) != "en") BIND(CONCAT(LANG(?o), "|", STR(?o)) AS ?other) }} }}
    GROUP BY ?this ?g ?s"""
_PASSAGES = f"""{_PREFIXES}
    SELECT DISTINCT ?this ?g ?s ?text (LANG(?text) AS ?lang) ?doc (MIN(?doc_en) AS ?doc_label)
    WHERE {{ {{ SELECT DISTINCT ?this ?g ?s ?text ?doc WHERE {{ GRAPH ?g {{
                 ?s ris3:theme ?this ; prov:wasDerivedFrom ?passage .
                 ?passage prov:value ?text ; prov:wasQuotedFrom ?doc }} }} LIMIT $limit }}
             OPTIONAL {{ ?doc rdfs:label ?doc_en FILTER(lang(?doc_en) = "en") }} }}
    GROUP BY ?this ?g ?s ?text ?doc"""


def _run(store: GraphStore, query: str, limit: int, bindings: dict[str, str] | None = None) -> tuple[Row, ...]:
    return store.select(query.replace("$limit", str(int(limit))), bindings=bindings).rows


def theme_index(store: GraphStore, *, limit: int = 1000) -> tuple[ThemeInfo, ...]:
    """Return the themes of the theme scheme with their counts per named graph, sorted by English label.

    Args:
        store: The store (the server passes its bounded store).
        limit: The most themes read (and ten times as many counts).
    """
    counts: dict[str, list[tuple[str, int]]] = {}
    for row in _run(store, _COUNTS, limit * 10):
        counts.setdefault(row["theme"] or "", []).append((row["g"] or "", int(row["n"] or 0)))
    themes = []
    for row in _run(store, _THEMES, limit):
        iri = row["theme"] or ""
        if not iri.startswith(THEME_BASE) or iri == THEME_SCHEME:
            continue
        others = (tagged(pair) for pair in (row.get("others") or "").split(SEP))
        themes.append(
            ThemeInfo(
                iri=iri,
                name=iri[len(THEME_BASE) :],
                label=row.get("label") or iri[len(THEME_BASE) :],
                labels=tuple(sorted((t for t in others if t is not None), key=lambda t: (t.language, t.text))),
                comment=row.get("comment"),
                counts=tuple(sorted(counts.get(iri, []))),
            )
        )
    return tuple(sorted(themes, key=lambda t: t.label.casefold()))


def theme_view(store: GraphStore, theme: ThemeInfo, *, limit: int = 5000) -> ThemeView:
    """Return every element that names the theme, per named graph.

    Args:
        store: The store.
        theme: The theme (from :func:`theme_index`: only a known theme is ever bound).
        limit: The most elements, and the most passages, read.
    """
    bindings = {"this": theme.iri}
    rows = _run(store, _ELEMENTS, limit, bindings)
    passage_rows = _run(store, _PASSAGES, limit, bindings)
    passages: dict[tuple[str, str], set[Passage]] = {}
    for row in passage_rows:
        doc = row["doc"] or ""
        passage = Passage(
            Text(row["text"] or "", row.get("lang") or ""), doc, row.get("doc_label") or prefixed_name(doc)
        )
        passages.setdefault((row["g"] or "", row["s"] or ""), set()).add(passage)
    graphs: dict[str, list[ThemeElement]] = {}
    for row in rows:
        graph, iri = row["g"] or "", row["s"] or ""
        original = tagged(row.get("label_other"))
        label = row.get("label_en") or (original.text if original else None) or prefixed_name(iri)
        element = ThemeElement(
            iri=iri,
            kind=row.get("kind") or prefixed_name(row.get("type_iri") or ""),
            label=label,
            original=original if original and original.language and original.text != label else None,
            passages=tuple(sorted(passages.get((graph, iri), ()), key=lambda p: (p.document, p.text.text))),
        )
        graphs.setdefault(graph, []).append(element)
    return ThemeView(
        theme,
        tuple(
            (graph, tuple(sorted(elements, key=lambda e: (e.kind, e.label.casefold()))))
            for graph, elements in sorted(graphs.items())
        ),
        len(rows) >= limit or len(passage_rows) >= limit,
    )
