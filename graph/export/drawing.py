"""Drawing a view so that it opens ready to read: backbone, isolated nodes, communities, sizes, colours, layout, time.

:func:`draw` takes a view's network and :class:`~ris3kg.graph.export.options.ViewOptions` and
returns the network with every node positioned, sized and coloured, a ``community`` attribute,
a ``colour_group`` attribute (the legend entry of its colour), the legend, and notes saying how
it was drawn (written into the files' description). The algorithms are igraph's
(:mod:`ris3kg.graph.export.layout`); the palette is Paul Tol's "muted" scheme, distinct for the
common forms of colour blindness, with greys for "other" and "none".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, replace
from typing import Any

from ris3kg.graph.export.layout import SEED, Skeleton, betweenness, communities, positions, skeleton
from ris3kg.graph.export.network import (
    Attribute,
    AttributeType,
    Edge,
    LegendEntry,
    Network,
    Spell,
    Value,
    as_tuple,
    with_degrees,
)
from ris3kg.graph.export.options import (
    DEFAULT_ALPHA,
    Backbone,
    ColourBy,
    Isolated,
    OptionError,
    SizeBy,
    Timeline,
    ViewOptions,
)

COLOUR_BLIND_SAFE: tuple[tuple[int, int, int], ...] = (
    (51, 34, 136),  # indigo
    (136, 204, 238),  # cyan
    (68, 170, 153),  # teal
    (17, 119, 51),  # green
    (153, 153, 51),  # olive
    (221, 204, 119),  # sand
    (204, 102, 119),  # rose
    (136, 34, 85),  # wine
    (170, 68, 153),  # purple
)
"""Paul Tol's "muted" qualitative scheme (https://personal.sron.nl/~pault/): nine colours told apart
with deuteranopia, protanopia and tritanopia."""

OTHER_COLOUR = (119, 119, 119)
"""The colour of the values beyond the palette's nine (grouped as "other")."""

NONE_COLOUR = (221, 221, 221)
"""The colour of nodes without a value of the colouring attribute."""

MIN_SIZE = 5.0
MAX_SIZE = 40.0

COMMUNITY = Attribute("community", "community", AttributeType.INTEGER)
COLOUR_GROUP = Attribute("colour_group", "colour group", AttributeType.STRING)
WEIGHTED_DEGREE = Attribute("weighted_degree", "weighted degree", AttributeType.DOUBLE)
BETWEENNESS = Attribute("betweenness", "betweenness", AttributeType.DOUBLE)
ORGANISATIONS = Attribute("organisations", "organisations", AttributeType.INTEGER)

LayoutCache = MutableMapping[object, Any]
"""What a worker keeps per store generation: positions by a key that names the network (generation,
view, filter, backbone, isolated nodes), and the store reads every view needs (passages, countries)."""


class DrawingError(OptionError):
    """An option does not apply to this view; the message says which views it applies to."""


@dataclass(frozen=True)
class ViewDefaults:
    """What a view does when an option is not given.

    Attributes:
        isolated: Keep or drop nodes without edges.
        backbone: The backbone of a weighted view (``None``: the view is not weighted by similarity,
            ``backbone=`` does not apply).
        alpha: The disparity filter's significance level.
    """

    isolated: Isolated = Isolated.KEEP
    backbone: Backbone | None = None
    alpha: float = DEFAULT_ALPHA


@dataclass(frozen=True)
class DrawingData:
    """What the drawing reads from the store besides the network.

    Attributes:
        organisations: For ``size=organisations``: how many organisations the graph links to each node.
        intervals: For a timeline: each strategy's (dataset part key's) time intervals.
    """

    organisations: Mapping[str, int] | None = None
    intervals: Mapping[str, tuple[Spell, ...]] | None = None


def draw(
    network: Network,
    options: ViewOptions,
    *,
    defaults: ViewDefaults,
    data: DrawingData | None = None,
    layout_cache: LayoutCache | None = None,
    layout_key: object = None,
) -> Network:
    """Draw a network as the options ask (see the module docstring).

    Args:
        network: The view's network (degrees set or not).
        options: How to draw it.
        defaults: The view's defaults for the options not given.
        data: What the options need from the store (organisations, intervals).
        layout_cache: Positions already computed, by key; a new layout is stored in it.
        layout_key: The key of this network's layout (``None``: do not cache).

    Returns:
        The drawn network, with degrees set.

    Raises:
        DrawingError: ``backbone=disparity`` on a view not weighted by similarity.
    """
    extra = data or DrawingData()
    notes: list[str] = []
    backbone = options.backbone or defaults.backbone
    if options.backbone is Backbone.DISPARITY and defaults.backbone is None:
        raise DrawingError(
            "backbone=disparity applies to the views weighted by similarity (region-similarity, partners); "
            "leave it out for this view"
        )
    if backbone is Backbone.DISPARITY:
        before = len(network.edges)
        alpha = options.alpha or defaults.alpha
        network = disparity_filter(network, alpha=alpha)
        notes.append(
            f"Backbone: the disparity filter at alpha {alpha:g} kept {len(network.edges)} of {before} "
            "edges (an edge stays when its weight is significant for at least one of its ends; the weight "
            "attribute is the edge's strength)."
        )
    elif defaults.backbone is not None:
        notes.append("Backbone: none, every edge is kept.")
    isolated = options.isolated or defaults.isolated
    if isolated is Isolated.DROP:
        linked = {edge.source for edge in network.edges} | {edge.target for edge in network.edges}
        dropped = sum(1 for node in network.nodes if node.id not in linked)
        network = replace(network, nodes=tuple(node for node in network.nodes if node.id in linked))
        notes.append(f"Isolated nodes: {dropped} without edges dropped (isolated=keep keeps them).")
    else:
        notes.append("Isolated nodes: kept (isolated=drop drops them).")
    network = with_degrees(network)
    shape = skeleton(network)
    community = communities(shape)
    notes.append(
        f"Communities: Louvain (igraph, seed {SEED}), {len(set(community.values()))} communities, numbered from 1 "
        "by size, in the community attribute."
    )
    measure, size_note, size_attribute = _measure(network, shape, options.size, extra)
    notes.append(size_note)
    groups = _groups(network, options.colour, community)
    legend, colours, legend_note = _legend(groups, options.colour)
    notes.append(legend_note)
    placed = layout_cache.get(layout_key) if layout_cache is not None and layout_key is not None else None
    if placed is None or len(placed) != len(network.nodes):
        placed = positions(shape)
        if layout_cache is not None and layout_key is not None:
            layout_cache[layout_key] = placed
    notes.append(
        f"Layout: Fruchterman-Reingold (igraph, weighted, seed {SEED}); sizes and colours are in viz:size and "
        "viz:color."
    )
    spells: Mapping[str, tuple[Spell, ...]] = {}
    if options.timeline is not Timeline.NONE:
        spells, time_note = _spells(network, options.timeline, extra.intervals or {})
        notes.append(time_note)
    top = max(measure.values(), default=0.0)
    nodes = []
    for node in network.nodes:
        values: dict[str, Value] = {**node.values, COMMUNITY.key: community[node.id], COLOUR_GROUP.key: groups[node.id]}
        if size_attribute is not None:
            values[size_attribute.key] = measure[node.id]
        x, y = placed.get(node.id, (0.0, 0.0))
        nodes.append(
            replace(
                node,
                values=values,
                x=x,
                y=y,
                size=_size(measure[node.id], top),
                colour=colours[groups[node.id]],
                spells=spells.get(node.id, ()),
            )
        )
    edges = network.edges
    if spells:
        timed = [(edge, _edge_spells(spells, edge)) for edge in edges]
        edges = tuple(replace(edge, spells=found) for edge, found in timed if found is not None)
        if len(edges) < len(timed):
            notes.append(f"{len(timed) - len(edges)} edges whose ends never exist at the same time are left out.")
    attributes = [attribute for attribute in network.node_attributes if attribute not in (COMMUNITY, COLOUR_GROUP)]
    attributes += [COMMUNITY, COLOUR_GROUP]
    if size_attribute is not None and size_attribute not in attributes:
        attributes.append(size_attribute)
    return replace(
        network,
        nodes=tuple(nodes),
        edges=edges,
        node_attributes=tuple(attributes),
        legend=legend,
        notes=(*network.notes, *notes),
    )


def disparity_filter(network: Network, *, alpha: float) -> Network:
    """Keep the edges whose weight is significant at level ``alpha`` for at least one of their ends.

    The disparity filter (Serrano, Boguñá and Vespignani, PNAS 2009): at a node with ``k`` edges
    and strength ``s``, an edge of weight ``w`` has the p-value ``(1 - w / s) ** (k - 1)``; it is
    significant when that is below ``alpha``. A node with one edge says nothing about it, so such
    an edge is judged at its other end only. Edges are taken as undirected.
    """
    strength: dict[str, float] = {}
    edge_count: Counter[str] = Counter()
    for edge in network.edges:
        for end in (edge.source, edge.target):
            strength[end] = strength.get(end, 0.0) + edge.weight
            edge_count[end] += 1

    def significant(end: str, weight: float) -> bool:
        k = edge_count[end]
        if k <= 1 or strength.get(end, 0.0) <= 0:
            return False
        return (1.0 - weight / strength[end]) ** (k - 1) < alpha

    kept = tuple(
        edge for edge in network.edges if significant(edge.source, edge.weight) or significant(edge.target, edge.weight)
    )
    return replace(network, edges=kept)


def _measure(
    network: Network, shape: Skeleton, size_by: SizeBy, data: DrawingData
) -> tuple[Mapping[str, float], str, Attribute | None]:
    """The measure the sizes follow, the note that says so, and its attribute (``None``: degree, already there)."""
    if size_by is SizeBy.WEIGHTED_DEGREE:
        strength: dict[str, float] = {}
        for edge in network.edges:
            strength[edge.source] = strength.get(edge.source, 0.0) + edge.weight
            strength[edge.target] = strength.get(edge.target, 0.0) + edge.weight
        values = {node.id: round(strength.get(node.id, 0.0), 6) for node in network.nodes}
        return values, "Sizes: weighted degree (the sum of the node's edge weights).", WEIGHTED_DEGREE
    if size_by is SizeBy.BETWEENNESS:
        found, how = betweenness(shape)
        return found, f"Sizes: betweenness centrality, normalised, {how}.", BETWEENNESS
    if size_by is SizeBy.ORGANISATIONS:
        counts = data.organisations or {}
        values = {node.id: float(counts.get(node.id, 0)) for node in network.nodes}
        return (
            values,
            "Sizes: the number of organisations the graph links to the node (located in it, members of "
            "it, taking part in it, ...), in the organisations attribute.",
            ORGANISATIONS,
        )
    values = {node.id: float(node.values.get("degree", 0)) for node in network.nodes}  # type: ignore[arg-type]
    return values, "Sizes: degree (the number of edges).", None


def _size(value: float, top: float) -> float:
    """A display size from 5 to 40, growing with the square root of the measure (all 10 when the measure is 0)."""
    if not math.isfinite(top) or top <= 0:
        return 10.0
    if not math.isfinite(value):
        return MAX_SIZE
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(max(value, 0.0) / top), 2)


NONE_GROUP = "none"


def _groups(network: Network, colour_by: ColourBy, community: Mapping[str, int]) -> Mapping[str, str]:
    """Each node's colour group: its value of the colouring attribute (one value: the most common of its own).

    ``strategy``, ``country``, ``theme`` and ``helix_role`` are the node attributes of those names
    (a view sets ``country`` from its regions, see :func:`~ris3kg.graph.export.views.draw_view`).
    """
    if colour_by is ColourBy.KIND:
        return {node.id: node.kind for node in network.nodes}
    if colour_by is ColourBy.COMMUNITY:
        return {node.id: f"community {community[node.id]}" for node in network.nodes}
    values = {node.id: as_tuple(node.values.get(colour_by.value)) for node in network.nodes}
    frequency = Counter(value for own in values.values() for value in own)
    return {
        node_id: min(own, key=lambda value: (-frequency[value], value)) if own else NONE_GROUP
        for node_id, own in values.items()
    }


def _legend(
    groups: Mapping[str, str], colour_by: ColourBy
) -> tuple[tuple[LegendEntry, ...], Mapping[str, tuple[int, int, int]], str]:
    """Colours for the nine commonest groups, grey for the rest and for none; the legend and its note."""
    counts = Counter(groups.values())
    named = sorted((group for group in counts if group != NONE_GROUP), key=lambda group: (-counts[group], group))
    colours: dict[str, tuple[int, int, int]] = {}
    legend: list[LegendEntry] = []
    for group, rgb in zip(named, COLOUR_BLIND_SAFE, strict=False):
        colours[group] = rgb
        legend.append(LegendEntry(rgb, group, counts[group]))
    rest = named[len(COLOUR_BLIND_SAFE) :]
    for group in rest:
        colours[group] = OTHER_COLOUR
    if rest:
        legend.append(LegendEntry(OTHER_COLOUR, f"other ({len(rest)} values)", sum(counts[group] for group in rest)))
    if NONE_GROUP in counts:
        colours[NONE_GROUP] = NONE_COLOUR
        legend.append(LegendEntry(NONE_COLOUR, NONE_GROUP, counts[NONE_GROUP]))
    entries = "; ".join(f"{hex_colour(entry.colour)} {entry.label} ({entry.count})" for entry in legend)
    several = (
        ""
        if colour_by in (ColourBy.KIND, ColourBy.COMMUNITY)
        else " A node with several values takes the most common of them in this view; the colour_group attribute "
        "names it."
    )
    return tuple(legend), colours, f"Colours by {colour_by.value} (colour-blind-safe palette): {entries}.{several}"


def hex_colour(rgb: tuple[int, int, int]) -> str:
    """Return ``#rrggbb`` for an RGB colour."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _spells(
    network: Network, timeline: Timeline, intervals: Mapping[str, tuple[Spell, ...]]
) -> tuple[Mapping[str, tuple[Spell, ...]], str]:
    """Each node's spells: the union of its strategies' intervals when every one of them has some."""
    found: dict[str, tuple[Spell, ...]] = {}
    for node in network.nodes:
        strategies = as_tuple(node.values.get("strategy"))
        if not strategies or any(not intervals.get(key) for key in strategies):
            continue  # in a strategy without a known time, or in none: always there
        found[node.id] = union([spell for key in strategies for spell in intervals[key]])
    timed = ", ".join(f"{key} {_spells_text(spells)}" for key, spells in sorted(intervals.items()) if spells)
    what = (
        "the programming periods of their strategies (dcterms:temporal)"
        if timeline is Timeline.PERIOD
        else "the day their strategy's current submission version was accepted, onwards"
    )
    note = (
        f"Timeline: nodes and edges live in {what}: {timed or 'no strategy in this view has one'}; "
        "the others are there all the time."
    )
    return found, note


def union(spells: list[Spell]) -> tuple[Spell, ...]:
    """Merge intervals into disjoint ones, in order (Gephi refuses overlapping spells); ``None`` is open."""
    merged: list[Spell] = []
    for spell in sorted(spells, key=lambda s: (s.start is not None, s.start or "")):
        last = merged[-1] if merged else None
        if last is not None and (last.end is None or (spell.start or "") <= last.end):
            end = None if last.end is None or spell.end is None else max(last.end, spell.end)
            merged[-1] = Spell(last.start, end)
        else:
            merged.append(spell)
    return tuple(merged)


def intersection(first: tuple[Spell, ...], second: tuple[Spell, ...]) -> tuple[Spell, ...]:
    """The intervals in which both sets of disjoint intervals hold (empty: never at once)."""
    found: list[Spell] = []
    for a in first:
        for b in second:
            start = a.start if b.start is None else b.start if a.start is None else max(a.start, b.start)
            end = a.end if b.end is None else b.end if a.end is None else min(a.end, b.end)
            if start is None or end is None or start <= end:
                found.append(Spell(start, end))
    return union(found)


def _spells_text(spells: tuple[Spell, ...]) -> str:
    return " and ".join(f"{spell.start or '…'}–{spell.end or '…'}" for spell in spells)


def _edge_spells(spells: Mapping[str, tuple[Spell, ...]], edge: Edge) -> tuple[Spell, ...] | None:
    """An edge lives when both ends do: the intersection of their spells (``None``: they never live at once)."""
    source, target = spells.get(edge.source, ()), spells.get(edge.target, ())
    if source and target:
        return intersection(source, target) or None
    return source or target
