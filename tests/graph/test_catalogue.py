"""The dataset catalogue: every part loads, strategies have their own graphs and seeds."""

from __future__ import annotations

import pytest

from ris3kg.graph.catalogue import PARTS, PartKind, part_by_key, reference_parts, strategy_parts


def test_every_part_loads_into_a_non_empty_graph() -> None:
    for part in PARTS:
        assert len(part.load()) > 0, part.key


def test_graph_iris_and_keys_are_unique() -> None:
    assert len({p.graph for p in PARTS}) == len(PARTS)
    assert len({p.key for p in PARTS}) == len(PARTS)


def test_strategies_name_their_seed_and_language() -> None:
    assert [p.key for p in strategy_parts()][:2] == ["blekinge", "norrbotten"]
    for part in strategy_parts():
        assert part.seed_file and part.seed_file.endswith(".txt")
        assert part.language in {"en", "sv", "nb"}


def test_reference_parts_are_ontology_vocabularies_regions() -> None:
    assert [p.kind for p in reference_parts()] == [PartKind.ONTOLOGY, PartKind.VOCABULARY, PartKind.REFERENCE]


def test_unknown_part_lists_the_known_ones() -> None:
    with pytest.raises(
        KeyError,
        match="known parts: ontology, vocabularies, regions, imports, nuts, languages, currencies, nace, eurovoc, blek",
    ):
        part_by_key("gotland")
