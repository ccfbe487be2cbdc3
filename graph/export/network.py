"""A network to export: nodes and edges with typed attributes, and how they are drawn.

A node may carry its drawing (position, size, colour) and its time intervals (spells); a network
its legend and notes on how it was drawn (:mod:`ris3kg.graph.export.drawing` sets them). A node
without a drawing is coloured by kind (:data:`PALETTE`) and sized by degree.

Views (:mod:`ris3kg.graph.export.views`) and user queries (:mod:`ris3kg.graph.export.from_query`) produce a
:class:`Network`; the writers (:mod:`ris3kg.graph.export.gexf`, :mod:`ris3kg.graph.export.tabular`) serialize it.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType


class AttributeType(Enum):
    """The value type of an attribute, named as GEXF 1.3 names it."""

    STRING = "string"
    INTEGER = "integer"
    DOUBLE = "double"
    LIST_STRING = "liststring"


Value = str | int | float | tuple[str, ...]
"""An attribute value: a scalar, or a tuple of strings for a list-valued attribute."""


@dataclass(frozen=True)
class Attribute:
    """A declared node or edge attribute.

    Attributes:
        key: Its identifier (the GEXF attribute id, the GraphML key, the CSV column).
        title: Its human-readable name.
        type: Its value type.
    """

    key: str
    title: str
    type: AttributeType


@dataclass(frozen=True)
class Spell:
    """A time interval in which a node or edge exists, as ISO dates; ``None`` is open.

    Attributes:
        start: The first day (``2021-01-01``), or ``None``: since always.
        end: The last day (``2027-12-31``), or ``None``: still.
    """

    start: str | None
    end: str | None


@dataclass(frozen=True)
class LegendEntry:
    """One colour of a drawing and what it stands for.

    Attributes:
        colour: The RGB colour.
        label: The value (or values) of the colouring attribute it stands for.
        count: How many nodes have it.
    """

    colour: tuple[int, int, int]
    label: str
    count: int


@dataclass(frozen=True)
class Node:
    """A node of a network.

    Attributes:
        id: Its identifier (an IRI for graph nodes).
        label: Its label in the requested language.
        kind: What it is (``region``, ``theme``, ``university``, ...): the colour key.
        values: Its attribute values, by attribute key; a missing key means no value.
        x: Its horizontal position (``None``: not laid out).
        y: Its vertical position.
        size: Its display size (``None``: by degree).
        colour: Its RGB colour (``None``: by kind).
        spells: When it exists (empty: always).
    """

    id: str
    label: str
    kind: str
    values: Mapping[str, Value] = field(default_factory=dict)
    x: float | None = None
    y: float | None = None
    size: float | None = None
    colour: tuple[int, int, int] | None = None
    spells: tuple[Spell, ...] = ()


@dataclass(frozen=True)
class Edge:
    """An edge of a network.

    Attributes:
        source: The source node's id.
        target: The target node's id.
        relation: What links them (a property name, ``sharesTheme``, ...).
        weight: Its weight (1 unless the view says how strong the link is).
        values: Further attribute values, by attribute key.
        spells: When it exists (empty: always).
    """

    source: str
    target: str
    relation: str
    weight: float = 1.0
    values: Mapping[str, Value] = field(default_factory=dict)
    spells: tuple[Spell, ...] = ()


@dataclass(frozen=True)
class Network:
    """A graph ready to export.

    Attributes:
        name: A short name (the view's name).
        description: What the network shows (written into the files' metadata).
        directed: Whether edges are directed.
        nodes: The nodes, each id once.
        edges: The edges; every endpoint is a node.
        node_attributes: The declared node attributes (besides label and kind, always present).
        edge_attributes: The declared edge attributes (besides relation and weight, always present).
        legend: What each node colour stands for (empty: coloured by kind, see :data:`PALETTE`).
        notes: How it was drawn and filtered (layout, colours, sizes, backbone, timeline), one
            sentence each, written into the files' metadata after the description.
    """

    name: str
    description: str
    directed: bool
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    node_attributes: tuple[Attribute, ...] = ()
    edge_attributes: tuple[Attribute, ...] = ()
    legend: tuple[LegendEntry, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def dynamic(self) -> bool:
        """Whether any node or edge has a time interval (the GEXF is then dynamic)."""
        return any(node.spells for node in self.nodes) or any(edge.spells for edge in self.edges)

    @property
    def full_description(self) -> str:
        """The description followed by the notes on how the network was drawn (the files' metadata)."""
        return " ".join((self.description, *self.notes))


DEGREE = Attribute("degree", "degree", AttributeType.INTEGER)

PALETTE: Mapping[str, tuple[int, int, int]] = MappingProxyType(
    {
        "region": (31, 119, 180),
        "smart specialisation area": (255, 127, 14),
        "sub-area": (255, 187, 120),
        "priority": (227, 119, 194),
        "strategic opportunity": (247, 182, 210),
        "goal": (188, 189, 34),
        "theme": (44, 160, 44),
        "bottleneck": (214, 39, 40),
        "challenge": (255, 152, 150),
        "action": (148, 103, 189),
        "initiative": (197, 176, 213),
        "step": (140, 86, 75),
        "university": (23, 190, 207),
        "research institute": (158, 218, 229),
        "company": (127, 127, 127),
        "public body": (57, 59, 121),
        "international organisation": (82, 84, 163),
        "civil-society organisation": (206, 109, 189),
        "person": (219, 219, 141),
        "method": (173, 73, 74),
        "vision": (231, 150, 156),
        "cluster": (231, 186, 82),
        "network": (189, 158, 57),
        "cluster organisation": (140, 109, 49),
        "governance body": (107, 110, 207),
        "project": (99, 121, 57),
        "resource": (120, 120, 120),
    }
)
"""A fixed colour per kind, shared by every writer and the README picture."""

_FALLBACK = (
    (141, 211, 199),
    (190, 186, 218),
    (251, 128, 114),
    (128, 177, 211),
    (253, 180, 98),
    (179, 222, 105),
    (252, 205, 229),
    (188, 128, 189),
)


def colour(kind: str) -> tuple[int, int, int]:
    """Return the RGB colour of a kind: from :data:`PALETTE`, else a stable pick from a fallback set."""
    known = PALETTE.get(kind)
    if known is not None:
        return known
    digest = hashlib.blake2b(kind.encode("utf-8"), digest_size=2).digest()
    return _FALLBACK[int.from_bytes(digest, "big") % len(_FALLBACK)]


def size(degree: int) -> float:
    """Return the display size of a node with this degree (grows with the square root of the degree)."""
    return round(5.0 + 4.0 * math.sqrt(degree), 2)


def degrees(network: Network) -> Counter[str]:
    """Count the edges at each node (both ends; a self-loop counts twice)."""
    counts: Counter[str] = Counter()
    counts.update(edge.source for edge in network.edges)
    counts.update(edge.target for edge in network.edges)
    return counts


def with_degrees(network: Network) -> Network:
    """Return the network with each node's ``degree`` attribute set from its edges."""
    counts = degrees(network)
    nodes = tuple(replace(node, values={**node.values, DEGREE.key: counts[node.id]}) for node in network.nodes)
    attributes = network.node_attributes
    if DEGREE not in attributes:
        attributes = (*attributes, DEGREE)
    return replace(network, nodes=nodes, node_attributes=attributes)


def restrict(network: Network, *, attribute: str, allowed: Iterable[str]) -> Network:
    """Keep the nodes whose list attribute meets ``allowed``, with their neighbours that lack the attribute.

    A node matches when one of its ``attribute`` values is in ``allowed``. A node without any
    value for the attribute (a theme has no strategy, say) stays when it is linked to a matching
    node. Edges stay when both ends stay.

    Args:
        network: The network.
        attribute: The key of a list-valued node attribute (``strategy``, ``region``, ``theme``).
        allowed: The values to keep.

    Returns:
        The smaller network.
    """
    wanted = set(allowed)
    matching = {node.id for node in network.nodes if wanted.intersection(as_tuple(node.values.get(attribute)))}
    neutral = {node.id for node in network.nodes if not as_tuple(node.values.get(attribute))}
    keep = set(matching)
    for edge in network.edges:
        if edge.source in matching and edge.target in neutral:
            keep.add(edge.target)
        elif edge.target in matching and edge.source in neutral:
            keep.add(edge.source)
    return replace(
        network,
        nodes=tuple(node for node in network.nodes if node.id in keep),
        edges=tuple(edge for edge in network.edges if edge.source in keep and edge.target in keep),
    )


def as_tuple(value: Value | None) -> tuple[str, ...]:
    """Return an attribute value as a tuple of strings: a list as it is, a scalar as one item, none as ()."""
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    return (str(value),)
