"""``ris3kg export`` and ``ris3kg picture``: views and queries to files, filters, and clear errors."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ris3kg.api.cli.main import main
from ris3kg.graph.build import BuildReport

from gexf_schema import node_values, schema_errors

ID = "https://w3id.org/ris3kg/id/"


@pytest.fixture()
def run(built: BuildReport):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, ["--store", str(built.path), *args])

    return invoke


def test_list_prints_the_view_names_one_a_line(run) -> None:  # type: ignore[no-untyped-def]
    result = run("export", "--list")
    assert result.exit_code == 0
    assert result.output == "region-areas\nactors\nregion-similarity\nbottlenecks\npartners\n"


def test_a_view_to_a_gexf_file_with_filters(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "actors.gexf"
    result = run("export", "actors", "-o", str(out), "--strategy", "nms", "--strategy", "blekinge", "--lang", "sv")
    assert result.exit_code == 0, result.output
    document = out.read_bytes()
    assert schema_errors(document) is None
    values = node_values(document)
    assert values[ID + "actor/region-dalarna"]["helix role"] == '["public-sector"]'
    assert ID + "actor/irf" not in values  # Norrbotten's
    assert f"{out}: {len(values)} nodes" in result.output


def test_graphml_to_standard_output(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("export", "region-similarity", "--format", "graphml", "--region", "SE321")
    assert result.exit_code == 0
    path = tmp_path / "similarity.graphml"
    path.write_bytes(result.stdout_bytes)
    graph = nx.read_graphml(path)
    assert list(graph.nodes) == ["http://data.europa.eu/nuts/code/SE321"]


def test_csv_writes_a_node_and_an_edge_table(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("export", "bottlenecks", "--format", "csv", "-o", str(tmp_path / "bn.csv"), "--theme", "skills-supply")
    assert result.exit_code == 0, result.output
    with (tmp_path / "bn-nodes.csv").open(encoding="utf-8") as file:
        nodes = list(csv.DictReader(file))
    with (tmp_path / "bn-edges.csv").open(encoding="utf-8") as file:
        edges = list(csv.DictReader(file))
    assert nodes and edges
    assert {edge["relation"] for edge in edges} <= {"addresses", "serves"}
    assert all("skills-supply" in node["theme"] or not node["theme"] for node in nodes)
    assert run("export", "bottlenecks", "--format", "csv").exit_code == 2


def test_a_construct_query_file_exports_as_a_network(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    query = tmp_path / "q.rq"
    query.write_text(
        "PREFIX org: <http://www.w3.org/ns/org#>\nCONSTRUCT { ?a org:memberOf ?o } "
        "WHERE { ?m org:member ?a ; org:organization ?o }",
        encoding="utf-8",
    )
    out = tmp_path / "q.gexf"
    result = run("export", "--query", str(query), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert schema_errors(out.read_bytes()) is None
    assert b'label="org:memberOf"' in out.read_bytes()


def test_errors_name_the_view_filter_or_query(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    unknown = run("export", "regions")
    assert unknown.exit_code == 1 and "unknown view 'regions'; the views are: region-areas" in unknown.output
    strategy = run("export", "actors", "--strategy", "lapland")
    assert strategy.exit_code == 1 and "unknown strategy 'lapland'" in strategy.output
    lang = run("export", "actors", "--lang", "xx")
    assert lang.exit_code == 2 and "'xx' is not a language ris3kg knows" in lang.output
    neither = run("export")
    assert neither.exit_code == 2 and "give a VIEW" in neither.output
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?area WHERE { ?area a <https://w3id.org/ris3kg/ontology#SpecialisationArea> }", "utf-8")
    query = run("export", "--query", str(bad))
    assert query.exit_code == 1 and "bad.rq: only one column, ?area, holds resources" in query.output


def test_picture_draws_a_png(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "view.png"
    result = run("picture", "region-areas", "-o", str(out), "--strategy", "blekinge")
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
