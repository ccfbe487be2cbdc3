"""What a region's page is made of: region_view on the session's store, and the code rule."""

from __future__ import annotations

import pytest

from ris3kg.graph.linked_data.region import NUTS_BASE, region_code, region_iri, region_view
from ris3kg.graph.store.oxigraph import OxigraphStore

ID = "https://w3id.org/ris3kg/id/"


def test_region_codes_and_iris() -> None:
    assert region_code(NUTS_BASE + "SE221") == "SE221"
    assert region_code(NUTS_BASE + "NO0A1") == "NO0A1"
    assert region_code(NUTS_BASE + "PL") == "PL"
    for iri in (NUTS_BASE + "se221", NUTS_BASE + "SE2211", NUTS_BASE + "SE221\n", NUTS_BASE, ID + "region/kiruna"):
        assert region_code(iri) is None, iri
    assert region_iri("IS001") == NUTS_BASE + "IS001"
    for code in ("se221", "S", "SE2211", "SE 22", "<b>", "SE221\n"):
        with pytest.raises(ValueError, match="not a region code"):
            region_iri(code)


def test_blekinge(store: OxigraphStore) -> None:
    view = region_view(store, "SE221")
    assert view is not None
    assert view.title == "Blekinge County (SE221)"
    assert ("sv", "Blekinge län") in view.labels and view.labels[0] == ("en", "Blekinge County")
    assert view.level == 3 and view.versions == ("2016", "2021", "2024")
    assert [p.code for p in view.parents] == ["SE22"] and view.country is not None and view.country.code == "SE"
    assert view.children == ()
    strategies = {s.iri: s for s in view.strategies}
    blekinge = strategies[ID + "blekinge/strategy"]
    assert blekinge.direct and ID + "blekinge/area-tech" in {a.iri for a in blekinge.areas}
    assert {a.iri for a in view.actors} >= {ID + "actor/region-blekinge", ID + "actor/region-blekinge-run"}
    assert all("figure" in e.kinds for e in view.elements)
    classes = {t.scheme: t.concept.label for t in view.typologies}
    assert classes["urban–rural typology"] == "intermediate"
    assert {s.iri for s, _up in view.enclosing} == {
        ID + "strategy-smart-industri",
        ID + "strategy-swedish-space-strategy",
    }
    assert view.truncated == frozenset()


def test_troms_og_finnmark_changes(store: OxigraphStore) -> None:
    view = region_view(store, "NO074")
    assert view is not None and view.versions == ("2021",)
    (split,) = [c for c in view.changes if c.kind_label == "split"]
    assert split.direction == "replaced-by" and (split.from_version, split.to_version) == ("2021", "2024")
    assert [o.code for o in split.others] == ["NO072", "NO073"]
    assert split.iri == ID + "codelists/change/2021-2024/NO074"
    # regions.ttl: Troms og Finnmark (2021) was formed from Troms and Finnmark (2016), with no change node
    (formed,) = [c for c in view.changes if c.direction == "replaces"]
    assert formed.kind is None and [o.code for o in formed.others] == ["NO072", "NO073"]
    assert not view.has_strategy


def test_a_larger_region_gathers_its_sub_regions(store: OxigraphStore) -> None:
    view = region_view(store, "SE3")
    assert view is not None and view.level == 1
    assert [c.code for c in view.children] == ["SE31", "SE32", "SE33"]
    strategies = {s.iri: s for s in view.strategies}
    norrbotten = strategies[ID + "norrbotten/strategy"]
    assert not norrbotten.direct and [r.code for r in norrbotten.via] == ["SE332"]
    nms = strategies[ID + "norra-mellansverige/strategy"]
    assert [r.code for r in nms.via] == ["SE31", "SE311", "SE312", "SE313"]
    facilities = {a.iri: a for a in view.actors}
    assert [p.iri for p in facilities[ID + "facility-rymdcampus-kiruna"].places] == [ID + "region/kiruna"]
    assert {p.iri for p in view.places} >= {ID + "region/kiruna", ID + "region/porjus"}


def test_a_region_outside_the_strategies(store: OxigraphStore) -> None:
    view = region_view(store, "IS001")
    assert view is not None and view.name == "Höfuðborgarsvæði" and view.labels == (("", "Höfuðborgarsvæði"),)
    assert view.strategies == view.actors == view.elements == ()
    assert [p.code for p in view.parents] == ["IS00"] and view.country is not None and view.country.code == "IS"


def test_an_unknown_code_gives_none(store: OxigraphStore) -> None:
    assert region_view(store, "XX123") is None


def test_limits_are_reported(store: OxigraphStore) -> None:
    view = region_view(store, "SE", limit=2)
    assert view is not None
    assert "located" in view.truncated and "children" in view.truncated
