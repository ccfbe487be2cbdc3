"""One function shortens IRIs to prefixed names, everywhere: the longest house namespace wins."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ris3kg.graph.export.from_query import network_from_triples
from ris3kg.ontology.namespaces import ID_BASE, PREFIXES, prefixed_name
from ris3kg.shapes.spreadsheet.cells import parse_iri


def test_the_vocabulary_namespace_wins_over_the_id_namespace() -> None:
    assert prefixed_name(ID_BASE + "vocab/HelixRoles") == "voc:HelixRoles"
    assert prefixed_name(ID_BASE + "blekinge/action-1") == "blekinge:action-1"
    assert prefixed_name("https://example.org/x") == "https://example.org/x"


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_a_prefixed_name_reads_back_in_a_spreadsheet_cell(prefix: str) -> None:
    iri = PREFIXES[prefix] + "thing-1"
    assert str(parse_iri(prefixed_name(iri))) == iri


def test_a_query_network_names_its_edges_with_the_same_function() -> None:
    a, b = ox.NamedNode(ID_BASE + "x/a"), ox.NamedNode(ID_BASE + "x/b")
    predicate = ox.NamedNode(ID_BASE + "vocab/relatedTo")
    network = network_from_triples([ox.Triple(a, predicate, b)])
    assert [edge.relation for edge in network.edges] == ["voc:relatedTo"]
