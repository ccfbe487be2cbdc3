"""Views export in a worker under the page queries' limits, and large files stream to the client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from ris3kg.api.web import export
from ris3kg.api.web.app import create_app
from ris3kg.api.web.state import state
from ris3kg.graph.build import BuildReport


@pytest.fixture
def export_app(built: BuildReport) -> Iterator[Flask]:
    app = create_app({"STORE": built.path, "TESTING": True, "QUERY_WORKERS": 1})
    yield app
    state(app).close()


def test_a_large_export_streams_in_chunks_and_leaves_no_file(
    export_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "CACHED_EXPORT_BYTES", 0)  # every export counts as large
    monkeypatch.setattr(export, "STREAM_CHUNK", 1024)
    small = export_app.test_client().get("/export/actors.gexf")
    response = export_app.test_client().get("/export/actors.gexf", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    chunks = list(response.response)  # type: ignore[arg-type]
    response.close()
    assert len(chunks) > 1 and all(len(chunk) <= 1024 for chunk in chunks)
    assert b"".join(chunks) == small.data
    spool = state(export_app)._spool
    assert spool is not None and not list(Path(spool.name).iterdir())


def test_a_head_request_or_a_response_never_read_leaves_no_file(
    export_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "CACHED_EXPORT_BYTES", 0)
    client = export_app.test_client()
    assert client.head("/export/actors.gexf").status_code == 200
    unread = client.get("/export/actors.gexf", buffered=False)
    unread.close()
    spool = state(export_app)._spool
    assert spool is not None and not list(Path(spool.name).iterdir())


def test_flask_settings_reach_the_app(built: BuildReport) -> None:
    app = create_app({"STORE": built.path, "TESTING": True, "QUERY_WORKERS": 1, "PREFERRED_URL_SCHEME": "https"})
    try:
        assert app.testing and app.config["PREFERRED_URL_SCHEME"] == "https"
        assert app.config["QUERY_WORKERS"] == 1 and app.config["MAX_CONTENT_LENGTH"] == 256 * 1024
    finally:
        state(app).close()


def test_a_view_past_its_time_limit_is_a_503_and_the_next_one_works(built: BuildReport) -> None:
    app = create_app({"STORE": built.path, "TESTING": True, "QUERY_WORKERS": 1, "PAGE_QUERY_TIMEOUT": 0.001})
    try:
        response = app.test_client().get("/export/region-similarity.gexf")
        assert response.status_code == 503
        assert "ran longer than 0.001 s" in response.get_data(as_text=True)
    finally:
        state(app).close()
    again = create_app({"STORE": built.path, "TESTING": True, "QUERY_WORKERS": 1})
    try:
        assert again.test_client().get("/export/region-similarity.gexf").status_code == 200
    finally:
        state(again).close()


def test_an_export_over_the_byte_limit_is_a_400_that_says_how_to_narrow_it(built: BuildReport) -> None:
    app = create_app({"STORE": built.path, "TESTING": True, "QUERY_WORKERS": 1, "PAGE_MAX_BYTES": 2000})
    try:
        response = app.test_client().get("/export/actors.gexf")
        assert response.status_code == 400
        assert "larger than 2000 bytes" in response.get_data(as_text=True)
        spool = state(app)._spool
        assert spool is not None and not list(Path(spool.name).iterdir())
    finally:
        state(app).close()


def test_a_small_export_is_kept_for_the_next_request(export_app: Flask) -> None:
    client = export_app.test_client()
    first = client.get("/export/bottlenecks.csv?strategy=blekinge")
    second = client.get("/export/bottlenecks.csv?strategy=blekinge")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
