"""The search page ``/search``: HTML and JSON, facets narrowing, bad and hostile input, concurrent first searches."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ris3kg.graph.search.index import IndexCache

NORRBOTTEN_A3 = "https://w3id.org/ris3kg/id/norrbotten/action-a-3"
NMS = "https://w3id.org/ris3kg/id/norra-mellansverige/strategy"


def test_html_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search?q=digitalisation")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="digitalisation"' in page  # the header's box and the page's keep the query
    assert "search.css" in page
    assert 'class="hit"' in page and "<mark>" in page
    assert 'href="/id/' in page
    assert 'data-facet="strategy"' in page and 'data-facet="theme"' in page
    assert " style=" not in page and "<script" not in page


def test_empty_query_shows_the_empty_search_page(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/search", "/search?q=", "/search?q=++"):
        response = client.get(url)
        assert response.status_code == 200
        assert 'class="hit"' not in response.get_data(as_text=True)
        assert "search-help" in response.get_data(as_text=True)
    assert client.get("/search?format=json").get_json()["hits"] == []


def test_json_by_accept_or_format(client) -> None:  # type: ignore[no-untyped-def]
    by_accept = client.get("/search?q=digitalisation", headers={"Accept": "application/json"})
    by_format = client.get("/search?q=digitalisation&format=json")
    assert by_accept.status_code == by_format.status_code == 200
    assert by_accept.mimetype == "application/json"
    body = by_format.get_json()
    assert body == by_accept.get_json()
    assert body["total"] > 20 and len(body["hits"]) == 20 and body["pages"] >= 2
    assert set(body["facets"]) == {"kind", "strategy", "region", "country", "theme", "period"}
    hit = body["hits"][0]
    assert {"iri", "url", "title", "kind", "strategy", "language", "snippet", "via_theme"} <= set(hit)
    assert hit["url"].startswith("/id/")
    page2 = client.get("/search?q=digitalisation&format=json&page=2").get_json()
    assert page2["page"] == 2
    assert not {h["iri"] for h in page2["hits"]} & {h["iri"] for h in body["hits"]}


def test_swedish_passage_through_its_theme(client) -> None:  # type: ignore[no-untyped-def]
    found = []
    for page in (1, 2, 3):
        body = client.get(f"/search?q=digitalisation&format=json&page={page}").get_json()
        found += body["hits"]
    hit = next(h for h in found if h["iri"] == NORRBOTTEN_A3)
    assert hit["via_theme"] and hit["language"] == "sv"
    assert "distansoberoende" in hit["snippet"]["text"]


def test_facets_narrow(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/search?q=digitalisation&format=json").get_json()
    strategy = next(v for v in body["facets"]["strategy"] if v["value"] == NMS)
    assert parse_qs(urlsplit(strategy["url"]).query)["strategy"] == [NMS]
    narrowed = client.get(strategy["url"] + "&format=json").get_json()
    assert narrowed["total"] == strategy["count"] < body["total"]
    assert narrowed["filters"] == {"strategy": NMS}
    assert all(h["strategy"] is None or h["strategy"]["iri"] == NMS for h in narrowed["hits"])
    chosen = [v for v in narrowed["facets"]["strategy"] if v["selected"]]
    assert [v["value"] for v in chosen] == [NMS]
    assert "strategy=" not in chosen[0]["url"]  # clicking a chosen value removes it
    page = client.get(strategy["url"]).get_data(as_text=True)
    assert 'class="selected"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=" + "a" * 201, "too long"),
        ("q=x&page=0", "page= must be"),
        ("q=x&page=51", "page= must be"),
        ("q=x&page=abc", "page= must be"),
        ("q=x&page=" + "9" * 40, "page= must be"),
        ("q=x&page=1&page=2", "page= must be"),
        ("q=crisis&page=40", "past the last page"),
        ("q=title:*", "cannot be searched"),
        ("q=iri:*", "cannot be searched"),
        ("q=x&kind=https://example.org/Nothing", "unknown kind"),
        ("q=x&strategy=%3Cscript%3E", "unknown strategy"),
        (f"q=x&strategy={NMS}&strategy={NMS}", "one strategy"),
        ("q=x&format=xml", "format= must be"),
    ],
)
def test_bad_input_is_a_clear_400(client, query: str, message: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/search?{query}")
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    if "format=" not in query:
        answer = client.get(f"/search?{query}", headers={"Accept": "application/json"})
        assert answer.status_code == 400 and message in answer.get_json()["error"]


@pytest.mark.parametrize(
    "q",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "'\"",
        "title:(",
        "kind:(",
        "a AND",
        "NOT",
        "[a TO",
        "label_en:digital*",
        "\\",
        "~2^3",
        "digitalisation\x00",
    ],
)
def test_hostile_queries_never_fail(client, q: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search", query_string={"q": q})
    assert response.status_code in (200, 400)
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    if "<" in q:
        assert "&lt;" in page
    body = client.get("/search", query_string={"q": q, "format": "json"})
    assert body.status_code in (200, 400) and body.is_json


def test_two_first_searches_at_once_build_one_index(app, client, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ris3kg.api.web.search import EXTENSION

    monkeypatch.setitem(app.extensions, EXTENSION, IndexCache(tmp_path / "fresh"))
    answers: list[tuple[int, object]] = []
    start = threading.Barrier(2)

    def ask() -> None:
        own = app.test_client()
        start.wait()
        response = own.get("/search?q=næringene&format=json")
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200, 200]
    assert answers[0][1] == answers[1][1]
    body = answers[0][1]
    assert isinstance(body, dict) and body["total"] > 0
    built = [p.name for p in (tmp_path / "fresh").iterdir() if not p.name.startswith(".")]
    assert len(built) == 1
    assert client.get("/search?q=næringene&format=json").get_json() == body
