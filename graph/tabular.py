"""GraphML and CSV (a node table and an edge table) for tools that do not read GEXF.

GraphML has no list type, so list-valued attributes are written as one string, values joined by
`` | ``; the CSV tables do the same. The CSV columns follow Gephi's spreadsheet import: ``Id``,
``Label`` for nodes; ``Source``, ``Target``, ``Type``, ``Weight`` for edges.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import BinaryIO, TextIO

import networkx as nx

from ris3kg.graph.network import Network, Value, colour

LIST_SEPARATOR = " | "


def flat(value: Value) -> str | int | float:
    """Return a value GraphML and CSV can hold: lists joined by :data:`LIST_SEPARATOR`."""
    return LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value


def write_graphml(network: Network, sink: BinaryIO) -> None:
    """Write a network as GraphML (with networkx's writer) to a binary file."""
    graph: nx.MultiGraph[str] = nx.MultiDiGraph() if network.directed else nx.MultiGraph()
    graph.graph["name"] = network.name
    graph.graph["description"] = network.description
    for node in network.nodes:
        r, g, b = colour(node.kind)
        values = {key: flat(value) for key, value in node.values.items() if value != ()}
        graph.add_node(node.id, label=node.label, kind=node.kind, r=r, g=g, b=b, **values)
    for edge in network.edges:
        values = {key: flat(value) for key, value in edge.values.items() if value != ()}
        graph.add_edge(edge.source, edge.target, relation=edge.relation, weight=edge.weight, **values)
    nx.write_graphml(graph, sink, encoding="utf-8", named_key_ids=True)


def write_csv(network: Network, nodes: TextIO, edges: TextIO) -> None:
    """Write the node table and the edge table of a network as CSV to two text files."""
    node_keys = [attribute.key for attribute in network.node_attributes]
    writer = csv.writer(nodes)
    writer.writerow(["Id", "Label", "kind", *node_keys])
    for node in network.nodes:
        writer.writerow([node.id, node.label, node.kind, *(flat(node.values.get(key, ())) for key in node_keys)])
    edge_keys = [attribute.key for attribute in network.edge_attributes]
    edge_type = "Directed" if network.directed else "Undirected"
    writer = csv.writer(edges)
    writer.writerow(["Source", "Target", "Type", "Weight", "relation", *edge_keys])
    for edge in network.edges:
        writer.writerow(
            [edge.source, edge.target, edge_type, edge.weight, edge.relation]
            + [flat(edge.values.get(key, ())) for key in edge_keys]
        )


def csv_zip(network: Network, sink: BinaryIO) -> None:
    """Write the two CSV tables into a zip archive, as ``<name>-nodes.csv`` and ``<name>-edges.csv``."""
    nodes, edges = io.StringIO(newline=""), io.StringIO(newline="")
    write_csv(network, nodes, edges)
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{network.name}-nodes.csv", nodes.getvalue())
        archive.writestr(f"{network.name}-edges.csv", edges.getvalue())
