"""Counting instances per class and graph."""

from __future__ import annotations

from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.graph.store.stats import graph_stats, strategy_stats


def test_stats_cover_every_graph_in_catalogue_order(store: OxigraphStore) -> None:
    stats = graph_stats(store)
    assert [s.key for s in stats][:3] == ["ontology", "vocabularies", "regions"]
    assert all(s.triples > 0 for s in stats)


def test_strategy_stats_count_classes_by_english_label(store: OxigraphStore) -> None:
    blekinge = next(s for s in strategy_stats(store) if s.key == "blekinge")
    assert blekinge.count("smart specialisation area") == 3
    assert blekinge.count("bottleneck") == 7
    assert blekinge.count("passage") > 100  # one or more quoted passages per entity
    assert blekinge.entities > 50
