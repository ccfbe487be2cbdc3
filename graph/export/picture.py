"""A picture of a network: a force-directed layout drawn with matplotlib, coloured as in the GEXF.

Needs the ``picture`` extra (matplotlib). Used for the README's illustration
(``ris3kg picture region-areas -o docs/region-areas.png``).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ris3kg.graph.export.network import Network, colour, degrees, size


class PictureUnavailableError(RuntimeError):
    """matplotlib is not installed."""


def render_png(network: Network, path: Path, *, title: str | None = None, seed: int = 7, labels: int = 25) -> None:
    """Lay out a network with networkx's spring layout and draw it to a PNG file.

    Args:
        network: The network.
        path: The PNG file to write.
        title: A title above the drawing (the network's name by default).
        seed: The layout's random seed, so that the picture is reproducible.
        labels: How many of the highest-degree nodes get their label drawn.

    Raises:
        PictureUnavailableError: matplotlib is not installed.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
    except ImportError as exc:
        raise PictureUnavailableError("drawing needs matplotlib: pip install 'ris3kg[picture]'") from exc
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(node.id for node in network.nodes)
    for edge in network.edges:
        graph.add_edge(edge.source, edge.target, weight=edge.weight)
    positions = nx.spring_layout(graph, seed=seed, k=1.5 / max(1, len(network.nodes)) ** 0.5, iterations=200)
    counts = degrees(network)
    figure, axes = plt.subplots(figsize=(12, 9), dpi=110)
    axes.set_axis_off()
    nx.draw_networkx_edges(graph, positions, ax=axes, width=0.5, alpha=0.35, edge_color="#888888")
    ids = [node.id for node in network.nodes]
    nx.draw_networkx_nodes(
        graph,
        positions,
        nodelist=ids,
        ax=axes,
        node_size=[4 * size(counts[node.id]) ** 1.5 for node in network.nodes],
        node_color=["#{:02x}{:02x}{:02x}".format(*colour(node.kind)) for node in network.nodes],
        linewidths=0.5,
        edgecolors="white",
    )
    top = sorted(network.nodes, key=lambda node: counts[node.id], reverse=True)[:labels]
    nx.draw_networkx_labels(graph, positions, labels={node.id: node.label[:40] for node in top}, font_size=7, ax=axes)
    kinds = sorted({node.kind for node in network.nodes})
    handles = [
        Line2D([], [], marker="o", linestyle="", color="#{:02x}{:02x}{:02x}".format(*colour(kind)), label=kind)
        for kind in kinds
    ]
    axes.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    axes.set_title(title or network.name)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
