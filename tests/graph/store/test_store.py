"""The on-disk store: one named graph per part, read-only opening, all-or-nothing builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from ris3kg.graph.build import BuildReport, build_store
from ris3kg.graph.catalogue import PARTS, DatasetPart, PartKind
from ris3kg.graph.store.generations import StoreLayout
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.store.oxigraph import OxigraphStore, default_store_path
from ris3kg.ontology.namespaces import ENTAILED_GRAPH, GRAPH
from ris3kg.ontology.resources import DataFileError, TurtleResource


def test_build_puts_every_part_in_its_own_named_graph(built: BuildReport, store: OxigraphStore) -> None:
    assert store.named_graphs() == tuple(sorted([*(str(p.graph) for p in PARTS), ENTAILED_GRAPH]))
    for item in built.loaded:
        assert store.triple_count(str(item.part.graph)) == item.triples > 0


def test_default_graph_of_a_query_is_the_union(store: OxigraphStore) -> None:
    rows = store.select(
        "PREFIX ris3: <https://w3id.org/ris3kg/ontology#> "
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ris3:Strategy ; ris3:documentedIn ?d }"
    ).rows
    assert int(rows[0]["n"] or 0) == len([p for p in PARTS if p.kind is PartKind.STRATEGY])


def test_missing_store_tells_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `ris3kg build` first"):
        OxigraphStore.open(tmp_path / "nowhere")


def test_failed_build_leaves_the_previous_store_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "store"
    first = build_store(target, parts=PARTS[:3])
    broken = DatasetPart(
        "broken", "broken", PartKind.STRATEGY, GRAPH.broken, TurtleResource("ris3kg.graph", "data/none.ttl")
    )
    with pytest.raises(DataFileError, match=r"none\.ttl"):
        build_store(target, parts=(*PARTS[:3], broken))
    again = OxigraphStore.open(target)
    assert again.named_graphs() == tuple(sorted([*(str(p.graph) for p in PARTS[:3]), ENTAILED_GRAPH]))
    assert sum(again.triple_count(str(p.graph)) for p in PARTS[:3]) == first.triples
    layout = StoreLayout(target)
    folders = {p.name for p in layout.generations.iterdir() if p.is_dir()}
    assert folders == {layout.current().name}, "no half-written generation left behind"  # type: ignore[union-attr]


def test_rebuild_replaces_the_store(tmp_path: Path) -> None:
    target = tmp_path / "store"
    build_store(target, parts=PARTS[:1])
    build_store(target, parts=PARTS[:2])
    assert len(OxigraphStore.open(target).named_graphs()) == 3  # the two parts and the entailed graph


def test_store_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RIS3KG_STORE", str(tmp_path / "mine"))
    assert default_store_path() == tmp_path / "mine"
    monkeypatch.delenv("RIS3KG_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "ris3kg" / "store"
