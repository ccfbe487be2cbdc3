"""The GEXF 1.3 writer: schema-valid for every view, with the declared attributes, colours and sizes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import networkx as nx
import pytest
from lxml import etree

from ris3kg.graph.export.formats import ExportFormat, export_format, to_bytes
from ris3kg.graph.export.gexf import list_value, write_gexf
from ris3kg.graph.export.network import PALETTE, Attribute, AttributeType, Edge, Network, Node, size, with_degrees
from ris3kg.graph.export.views import build_view, view_names
from ris3kg.graph.store.oxigraph import OxigraphStore

from gexf_schema import NS, node_values, schema_errors

ID = "https://w3id.org/ris3kg/id/"


def gexf(network: Network) -> bytes:
    sink = io.BytesIO()
    write_gexf(network, sink, description="test network", date=dt.date(2024, 5, 17))
    return sink.getvalue()


@pytest.fixture(scope="module")
def documents(store: OxigraphStore) -> dict[str, bytes]:
    return {name: to_bytes(build_view(store, name), ExportFormat.GEXF) for name in view_names()}


@pytest.mark.parametrize("name", ["region-areas", "actors", "region-similarity", "bottlenecks"])
def test_every_view_is_valid_against_the_gexf_1_3_relaxng_schema(documents: dict[str, bytes], name: str) -> None:
    assert schema_errors(documents[name]) is None


@pytest.mark.parametrize("name", ["region-areas", "actors", "region-similarity", "bottlenecks"])
def test_every_view_declares_the_node_attributes(documents: dict[str, bytes], name: str) -> None:
    root = etree.fromstring(documents[name])
    declared = {a.get("id"): a.get("type") for a in root.iterfind(".//g:attributes[@class='node']/g:attribute", NS)}
    assert declared == {
        "kind": "string",
        "region": "liststring",
        "strategy": "liststring",
        "helix_role": "liststring",
        "theme": "liststring",
        "degree": "integer",
    }
    edge_declared = {a.get("id") for a in root.iterfind(".//g:attributes[@class='edge']/g:attribute", NS)}
    assert "relation" in edge_declared
    meta = root.find("g:meta", NS)
    assert meta is not None and meta.findtext("g:creator", namespaces=NS) == "ris3kg"
    assert meta.findtext("g:description", namespaces=NS) and meta.get("lastmodifieddate")
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") is None


def test_node_values_colours_and_sizes_as_written(documents: dict[str, bytes]) -> None:
    values = node_values(documents["region-areas"])
    area = values[ID + "blekinge/area-tech"]
    assert area["theme"] == '["digitalisation", "smart-cities"]'
    assert (area["kind"], area["strategy"], area["region"]) == (
        "smart specialisation area",
        '["blekinge"]',
        '["SE221"]',
    )
    root = etree.fromstring(documents["region-areas"])
    element = root.find(f".//g:node[@id='{ID}blekinge/area-tech']", NS)
    assert element is not None
    color = element.find("viz:color", NS)
    assert color is not None
    assert tuple(int(color.get(c) or -1) for c in "rgb") == PALETTE["smart specialisation area"]
    size_element = element.find("viz:size", NS)
    assert size_element is not None and float(size_element.get("value") or 0) == size(int(area["degree"]))
    assert element.find("viz:position", NS) is None  # no z="None" positions, unlike networkx's writer
    edge = root.find(".//g:edge[@target='http://data.europa.eu/nuts/code/FI1D']", NS)
    overlap = root.find(".//g:edge[@source='http://data.europa.eu/nuts/code/FI1D']", NS)
    assert edge is None and overlap is not None and overlap.get("weight") is not None


def test_awkward_text_and_lists_stay_valid_and_round_trip() -> None:
    awkward = 'a "quoted" <tag> & \\ back\x01slash\nnew line'
    network = with_degrees(
        Network(
            "awkward",
            "escaping <test> & more",
            False,
            (
                Node("n<1>", awkward, "kind & co", {"tags": (awkward, "b, c", "")}),
                Node("n&2", "plain", "region", {"tags": ()}),
            ),
            (Edge("n<1>", "n&2", 'rel "x"', 2.5),),
            (Attribute("tags", "tags", AttributeType.LIST_STRING),),
        )
    )
    document = gexf(network)
    assert schema_errors(document) is None
    values = node_values(document)
    assert values["n<1>"]["label"] == awkward.replace("\x01", "\ufffd")
    assert values["n<1>"]["tags"] == list_value((awkward.replace("\x01", "\ufffd"), "b, c", ""))
    assert "tags" not in values["n&2"]
    root = etree.fromstring(document)
    assert root.find(".//g:graph", NS).get("defaultedgetype") == "undirected"  # type: ignore[union-attr]


def test_list_values_use_the_gexf_1_3_list_syntax() -> None:
    assert list_value(("a", 'b"c', "d\\e")) == '["a", "b\\"c", "d\\\\e"]'


def test_graphml_and_csv_carry_the_same_network(store: OxigraphStore) -> None:
    network = build_view(store, "actors")
    graph = nx.read_graphml(io.BytesIO(to_bytes(network, ExportFormat.GRAPHML)))
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (len(network.nodes), len(network.edges))
    irf = graph.nodes[ID + "actor/irf"]
    assert (irf["kind"], irf["helix_role"], irf["region"]) == ("research institute", "academia", "SE332")
    with zipfile.ZipFile(io.BytesIO(to_bytes(network, ExportFormat.CSV))) as archive:
        nodes = archive.read("actors-nodes.csv").decode().splitlines()
        edges = archive.read("actors-edges.csv").decode().splitlines()
    assert nodes[0].startswith("Id,Label,kind,region,strategy,helix_role,theme,degree")
    assert edges[0] == "Source,Target,Type,Weight,relation"
    assert (len(nodes) - 1, len(edges) - 1) == (len(network.nodes), len(network.edges))


def test_unknown_format_names_the_formats() -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'; use one of gexf, graphml, csv"):
        export_format("pdf")
