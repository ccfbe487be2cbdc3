"""Row counters agree with a real parser of each format, however the writer cuts its output."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from lxml import etree

from ris3kg.graph.build import BuildReport
from ris3kg.graph.sparql.examples import example_queries
from ris3kg.graph.sparql.rows import CsvRows, JsonRows, LineRows, RowCounter, xml_rows

# Values chosen to imitate or cut the markers the counters look for.
AWKWARD = [
    "plain",
    'a},{"b',
    "[{",
    "},{}",
    "x\\",
    '\\"',
    'q"q',
    '"',
    '\\\\"},{"',
    "<result>",
    "</result><result>",
    "line\nbreak",
    "\r\n",
    'c,"d"\n,',
    "é ü { [{ },{",
    "\\",
    "\\\\",
    "\t",
]


def _store() -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode("http://example.org/g")
    for i, value in enumerate(AWKWARD):
        subject = ox.NamedNode(f"http://example.org/s{i}")
        store.add(ox.Quad(subject, ox.NamedNode("http://example.org/p"), ox.Literal(value), graph))
        store.add(ox.Quad(subject, ox.NamedNode("http://example.org/q"), ox.Literal(value, language="en"), graph))
        store.add(ox.Quad(subject, ox.NamedNode("http://example.org/r"), ox.Literal(f"{i}{value}"), graph))
    return store


QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o",
    "SELECT ?s ?x WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?x } }",  # ?x never bound
    "SELECT ?x WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?x } }",  # rows with no binding: {}
    "SELECT * WHERE { ?s ?p ?o FILTER(false) }",  # no rows
    "SELECT * WHERE { }",  # one row, no variables
]


def _json_rows(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def _xml_rows(body: bytes) -> int:
    return len(etree.fromstring(body).findall(".//{http://www.w3.org/2005/sparql-results#}result"))


def _csv_rows(body: bytes) -> int:
    return len(list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))) - 1


def _tsv_rows(body: bytes) -> int:
    return len(body.decode("utf-8").split("\n")) - 2


FORMATS: list[tuple[ox.QueryResultsFormat, Callable[[], RowCounter], Callable[[bytes], int]]] = [
    (ox.QueryResultsFormat.JSON, JsonRows, _json_rows),
    (ox.QueryResultsFormat.XML, xml_rows, _xml_rows),
    (ox.QueryResultsFormat.CSV, CsvRows, _csv_rows),
    (ox.QueryResultsFormat.TSV, LineRows, _tsv_rows),
]


def _count(counter: RowCounter, body: bytes, size: int) -> int:
    for start in range(0, len(body), size):
        counter.feed(body[start : start + size])
    return counter.rows


@pytest.mark.parametrize(("fmt", "make", "parse"), FORMATS, ids=["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("query", QUERIES)
def test_counts_agree_with_a_parser_at_every_cut(
    fmt: ox.QueryResultsFormat, make: Callable[[], RowCounter], parse: Callable[[bytes], int], query: str
) -> None:
    result = _store().query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    body = result.serialize(format=fmt) or b""
    expected = parse(body)
    for size in (*range(1, 12), 17, 64, 8192, len(body) + 1):
        assert _count(make(), body, size) == expected, f"chunks of {size} bytes"


@pytest.mark.parametrize(("fmt", "make", "parse"), FORMATS, ids=["json", "xml", "csv", "tsv"])
def test_a_limit_is_exceeded_exactly_when_there_are_more_rows(
    fmt: ox.QueryResultsFormat, make: Callable[[], RowCounter], parse: Callable[[bytes], int]
) -> None:
    result = _store().query(QUERIES[0], use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    body = result.serialize(format=fmt) or b""
    rows = parse(body)
    for limit in (0, rows // 2, rows - 1, rows, rows + 1, 10 * rows):
        for size in (1, 5, 64, len(body)):
            counter = make()
            seen = []
            for start in range(0, len(body), size):
                counter.feed(body[start : start + size])
                seen.append(counter.exceeds(limit))
            assert seen[-1] == (rows > limit), (limit, size)
            assert seen == sorted(seen), "once over the limit, it stays over"


def test_counts_the_example_queries_results(built: BuildReport) -> None:
    store = ox.Store.read_only(str(built.path))
    for example in example_queries():
        for fmt, make, parse in FORMATS:
            result = store.query(example.query, use_default_graph_as_union=True)
            if not isinstance(result, ox.QuerySolutions):
                continue
            body = result.serialize(format=fmt) or b""
            assert _count(make(), body, 8192) == parse(body), (example.key, fmt)
