"""Graph algorithms for drawing a network, from igraph: the layout, communities and betweenness.

igraph's C core lays out 100,000 nodes and 400,000 edges in about 9 s on one core (its
Fruchterman-Reingold layout on a grid, 500 iterations), where the ForceAtlas2 of networkx
(a dense n × n computation) or of ``fa2`` (Barnes-Hut, about 3 s an iteration at that size) take
minutes; ``tests/benchmarks/bench_export.py`` prints the times.

Every function is deterministic: igraph draws its random numbers from a :class:`random.Random`
seeded with ``seed`` for each call. Every igraph call holds one lock: igraph's generator is global to
the process, and its C core is not safe across threads (the web app draws in its export worker
processes, one job at a time, but the functions stay safe wherever they run).
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import igraph as ig

from ris3kg.graph.export.network import Network

SEED = 7
"""The default random seed of the layout and the community detection."""

ITERATIONS = 500
"""The layout's iterations (igraph's default)."""

BETWEENNESS_EXACT_MAX = 5_000
"""Up to this many nodes betweenness is exact; above it, estimated from a sample of source nodes."""

BETWEENNESS_SAMPLE = 256
"""How many source nodes the estimate of betweenness starts its shortest paths from."""

_IGRAPH_LOCK = threading.Lock()


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Run igraph with its random numbers drawn from a generator seeded with ``seed``."""
    with _IGRAPH_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


@dataclass(frozen=True)
class Skeleton:
    """A network as an undirected simple igraph graph: parallel edges merged (weights summed), no loops.

    Attributes:
        graph: The igraph graph; vertex ``i`` is ``ids[i]``; edge weights in its ``weight`` attribute.
        ids: The node ids, in the network's order.
    """

    graph: ig.Graph
    ids: tuple[str, ...]


def skeleton(network: Network) -> Skeleton:
    """Return the undirected simple graph that the layout and the measures work on."""
    ids = tuple(node.id for node in network.nodes)
    index = {node_id: number for number, node_id in enumerate(ids)}
    weights: dict[tuple[int, int], float] = {}
    for edge in network.edges:
        a, b = index.get(edge.source), index.get(edge.target)
        if a is None or b is None or a == b:
            continue
        pair = (a, b) if a < b else (b, a)
        weight = edge.weight if math.isfinite(edge.weight) and edge.weight > 0 else 0.0  # igraph aborts on inf
        weights[pair] = weights.get(pair, 0.0) + weight
    with _IGRAPH_LOCK:
        graph = ig.Graph(n=len(ids), edges=list(weights), directed=False)
        graph.es["weight"] = list(weights.values())
    return Skeleton(graph, ids)


def positions(shape: Skeleton, *, seed: int = SEED, iterations: int = ITERATIONS) -> Mapping[str, tuple[float, float]]:
    """Lay the network out (Fruchterman-Reingold, weighted; on a grid from 1,000 nodes) and return x, y by id.

    Weights are scaled to a mean of 1, so that a view weighted by counts is not pulled into a
    point. The drawing is scaled so that its nodes sit about 30 × √n units from the centre on
    average, which suits node sizes of 5 to 40 in Gephi.

    Args:
        shape: The network's :class:`Skeleton`.
        seed: The random seed (the same seed gives the same layout).
        iterations: How many iterations the layout runs.
    """
    count = len(shape.ids)
    if count == 0:
        return {}
    if count == 1:
        return {shape.ids[0]: (0.0, 0.0)}
    graph = shape.graph
    weights = graph.es["weight"] if graph.ecount() else None
    if weights:
        mean = sum(weights) / len(weights) or 1.0
        weights = [max(weight / mean, 0.05) for weight in weights]
    with _seeded(seed):
        layout = graph.layout_fruchterman_reingold(weights=weights, niter=iterations, grid="auto")
    coords = layout.coords
    cx = sum(point[0] for point in coords) / count
    cy = sum(point[1] for point in coords) / count
    spread = math.sqrt(sum((p[0] - cx) ** 2 + (p[1] - cy) ** 2 for p in coords) / count) or 1.0
    scale = 30.0 * math.sqrt(count) / spread
    return {
        node_id: (round((point[0] - cx) * scale, 2), round((point[1] - cy) * scale, 2))
        for node_id, point in zip(shape.ids, coords, strict=True)
    }


def communities(shape: Skeleton, *, seed: int = SEED) -> Mapping[str, int]:
    """Return each node's community (Louvain, weighted), numbered from 1 by size, largest first.

    A node without edges is a community of its own.
    """
    if not shape.ids:
        return {}
    graph = shape.graph
    with _seeded(seed):
        clustering = graph.community_multilevel(weights="weight" if graph.ecount() else None)
    membership = clustering.membership
    sizes: dict[int, int] = {}
    for member in membership:
        sizes[member] = sizes.get(member, 0) + 1
    first_seen: dict[int, int] = {}
    for position, member in enumerate(membership):
        first_seen.setdefault(member, position)
    order = sorted(sizes, key=lambda member: (-sizes[member], first_seen[member]))
    number = {member: rank for rank, member in enumerate(order, start=1)}
    return {node_id: number[member] for node_id, member in zip(shape.ids, membership, strict=True)}


def betweenness(shape: Skeleton, *, seed: int = SEED) -> tuple[Mapping[str, float], str]:
    """Return each node's betweenness centrality, normalised to 0–1, and how it was computed.

    Exact up to :data:`BETWEENNESS_EXACT_MAX` nodes; above, the shortest paths from a random sample
    of :data:`BETWEENNESS_SAMPLE` sources, scaled up to the whole (an estimate).
    """
    count = len(shape.ids)
    if count < 3:
        return {node_id: 0.0 for node_id in shape.ids}, "exact"
    graph = shape.graph
    with _IGRAPH_LOCK:
        if count <= BETWEENNESS_EXACT_MAX:
            values = graph.betweenness(directed=False)
            how = "exact"
        else:
            sources = sorted(random.Random(seed).sample(range(count), BETWEENNESS_SAMPLE))
            found = graph.betweenness(directed=False, sources=sources)
            values = [value * count / BETWEENNESS_SAMPLE for value in found]
            how = f"estimated from the shortest paths of {BETWEENNESS_SAMPLE} sampled nodes"
    pairs = (count - 1) * (count - 2) / 2
    return {node_id: round(value / pairs, 6) for node_id, value in zip(shape.ids, values, strict=True)}, how
