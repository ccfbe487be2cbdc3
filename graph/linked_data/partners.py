"""Partner search: the regions whose smart-specialisation priorities are most like a strategy's.

**What is compared.** A region's priorities are the smart specialisation areas
(``ris3:SpecialisationArea``) that the graph gives it, in two ways: the areas of a strategy that
covers the region (``dcterms:spatial``; a strategy for several regions counts for the widest of them
only), and the areas another region's priorities were found to overlap with (``ris3:PriorityOverlap``:
the Västernorrland mapping says, for instance, that Attica has priorities overlapping Västernorrland's
"Crisis and rescue"; Attica is then credited with that area's themes). An area stands for its themes
(the cross-language theme scheme) and its NACE sectors, each NACE code counted as its division (two
digits), its sub-areas' themes and sectors included. The strategy asked about is described the same
way, by the areas of its own graph.

**The measure.** Each region is a list of features (themes and NACE divisions), each present or not.
A feature counts more the fewer regions have it, by its inverse document frequency
``idf = ln((1 + N) / (1 + n)) + 1``, with N the number of regions described and n the number that have
the feature: a shared rare priority (crisis preparedness) says more than a shared common one
(digitalisation). The score is the cosine of the two weighted lists: the weight of what both have,
divided by the geometric mean of the weight of each one's list; 1 means the same priorities, 0 nothing
in common. A region that does everything is not a close match for a region that does a few things.
Ties are broken by the number of shared features, then by region code and name, so that the ranking
is deterministic.

As in :mod:`ris3kg.graph.linked_data.region`, every query is fixed text; a strategy's graph is bound
to ``?g`` when the passages are read, and the candidates are read from the whole store with a LIMIT.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from ris3kg.graph.linked_data.compare import Text, names_by_language, whole_number
from ris3kg.graph.linked_data.region import region_code
from ris3kg.graph.store.interface import GraphStore
from ris3kg.ontology.namespaces import PREFIXES, local_name

_THEME = PREFIXES["theme"]


@dataclass(frozen=True)
class Feature:
    """A theme or a NACE division that priorities have.

    Attributes:
        iri: Its IRI (a theme, or a NACE division).
        label: Its English name.
        kind: ``theme`` or ``sector``.
        code: The theme's key or the NACE code.
        weight: Its weight, the inverse document frequency over the regions described.
        regions: How many regions have it.
    """

    iri: str
    label: str
    kind: str
    code: str
    weight: float = 1.0
    regions: int = 0


@dataclass(frozen=True)
class AreaRef:
    """An area on one side of a match, with what says so.

    Attributes:
        iri: The area.
        label: Its English name.
        native: Its name in the source language, when different.
        graph: The named graph that states it.
        kind: ``strategy`` (an area of a strategy for the region) or ``overlap`` (a region named as
            having priorities that overlap the area).
        via: The strategy, or the overlap statement.
        via_label: Its name.
        organisations: For an overlap, how many organisations the text counts, where it does.
        features: The area's features (IRIs), sorted.
        passages: The quoted passages of the area, or of the overlap statement.
    """

    iri: str
    label: str
    native: str | None
    graph: str
    kind: str
    via: str
    via_label: str
    organisations: int | None = None
    features: tuple[str, ...] = ()
    passages: tuple[Text, ...] = ()


@dataclass(frozen=True)
class SharedFeature:
    """A feature both sides have, with the areas that carry it on each side.

    Attributes:
        feature: The feature.
        ours: The asking strategy's areas with it.
        theirs: The partner region's areas (or overlaps) with it.
    """

    feature: Feature
    ours: tuple[AreaRef, ...]
    theirs: tuple[AreaRef, ...]


@dataclass(frozen=True)
class RegionName:
    """A region.

    Attributes:
        iri: Its IRI.
        code: Its NUTS code, or None for a region without one (then there is no region page).
        label: Its English (else official, else any) name.
    """

    iri: str
    code: str | None
    label: str

    @property
    def title(self) -> str:
        """``Attica (EL30)``, or the name alone."""
        return f"{self.label} ({self.code})" if self.code and self.code != self.label else self.label


@dataclass(frozen=True)
class Partner:
    """A candidate region, ranked.

    Attributes:
        rank: Its place, from 1 (equal scores share no place: the order is total).
        region: The region.
        score: The cosine similarity, 0 to 1.
        shared: The features both sides have, heaviest first.
        only_theirs: Its features that the asking strategy lacks.
        areas: Every area it is credited with.
        sources: The graphs that describe its priorities.
    """

    rank: int
    region: RegionName
    score: float
    shared: tuple[SharedFeature, ...]
    only_theirs: tuple[Feature, ...]
    areas: tuple[AreaRef, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PartnerRanking:
    """The regions ranked by how like a strategy's priorities theirs are.

    Attributes:
        graph: The asking strategy's graph.
        regions: Its own regions (left out of the candidates, with the regions in or above them).
        areas: Its areas, with their features.
        features: Its features, heaviest first.
        partners: The candidates with a score above zero, best first.
        unmatched: Candidates that share nothing with it.
        described: How many regions have priorities in the graph (N of the weights).
        truncated: Whether a query was cut by its LIMIT (the ranking may then miss regions).
    """

    graph: str
    regions: tuple[RegionName, ...]
    areas: tuple[AreaRef, ...]
    features: tuple[Feature, ...]
    partners: tuple[Partner, ...]
    unmatched: tuple[RegionName, ...]
    described: int
    truncated: bool = False

    def rank_of(self, code: str) -> Partner | None:
        """The partner with this region code, if ranked."""
        for partner in self.partners:
            if partner.region.code == code:
                return partner
        return None


@dataclass(frozen=True)
class Candidates:
    """What the store says about every region's priorities (read once per store generation).

    Attributes:
        sources: One per (graph, region, area, strategy or overlap): the area as credited to the region.
        regions: The regions by IRI.
        wider: For each region, the regions it is part of (transitively).
        features: Every feature by IRI.
        area_features: Each area's features.
        area_graphs: The graphs in which each area is stated.
        truncated: Whether a query was cut by its LIMIT.
    """

    sources: tuple[tuple[str, AreaRef], ...]
    regions: Mapping[str, RegionName]
    wider: Mapping[str, frozenset[str]]
    features: Mapping[str, Feature]
    area_features: Mapping[str, frozenset[str]]
    area_graphs: Mapping[str, frozenset[str]]
    truncated: bool = False


# --------------------------------------------------------------------------- the queries

_PREFIXES = "\n".join(
    f"PREFIX {name}: <{PREFIXES[name]}>" for name in ("rdf", "rdfs", "skos", "dcterms", "prov", "ris3")
)
# The queries are small and fixed, joined in Python: read per row, the labels and the wider regions
# of a few thousand rows cost half a minute at a million triples; read once, two or three seconds.
# Areas and their themes and sectors, their sub-areas' included.
_AREA_FEATURES = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?area ?feature WHERE {{
        GRAPH ?g {{ ?area a ris3:SpecialisationArea }}
        {{ GRAPH ?g {{ ?area ris3:theme|ris3:sector ?feature }} }}
        UNION {{ GRAPH ?g {{ ?area ris3:hasSubArea ?sub . ?sub ris3:theme|ris3:sector ?feature }} }}
    }} LIMIT $limit"""
# Every NACE code (a division included) with its division, and the division's English names.
_DIVISIONS = f"""{_PREFIXES}
    SELECT DISTINCT ?code ?division ?label WHERE {{
        ?division ris3:naceLevel 2 . ?code skos:broader* ?division
        OPTIONAL {{ ?division skos:prefLabel|rdfs:label ?label FILTER(lang(?label) = "en") }}
    }} LIMIT $limit"""
# The English names of the themes and sectors that areas have.
_FEATURE_LABELS = f"""{_PREFIXES}
    SELECT DISTINCT ?feature ?label WHERE {{
        {{ SELECT DISTINCT ?feature WHERE {{ GRAPH ?g {{ ?area ris3:theme|ris3:sector ?feature }} }} }}
        ?feature rdfs:label|skos:prefLabel ?label FILTER(lang(?label) = "en")
    }} LIMIT $limit"""
# The regions of strategies (with their strategy), and the areas of strategies: joined in Python, a
# region left out when the strategy also covers a region it is part of (the widest count).
_STRATEGY_REGIONS = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?via ?region ?count WHERE {{
        GRAPH ?g {{ ?via a ris3:Strategy ; dcterms:spatial ?region OPTIONAL {{ ?via ris3:organisationCount ?count }} }}
    }} LIMIT $limit"""
_STRATEGY_AREAS = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?via ?area WHERE {{ GRAPH ?g {{ ?area a ris3:SpecialisationArea ; ris3:inStrategy ?via }} }}
    LIMIT $limit"""
# The areas another region's priorities overlap with, with the organisations the statement counts.
_OVERLAPS = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?via ?region ?area ?count WHERE {{
        GRAPH ?g {{ ?via a ris3:PriorityOverlap ; ris3:overlapRegion ?region ; ris3:overlapArea ?area
                   OPTIONAL {{ ?via ris3:organisationCount ?count }} }}
    }} LIMIT $limit"""
# The regions of strategies and overlap statements: the regions they are part of, and their names.
_REGIONS = f"""{_PREFIXES}
    SELECT DISTINCT ?region ?wider ?label (LANG(?label) AS ?lang) WHERE {{
        {{ SELECT DISTINCT ?region WHERE {{
             GRAPH ?g {{ {{ ?via a ris3:Strategy ; dcterms:spatial ?region }}
                        UNION {{ ?via a ris3:PriorityOverlap ; ris3:overlapRegion ?region }} }} }} }}
        {{ ?region skos:broader+ ?wider }} UNION {{ ?region rdfs:label ?label }}
    }} LIMIT $limit"""
# The names (every language) of the strategies, overlap statements and areas, in each graph.
_STRATEGY_NAMES = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?item ?label (LANG(?label) AS ?lang) WHERE {{
        GRAPH ?g {{ ?item a ris3:Strategy ; rdfs:label ?label }}
    }} LIMIT $limit"""
_OVERLAP_NAMES = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?item ?label (LANG(?label) AS ?lang) WHERE {{
        GRAPH ?g {{ ?item a ris3:PriorityOverlap ; rdfs:label ?label }}
    }} LIMIT $limit"""
_AREA_NAMES = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?item ?label (LANG(?label) AS ?lang) WHERE {{
        {{ GRAPH ?g {{ ?item a ris3:SpecialisationArea ; rdfs:label ?label }} }}
        UNION {{ GRAPH ?g {{ ?overlap ris3:overlapArea ?item . ?item rdfs:label ?label }} }}
    }} LIMIT $limit"""
# The passages of a graph's areas and overlap statements.
_PASSAGES = f"""{_PREFIXES}
    SELECT DISTINCT ?g ?item ?text (LANG(?text) AS ?lang)
    WHERE {{ GRAPH ?g {{ ?item a ?class ; prov:wasDerivedFrom ?p . ?p prov:value ?text }}
             FILTER(?class IN (ris3:SpecialisationArea, ris3:PriorityOverlap)) }}
    LIMIT $limit"""


def read_candidates(store: GraphStore, *, limit: int = 20000) -> Candidates:
    """Read every region's priorities from the store (a few fixed queries, joined here).

    Args:
        store: The store (the server passes its bounded store).
        limit: The most rows each query returns.
    """
    queries = (
        _AREA_FEATURES,
        _DIVISIONS,
        _FEATURE_LABELS,
        _STRATEGY_REGIONS,
        _STRATEGY_AREAS,
        _OVERLAPS,
        _REGIONS,
        _STRATEGY_NAMES,
        _OVERLAP_NAMES,
        _AREA_NAMES,
    )
    results = [store.select(query.replace("$limit", str(int(limit)))).rows for query in queries]
    truncated = any(len(rows) >= limit for rows in results)
    (area_rows, division_rows, label_rows, spatial_rows, in_strategy_rows, overlap_rows, region_rows) = results[:7]
    name_rows = [row for rows in results[7:] for row in rows]

    # Features: a NACE code stands for its division(s); a theme, or a code without one, for itself.
    divisions: dict[str, set[str]] = {}
    division_labels: dict[str, set[str]] = {}
    for row in division_rows:
        code, division = row["code"] or "", row["division"] or ""
        if code and division:
            divisions.setdefault(code, set()).add(division)
            if row["label"] is not None:
                division_labels.setdefault(division, set()).add(row["label"])
    feature_labels: dict[str, set[str]] = {}
    for row in label_rows:
        if row["feature"] and row["label"] is not None:
            feature_labels.setdefault(row["feature"], set()).add(row["label"])

    features: dict[str, Feature] = {}
    area_features: dict[str, set[str]] = {}
    area_graphs: dict[str, set[str]] = {}
    for row in area_rows:
        area, iri = row["area"] or "", row["feature"] or ""
        if not area or not iri:
            continue
        area_graphs.setdefault(area, set()).add(row["g"] or "")
        for feature in _features(iri, divisions, division_labels, feature_labels):
            features.setdefault(feature.iri, feature)
            area_features.setdefault(area, set()).add(feature.iri)

    # Regions: the regions each is part of, and its names.
    widers: dict[str, set[str]] = {}
    region_names: dict[str, set[tuple[str, str]]] = {}
    for row in region_rows:
        region = row["region"] or ""
        if row["wider"] is not None:
            widers.setdefault(region, set()).add(row["wider"])
        if row["label"] is not None:
            region_names.setdefault(region, set()).add((row["lang"] or "", row["label"]))

    # Names of strategies, overlap statements and areas in each graph, and organisation counts.
    names: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in name_rows:
        if row["label"] is not None:
            names.setdefault((row["g"] or "", row["item"] or ""), set()).add((row["lang"] or "", row["label"]))
    counts: dict[tuple[str, str], set[str]] = {}
    for row in (*spatial_rows, *overlap_rows):
        if row["count"] is not None:
            counts.setdefault((row["g"] or "", row["via"] or ""), set()).add(row["count"])

    # The areas credited to regions: a strategy's for its widest regions, an overlap statement's.
    spatial: dict[tuple[str, str], set[str]] = {}
    for row in spatial_rows:
        spatial.setdefault((row["g"] or "", row["via"] or ""), set()).add(row["region"] or "")
    in_strategy: dict[tuple[str, str], set[str]] = {}
    for row in in_strategy_rows:
        in_strategy.setdefault((row["g"] or "", row["via"] or ""), set()).add(row["area"] or "")
    credited: dict[tuple[str, str, str, str], str] = {}
    for (graph, via), found in spatial.items():
        for region in found:
            if not widers.get(region, set()) & found:
                for area in in_strategy.get((graph, via), ()):
                    credited[(graph, region, via, area)] = "strategy"
    for row in overlap_rows:
        credited[(row["g"] or "", row["region"] or "", row["via"] or "", row["area"] or "")] = "overlap"

    regions: dict[str, RegionName] = {}
    wider: dict[str, frozenset[str]] = {}
    sources: list[tuple[str, AreaRef]] = []
    for key in sorted(credited):
        graph, region, via, area = key
        if not region or not area:
            continue
        if region not in regions:
            label = _first(region_names.get(region, ()), ("en", ""))
            regions[region] = RegionName(region, region_code(region), label or local_name(region))
            wider[region] = frozenset(widers.get(region, ()))
        area_names = names.get((graph, area), set())
        by_language = names_by_language("\n".join(f"{lang}|{text}" for lang, text in area_names))
        english = (
            _first(area_names, ("en",), anything=False)
            or by_language.get("")
            or next(iter(by_language.values()), "")
            or local_name(area)
        )
        native = next((text for lang, text in by_language.items() if lang not in ("en", "") and text != english), None)
        count = counts.get((graph, via))
        sources.append(
            (
                region,
                AreaRef(
                    iri=area,
                    label=english,
                    native=native,
                    graph=graph,
                    kind=credited[key],
                    via=via,
                    via_label=_first(names.get((graph, via), ()), ("en",)) or local_name(via),
                    organisations=whole_number(min(count)) if count else None,
                    features=tuple(sorted(area_features.get(area, ()))),
                ),
            )
        )
    return Candidates(
        sources=tuple(sources),
        regions=regions,
        wider=wider,
        features=features,
        area_features={area: frozenset(found) for area, found in area_features.items()},
        area_graphs={area: frozenset(found) for area, found in area_graphs.items()},
        truncated=truncated,
    )


def _first(names: Iterable[tuple[str, str]], languages: tuple[str, ...], *, anything: bool = True) -> str | None:
    """The first (in sorted order) non-empty name in the first of ``languages`` that has one, else any name."""
    for language in languages:
        found = sorted(text for lang, text in names if lang == language and text)
        if found:
            return found[0]
    return min((text for _, text in names if text), default=None) if anything else None


def _features(
    iri: str,
    divisions: Mapping[str, set[str]],
    division_labels: Mapping[str, set[str]],
    feature_labels: Mapping[str, set[str]],
) -> list[Feature]:
    if iri in divisions:
        return [
            Feature(
                division,
                min(division_labels.get(division, ()), default="") or local_name(division),
                "sector",
                local_name(division),
            )
            for division in sorted(divisions[iri])
        ]
    label = min(feature_labels.get(iri, ()), default="") or local_name(iri)
    return [Feature(iri, label, "theme" if iri.startswith(_THEME) else "sector", local_name(iri))]


def graph_passages(store: GraphStore, graph: str, *, limit: int = 5000) -> dict[str, tuple[Text, ...]]:
    """The passages of one graph's areas and overlap statements, by their IRI.

    Args:
        store: The store.
        graph: The named graph, bound to ``?g``.
        limit: The most rows.
    """
    found: dict[str, set[Text]] = {}
    for row in store.select(_PASSAGES.replace("$limit", str(int(limit))), bindings={"g": graph}).rows:
        text = " ".join((row["text"] or "").split())
        if text:
            found.setdefault(row["item"] or "", set()).add(Text(row["lang"] or "", text))
    return {item: tuple(sorted(texts, key=lambda t: (t.lang, t.text))) for item, texts in found.items()}


# --------------------------------------------------------------------------- the ranking


def rank_partners(candidates: Candidates, graph: str) -> PartnerRanking:
    """Rank the regions by how like the priorities of the strategy in ``graph`` theirs are.

    Args:
        candidates: What :func:`read_candidates` read.
        graph: The asking strategy's named graph.
    """
    # The asking strategy: its graph's areas, its regions those of its strategies with areas.
    ours: dict[str, AreaRef] = {}
    own_regions: set[str] = set()
    for region, ref in candidates.sources:
        if ref.graph == graph and ref.kind == "strategy":
            own_regions.add(region)
            ours.setdefault(ref.iri, ref)
    for area, graphs in candidates.area_graphs.items():
        if graph in graphs and area not in ours:
            ours[area] = AreaRef(
                area, local_name(area), None, graph, "strategy", "", "", None, _sorted(area, candidates)
            )
    our_features = frozenset(f for ref in ours.values() for f in ref.features)

    # Candidates: every other region, left out those in or above the asking strategy's regions.
    family = set(own_regions)
    for region in own_regions:
        family |= candidates.wider.get(region, frozenset())
    theirs: dict[str, list[AreaRef]] = {}
    for region, ref in candidates.sources:
        if region in family or own_regions & candidates.wider.get(region, frozenset()):
            continue
        theirs.setdefault(region, []).append(ref)

    profiles = {region: frozenset(f for ref in refs for f in ref.features) for region, refs in theirs.items()}
    everyone = list(profiles.values()) + ([our_features] if our_features else [])
    total = len(everyone)
    counts: dict[str, int] = {}
    for profile in everyone:
        for f in profile:
            counts[f] = counts.get(f, 0) + 1
    weights = {f: math.log((1 + total) / (1 + n)) + 1 for f, n in counts.items()}

    def feature(iri: str) -> Feature:
        base = candidates.features.get(iri) or Feature(iri, local_name(iri), "theme", local_name(iri))
        return replace(base, weight=weights.get(iri, 0.0), regions=counts.get(iri, 0))

    def norm(profile: Iterable[str]) -> float:
        return math.sqrt(sum(weights[f] ** 2 for f in profile))

    our_norm = norm(our_features)
    scored: list[tuple[float, int, str, str, str]] = []
    results: dict[str, tuple[float, tuple[SharedFeature, ...], tuple[Feature, ...]]] = {}
    unmatched: list[RegionName] = []
    for region, profile in profiles.items():
        common = our_features & profile
        name = candidates.regions[region]
        if not common or not our_norm:
            unmatched.append(name)
            continue
        score = sum(weights[f] ** 2 for f in common) / (our_norm * norm(profile))
        shared = tuple(
            sorted(
                (
                    SharedFeature(
                        feature(f),
                        _order(ref for ref in ours.values() if f in ref.features),
                        _order(ref for ref in theirs[region] if f in ref.features),
                    )
                    for f in common
                ),
                key=lambda s: (-s.feature.weight, s.feature.kind, s.feature.label.casefold(), s.feature.iri),
            )
        )
        only = tuple(
            sorted((feature(f) for f in profile - our_features), key=lambda x: (-x.weight, x.label.casefold(), x.iri))
        )
        results[region] = (score, shared, only)
        scored.append((-round(score, 9), -len(common), name.code or "~", name.label.casefold(), region))
    scored.sort()
    partners = tuple(
        Partner(
            rank=index + 1,
            region=candidates.regions[region],
            score=results[region][0],
            shared=results[region][1],
            only_theirs=results[region][2],
            areas=_order(theirs[region]),
            sources=tuple(sorted({ref.graph for ref in theirs[region]})),
        )
        for index, (*_, region) in enumerate(scored)
    )
    return PartnerRanking(
        graph=graph,
        regions=tuple(sorted((candidates.regions[r] for r in own_regions), key=lambda n: (n.code or "~", n.label))),
        areas=_order(ours.values()),
        features=tuple(
            sorted((feature(f) for f in our_features), key=lambda x: (-x.weight, x.label.casefold(), x.iri))
        ),
        partners=partners,
        unmatched=tuple(sorted(unmatched, key=lambda n: (n.code or "~", n.label.casefold(), n.iri))),
        described=total,
        truncated=candidates.truncated,
    )


def _sorted(area: str, candidates: Candidates) -> tuple[str, ...]:
    return tuple(sorted(candidates.area_features.get(area, ())))


def _order(refs: Iterable[AreaRef]) -> tuple[AreaRef, ...]:
    unique = {(ref.graph, ref.via, ref.iri): ref for ref in refs}
    return tuple(sorted(unique.values(), key=lambda r: (r.kind, r.label.casefold(), r.via, r.iri)))


def with_passages(ranking: PartnerRanking, passages: Mapping[str, tuple[Text, ...]], *, top: int) -> PartnerRanking:
    """The ranking with the passages of the areas (and overlap statements) of its first ``top`` partners.

    Args:
        ranking: The ranking.
        passages: Passages by area or overlap IRI (see :func:`graph_passages`).
        top: How many partners get their evidence's passages.
    """

    def fill(ref: AreaRef) -> AreaRef:
        found = passages.get(ref.via if ref.kind == "overlap" else ref.iri, ())
        return replace(ref, passages=found) if found else ref

    def fill_shared(shared: SharedFeature) -> SharedFeature:
        return replace(shared, ours=tuple(map(fill, shared.ours)), theirs=tuple(map(fill, shared.theirs)))

    partners = tuple(
        replace(p, shared=tuple(map(fill_shared, p.shared)), areas=tuple(map(fill, p.areas))) if p.rank <= top else p
        for p in ranking.partners
    )
    return replace(ranking, areas=tuple(map(fill, ranking.areas)), partners=partners)


def evidence_graphs(ranking: PartnerRanking, *, top: int) -> tuple[str, ...]:
    """The graphs whose passages the first ``top`` partners' evidence needs, the asking strategy's first."""
    graphs = {ref.graph for p in ranking.partners[:top] for ref in p.areas}
    return (ranking.graph, *sorted(graphs - {ranking.graph}))


def ranking_json(ranking: PartnerRanking, *, region_url: Mapping[str, str] | None = None) -> dict[str, object]:
    """The ranking as JSON-ready data.

    Args:
        ranking: The ranking.
        region_url: Region pages by region code, to link to.
    """
    urls = region_url or {}

    def region(name: RegionName) -> dict[str, object]:
        return {"iri": name.iri, "code": name.code, "label": name.label, "url": urls.get(name.code or "")}

    def feature(f: Feature) -> dict[str, object]:
        return {"iri": f.iri, "label": f.label, "kind": f.kind, "code": f.code, "weight": round(f.weight, 6)}

    def area(ref: AreaRef) -> dict[str, object]:
        found: dict[str, object] = {
            "iri": ref.iri,
            "label": ref.label,
            "label_source_language": ref.native,
            "graph": ref.graph,
            "kind": ref.kind,
            "via": ref.via or None,
            "via_label": ref.via_label or None,
            "passages": [{"lang": t.lang, "text": t.text} for t in ref.passages],
        }
        if ref.organisations is not None:
            found["organisations"] = ref.organisations
        return found

    return {
        "graph": ranking.graph,
        "regions": [region(r) for r in ranking.regions],
        "features": [feature(f) for f in ranking.features],
        "areas": [area(a) for a in ranking.areas],
        "regions_described": ranking.described,
        "truncated": ranking.truncated,
        "measure": "cosine similarity of the regions' themes and NACE divisions, each weighted by "
        "idf = ln((1 + N) / (1 + n)) + 1 (N regions described, n of them with the feature)",
        "partners": [
            {
                "rank": p.rank,
                "region": region(p.region),
                "score": round(p.score, 6),
                "shared": [
                    {
                        "feature": feature(s.feature),
                        "ours": [area(a) for a in s.ours],
                        "theirs": [area(a) for a in s.theirs],
                    }
                    for s in p.shared
                ],
                "only_theirs": [feature(f) for f in p.only_theirs],
                "sources": list(p.sources),
            }
            for p in ranking.partners
        ],
        "no_overlap": [region(r) for r in ranking.unmatched],
    }
