"""Reading packaged and user files: errors name the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ris3kg.ontology.namespaces import PREFIXES
from ris3kg.ontology.resources import (
    ONTOLOGY,
    DataFileError,
    TurtleResource,
    format_for,
    new_graph,
    ontology_graph,
    parse_path,
    parse_resource,
)


def test_packaged_ontology_is_read_through_importlib_resources() -> None:
    graph = parse_resource(ONTOLOGY)
    assert len(graph) > 500


def test_ontology_graph_holds_ontology_and_vocabularies() -> None:
    graph = ontology_graph()
    assert len(graph) > len(parse_resource(ONTOLOGY))


def test_missing_packaged_file_is_named() -> None:
    with pytest.raises(DataFileError, match=r"ris3kg/ontology/nothing\.ttl: file not found"):
        parse_resource(TurtleResource("ris3kg.ontology", "nothing.ttl"))


def test_parse_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(
        "@prefix ris3: <https://w3id.org/ris3kg/ontology#> .\n\n<https://w3id.org/ris3kg/id/x> a ris3:Strategy ;\n"
        '    <http://www.w3.org/2000/01/rdf-schema#label> "unclosed .\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        parse_path(bad)
    assert caught.value.file == str(bad)
    assert caught.value.line == 4
    assert str(bad) in str(caught.value) and "line 4" in str(caught.value)


def test_unknown_extension_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"unknown RDF file extension '\.docx'.*\.ttl"):
        format_for(tmp_path / "strategy.docx")


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    binary = tmp_path / "strategy.ttl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataFileError, match="cannot read the file"):
        parse_path(binary)


def test_new_graph_binds_exactly_the_house_prefixes() -> None:
    bound = {prefix: str(iri) for prefix, iri in new_graph().namespaces()}
    assert bound == dict(PREFIXES)
