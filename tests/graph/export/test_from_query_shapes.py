"""How SELECT solutions are read as a network: which columns are the ends, labels, weight, attributes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ris3kg.graph.export.from_query import QueryShapeError, Term, network_from_solutions

ID = "https://w3id.org/ris3kg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(local: str) -> ox.NamedNode:
    return ox.NamedNode(ID + local)


def text(value: str, language: str = "en") -> ox.Literal:
    return ox.Literal(value, language=language)


def nuts(code: str) -> ox.NamedNode:
    return ox.NamedNode("http://data.europa.eu/nuts/code/" + code)


def number(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def test_the_first_two_resource_columns_are_the_ends_and_the_rest_edge_attributes() -> None:
    names = ["strategy", "label", "region", "nuts", "file"]
    rows: list[list[Term]] = [
        [
            iri("blekinge/strategy"),
            text("Blekinge's strategy"),
            nuts("SE221"),
            ox.Literal("SE221"),
            ox.Literal("0.txt"),
        ],
        [
            iri("norrbotten/strategy"),
            text("Norrbotten's strategy"),
            nuts("SE332"),
            ox.Literal("SE332"),
            ox.Literal("1.txt"),
        ],
    ]
    network = network_from_solutions(names, rows)
    nodes = {node.id: node for node in network.nodes}
    assert nodes[ID + "blekinge/strategy"].label == "Blekinge's strategy"  # ?label names the first end
    assert nodes[ID + "blekinge/strategy"].kind == "strategy"  # the column's name
    assert nodes["http://data.europa.eu/nuts/code/SE221"].label == "nuts:SE221"  # no label column: prefixed name
    assert nodes["http://data.europa.eu/nuts/code/SE221"].kind == "region"
    (edge, _) = network.edges
    assert (edge.source, edge.target, edge.relation, edge.weight) == (
        ID + "blekinge/strategy",
        "http://data.europa.eu/nuts/code/SE221",
        "linked",
        1.0,
    )
    assert dict(edge.values) == {"nuts": "SE221", "file": "0.txt"}
    assert [attribute.key for attribute in network.edge_attributes] == ["nuts", "file"]


def test_x_label_columns_label_their_end_and_a_single_numeric_column_is_the_weight() -> None:
    names = ["strategyLabel", "strategy", "area", "english", "actions"]
    rows: list[list[Term]] = [
        [text("Blekinge"), iri("blekinge/strategy"), iri("blekinge/area-tech"), text("Tech"), number(3)],
        [text("Blekinge"), iri("blekinge/strategy"), iri("blekinge/area-food"), text("Food"), number(2)],
    ]
    network = network_from_solutions(names, rows)
    assert {node.label for node in network.nodes} == {"Blekinge", "blekinge:area-tech", "blekinge:area-food"}
    assert sorted(edge.weight for edge in network.edges) == [2.0, 3.0]
    assert all(set(edge.values) == {"english"} for edge in network.edges)


def test_a_weight_column_wins_over_other_numbers_and_two_numbers_give_no_weight() -> None:
    row: list[Term] = [iri("a"), iri("b"), number(4), number(7)]
    assert network_from_solutions(["x", "y", "weight", "n"], [row]).edges[0].weight == 4.0
    unweighted = network_from_solutions(["x", "y", "m", "n"], [row])
    assert unweighted.edges[0].weight == 1.0
    assert dict(unweighted.edges[0].values) == {"m": 4.0, "n": 7.0}  # numeric attributes stay numbers


def test_rows_with_the_same_ends_are_one_edge_gathering_their_values() -> None:
    rows: list[list[Term]] = [
        [iri("s"), iri("r"), text("coastal regions"), number(1)],
        [iri("s"), iri("r"), text("border regions"), number(1)],
        [iri("s"), iri("r"), text("coastal regions"), number(1)],
    ]
    network = network_from_solutions(["strategy", "region", "typology", "count"], rows)
    (edge,) = network.edges
    assert edge.values["typology"] == "coastal regions; border regions"
    assert edge.weight == 1.0


def test_a_row_without_its_second_end_adds_a_lone_node_and_a_later_row_can_label_a_node() -> None:
    rows: list[list[Term]] = [
        [iri("secretariat"), text("Secretariat"), iri("board")],
        [iri("coordinator"), text("Coordinator"), None],
        [iri("board"), text("Regional board"), None],
    ]
    network = network_from_solutions(["body", "name", "superior"], rows)
    labels = {node.id: node.label for node in network.nodes}
    assert labels == {
        ID + "secretariat": "Secretariat",
        ID + "board": "Regional board",
        ID + "coordinator": "Coordinator",
    }
    assert [(edge.source, edge.target) for edge in network.edges] == [(ID + "secretariat", ID + "board")]


def test_a_relation_column_names_the_edge_and_is_not_an_end() -> None:
    rdfs_label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    network = network_from_solutions(["s", "p", "o"], [[iri("a"), rdfs_label, iri("b")]])
    (edge,) = network.edges
    assert (edge.source, edge.target, edge.relation) == (ID + "a", ID + "b", "rdfs:seeAlso")


def test_source_and_target_keep_their_meaning_with_literals_as_nodes() -> None:
    rows: list[list[Term]] = [[text("Blekinge"), ox.Literal("energy"), text("B"), ox.Literal("2")]]
    network = network_from_solutions(["source", "target", "sourceLabel", "weight"], rows)
    assert {(node.id, node.label, node.kind) for node in network.nodes} == {
        ("Blekinge", "B", "literal"),
        ("energy", "energy", "literal"),
    }
    assert network.edges[0].weight == 2.0
    with pytest.raises(QueryShapeError, match="row 1: the weight 'x' is not a number"):
        network_from_solutions(["source", "target", "weight"], [[iri("a"), iri("b"), ox.Literal("x")]])


def test_two_label_columns_named_as_a_pair_are_the_ends_when_no_column_holds_resources() -> None:
    rows: list[list[Term]] = [
        [text("Blekinge"), text("Norrbotten"), number(23), ox.Literal("energy; food")],
        [text("Blekinge"), text("Nordland"), number(5), ox.Literal("food")],
    ]
    network = network_from_solutions(["a", "b", "sharedThemes", "themes"], rows)
    assert {node.id for node in network.nodes} == {"Blekinge", "Norrbotten", "Nordland"}
    assert {node.kind for node in network.nodes} == {"a", "b"}
    assert sorted(edge.weight for edge in network.edges) == [5.0, 23.0]
    for names in (["region1", "region2"], ["from", "to"]):
        assert len(network_from_solutions([*names, "n", "t"], rows).edges) == 2


@pytest.mark.parametrize(
    ("names", "rows", "why"),
    [
        (
            ["theme", "en", "sources"],
            [[iri("theme/energy"), text("energy"), number(6)]],
            "only one column, ?theme, holds resources",
        ),
        (
            ["number", "criterion", "regions"],
            [[ox.Literal("1"), text("leadership"), number(6)]],
            "no column holds resources (IRIs or blank nodes) in every row, and no two columns are named as a pair",
        ),
        (
            ["s", "p", "o"],
            [[iri("a"), iri("p"), ox.Literal("4")], [iri("a"), iri("q"), iri("b")]],
            "?o holds literals in some rows and resources in others: keep only the resources, with FILTER(isIRI",
        ),
        (["x", "y", "z"], [], "the query has no results"),
    ],
)
def test_what_is_not_a_network_says_why_and_which_shape_exports(
    names: list[str], rows: list[list[Term]], why: str
) -> None:
    with pytest.raises(QueryShapeError) as raised:
        network_from_solutions(names, rows)
    message = str(raised.value)
    assert why in message
    assert "two columns (source, target) that hold resources" in message  # the shapes that export
    assert raised.value.reason and len(raised.value.reason) < len(message)  # the short why, for lists


def test_source_and_target_with_no_rows_is_an_empty_network() -> None:
    network = network_from_solutions(["source", "target"], [])
    assert network.nodes == () and network.edges == ()
