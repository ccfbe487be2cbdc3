"""The one format table: every media type and extension from pyoxigraph, and the names clients use."""

from __future__ import annotations

import pickle

import pyoxigraph as ox
import pytest

from ris3kg.ontology.formats import GRAPH_RESULT_SYNTAXES, RdfSyntax, ResultFormat


@pytest.mark.parametrize("syntax", list(RdfSyntax))
def test_each_rdf_syntax_is_found_by_its_names(syntax: RdfSyntax) -> None:
    assert isinstance(syntax.oxigraph, ox.RdfFormat)
    assert syntax.media_type == syntax.oxigraph.media_type.split(";")[0]
    for name in (syntax.key, syntax.media_type, f"{syntax.media_type}; charset=utf-8", f".{syntax.extension}"):
        assert RdfSyntax.find(name) is syntax, name
    assert pickle.loads(pickle.dumps(syntax)) is syntax  # work for a worker process carries it


@pytest.mark.parametrize("fmt", list(ResultFormat))
def test_each_result_format_is_found_by_its_names(fmt: ResultFormat) -> None:
    assert fmt.media_type == fmt.oxigraph.media_type.split(";")[0]
    for name in (fmt.key, fmt.media_type, fmt.extension, *fmt.aliases):
        assert ResultFormat.find(name) is fmt, name


def test_unknown_names_and_the_graph_result_syntaxes() -> None:
    assert RdfSyntax.find("text/html") is None
    assert ResultFormat.find("turtle") is None
    assert GRAPH_RESULT_SYNTAXES[0] is RdfSyntax.TURTLE  # what a client that accepts anything gets
    assert RdfSyntax.find("text/plain") is RdfSyntax.N_TRIPLES
