"""What the graph says about one region: for the region pages under ``/region/<code>``.

A region is a NUTS code IRI ``http://data.europa.eu/nuts/code/<CODE>`` (NUTS 2016, 2021, 2024 and
the statistical regions of the EFTA and candidate countries). Its view gathers its own facts (labels,
level, parents, country, versions, typology classes), its sub-regions, what replaced it or what it
replaced, and what the strategies say is there: strategies (``dcterms:spatial``), actors and
facilities (``ris3:locatedIn``, also through a local place such as a municipality that is itself
located in the region), and other elements that name it; each also through the region's
sub-regions, marked as such.

As in :mod:`ris3kg.graph.linked_data.entity`, every query is fixed text with the region bound to
the variable ``?this`` when it runs (SEP-0007 substitution) and cut by a LIMIT: no code a client sent
ever becomes query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ris3kg.graph.store.interface import GraphStore, Row
from ris3kg.ontology.namespaces import PREFIXES

NUTS_BASE = PREFIXES["nuts"]
"""The namespace of the NUTS code IRIs."""

REGION_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}")
"""What a region code looks like (``SE``, ``SE2``, ``SE22``, ``SE221``, ``NO0A1``): match it whole."""

_SCHEME = PREFIXES["nutsscheme"]
_RIS3 = PREFIXES["ris3"]
_STRATEGY = _RIS3 + "Strategy"
_REGION = _RIS3 + "Region"
_SPATIAL = PREFIXES["dcterms"] + "spatial"
_LOCATED_IN = _RIS3 + "locatedIn"


def region_code(iri: str) -> str | None:
    """The region code of a NUTS code IRI, or None when the IRI is not one (or its code is malformed).

    Args:
        iri: Any IRI.
    """
    if not iri.startswith(NUTS_BASE):
        return None
    code = iri[len(NUTS_BASE) :]
    return code if REGION_CODE.fullmatch(code) else None


def region_iri(code: str) -> str:
    """The IRI of a region code.

    Args:
        code: A code such as ``SE221``.

    Raises:
        ValueError: The code is not of the form ``[A-Z]{2}[0-9A-Z]{0,3}``.
    """
    if not REGION_CODE.fullmatch(code):
        raise ValueError(f"not a region code: {code!r}")
    return NUTS_BASE + code


@dataclass(frozen=True)
class Named:
    """Something the page links to, with a name for display.

    Attributes:
        iri: Its IRI.
        label: Its English label, else its plain or any label, else the IRI.
    """

    iri: str
    label: str


@dataclass(frozen=True)
class RegionRef:
    """Another region the page links to.

    Attributes:
        iri: Its IRI.
        code: Its code (``skos:notation``, else the end of its IRI).
        label: Its English label, else its official (plain) or any label; empty without one.
        versions: The NUTS versions it is valid in (``"2016"``, ``"2021"``, ``"2024"``), sorted.
        level: Its NUTS level, where the graph gives one.
    """

    iri: str
    code: str
    label: str
    versions: tuple[str, ...] = ()
    level: int | None = None

    @property
    def title(self) -> str:
        """``SE221 Blekinge County``, or the code alone."""
        return f"{self.code} {self.label}" if self.label else self.code


@dataclass(frozen=True)
class Typology:
    """The region's class in one of Eurostat's typologies.

    Attributes:
        scheme: The typology (``urban–rural typology``).
        scheme_iri: The typology's concept scheme.
        concept: The class.
    """

    scheme: str
    scheme_iri: str | None
    concept: Named


@dataclass(frozen=True)
class RegionChange:
    """What replaced the region, or what it replaced.

    Attributes:
        direction: ``replaced-by`` (the region was followed by ``others``) or ``replaces`` (it
            followed them).
        others: The regions on the other side of the change (none for a new region or a name change).
        kind: The kind of change (a ``voc:change-*`` concept), where the graph records one.
        kind_label: Its English label (``split``).
        from_version: The NUTS version before the change (``2021``), where recorded.
        to_version: The NUTS version after it (``2024``), where recorded.
        iri: The ``ris3:RegionChange`` node, where there is one.
    """

    direction: str
    others: tuple[RegionRef, ...]
    kind: str | None = None
    kind_label: str | None = None
    from_version: str | None = None
    to_version: str | None = None
    iri: str | None = None


@dataclass(frozen=True)
class Located:
    """Something in the region: a strategy, an actor or facility, a local place, another element.

    Attributes:
        iri: Its IRI.
        label: Its name.
        kinds: The English labels of its ris3kg classes (``strategy``, ``university``).
        via: The sub-regions it was found through; empty when it names this region itself.
        places: Local places in between (a municipality it is located in), if any.
        areas: For a strategy, its specialisation areas.
    """

    iri: str
    label: str
    kinds: tuple[str, ...]
    via: tuple[RegionRef, ...] = ()
    places: tuple[Named, ...] = ()
    areas: tuple[Named, ...] = ()

    @property
    def direct(self) -> bool:
        """Whether it names this region itself rather than only a sub-region."""
        return not self.via


@dataclass(frozen=True)
class RegionView:
    """Everything a region page shows.

    Attributes:
        iri: The region's IRI.
        code: Its code.
        labels: Its labels as (language, text), English first, then the official (untagged) ones.
        level: Its NUTS level (0 to 3), where given.
        region_types: Its kinds (``county``, ``statistical region``).
        versions: The NUTS versions it is valid in, sorted.
        parents: The regions it is directly part of (``skos:broader``).
        country: Its country (NUTS 0), where given.
        children: Its direct sub-regions, by level and code.
        typologies: Its classes in Eurostat's typologies.
        changes: What replaced it and what it replaced.
        strategies: The strategies that cover it or a sub-region, the direct ones first.
        actors: Actors and facilities located in it or in a sub-region.
        places: Local places (municipalities, towns) located in it.
        elements: Other strategy elements that name it (figures, projects, assessments).
        enclosing: Strategies of larger regions it is part of (national strategies, say).
        truncated: The sections cut by their LIMIT (``children``, ``located``, ...).
    """

    iri: str
    code: str
    labels: tuple[tuple[str, str], ...]
    level: int | None
    region_types: tuple[Named, ...]
    versions: tuple[str, ...]
    parents: tuple[RegionRef, ...]
    country: RegionRef | None
    children: tuple[RegionRef, ...]
    typologies: tuple[Typology, ...]
    changes: tuple[RegionChange, ...]
    strategies: tuple[Located, ...]
    actors: tuple[Located, ...]
    places: tuple[Located, ...]
    elements: tuple[Located, ...]
    enclosing: tuple[tuple[Located, RegionRef], ...] = ()
    truncated: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        """The English label, else the official one, else any label, else the code."""
        return self.labels[0][1] if self.labels else self.code

    @property
    def title(self) -> str:
        """``Blekinge County (SE221)``."""
        return self.code if self.name == self.code else f"{self.name} ({self.code})"

    @property
    def has_strategy(self) -> bool:
        """Whether any strategy covers the region or one of its sub-regions."""
        return bool(self.strategies)


# --------------------------------------------------------------------------- the queries

_PREFIXES = "\n".join(f"PREFIX {name}: <{PREFIXES[name]}>" for name in ("rdf", "rdfs", "skos", "dcterms", "ris3"))


def _label(var: str, name: str, *, fallback: bool = True) -> str:
    """Patterns binding the English, the untagged and (with ``fallback``) any label of ``var``.

    The variables are ``?{name}_l_en``, ``?{name}_l_plain`` and ``?{name}_l_any``. Each pattern
    starts from ``var``, which must be bound where the patterns stand (nest them in the OPTIONAL
    that binds it): Oxigraph then looks the labels up for each solution instead of joining with
    every label of the store.
    """
    patterns = f"""
    OPTIONAL {{ {var} rdfs:label ?{name}_l_en FILTER(lang(?{name}_l_en) = "en") }}
    OPTIONAL {{ {var} rdfs:label ?{name}_l_plain FILTER(lang(?{name}_l_plain) = "") }}"""
    if fallback:
        patterns += f"""
    OPTIONAL {{ {var} rdfs:label ?{name}_l_any }}"""
    return patterns


def _label_columns(name: str, *, fallback: bool = True) -> str:
    columns = f"(SAMPLE(?{name}_l_en) AS ?{name}_en) (SAMPLE(?{name}_l_plain) AS ?{name}_plain)"
    return columns + (f" (SAMPLE(?{name}_l_any) AS ?{name}_any)" if fallback else "")


def _ref(var: str, name: str) -> str:
    """Patterns for a region that the page links to: its names and NUTS versions.

    A region has an English or an official (untagged) label; other labels are not asked for, nor
    its code and level (a NUTS code's level is its length less two), so that the solutions of a
    region described in two graphs do not multiply.
    """
    return (
        _label(var, name, fallback=False)
        + f"""
    OPTIONAL {{ {var} skos:inScheme ?{name}_l_scheme FILTER(STRSTARTS(STR(?{name}_l_scheme), "{_SCHEME}")) }}"""
    )


def _ref_columns(name: str) -> str:
    return (
        _label_columns(name, fallback=False)
        + f' (GROUP_CONCAT(DISTINCT STR(?{name}_l_scheme); separator=" ") AS ?{name}_versions)'
    )


_OWN = (
    "skos:notation, ris3:nutsLevel, rdfs:label, skos:prefLabel, ris3:regionType, skos:inScheme, skos:broader, "
    "ris3:country, dcterms:replaces, dcterms:isReplacedBy"
)
# The region's own statements that the page shows, each object with its names.
_FACTS = f"""{_PREFIXES}
    SELECT ?this ?p ?o (SAMPLE(?o_l_lang) AS ?lang) {_ref_columns("o")}
    WHERE {{ {{ SELECT DISTINCT ?this ?p ?o WHERE {{ ?this ?p ?o FILTER(?p IN ({_OWN})) }} LIMIT $limit }}
             BIND(LANG(?o) AS ?o_l_lang) {_ref("?o", "o")} }}
    GROUP BY ?this ?p ?o"""
# Regions that point at this one: sub-regions, and codes stating that they replace it or were replaced by it.
_INCOMING = f"""{_PREFIXES}
    SELECT ?this ?p ?s {_ref_columns("s")}
    WHERE {{ {{ SELECT DISTINCT ?this ?p ?s WHERE {{
                 ?s ?p ?this FILTER(?p IN (skos:broader, dcterms:replaces, dcterms:isReplacedBy)) }} LIMIT $limit }}
             {_ref("?s", "s")} }}
    GROUP BY ?this ?p ?s"""
_TYPOLOGIES = f"""{_PREFIXES}
    SELECT ?this ?class ?scheme {_label_columns("class")} {_label_columns("scheme")}
    WHERE {{ {{ SELECT DISTINCT ?this ?class WHERE {{ ?this ris3:typology ?class }} LIMIT $limit }}
             OPTIONAL {{ ?class skos:inScheme ?scheme {_label("?scheme", "scheme")} }} {_label("?class", "class")} }}
    GROUP BY ?this ?class ?scheme"""
# Eurostat's change tables: each change the region is on either side of, with the regions on the other side.
_CHANGES = f"""{_PREFIXES}
    SELECT ?this ?change ?role ?kind ?from ?to ?other_p ?other {_label_columns("kind")} {_ref_columns("other")}
    WHERE {{ {{ SELECT DISTINCT ?this ?change ?role WHERE {{
                 {{ ?change ris3:changedFrom ?this BIND("from" AS ?role) }}
                 UNION {{ ?change ris3:changedTo ?this BIND("to" AS ?role) }}
                 ?change a ris3:RegionChange }} LIMIT $limit }}
             OPTIONAL {{ ?change ris3:changeKind ?kind {_label("?kind", "kind")} }}
             OPTIONAL {{ ?change ris3:fromVersion ?from }}
             OPTIONAL {{ ?change ris3:toVersion ?to }}
             OPTIONAL {{ ?change ?other_p ?other
                        FILTER(?other_p IN (ris3:changedFrom, ris3:changedTo) && ?other != ?this)
                        {_ref("?other", "other")} }} }}
    GROUP BY ?this ?change ?role ?kind ?from ?to ?other_p ?other"""
# What names the region or a sub-region of it (?place), directly or through a local place (?where)
# located in it; ?place is this region itself or one below it, ?where is ?place or a place in it.
_LOCATED = f"""{_PREFIXES}
    SELECT ?this ?item ?prop ?place ?where
           (GROUP_CONCAT(DISTINCT STR(?item_l_type); separator=" ") AS ?types)
           (GROUP_CONCAT(DISTINCT ?item_l_kind; separator="|") AS ?kinds)
           {_label_columns("item")} {_ref_columns("place")} {_label_columns("where")}
    WHERE {{ {{ SELECT DISTINCT ?this ?item ?prop ?place ?where WHERE {{
                 ?place skos:broader* ?this .
                 ?where ris3:locatedIn* ?place .
                 ?item ?prop ?where .
                 FILTER(?prop IN (dcterms:spatial, ris3:locatedIn, ris3:about, ris3:assessedEntity, ris3:overlapRegion))
                 FILTER(isIRI(?item)) }} LIMIT $limit }}
             OPTIONAL {{ ?item a ?item_l_type FILTER(STRSTARTS(STR(?item_l_type), "{_RIS3}"))
                        OPTIONAL {{ ?item_l_type rdfs:label ?item_l_kind FILTER(lang(?item_l_kind) = "en") }} }}
             {_label("?item", "item")} {_ref("?place", "place")} {_label("?where", "where")} }}
    GROUP BY ?this ?item ?prop ?place ?where"""
_AREAS = f"""{_PREFIXES}
    SELECT ?this ?strategy ?area {_label_columns("area")}
    WHERE {{ {{ SELECT DISTINCT ?this ?strategy ?area WHERE {{
                 ?place skos:broader* ?this .
                 ?where ris3:locatedIn* ?place .
                 ?strategy dcterms:spatial ?where ; a ris3:Strategy .
                 ?area ris3:inStrategy ?strategy ; a ris3:SpecialisationArea }} LIMIT $limit }}
             {_label("?area", "area")} }}
    GROUP BY ?this ?strategy ?area"""
# Strategies of the larger regions this one is part of (a national strategy for a county).
_ENCLOSING = f"""{_PREFIXES}
    SELECT ?this ?strategy ?up {_label_columns("strategy")} {_ref_columns("up")}
    WHERE {{ {{ SELECT DISTINCT ?this ?strategy ?up WHERE {{
                 ?this skos:broader+ ?up . ?strategy dcterms:spatial ?up ; a ris3:Strategy }} LIMIT $limit }}
             {_label("?strategy", "strategy")} {_ref("?up", "up")} }}
    GROUP BY ?this ?strategy ?up"""


def _name(row: Row, name: str) -> str | None:
    for suffix in ("en", "plain", "any"):
        value = row.get(f"{name}_{suffix}")
        if value:
            return value
    return None


def _versions(text: str | None) -> tuple[str, ...]:
    return tuple(sorted({iri.removeprefix(_SCHEME) for iri in (text or "").split() if iri.startswith(_SCHEME)}))


def _level(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def _ref_of(row: Row, var: str) -> RegionRef:
    iri = row[var] or ""
    code = region_code(iri)
    return RegionRef(
        iri,
        code or iri.rsplit("/", 1)[-1],
        _name(row, var) or "",
        _versions(row.get(f"{var}_versions")),
        None if code is None else len(code) - 2,
    )


def _sorted_refs(refs: Iterable[RegionRef]) -> tuple[RegionRef, ...]:
    unique = {ref.iri: ref for ref in refs}
    return tuple(sorted(unique.values(), key=lambda ref: (ref.level if ref.level is not None else 9, ref.code)))


def _version(iri: str | None) -> str | None:
    return None if iri is None else iri.removeprefix(_SCHEME)


def region_view(store: GraphStore, code: str, *, limit: int = 500) -> RegionView | None:
    """Return what the store says about a region, or None when it says nothing about it.

    Args:
        store: The store (the server passes its bounded store, whose queries run under the page
            workers' limits; the on-disk store works too).
        code: The region code (``SE221``).
        limit: The most rows each query returns (statements, sub-regions, changes; twice as many
            things located in the region).

    Raises:
        ValueError: The code is not of the form ``[A-Z]{2}[0-9A-Z]{0,3}``.
    """
    iri = region_iri(code)
    truncated: set[str] = set()

    def run(section: str, query: str, rows_limit: int = limit) -> tuple[Row, ...]:
        rows = store.select(query.replace("$limit", str(int(rows_limit))), bindings={"this": iri}).rows
        if len(rows) >= rows_limit:
            truncated.add(section)
        return rows

    facts = run("facts", _FACTS)
    if not facts:
        return None
    labels: set[tuple[str, str]] = set()
    notation: str | None = None
    levels: list[int] = []
    versions: set[str] = set()
    types: dict[str, Named] = {}
    parents: list[RegionRef] = []
    countries: list[RegionRef] = []
    replaces: dict[str, list[RegionRef]] = {"replaces": [], "replaced-by": []}
    for row in facts:
        p, o = row["p"] or "", row["o"] or ""
        local = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local in ("label", "prefLabel"):
            labels.add((row.get("lang") or "", o))
        elif local == "notation":
            notation = notation or o
        elif local == "nutsLevel" and _level(o) is not None:
            levels.append(int(o))
        elif local == "inScheme" and o.startswith(_SCHEME):
            versions.add(o.removeprefix(_SCHEME))
        elif local == "regionType":
            types[o] = Named(o, _name(row, "o") or o)
        elif local == "broader":
            parents.append(_ref_of(row, "o"))
        elif local == "country":
            countries.append(_ref_of(row, "o"))
        elif local == "replaces":
            replaces["replaces"].append(_ref_of(row, "o"))
        elif local == "isReplacedBy":
            replaces["replaced-by"].append(_ref_of(row, "o"))

    children: list[RegionRef] = []
    for row in run("children", _INCOMING):
        local = (row["p"] or "").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if local == "broader":
            children.append(_ref_of(row, "s"))
        elif local == "replaces":  # the other code replaces this one
            replaces["replaced-by"].append(_ref_of(row, "s"))
        elif local == "isReplacedBy":
            replaces["replaces"].append(_ref_of(row, "s"))

    typologies = tuple(
        sorted(
            (
                Typology(
                    scheme=_name(row, "scheme") or (row["scheme"] or ""),
                    scheme_iri=row["scheme"],
                    concept=Named(row["class"] or "", _name(row, "class") or (row["class"] or "")),
                )
                for row in run("typologies", _TYPOLOGIES)
            ),
            key=lambda t: (t.scheme, t.concept.label),
        )
    )

    changes = _changes(run("changes", _CHANGES), replaces)
    located = run("located", _LOCATED, limit * 2)
    areas: dict[str, dict[str, Named]] = {}
    for row in run("areas", _AREAS):
        area = row["area"] or ""
        areas.setdefault(row["strategy"] or "", {})[area] = Named(area, _name(row, "area") or area)
    sections = _located(iri, located, areas)
    enclosing = tuple(
        sorted(
            (
                (
                    Located(row["strategy"] or "", _name(row, "strategy") or (row["strategy"] or ""), ("strategy",)),
                    _ref_of(row, "up"),
                )
                for row in run("enclosing", _ENCLOSING)
            ),
            key=lambda pair: (pair[1].level if pair[1].level is not None else 9, pair[1].code, pair[0].label),
        )
    )
    return RegionView(
        iri=iri,
        code=notation or code,
        labels=tuple(sorted(labels, key=lambda item: (item[0] != "en", item[0] != "", item))),
        level=min(levels) if levels else None,
        region_types=tuple(sorted(types.values(), key=lambda named: named.label)),
        versions=tuple(sorted(versions)),
        parents=_sorted_refs(parents),
        country=countries[0] if countries else None,
        children=_sorted_refs(children),
        typologies=typologies,
        changes=changes,
        strategies=sections["strategies"],
        actors=sections["actors"],
        places=sections["places"],
        elements=sections["elements"],
        enclosing=enclosing,
        truncated=frozenset(truncated),
    )


@dataclass
class _Change:
    kind: str | None
    kind_label: str | None
    from_version: str | None
    to_version: str | None
    others: list[RegionRef] = field(default_factory=list)


def _changes(rows: Iterable[Row], replaces: dict[str, list[RegionRef]]) -> tuple[RegionChange, ...]:
    """The recorded changes, then the replacements that no recorded change explains (hand-made data)."""
    found: dict[tuple[str, str], _Change] = {}
    for row in rows:
        change, role = row["change"] or "", row["role"] or ""
        direction = "replaced-by" if role == "from" else "replaces"
        entry = found.setdefault(
            (change, direction), _Change(row["kind"], _name(row, "kind"), _version(row["from"]), _version(row["to"]))
        )
        other_p = (row.get("other_p") or "").rsplit("#", 1)[-1]
        # From a change that starts at this region, the others are where it went; into one, where it came from.
        if row.get("other") and other_p == ("changedTo" if role == "from" else "changedFrom"):
            entry.others.append(_ref_of(row, "other"))
    changes = [
        RegionChange(
            direction=direction,
            others=_sorted_refs(entry.others),
            kind=entry.kind,
            kind_label=entry.kind_label,
            from_version=entry.from_version,
            to_version=entry.to_version,
            iri=change,
        )
        for (change, direction), entry in found.items()
    ]
    explained = {(change.direction, other.iri) for change in changes for other in change.others}
    for direction in ("replaced-by", "replaces"):
        rest = [ref for ref in replaces[direction] if (direction, ref.iri) not in explained]
        if rest:
            changes.append(RegionChange(direction=direction, others=_sorted_refs(rest)))
    return tuple(
        sorted(
            changes,
            key=lambda c: (c.from_version or "", c.to_version or "", c.direction, [o.code for o in c.others]),
        )
    )


@dataclass
class _Item:
    label: str
    kinds: tuple[str, ...]
    direct: bool = False
    via: dict[str, RegionRef] = field(default_factory=dict)
    places: dict[str, Named] = field(default_factory=dict)


def _section(row: Row) -> str:
    """Where a thing that names the region goes on the page."""
    prop = row["prop"] or ""
    types = set((row.get("types") or "").split())
    if prop == _SPATIAL and _STRATEGY in types:
        return "strategies"
    if prop == _LOCATED_IN:
        return "places" if _REGION in types else "actors"
    return "elements"


def _located(iri: str, rows: Iterable[Row], areas: dict[str, dict[str, Named]]) -> dict[str, tuple[Located, ...]]:
    """Sort what names the region into strategies, actors and facilities, local places and other elements."""
    found: dict[tuple[str, str], _Item] = {}
    for row in rows:
        item = row["item"] or ""
        kinds = tuple(sorted(k for k in (row.get("kinds") or "").split("|") if k))
        entry = found.setdefault((_section(row), item), _Item(_name(row, "item") or item, kinds))
        place, where = row["place"] or "", row["where"] or ""
        if place == iri:
            entry.direct = True
        else:
            entry.via[place] = _ref_of(row, "place")
        if where != place:
            entry.places[where] = Named(where, _name(row, "where") or where)
    sections: dict[str, list[Located]] = {"strategies": [], "actors": [], "places": [], "elements": []}
    for (section, item), entry in found.items():
        strategy_areas = areas.get(item, {}) if section == "strategies" else {}
        sections[section].append(
            Located(
                iri=item,
                label=entry.label,
                kinds=entry.kinds,
                via=() if entry.direct else _sorted_refs(entry.via.values()),
                places=tuple(sorted(entry.places.values(), key=lambda n: n.label)),
                areas=tuple(sorted(strategy_areas.values(), key=lambda n: n.label)),
            )
        )
    return {
        name: tuple(sorted(items, key=lambda located: (not located.direct, located.label.casefold())))
        for name, items in sections.items()
    }
