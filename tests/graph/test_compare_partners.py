"""Strategies side by side and partner regions, on the session's store; and the check against the
Västernorrland mapping (seed 004), whose findings docs/partners.md compares with the ranking."""

from __future__ import annotations

import pytest

from ris3kg.graph.catalogue import part_by_key
from ris3kg.graph.export.views import ViewFilter, build_view
from ris3kg.graph.linked_data.compare import StrategyProfile, compare_profiles, comparison_json, strategy_profile
from ris3kg.graph.linked_data.partners import (
    Candidates,
    PartnerRanking,
    graph_passages,
    rank_partners,
    ranking_json,
    read_candidates,
    with_passages,
)
from ris3kg.graph.store.oxigraph import OxigraphStore

ID = "https://w3id.org/ris3kg/id/"
THEME = ID + "theme/"
NUTS = "http://data.europa.eu/nuts/code/"

# What the Västernorrland mapping (004, section 3) names: European regions "med minst tre överlappande
# prioriteringar" and Swedish regions "med relevanta samarbetsområden", with how many of Västernorrland's
# nine priority areas each overlaps (counted from the printed lists).
MAPPING_004 = {
    "EL30": 6, "DK04": 4, "ITH5": 4, "ITC4": 5, "ITC1": 5, "ES11": 3, "ES51": 4, "ES41": 6, "ES30": 3,
    "FRK": 4, "FI1D": 5, "FI19": 3, "NL41": 5, "RO11": 3, "RO32": 3, "LT01": 3, "AT31": 3, "AT22": 4,
    "SE22": 4, "SE311": 2, "SE23": 5, "stockholm-malardalen": 3,
}  # fmt: skip


def profile(store: OxigraphStore, key: str) -> StrategyProfile:
    part = part_by_key(key)
    return strategy_profile(store, key, part.title, str(part.graph))


@pytest.fixture(scope="module")
def candidates(store: OxigraphStore) -> Candidates:
    return read_candidates(store)


@pytest.fixture(scope="module")
def vasternorrland(candidates: Candidates) -> PartnerRanking:
    return rank_partners(candidates, str(part_by_key("vasternorrland").graph))


def code(partner_region_iri: str, label: str, found: str | None) -> str:
    """A region's NUTS code, else the end of its IRI (``stockholm-malardalen``)."""
    return found or partner_region_iri.rsplit("/", 1)[-1]


def test_a_profile_has_elements_of_every_kind_with_labels_and_passages(store: OxigraphStore) -> None:
    norrbotten = profile(store, "norrbotten")
    assert norrbotten.language == "sv" and not norrbotten.truncated
    areas = {e.iri: e for e in norrbotten.of_kind("areas")}
    space = areas[ID + "norrbotten/area-space-technology"]
    assert space.label == "Space technology" and space.native and space.native_lang == "sv"
    assert space.passages and all(p.lang == "sv" for p in space.passages)
    assert THEME + "space" in space.themes
    energy = areas[ID + "norrbotten/area-energy-technology"]
    assert {c.iri for c in energy.children} >= {ID + "norrbotten/subarea-wind-power"}
    assert ID + "norrbotten/subarea-wind-power" not in areas  # sub-areas sit under their area
    assert norrbotten.of_kind("challenges") and norrbotten.of_kind("actions")
    blekinge = profile(store, "blekinge")
    assert blekinge.language == "en"
    assert {e.level for e in blekinge.of_kind("governance")} >= {"strategic level", "operational level"}


def test_blekinge_and_norrbotten_shared_and_unique(store: OxigraphStore) -> None:
    blekinge, norrbotten = profile(store, "blekinge"), profile(store, "norrbotten")
    comparison = compare_profiles([blekinge, norrbotten])
    facets = {f.name: f for f in comparison.facets}

    def themes_of(p: StrategyProfile) -> set[str]:
        return {t for e in p.all_elements() for t in e.themes}

    ours, theirs = themes_of(blekinge), themes_of(norrbotten)
    themes = facets["themes"]
    assert {t.iri for t in themes.shared} == ours & theirs
    assert {t.iri for t in themes.unique[0]} == ours - theirs
    assert {t.iri for t in themes.unique[1]} == theirs - ours
    assert THEME + "digitalisation" in {t.iri for t in themes.shared}
    assert THEME + "marine" in {t.iri for t in themes.unique[0]}  # Blekinge's marine technology
    assert THEME + "space" in {t.iri for t in themes.unique[1]}  # Norrbotten's space technology
    assert themes.partly == ()  # two strategies: shared or unique, nothing between
    # NACE codes meet at their division: Blekinge's software (6201) is division 62; both name 29 and 58
    sectors = {t.code for t in facets["sectors"].shared}
    assert {"29", "58"} <= sectors
    regions = facets["regions"]
    assert NUTS + "SE221" in {t.iri for t in regions.unique[0]} and NUTS + "SE332" in {t.iri for t in regions.unique[1]}
    # the theme rows: shared themes first, each cell the elements of that strategy with the theme
    first = comparison.themes[0]
    assert first.shared and all(first.cells)
    digitalisation = next(row for row in comparison.themes if row.theme.iri == THEME + "digitalisation")
    assert ID + "blekinge/area-tech" in {e.iri for e in digitalisation.cells[0]}
    assert digitalisation.theme.native("sv") == "digitalisering"
    data = comparison_json(comparison)
    assert [s["key"] for s in data["strategies"]] == ["blekinge", "norrbotten"]  # type: ignore[index]
    assert THEME + "space" in {t["iri"] for t in data["unique"]["themes"]["norrbotten"]}  # type: ignore[index]


def test_three_strategies_have_partly_shared_terms(store: OxigraphStore) -> None:
    comparison = compare_profiles([profile(store, k) for k in ("blekinge", "norrbotten", "vasternorrland")])
    themes = next(f for f in comparison.facets if f.name == "themes")
    assert themes.partly and all(1 < len(who) < 3 for _, who in themes.partly)
    assert [row.count for row in comparison.themes] == sorted((row.count for row in comparison.themes), reverse=True)


def test_the_ranking_is_deterministic_and_has_evidence(store: OxigraphStore, candidates: Candidates) -> None:
    graph = str(part_by_key("blekinge").graph)
    first, second = rank_partners(candidates, graph), rank_partners(read_candidates(store), graph)
    assert first == second
    assert [p.rank for p in first.partners] == list(range(1, len(first.partners) + 1))
    scores = [p.score for p in first.partners]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert [r.code for r in first.regions] == ["SE221"]
    assert "SE221" not in {p.region.code for p in first.partners}  # not its own partner
    best = first.partners[0]
    assert best.region.code == "SE332"  # Norrbotten: test beds, smart cities, games, vehicles
    shared = {s.feature.code for s in best.shared}
    assert {"test-beds", "smart-cities", "29"} <= shared
    for s in best.shared:
        assert s.ours and s.theirs and s.feature.weight > 0
        assert all(s.feature.iri in a.features for a in (*s.ours, *s.theirs))
    # a rare shared feature weighs more than a common one
    weights = {s.feature.code: s.feature.weight for s in best.shared}
    assert weights["test-beds"] > weights["digitalisation"]
    passages = graph_passages(store, graph) | graph_passages(store, str(part_by_key("norrbotten").graph))
    filled = with_passages(first, passages, top=3)
    assert all(a.passages for s in filled.partners[0].shared for a in (*s.ours, *s.theirs))
    data = ranking_json(filled, region_url={"SE332": "/region/SE332"})
    assert data["partners"][0]["region"]["url"] == "/region/SE332"  # type: ignore[index]


def test_a_strategy_for_several_regions_counts_for_the_widest(vasternorrland: PartnerRanking) -> None:
    nms = next(p for p in vasternorrland.partners if p.region.code == "SE31")
    assert {a.kind for a in nms.areas} == {"strategy"}
    # Värmland (SE311) is in the ranking only through what the mapping says of it
    varmland = vasternorrland.rank_of("SE311")
    assert varmland is not None and {a.kind for a in varmland.areas} == {"overlap"}


def test_the_mapping_004_regions_are_ranked_first(vasternorrland: PartnerRanking) -> None:
    """docs/partners.md: every region the mapping names is ranked, and they take the first places.

    The overlap regions' priorities are known only through the mapping, so that they rank is expected;
    the claim checked is the order: all 22 ahead of the four regions whose strategies are in the graph
    (Nordland, Norra Mellansverige, Norrbotten, Blekinge), and the regions the mapping found overlapping
    in six areas (Attica, Castilla y León) in the top 2.
    """
    ranked = {code(p.region.iri, p.region.label, p.region.code): p for p in vasternorrland.partners}
    assert set(MAPPING_004) <= set(ranked)
    top = {code(p.region.iri, p.region.label, p.region.code) for p in vasternorrland.partners[: len(MAPPING_004)]}
    assert top == set(MAPPING_004)
    assert {p.region.code for p in vasternorrland.partners[:2]} == {"EL30", "ES41"}
    assert [p.region.code for p in vasternorrland.partners[len(MAPPING_004) :]] == ["NO071", "SE31", "SE332", "SE221"]
    # the European regions (at least three overlaps each) are all in the top 21
    european = {c for c, n in MAPPING_004.items() if not c.startswith(("SE", "stockholm"))}
    assert all(ranked[c].rank <= 21 for c in european)
    # more overlapping areas goes with a higher score (Spearman's rho over the 22 regions)
    rho = spearman([MAPPING_004[c] for c in MAPPING_004], [ranked[c].score for c in MAPPING_004])
    assert rho > 0.5, rho


def spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        result = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                result[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return result

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    return cov / (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5


def test_the_partners_gephi_view(store: OxigraphStore, vasternorrland: PartnerRanking) -> None:
    network = build_view(store, "partners", view_filter=ViewFilter(strategies=("vasternorrland",)))
    assert {n.id for n in network.nodes if n.kind == "strategy region"} == {NUTS + "SE321"}
    assert len(network.edges) == len(vasternorrland.partners)
    best = max(network.edges, key=lambda e: e.weight)
    assert best.source == NUTS + "SE321" and best.target == vasternorrland.partners[0].region.iri
    assert best.values["rank"] == 1 and best.values["shared_features"]
    everyone = build_view(store, "partners")
    assert everyone.edges and [n.id for n in everyone.nodes] == sorted(n.id for n in everyone.nodes)
    assert everyone == build_view(store, "partners")
