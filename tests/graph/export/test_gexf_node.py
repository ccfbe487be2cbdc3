"""A GEXF consumer no one here wrote reads every view: graphology-gexf, the parser of Gephi Lite, under Node.

``tests/node`` pins graphology and graphology-gexf (``package-lock.json``); ``npm ci`` installs them
there the first time. Without Node the test skips, except in CI (``$CI`` set), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ris3kg.graph.export.formats import ExportFormat, to_bytes
from ris3kg.graph.export.network import Network
from ris3kg.graph.export.options import ColourBy, Timeline, ViewOptions
from ris3kg.graph.export.views import ViewFilter, build_view, draw_view, view_names
from ris3kg.graph.store.oxigraph import OxigraphStore

from conftest import TESTS

NODE_DIR = TESTS / "node"
ID = "https://w3id.org/ris3kg/id/"


@pytest.fixture(scope="module")
def node_tools() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        message = "node and npm are needed to run graphology-gexf (apt-get install nodejs npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not (NODE_DIR / "node_modules" / "graphology-gexf").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, capture_output=True)
    return node, npm


def parse(node: str, paths: list[Path]) -> dict[str, dict[str, object]]:
    done = subprocess.run(
        [node, str(NODE_DIR / "parse_gexf.mjs"), *map(str, paths)], check=True, capture_output=True, text=True
    )
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def parse_networks(node: str, networks: dict[str, Network], folder: Path) -> dict[str, dict[str, object]]:
    """Write each network as GEXF into ``folder`` and return what graphology read from each, by name."""
    paths = {}
    for name, network in networks.items():
        paths[name] = folder / f"{name}.gexf"
        paths[name].write_bytes(to_bytes(network, ExportFormat.GEXF))
    parsed = parse(node, list(paths.values()))
    return {name: parsed[str(path)] for name, path in paths.items()}


def test_graphology_reads_every_view_with_the_same_counts(
    node_tools: tuple[str, str], store: OxigraphStore, tmp_path: Path
) -> None:
    networks = {name: build_view(store, name) for name in view_names()}
    networks["region-areas-sv"] = build_view(store, "region-areas", view_filter=ViewFilter(language="sv"))
    parsed = parse_networks(node_tools[0], networks, tmp_path)
    for name, network in networks.items():
        graph = parsed[name]
        assert (graph["order"], graph["size"]) == (len(network.nodes), len(network.edges)), name
        assert graph["type"] == ("directed" if network.directed else "undirected"), name
    area = parsed["region-areas"]["nodes"][ID + "blekinge/area-tech"]  # type: ignore[index]
    assert area["theme"] == ["digitalisation", "smart-cities"]
    assert area["strategy"] == ["blekinge"]
    assert area["kind"] == "smart specialisation area"
    assert (
        area["degree"]
        == networks["region-areas"]
        .nodes[[n.id for n in networks["region-areas"].nodes].index(ID + "blekinge/area-tech")]
        .values["degree"]
    )
    assert area["color"] == "rgb(255,127,14)"
    swedish = parsed["region-areas-sv"]["nodes"]["http://data.europa.eu/nuts/code/SE221"]  # type: ignore[index]
    assert swedish["label"] == "Blekinge län"


def test_graphology_reads_the_drawing_of_every_view_and_a_dynamic_one(
    node_tools: tuple[str, str], store: OxigraphStore, tmp_path: Path
) -> None:
    networks = {name: draw_view(store, name) for name in view_names()}
    networks["timeline"] = draw_view(
        store, "region-areas", options=ViewOptions(timeline=Timeline.PERIOD, colour=ColourBy.COMMUNITY)
    )
    parsed = parse_networks(node_tools[0], networks, tmp_path)
    for name, network in networks.items():
        graph = parsed[name]
        assert (graph["order"], graph["size"]) == (len(network.nodes), len(network.edges)), name
        read = graph["nodes"]
        for node in network.nodes:
            attributes = read[node.id]  # type: ignore[index]
            assert (attributes["x"], attributes["y"]) == (node.x, node.y), (name, node.id)
            assert attributes["size"] == node.size
            assert attributes["color"] == "rgb({},{},{})".format(*node.colour), (name, node.id)  # type: ignore[str-format]
            assert attributes["community"] == node.values["community"]
            assert attributes["colour_group"] == node.values["colour_group"]
