"""Strategies side by side: what each states, by theme and by kind, and what they share.

A strategy here is one named graph of the store (a packaged strategy's graph or an accepted
submission's): its strategy elements (``ris3:inStrategy`` or ``ris3:inStudy``) of four kinds (areas,
bottlenecks and challenges, actions, governance bodies), each with its labels in every language, its
themes, its NACE sectors and its quoted passages; and what the graph links to (themes, sectors, actors,
regions, funds and programmes). :func:`strategy_profile` reads one graph with three fixed queries, the
graph's IRI bound to ``?g`` when they run (no text a client sent becomes query text);
:func:`compare_profiles` puts two or more profiles side by side, in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ris3kg.graph.store.interface import GraphStore, Row
from ris3kg.ontology.namespaces import PREFIXES, local_name

_RIS3 = PREFIXES["ris3"]

KINDS: Mapping[str, str] = {
    "areas": "Areas and priorities",
    "challenges": "Bottlenecks and challenges",
    "actions": "Actions and initiatives",
    "governance": "Governance",
}
"""The kinds of strategy element compared, with their titles, in the order shown."""

_KIND_CLASSES: Mapping[str, tuple[str, ...]] = {
    "areas": ("SpecialisationArea", "SubArea", "Priority", "StrategicOpportunity"),
    "challenges": ("Bottleneck", "Challenge"),
    "actions": ("Action", "Initiative", "Step"),
    "governance": ("GovernanceBody",),
}
_CLASS_KIND = {_RIS3 + name: kind for kind, names in _KIND_CLASSES.items() for name in names}

FACETS: Mapping[str, str] = {
    "themes": "Themes",
    "sectors": "NACE sectors (divisions)",
    "actors": "Actors",
    "regions": "Regions",
    "funds": "Funds and programmes",
}
"""What is compared as shared or unique, with titles."""

_ROLE_FACET = {"theme": "themes", "sector": "sectors", "actor": "actors", "region": "regions", "fund": "funds"}

_LANGS = ("en", "sv", "nb", "nn", "fi", "da", "de", "fr")

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Text:
    """A text in a language.

    Attributes:
        lang: Its language tag (``sv``), empty when untagged.
        text: The text.
    """

    lang: str
    text: str


@dataclass(frozen=True)
class Term:
    """Something the strategies link to: a theme, a NACE code, an actor, a region, a fund.

    Attributes:
        iri: Its IRI.
        label: Its English label (else any label, else the end of the IRI).
        labels: Its labels in other languages, as (language, text), sorted.
        code: A short key: a theme's key, a NACE or NUTS code, else empty.
    """

    iri: str
    label: str
    labels: tuple[tuple[str, str], ...] = ()
    code: str = ""

    def native(self, lang: str) -> str | None:
        """Its label in ``lang``, when it differs from the English one."""
        for tag, text in self.labels:
            if tag == lang and text != self.label:
                return text
        return None


@dataclass(frozen=True)
class Element:
    """A strategy element: an area, a challenge, an action, a governance body.

    Attributes:
        iri: Its IRI.
        kind: One of :data:`KINDS`.
        class_name: The local name of its ris3 class (``SpecialisationArea``).
        label: Its English label (else any label, else the end of its IRI).
        native: Its label in the source language, when there is one other than the English one.
        native_lang: That label's language.
        passages: The quoted passages it was derived from (in the source language).
        themes: Its theme IRIs, sorted.
        sectors: Its NACE code IRIs, sorted.
        ordinal: Its number in the text, where it has one.
        notation: Its letter or code in the text, where it has one.
        level: A governance body's level (English label), where given.
        children: Its sub-areas, in order.
    """

    iri: str
    kind: str
    class_name: str
    label: str
    native: str | None = None
    native_lang: str = ""
    passages: tuple[Text, ...] = ()
    themes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    ordinal: int | None = None
    notation: str | None = None
    level: str | None = None
    children: tuple[Element, ...] = ()


@dataclass(frozen=True)
class StrategyProfile:
    """What one strategy's graph states, as the comparison uses it.

    Attributes:
        key: The strategy's key (``blekinge``) or an accepted submission's namespace.
        title: Its name.
        graph: Its named graph.
        language: The language of its own labels (``sv``, ``nb``, ``en``): the most frequent
            language of its elements' labels other than English, else ``en``.
        elements: Its top-level elements of every kind (sub-areas are an area's ``children``).
        terms: What it links to, by facet (:data:`FACETS`): the themes and NACE sectors (by their
            division) of its compared elements; the actors, regions, funds and programmes of its graph.
        labels: Names of the themes and sectors its elements use, by IRI.
        truncated: The queries cut by their LIMIT.
    """

    key: str
    title: str
    graph: str
    language: str
    elements: tuple[Element, ...]
    terms: Mapping[str, tuple[Term, ...]]
    labels: Mapping[str, Term] = field(default_factory=dict)
    truncated: frozenset[str] = frozenset()

    def of_kind(self, kind: str) -> tuple[Element, ...]:
        """Its top-level elements of one kind, in order."""
        return tuple(element for element in self.elements if element.kind == kind)

    def all_elements(self) -> tuple[Element, ...]:
        """Every element, sub-areas after their area."""
        found: list[Element] = []
        for element in self.elements:
            found.append(element)
            found.extend(element.children)
        return tuple(found)

    def term(self, iri: str) -> Term:
        """The name of a theme or sector it uses (the end of the IRI if the graph has none)."""
        return self.labels.get(iri) or Term(iri, local_name(iri), code=local_name(iri))


@dataclass(frozen=True)
class ThemeRow:
    """One theme across the strategies.

    Attributes:
        theme: The theme.
        cells: Per strategy (in the order compared), its elements with the theme.
        count: How many of the strategies have it.
    """

    theme: Term
    cells: tuple[tuple[Element, ...], ...]
    count: int

    @property
    def shared(self) -> bool:
        """Whether every strategy compared has the theme."""
        return self.count == len(self.cells)


@dataclass(frozen=True)
class Facet:
    """What the strategies share and what is unique to each, for one kind of thing (themes, actors...).

    Attributes:
        name: Its key (a key of :data:`FACETS`).
        title: Its title.
        shared: What every strategy has.
        partly: With three or more strategies: what several but not all have, each with the
            indexes of the strategies that have it.
        unique: Per strategy (in the order compared), what only it has.
    """

    name: str
    title: str
    shared: tuple[Term, ...]
    partly: tuple[tuple[Term, tuple[int, ...]], ...]
    unique: tuple[tuple[Term, ...], ...]


@dataclass(frozen=True)
class Comparison:
    """Strategies side by side.

    Attributes:
        profiles: The strategies, in the order asked.
        themes: Every theme of any of them, those they share first.
        facets: Shared and unique themes, sectors, actors, regions, funds.
    """

    profiles: tuple[StrategyProfile, ...]
    themes: tuple[ThemeRow, ...]
    facets: tuple[Facet, ...]

    def kind_cells(self, kind: str) -> tuple[tuple[Element, ...], ...]:
        """Per strategy, its top-level elements of one kind."""
        return tuple(profile.of_kind(kind) for profile in self.profiles)


# --------------------------------------------------------------------------- the queries

_PREFIXES = "\n".join(
    f"PREFIX {name}: <{PREFIXES[name]}>" for name in ("rdf", "rdfs", "skos", "dcterms", "prov", "ris3")
)
_CLASSES = ", ".join(f"ris3:{name}" for names in _KIND_CLASSES.values() for name in names if name != "GovernanceBody")
# The elements of the graph: those in a strategy or study of the graph, and the governance bodies of the graph.
_ITEM = f"""
      {{ GRAPH ?g {{ ?item ris3:inStrategy|ris3:inStudy ?owner ; a ?class }} FILTER(?class IN ({_CLASSES})) }}
      UNION {{ GRAPH ?g {{ ?item a ris3:GovernanceBody ; ris3:actorIn ?owner }}
              BIND(ris3:GovernanceBody AS ?class) }}"""
_ITEMS = f"""{_PREFIXES}
    SELECT ?g ?item ?class (SAMPLE(?ord) AS ?ordinal) (SAMPLE(?note) AS ?notation) (SAMPLE(?up) AS ?parent)
           (SAMPLE(?level_en) AS ?level)
           (GROUP_CONCAT(DISTINCT STR(?theme); separator=" ") AS ?themes)
           (GROUP_CONCAT(DISTINCT STR(?sector); separator=" ") AS ?sectors)
    WHERE {{ {{ SELECT DISTINCT ?g ?item ?class WHERE {{ {_ITEM} }} LIMIT $limit }}
             OPTIONAL {{ GRAPH ?g {{ ?item ris3:ordinal ?ord }} }}
             OPTIONAL {{ GRAPH ?g {{ ?item skos:notation ?note }} }}
             OPTIONAL {{ GRAPH ?g {{ ?up ris3:hasSubArea ?item }} }}
             OPTIONAL {{ GRAPH ?g {{ ?item ris3:theme ?theme }} }}
             OPTIONAL {{ GRAPH ?g {{ ?item ris3:sector ?sector }} }}
             OPTIONAL {{ GRAPH ?g {{ ?item ris3:governanceLevel ?lvl }}
                        OPTIONAL {{ ?lvl rdfs:label ?level_en FILTER(lang(?level_en) = "en") }} }} }}
    GROUP BY ?g ?item ?class"""
# Their labels and quoted passages, each with its language.
_TEXTS = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?item ?what ?text (LANG(?text) AS ?lang)
    WHERE {{ {{ SELECT DISTINCT ?g ?item WHERE {{ {_ITEM} }} }}
             {{ GRAPH ?g {{ ?item rdfs:label ?text }} BIND("label" AS ?what) }}
             UNION {{ GRAPH ?g {{ ?item prov:wasDerivedFrom ?p . ?p prov:value ?text }} BIND("passage" AS ?what) }} }}
    LIMIT $limit"""
# What the graph links to, with names: themes and sectors of its statements (a NACE code with its
# division), its actors, the regions it places things in, the funds and programmes it names.
_LINKS = f"""{_PREFIXES}
    SELECT ?g ?role ?term ?division (SAMPLE(?division_en) AS ?division_label) (SAMPLE(?code) AS ?notation)
           (GROUP_CONCAT(DISTINCT CONCAT(LANG(?name), "|", STR(?name)); separator="\\n") AS ?names)
    WHERE {{ {{ SELECT DISTINCT ?g ?role ?term WHERE {{
                 {{ GRAPH ?g {{ ?x ris3:theme ?term }} BIND("theme" AS ?role) }}
                 UNION {{ GRAPH ?g {{ ?x ris3:sector ?term }} BIND("sector" AS ?role) }}
                 UNION {{ GRAPH ?g {{ ?term ris3:actorIn ?x }} BIND("actor" AS ?role) }}
                 UNION {{ GRAPH ?g {{ ?x dcterms:spatial|ris3:locatedIn|ris3:overlapRegion ?term }}
                         ?term a ris3:Region BIND("region" AS ?role) }}
                 UNION {{ GRAPH ?g {{ ?x ris3:refersTo|ris3:fundedBy ?term }}
                         ?term a ?fc FILTER(?fc IN (ris3:Fund, ris3:Programme)) BIND("fund" AS ?role) }}
               }} LIMIT $limit }}
             OPTIONAL {{ ?term rdfs:label|skos:prefLabel ?name }}
             OPTIONAL {{ ?term skos:notation ?code }}
             OPTIONAL {{ FILTER(?role = "sector") ?term skos:broader* ?division . ?division ris3:naceLevel 2
                        OPTIONAL {{ ?division skos:prefLabel|rdfs:label ?division_en
                                   FILTER(lang(?division_en) = "en") }} }} }}
    GROUP BY ?g ?role ?term ?division"""


def whole_number(text: str | None) -> int | None:
    """A result's integer, or None when it is missing or not an integer."""
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(set((text or "").split())))


def names_by_language(text: str | None) -> dict[str, str]:
    """``lang|text`` lines as {lang: text} (the first text of each language, by sorted order)."""
    found: dict[str, str] = {}
    for line in sorted((text or "").split("\n")):
        lang, sep, value = line.partition("|")
        if sep and value.strip() and lang not in found:
            found[lang] = " ".join(value.split())
    return found


def _term(iri: str, names: Mapping[str, str], code: str = "") -> Term:
    english = names.get("en") or names.get("") or next(iter(names.values()), "") or local_name(iri)
    others = tuple(sorted((lang, text) for lang, text in names.items() if lang != "en"))
    return Term(iri, english, others, code)


def strategy_profile(store: GraphStore, key: str, title: str, graph: str, *, limit: int = 3000) -> StrategyProfile:
    """Read what one strategy's graph states.

    Args:
        store: The store (the server passes its bounded store).
        key: The strategy's key (shown, not queried).
        title: Its name (shown).
        graph: Its named graph's IRI, bound to ``?g``.
        limit: The most rows each query returns.
    """
    truncated: set[str] = set()

    def run(name: str, query: str) -> tuple[Row, ...]:
        rows = store.select(query.replace("$limit", str(int(limit))), bindings={"g": graph}).rows
        if len(rows) >= limit:
            truncated.add(name)
        return rows

    items = run("elements", _ITEMS)
    texts = run("texts", _TEXTS)
    links = run("links", _LINKS)

    labels: dict[str, dict[str, str]] = {}
    passages: dict[str, list[Text]] = {}
    for row in texts:
        item, text = row["item"] or "", " ".join((row["text"] or "").split())
        if not text:
            continue
        if row["what"] == "label":
            labels.setdefault(item, {})
            current = labels[item].get(row["lang"] or "")
            if current is None or text < current:
                labels[item][row["lang"] or ""] = text
        else:
            passages.setdefault(item, []).append(Text(row["lang"] or "", text))
    language = _language(labels.values())

    flat: dict[str, Element] = {}
    parents: dict[str, str] = {}
    for row in items:
        item, cls = row["item"] or "", row["class"] or ""
        kind = _CLASS_KIND.get(cls)
        if kind is None or item in flat:
            continue
        names = labels.get(item, {})
        english = names.get("en") or names.get("") or next(iter(sorted(names.values())), "") or local_name(item)
        native = names.get(language) if language != "en" else None
        flat[item] = Element(
            iri=item,
            kind=kind,
            class_name=local_name(cls),
            label=english,
            native=native if native and native != english else None,
            native_lang=language if native and native != english else "",
            passages=tuple(sorted(set(passages.get(item, ())), key=lambda t: (t.lang, t.text))),
            themes=_split(row.get("themes")),
            sectors=_split(row.get("sectors")),
            ordinal=whole_number(row.get("ordinal")),
            notation=row.get("notation"),
            level=row.get("level"),
        )
        if row.get("parent"):
            parents[item] = row["parent"] or ""
    children: dict[str, list[Element]] = {}
    for item, parent in parents.items():
        if parent in flat and parent != item:
            children.setdefault(parent, []).append(flat[item])
    top = [
        _with_children(element, children)
        for item, element in flat.items()
        if not (item in parents and parents[item] in flat and parents[item] != item)
    ]

    # Themes and sectors as the compared elements have them (other statements of the graph, such as
    # goals or SWOT entries, may have more); actors, regions and funds of the whole graph.
    used = {iri for element in flat.values() for iri in (*element.themes, *element.sectors)}
    by_facet: dict[str, dict[str, Term]] = {name: {} for name in FACETS}
    named: dict[str, Term] = {}
    for row in links:
        role, iri = row["role"] or "", row["term"] or ""
        facet = _ROLE_FACET.get(role)
        if facet is None or not iri or (role in ("theme", "sector") and iri not in used):
            continue
        term = _term(
            iri,
            names_by_language(row.get("names")),
            row.get("notation") or (local_name(iri) if role == "theme" else ""),
        )
        if role == "sector":
            if not term.code:
                term = Term(term.iri, term.label, term.labels, local_name(iri))
            named[iri] = term
            division = row.get("division")
            if division:
                term = Term(division, row.get("division_label") or local_name(division), (), local_name(division))
        elif role == "theme":
            named[iri] = term
        previous = by_facet[facet].get(term.iri)
        if previous is None or (not previous.labels and term.labels):
            by_facet[facet][term.iri] = term
    terms = {name: tuple(sorted(found.values(), key=_term_order)) for name, found in by_facet.items()}
    return StrategyProfile(
        key=key,
        title=title,
        graph=graph,
        language=language,
        elements=tuple(sorted(top, key=_element_order)),
        terms=terms,
        labels=named,
        truncated=frozenset(truncated),
    )


def _with_children(element: Element, children: Mapping[str, list[Element]]) -> Element:
    found = children.get(element.iri)
    if not found:
        return element
    ordered = tuple(sorted(found, key=_element_order))
    return replace(element, children=ordered)


def _language(labels: Iterable[Mapping[str, str]]) -> str:
    counts = Counter(lang for names in labels for lang in names if lang and lang != "en")
    if not counts:
        return "en"
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _element_order(element: Element) -> tuple[int, int, str, str, str]:
    kinds = list(KINDS)
    return (
        kinds.index(element.kind),
        element.ordinal if element.ordinal is not None else 10**6,
        element.notation or "",
        element.label.casefold(),
        element.iri,
    )


def _term_order(term: Term) -> tuple[str, str]:
    return (term.label.casefold(), term.iri)


# --------------------------------------------------------------------------- the comparison


def compare_profiles(profiles: Sequence[StrategyProfile]) -> Comparison:
    """Put strategies side by side: the elements per theme, and what they share and what is unique.

    Args:
        profiles: Two or more strategies, in the order to show them.
    """
    themes: dict[str, Term] = {}
    cells: dict[str, list[list[Element]]] = {}
    for index, profile in enumerate(profiles):
        for element in profile.all_elements():
            for theme in element.themes:
                themes.setdefault(theme, profile.term(theme))
                row = cells.setdefault(theme, [[] for _ in profiles])
                if element not in row[index]:
                    row[index].append(element)
    rows = [
        ThemeRow(themes[iri], tuple(tuple(cell) for cell in row), sum(1 for cell in row if cell))
        for iri, row in cells.items()
    ]
    rows.sort(key=lambda row: (-row.count, row.theme.label.casefold(), row.theme.iri))

    facets = []
    for name, title in FACETS.items():
        sets = [{term.iri: term for term in profile.terms.get(name, ())} for profile in profiles]
        every: dict[str, Term] = {}
        for found in sets:
            for iri, term in found.items():
                every.setdefault(iri, term)
        holders = {iri: tuple(i for i, found in enumerate(sets) if iri in found) for iri in every}
        shared = tuple(sorted((every[iri] for iri, who in holders.items() if len(who) == len(sets)), key=_term_order))
        partly = tuple(
            sorted(
                ((every[iri], who) for iri, who in holders.items() if 1 < len(who) < len(sets)),
                key=lambda pair: (-len(pair[1]), _term_order(pair[0])),
            )
        )
        unique = tuple(
            tuple(sorted((every[iri] for iri, who in holders.items() if who == (index,)), key=_term_order))
            for index in range(len(sets))
        )
        facets.append(Facet(name, title, shared, partly, unique))
    return Comparison(tuple(profiles), tuple(rows), tuple(facets))


def comparison_json(comparison: Comparison) -> dict[str, object]:
    """The comparison as JSON-ready data."""

    def term(t: Term) -> dict[str, object]:
        return {"iri": t.iri, "label": t.label, "labels": dict(t.labels), "code": t.code}

    def element(e: Element) -> dict[str, object]:
        found: dict[str, object] = {
            "iri": e.iri,
            "kind": e.kind,
            "class": e.class_name,
            "label": e.label,
            "label_source_language": e.native,
            "source_language": e.native_lang or None,
            "themes": list(e.themes),
            "sectors": list(e.sectors),
            "passages": [{"lang": p.lang, "text": p.text} for p in e.passages],
        }
        if e.ordinal is not None:
            found["ordinal"] = e.ordinal
        if e.level:
            found["governance_level"] = e.level
        if e.children:
            found["sub_areas"] = [element(child) for child in e.children]
        return found

    keys = [profile.key for profile in comparison.profiles]
    return {
        "strategies": [
            {
                "key": p.key,
                "title": p.title,
                "graph": p.graph,
                "language": p.language,
                "elements": {kind: [element(e) for e in p.of_kind(kind)] for kind in KINDS},
                "truncated": sorted(p.truncated),
            }
            for p in comparison.profiles
        ],
        "themes": [
            {
                "theme": term(row.theme),
                "shared": row.shared,
                "strategies": {keys[i]: [e.iri for e in cell] for i, cell in enumerate(row.cells)},
            }
            for row in comparison.themes
        ],
        "shared": {facet.name: [term(t) for t in facet.shared] for facet in comparison.facets},
        "partly_shared": {
            facet.name: [{"term": term(t), "strategies": [keys[i] for i in who]} for t, who in facet.partly]
            for facet in comparison.facets
        },
        "unique": {
            facet.name: {keys[i]: [term(t) for t in terms] for i, terms in enumerate(facet.unique)}
            for facet in comparison.facets
        },
    }
