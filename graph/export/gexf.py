"""A streaming GEXF 1.3 writer.

The file is written in chunks to a binary sink, node by node and edge by edge, so memory stays
flat however large the network. What it writes is valid against the format's own RelaxNG schema
(``gexf.rng`` of GEXF 1.3), unlike networkx's ``write_gexf`` for 1.3: no ``z="None"`` positions,
list values written in GEXF 1.3's list syntax instead of crashing, and no ``xsi:schemaLocation``
(the 1.3 RelaxNG grammar allows no attribute but ``version`` and ``variant`` on ``<gexf>``; the
namespaces are ``http://gexf.net/1.3`` and ``http://gexf.net/1.3/viz``).

Each node carries its ``viz:position``, ``viz:color`` (red, green, blue: no alpha, which Gephi Lite
would not show) and ``viz:size`` as drawn (:mod:`ris3kg.graph.export.drawing`; by kind and degree
when not drawn), the ``kind`` attribute and the network's declared attributes; each edge its
``relation`` (also its label) and weight. The description is followed by the notes on how the
network was drawn, the legend among them. When nodes or edges have time intervals the graph is
dynamic (``mode="dynamic"``, ``timeformat="date"``) and each timed element has ``<spells>``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO

from ris3kg.graph.export.network import Attribute, AttributeType, Network, Spell, Value, colour, degrees, size

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
MEDIA_TYPE = "application/gexf+xml"
CREATOR = "ris3kg"

_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 does not allow (its ``Char`` production): C0 controls but tab, line feed and
carriage return; surrogates; U+FFFE and U+FFFF."""
REPLACEMENT = "\ufffd"
_CHUNK = 1 << 16


def xml_safe(text: str) -> str:
    r"""Return text that XML 1.0 can hold: each character it does not allow replaced by U+FFFD.

    XML 1.0 allows ``#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]``;
    anything else (``"\x01"``, ``"\x0b"``, a lone surrogate, ``"\ufffe"``) cannot be written,
    not even as a character reference. Both the GEXF writer and the GraphML writer
    (:mod:`ris3kg.graph.export.tabular`) pass every id, label and text value through this function.

    Args:
        text: Any text.
    """
    return _NOT_XML.sub(REPLACEMENT, text) if _NOT_XML.search(text) else text


def attr(text: str) -> str:
    """Escape text for a double-quoted XML attribute (characters XML 1.0 forbids become U+FFFD)."""
    return xml_safe(text).translate(_ESCAPES)


def list_value(items: tuple[str, ...]) -> str:
    """Format a list value as GEXF 1.3 does: ``["a", "b"]``, each item quoted, backslash and quote escaped."""
    quoted = ('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)
    return "[" + ", ".join(quoted) + "]"


def format_value(value: Value) -> str:
    """Format an attribute value as GEXF text."""
    if isinstance(value, tuple):
        return list_value(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_gexf(
    network: Network,
    sink: BinaryIO,
    *,
    creator: str = CREATOR,
    description: str | None = None,
    date: dt.date | None = None,
) -> None:
    """Write a network as GEXF 1.3 to a binary file.

    Args:
        network: The network.
        sink: A binary file open for writing.
        creator: The ``<creator>`` of the metadata.
        description: The ``<description>`` (the network's own description by default).
        date: The ``lastmodifieddate`` (today by default).
    """
    buffer: list[str] = []
    length = 0
    for piece in gexf_chunks(network, creator=creator, description=description, date=date):
        buffer.append(piece)
        length += len(piece)
        if length >= _CHUNK:
            sink.write("".join(buffer).encode("utf-8"))
            buffer.clear()
            length = 0
    sink.write("".join(buffer).encode("utf-8"))


def gexf_chunks(
    network: Network,
    *,
    creator: str = CREATOR,
    description: str | None = None,
    date: dt.date | None = None,
) -> Iterator[str]:
    """Yield the GEXF 1.3 document of a network as text pieces (see :func:`write_gexf`)."""
    day = (date or dt.date.today()).isoformat()
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" version="1.3">\n'
    yield f'  <meta lastmodifieddate="{day}">\n'
    yield f"    <creator>{attr(creator)}</creator>\n"
    yield f"    <keywords>{attr(network.name)}</keywords>\n"
    yield f"    <description>{attr(description or network.full_description)}</description>\n"
    yield "  </meta>\n"
    edge_type = "directed" if network.directed else "undirected"
    dynamic = ' mode="dynamic" timeformat="date"' if network.dynamic else ""
    yield f'  <graph defaultedgetype="{edge_type}" idtype="string"{dynamic}>\n'
    node_attributes = (Attribute("kind", "kind", AttributeType.STRING), *network.node_attributes)
    edge_attributes = (Attribute("relation", "relation", AttributeType.STRING), *network.edge_attributes)
    yield from _declarations("node", node_attributes)
    yield from _declarations("edge", edge_attributes)
    counts = degrees(network)
    yield f'    <nodes count="{len(network.nodes)}">\n'
    node_values = _values_writer(network.node_attributes)
    colours: dict[tuple[int, int, int], str] = {}
    for node in network.nodes:
        rgb = node.colour or colour(node.kind)
        viz = colours.get(rgb)
        if viz is None:
            viz = colours[rgb] = '<viz:color r="{}" g="{}" b="{}"/>'.format(*rgb)
        position = "" if node.x is None or node.y is None else f'<viz:position x="{node.x!r}" y="{node.y!r}"/>'
        shown = node.size if node.size is not None else size(counts[node.id])
        yield (
            f'      <node id="{attr(node.id)}" label="{attr(node.label)}"><attvalues>'
            f'<attvalue for="kind" value="{attr(node.kind)}"/>{node_values(node.values)}</attvalues>'
            f'{_spells(node.spells)}{viz}<viz:size value="{shown!r}"/>{position}</node>\n'
        )
    yield "    </nodes>\n"
    yield f'    <edges count="{len(network.edges)}">\n'
    edge_values = _values_writer(network.edge_attributes)
    for number, edge in enumerate(network.edges):
        relation = attr(edge.relation)
        yield (
            f'      <edge id="{number}" source="{attr(edge.source)}" target="{attr(edge.target)}" '
            f'label="{relation}" weight="{edge.weight!r}"><attvalues>'
            f'<attvalue for="relation" value="{relation}"/>{edge_values(edge.values)}</attvalues>'
            f"{_spells(edge.spells)}</edge>\n"
        )
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _spells(spells: tuple[Spell, ...]) -> str:
    if not spells:
        return ""
    parts = []
    for spell in spells:
        start = f' start="{attr(spell.start)}"' if spell.start else ""
        end = f' end="{attr(spell.end)}"' if spell.end else ""
        parts.append(f"<spell{start}{end}/>")
    return "<spells>" + "".join(parts) + "</spells>"


def _declarations(cls: str, attributes: tuple[Attribute, ...]) -> Iterator[str]:
    yield f'    <attributes class="{cls}">\n'
    for attribute in attributes:
        yield (
            f'      <attribute id="{attr(attribute.key)}" title="{attr(attribute.title)}" '
            f'type="{attribute.type.value}"/>\n'
        )
    yield "    </attributes>\n"


def _values_writer(attributes: tuple[Attribute, ...]) -> Callable[[Mapping[str, Value]], str]:
    keys = tuple((attribute.key, attr(attribute.key)) for attribute in attributes)

    def write(values: Mapping[str, Value]) -> str:
        parts = []
        for key, escaped in keys:
            value = values.get(key)
            if value is None or value == ():
                continue
            parts.append(f'<attvalue for="{escaped}" value="{attr(format_value(value))}"/>')
        return "".join(parts)

    return write
