"""GraphML and CSV (a node table and an edge table) for tools that do not read GEXF.

GraphML has no list type, so list-valued attributes are written as one string, values joined by
`` | ``; the CSV tables do the same. Both carry the drawing: GraphML the ``x``, ``y``, ``size`` and
``r``, ``g``, ``b`` keys Gephi's GraphML import reads, the node table ``x``, ``y``, ``size`` and
``color`` (``#rrggbb``) columns. The CSV columns follow Gephi's spreadsheet import: ``Id``,
``Label`` for nodes; ``Source``, ``Target``, ``Type``, ``Weight`` for edges.

What comes from the data cannot hurt the reader of a file: text in GraphML goes through
:func:`~ris3kg.graph.export.gexf.xml_safe` (characters XML 1.0 forbids become U+FFFD), and text cells
of the CSV tables through :func:`spreadsheet_safe` (no cell a spreadsheet would run as a formula).
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import TYPE_CHECKING, BinaryIO, TextIO

from ris3kg.graph.export.gexf import xml_safe
from ris3kg.graph.export.network import Network, Value, colour

if TYPE_CHECKING:
    import networkx as nx

LIST_SEPARATOR = " | "

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection")."""


def flat(value: Value) -> str | int | float:
    """Return a value GraphML and CSV can hold: lists joined by :data:`LIST_SEPARATOR`."""
    return LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value


def spreadsheet_safe(cell: str) -> str:
    """Return a CSV cell that a spreadsheet shows as text, never runs as a formula.

    As OWASP recommends against CSV (formula) injection, a cell starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a single quote in front (``=1+1`` becomes ``'=1+1``);
    the csv module's writer then quotes the cell as usual where it needs to. Other cells are
    returned unchanged.

    Use it for every text cell that comes from the data (IRIs, labels, kinds, relations, attribute
    values, messages), not for numbers the writer puts in a column itself (weights, degrees): a
    negative number written as a number is a number to the spreadsheet, and an escaped one would
    be text. A number that the data has as text (``"-3"`` in a label) is escaped like any text.

    Args:
        cell: The cell's text.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _cell(value: Value) -> str | int | float:
    """A CSV cell of an attribute value: text made :func:`spreadsheet_safe`, numbers as they are."""
    value = flat(value)
    return spreadsheet_safe(value) if isinstance(value, str) else value


def _graphml_value(value: Value) -> str | int | float:
    value = flat(value)
    return xml_safe(value) if isinstance(value, str) else value


def write_graphml(network: Network, sink: BinaryIO) -> None:
    """Write a network as GraphML (with networkx's writer) to a binary file.

    Ids, labels, attribute names and text values go through :func:`~ris3kg.graph.export.gexf.xml_safe`,
    so that a control character in the data gives U+FFFD in a well-formed file, not an error.
    """
    import networkx as nx  # imported here: networkx is slow to import and only GraphML needs it

    graph: nx.MultiGraph[str] = nx.MultiDiGraph() if network.directed else nx.MultiGraph()
    graph.graph["name"] = xml_safe(network.name)
    graph.graph["description"] = xml_safe(network.description)
    for node in network.nodes:
        r, g, b = node.colour or colour(node.kind)
        values = {xml_safe(key): _graphml_value(value) for key, value in node.values.items() if value != ()}
        drawing = {"x": node.x, "y": node.y, "size": node.size}  # the keys Gephi's GraphML import reads
        values.update({key: value for key, value in drawing.items() if value is not None})
        graph.add_node(xml_safe(node.id), label=xml_safe(node.label), kind=xml_safe(node.kind), r=r, g=g, b=b, **values)
    for edge in network.edges:
        values = {xml_safe(key): _graphml_value(value) for key, value in edge.values.items() if value != ()}
        graph.add_edge(
            xml_safe(edge.source),
            xml_safe(edge.target),
            relation=xml_safe(edge.relation),
            weight=edge.weight,
            **values,
        )
    nx.write_graphml(graph, sink, encoding="utf-8", named_key_ids=True)


def write_csv(network: Network, nodes: TextIO, edges: TextIO) -> None:
    """Write the node table and the edge table of a network as CSV to two text files.

    Text cells from the data are :func:`spreadsheet_safe`; the ``Weight`` column and numeric
    attributes are written as numbers, and ``Type`` is the writer's own ``Directed`` or
    ``Undirected``.
    """
    node_keys = [attribute.key for attribute in network.node_attributes]
    writer = csv.writer(nodes)
    writer.writerow(["Id", "Label", "kind", *(spreadsheet_safe(key) for key in node_keys), "x", "y", "size", "color"])
    for node in network.nodes:
        rgb = node.colour or colour(node.kind)
        writer.writerow(
            [spreadsheet_safe(node.id), spreadsheet_safe(node.label), spreadsheet_safe(node.kind)]
            + [_cell(node.values.get(key, ())) for key in node_keys]
            + [
                "" if node.x is None else node.x,
                "" if node.y is None else node.y,
                "" if node.size is None else node.size,
            ]
            + ["#{:02x}{:02x}{:02x}".format(*rgb)]
        )
    edge_keys = [attribute.key for attribute in network.edge_attributes]
    edge_type = "Directed" if network.directed else "Undirected"
    writer = csv.writer(edges)
    writer.writerow(["Source", "Target", "Type", "Weight", "relation", *(spreadsheet_safe(key) for key in edge_keys)])
    for edge in network.edges:
        writer.writerow(
            [spreadsheet_safe(edge.source), spreadsheet_safe(edge.target), edge_type, edge.weight]
            + [spreadsheet_safe(edge.relation)]
            + [_cell(edge.values.get(key, ())) for key in edge_keys]
        )


def csv_zip(network: Network, sink: BinaryIO) -> None:
    """Write the two CSV tables into a zip archive, as ``<name>-nodes.csv`` and ``<name>-edges.csv``."""
    nodes, edges = io.StringIO(newline=""), io.StringIO(newline="")
    write_csv(network, nodes, edges)
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{network.name}-nodes.csv", nodes.getvalue())
        archive.writestr(f"{network.name}-edges.csv", edges.getvalue())
