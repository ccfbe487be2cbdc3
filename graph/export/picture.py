"""A picture of a drawn network: its positions, colours, sizes and legend, as Gephi would show them.

Needs the ``picture`` extra (matplotlib). :func:`render_png` draws a network that
:func:`~ris3kg.graph.export.drawing.draw` has laid out; :func:`read_gexf` reads the drawing back
from a GEXF file, so that a picture shows exactly what the file holds
(``ris3kg picture region-areas -o docs/views/region-areas.png``).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

from ris3kg.graph.export.drawing import hex_colour
from ris3kg.graph.export.gexf import GEXF_NS, VIZ_NS
from ris3kg.graph.export.network import Edge, LegendEntry, Network, Node, colour, size


class PictureUnavailableError(RuntimeError):
    """matplotlib is not installed."""


def read_gexf(source: Path | BinaryIO, *, name: str = "network") -> Network:
    """Read the nodes (label, kind, position, colour, size), edges and description of a GEXF 1.3 file.

    Only what a picture needs is read, from a file ris3kg wrote (the CLI's own export, not a
    client's upload: the standard library's parser is enough); the legend is rebuilt from the ``colour_group`` attribute
    (the kind when there is none) and the node colours.
    """
    root = ElementTree.parse(str(source) if isinstance(source, Path) else source).getroot()
    g, viz = f"{{{GEXF_NS}}}", f"{{{VIZ_NS}}}"
    description = root.findtext(f"{g}meta/{g}description") or ""
    graph = root.find(f"{g}graph")
    assert graph is not None
    nodes = []
    groups: dict[tuple[str, tuple[int, int, int]], int] = {}
    for element in graph.iter(f"{g}node"):
        values = {
            value.get("for", ""): value.get("value", "") for value in element.iter(f"{g}attvalue") if value.get("for")
        }
        kind = values.get("kind", "")
        rgb_element, position, shown = (
            element.find(f"{viz}color"),
            element.find(f"{viz}position"),
            element.find(f"{viz}size"),
        )
        rgb = (
            (int(rgb_element.get("r", 0)), int(rgb_element.get("g", 0)), int(rgb_element.get("b", 0)))
            if rgb_element is not None
            else colour(kind)
        )
        group = values.get("colour_group") or kind
        groups[(group, rgb)] = groups.get((group, rgb), 0) + 1
        nodes.append(
            Node(
                element.get("id", ""),
                element.get("label", ""),
                kind,
                {"colour_group": group},
                x=float(position.get("x", 0)) if position is not None else None,
                y=float(position.get("y", 0)) if position is not None else None,
                size=float(shown.get("value", 10)) if shown is not None else None,
                colour=rgb,
            )
        )
    edges = tuple(
        Edge(
            element.get("source", ""),
            element.get("target", ""),
            element.get("label", ""),
            float(element.get("weight", 1)),
        )
        for element in graph.iter(f"{g}edge")
    )
    legend = tuple(
        LegendEntry(rgb, group, count) for (group, rgb), count in sorted(groups.items(), key=lambda item: -item[1])
    )
    return Network(name, description, graph.get("defaultedgetype") == "directed", tuple(nodes), edges, legend=legend)


def render_png(network: Network, path: Path, *, title: str | None = None, labels: int = 25) -> None:
    """Draw a laid-out network to a PNG file: edges, nodes in their colours and sizes, labels, legend.

    Args:
        network: The network, drawn (positions set); a node without a position is not drawn.
        path: The PNG file to write.
        title: A title above the drawing (the network's name by default).
        labels: How many of the largest nodes get their label drawn.

    Raises:
        PictureUnavailableError: matplotlib is not installed.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.collections import LineCollection
        from matplotlib.lines import Line2D
    except ImportError as exc:
        raise PictureUnavailableError("drawing needs matplotlib: pip install 'ris3kg[picture]'") from exc
    placed = {node.id: (node.x, node.y) for node in network.nodes if node.x is not None and node.y is not None}
    figure, axes = plt.subplots(figsize=(12, 9), dpi=110)
    axes.set_axis_off()
    segments = [
        (placed[e.source], placed[e.target]) for e in network.edges if e.source in placed and e.target in placed
    ]
    axes.add_collection(LineCollection(segments, linewidths=0.5, colors="#999999", alpha=0.5, zorder=1))
    shown = [node for node in network.nodes if node.id in placed]
    axes.scatter(
        [placed[node.id][0] for node in shown],
        [placed[node.id][1] for node in shown],
        s=[(node.size if node.size is not None else size(0)) ** 2 * 0.6 for node in shown],
        c=[hex_colour(node.colour or colour(node.kind)) for node in shown],
        linewidths=0.5,
        edgecolors="white",
        zorder=2,
    )
    for node in sorted(shown, key=lambda node: node.size or 0.0, reverse=True)[:labels]:
        axes.annotate(node.label[:40], placed[node.id], fontsize=7, ha="center", va="bottom", zorder=3)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=hex_colour(entry.colour), label=f"{entry.label} ({entry.count})")
        for entry in network.legend[:12]
    ]
    if handles:
        axes.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    axes.autoscale()
    axes.set_aspect("equal")
    axes.set_title(title or network.name)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
