"""Reading submissions: every syntax, locations, and hostile input refused without network or file access."""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import OWL, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from ris3kg.graph.catalogue import part_by_key
from ris3kg.shapes.spreadsheet.template import write_template
from ris3kg.shapes.submission.read import (
    CONTEXT_IRI,
    Limits,
    SubmissionError,
    SubmissionFormat,
    read_submission,
    read_submission_file,
)

from conftest import DATA

VALID = DATA / "valid" / "blekinge-excerpt.ttl"

_events: list[tuple[str, str]] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _events is not None and (event == "open" or event.startswith(("socket.", "urllib."))):
        _events.append((event, str(args[0]) if args else ""))


sys.addaudithook(_audit)


@pytest.fixture()
def audited() -> Iterator[list[tuple[str, str]]]:
    """Every file opened and every socket or URL touched while the test body runs (Python audit events)."""
    global _events
    _events = []
    try:
        yield _events
    finally:
        _events = None


def _no_outside_access(events: list[tuple[str, str]], *forbidden: str) -> None:
    assert not [e for e in events if e[0].startswith(("socket.", "urllib."))], events
    assert not [e for e in events if any(f in e[1] for f in forbidden)], events


@pytest.fixture(scope="module")
def blekinge() -> Graph:
    return part_by_key("blekinge").load()


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        (SubmissionFormat.TURTLE, "turtle"),
        (SubmissionFormat.TRIG, "trig"),
        (SubmissionFormat.N_TRIPLES, "nt"),
        (SubmissionFormat.N_QUADS, "nquads"),
        (SubmissionFormat.JSON_LD, "json-ld"),
        (SubmissionFormat.RDF_XML, "xml"),
    ],
    ids=lambda v: getattr(v, "key", v),
)
def test_every_rdf_syntax_reads_to_the_same_graph(blekinge: Graph, fmt: SubmissionFormat, rdflib_format: str) -> None:
    source: Graph | Dataset = blekinge
    if fmt in (SubmissionFormat.TRIG, SubmissionFormat.N_QUADS):
        source = Dataset()
        source.graph(URIRef("https://w3id.org/ris3kg/graph/blekinge")).__iadd__(blekinge)
    data = source.serialize(format=rdflib_format, encoding="utf-8")
    submission = read_submission(data, name="blekinge" + fmt.extensions[0])
    assert submission.format is fmt
    rdflib_reading = Graph()
    for s, p, o, _g in Dataset().parse(data=data, format=rdflib_format).quads():
        rdflib_reading.add((s, p, o))
    assert isomorphic(submission.graph, rdflib_reading)
    assert len(submission.graph) == len(blekinge)
    assert submission.checksum.startswith("sha256:") and len(submission.checksum) == 7 + 64


def test_the_spreadsheet_template_reads_with_sheet_and_row_locations(tmp_path: Path, blekinge: Graph) -> None:
    write_template(tmp_path / "blekinge.xlsx", graph=blekinge)
    submission = read_submission_file(tmp_path / "blekinge.xlsx")
    assert submission.format is SubmissionFormat.XLSX
    assert isomorphic(submission.graph, blekinge)
    where = submission.location_of(URIRef("https://w3id.org/ris3kg/id/blekinge/bottleneck-1"))
    assert where is not None and where.sheet == "Bottlenecks" and where.row is not None and where.row >= 2
    assert str(where).startswith(f"{tmp_path / 'blekinge.xlsx'}, sheet 'Bottlenecks', row ")


def test_turtle_subjects_get_the_line_of_their_first_statement() -> None:
    submission = read_submission_file(VALID)
    lines = VALID.read_text(encoding="utf-8").splitlines()
    for subject, location in submission.locations.items():
        assert location.line is not None
        first = lines[location.line - 1]
        local = str(subject).rsplit("/", 1)[1]
        assert first.split()[0].endswith(local), (subject, first)
    assert len(submission.locations) == len({s for s in submission.graph.subjects() if isinstance(s, URIRef)})


def test_a_passage_is_located_at_the_subject_that_quotes_it() -> None:
    submission = read_submission_file(VALID)
    strategy = URIRef("https://w3id.org/ris3kg/id/blekinge/strategy")
    passage = next(submission.graph.objects(strategy, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert submission.location_of(passage) == submission.locations[strategy]


def test_turtle_syntax_errors_name_line_and_column() -> None:
    data = b'@prefix ris3: <https://w3id.org/ris3kg/ontology#> .\n\n<https://w3id.org/ris3kg/id/x/a> ris3:p "open .\n'
    with pytest.raises(SubmissionError) as caught:
        read_submission(data, name="broken.ttl")
    assert caught.value.line == 3
    assert caught.value.column is not None
    assert str(caught.value).startswith("broken.ttl, line 3, column ")


def test_ntriples_errors_name_the_line() -> None:
    data = b"<http://a/s> <http://a/p> <http://a/o> .\n<http://a/s> <http://a/p> .\n"
    with pytest.raises(SubmissionError, match=r"bad\.nt, line 2, column \d+: "):
        read_submission(data, name="bad.nt")


def test_json_errors_name_line_and_column() -> None:
    with pytest.raises(SubmissionError, match=r"bad\.jsonld, line 2, column 3: not valid JSON"):
        read_submission(b'{"@id": "http://a/s",\n  oops}', name="bad.jsonld")


def test_unknown_extension_and_format_are_named() -> None:
    with pytest.raises(SubmissionError, match=r"unknown file extension '\.docx'"):
        read_submission(b"x", name="strategy.docx")
    with pytest.raises(SubmissionError, match="unknown submission format 'text/html'"):
        SubmissionFormat.for_key("text/html", source="request")


def test_size_and_triple_limits() -> None:
    data = VALID.read_bytes()
    with pytest.raises(SubmissionError, match=f"the file has {len(data)} bytes; the limit is 100"):
        read_submission(data, name="v.ttl", limits=Limits(max_bytes=100))
    with pytest.raises(SubmissionError, match="more than 10 triples, the limit"):
        read_submission(data, name="v.ttl", limits=Limits(max_triples=10))


def test_rdfxml_with_an_external_entity_is_refused_before_anything_is_read(audited: list[tuple[str, str]]) -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        b'<rdf:Description rdf:about="https://w3id.org/ris3kg/id/x/a"><rdfs:label>&secret;</rdfs:label>'
        b"</rdf:Description></rdf:RDF>\n"
    )
    with pytest.raises(SubmissionError, match="DOCTYPE declaration is refused") as caught:
        read_submission(data, name="evil.rdf")
    assert caught.value.line == 2
    _no_outside_access(audited, "/etc/passwd")


def test_rdfxml_billion_laughs_is_refused(audited: list[tuple[str, str]]) -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "ha">{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    ).encode()
    with pytest.raises(SubmissionError, match="refused"):
        read_submission(data, name="laughs.rdf")
    _no_outside_access(audited)


def test_jsonld_remote_context_is_not_fetched(audited: list[tuple[str, str]]) -> None:
    data = json.dumps({"@context": "https://schema.org/", "@id": "https://w3id.org/ris3kg/id/x/a", "name": "A"})
    with pytest.raises(SubmissionError, match=r"'https://schema\.org/' is remote and is not fetched"):
        read_submission(data.encode(), name="remote.jsonld")
    nested = json.dumps({"@context": [{"@import": "https://example.org/ctx.jsonld"}], "@id": "https://a/b"})
    with pytest.raises(SubmissionError, match=r"@import 'https://example\.org/ctx\.jsonld' is not fetched"):
        read_submission(nested.encode(), name="import.jsonld")
    _no_outside_access(audited, "schema.org", "example.org")


def test_jsonld_with_the_ris3kg_context_is_read_from_the_local_copy(audited: list[tuple[str, str]]) -> None:
    document = {
        "@context": CONTEXT_IRI,
        "@id": "blekinge:strategy",
        "@type": "ris3:Strategy",
        "rdfs:label": {"@value": "Blekinge", "@language": "en"},
    }
    submission = read_submission(json.dumps(document).encode(), name="local.jsonld")
    strategy = URIRef("https://w3id.org/ris3kg/id/blekinge/strategy")
    assert (strategy, None, None) in submission.graph
    _no_outside_access(audited, "w3id.org")


def test_owl_imports_is_noted_and_never_followed(audited: list[tuple[str, str]]) -> None:
    data = (
        VALID.read_bytes()
        + b"\n<https://w3id.org/ris3kg/id/blekinge/strategy> <http://www.w3.org/2002/07/owl#imports> "
        + b"<http://example.org/more.ttl> .\n"
    )
    submission = read_submission(data, name="imports.ttl")
    assert (None, OWL.imports, URIRef("http://example.org/more.ttl")) in submission.graph
    assert any("owl:imports <http://example.org/more.ttl> is not followed" in note for note in submission.notes)
    _no_outside_access(audited, "example.org")


def test_a_submission_never_brings_its_own_shapes() -> None:
    data = VALID.read_bytes() + (
        b"\n@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        b"<https://w3id.org/ris3kg/id/blekinge/my-shape> a sh:NodeShape ; sh:targetClass <http://x/C> .\n"
    )
    with pytest.raises(SubmissionError, match="shapes are ris3kg's own, a submission never brings its own"):
        read_submission(data, name="shapes.ttl")


def test_xlsx_with_an_external_entity_is_refused_without_reading_the_file(
    tmp_path: Path, audited: list[tuple[str, str]]
) -> None:
    write_template(tmp_path / "t.xlsx")
    evil = tmp_path / "xxe.xlsx"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(tmp_path / "t.xlsx") as source, zipfile.ZipFile(evil, "w") as target:
        for name in source.namelist():
            target.writestr(name, sheet if name.startswith("xl/worksheets/sheet") else source.read(name))
    with pytest.raises(SubmissionError, match=r"xxe\.xlsx: 1 problem in the template") as caught:
        read_submission(evil.read_bytes(), name="xxe.xlsx")
    assert "not a readable .xlsx workbook" in caught.value.details[0]
    _no_outside_access(audited, "/etc/passwd")


def test_spreadsheet_cell_errors_are_listed_with_sheet_row_and_column() -> None:
    path = DATA / "submissions" / "testlandia.xlsx"
    submission = read_submission_file(path)
    assert submission.format is SubmissionFormat.XLSX
    assert any(loc.sheet for loc in submission.locations.values())
