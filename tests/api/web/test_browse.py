"""The browse pages over HTTP: classes, a class's instances, a strategy by kind, themes; clear 4xx, never a 500."""

from __future__ import annotations

import html

import pytest


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def test_browse_lists_classes_strategies_and_themes(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/browse")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = _text(response)
    for heading in ("Strategies and what they say", "Actors", "Places", "Sources"):
        assert heading in page
    assert 'href="/class/Bottleneck"' in page and 'href="/class/org:Membership"' in page
    assert 'href="/strategy/blekinge"' in page and 'href="/strategy/s3norge"' in page
    assert 'href="/theme/skills-supply"' in page and "/static/browse.css" in page


def test_class_page_lists_filters_and_pages(client) -> None:  # type: ignore[no-untyped-def]
    page = _text(client.get("/class/Bottleneck"))
    assert "Blekinge is lacking in critical mass" in page and 'href="/id/blekinge/bottleneck-1"' in page
    assert "7 matches" in page and "subclass of" in page
    filtered = _text(client.get("/class/SpecialisationArea?q=testbädd"))
    assert "Arktiska testbäddar" in filtered and "1 match" in filtered and "Smart industry" not in filtered
    only = _text(client.get("/class/SpecialisationArea?strategy=blekinge"))
    assert "3 matches" in only and "Arctic test beds" not in only
    regions = client.get("/class/Region?page=2")
    assert regions.status_code == 200 and "page 2 of" in _text(regions)


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/class/Bottlenek", 404, "did you mean Bottleneck"),
        ("/class/%3Cscript%3E", 404, "Known classes: Action"),
        ("/class/Bottleneck?page=0", 400, "page="),
        ("/class/Bottleneck?page=abc", 400, "page="),
        ("/class/Bottleneck?page=99999999999999999999", 400, "page="),
        ("/class/Bottleneck?page=" + "9" * 5000, 400, "page="),
        ("/class/Bottleneck?page=2", 400, "between 1 and 1"),
        ("/class/Bottleneck?strategy=nowhere", 404, "use one of blekinge"),
        ("/class/Bottleneck?q=" + "x" * 300, 400, "q= is at most"),
        ("/strategy/nowhere", 404, "use one of blekinge, norrbotten, nms, s3norge, vasternorrland"),
        ("/strategy/%3Cb%3Ebold", 404, "use one of blekinge"),
        ("/theme/skills", 404, "did you mean skills-supply"),
        ("/theme/nothing-like-it", 404, "Known themes: accessibility"),
    ],
)
def test_unknown_names_and_bad_parameters(client, url: str, status: int, says: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == status, url
    assert says in _text(response)
    assert "<script>" not in response.get_data(as_text=True) and "<b>bold" not in response.get_data(as_text=True)


def test_hostile_q_is_escaped(client) -> None:  # type: ignore[no-untyped-def]
    hostile = '"><script>alert(1)</script>'
    response = client.get("/class/Action", query_string={"q": hostile})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "No instance matches" in body


def test_strategy_page_by_kind(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/strategy/blekinge")
    assert response.status_code == 200
    page = _text(response)
    for text in (
        "Smart specialisation strategy of Blekinge",
        "Vision and goals",
        "Areas and priorities",
        "Marine technology",
        "Challenges and bottlenecks, with the actions that address them",
        "Blekinge is lacking in critical mass",
        "Enlarge the regional labour market",
        "Governance",
        "Strategy secretariat",
        "reports to",
        "Actors by helix role",
        "Other strategies named",
        "000_4b8ca6846ccfd746.txt",
    ):
        assert text in page, text
    assert "<details" in page and "An enlarged regional labour market is part of the solution" in page
    assert 'href="/id/blekinge/bottleneck-1"' in page and 'href="/theme/critical-mass"' in page


def test_strategy_pages_in_their_own_language(client) -> None:  # type: ignore[no-untyped-def]
    page = _text(client.get("/strategy/norrbotten"))
    assert "Arctic test beds" in page and 'lang="sv">Arktiska testbäddar' in page
    study = _text(client.get("/strategy/s3norge"))
    assert "Study" in study or "study" in study
    assert "Nordland's smart specialisation strategy" in study and 'lang="nb">Sjømat' in study
    for key in ("nms", "vasternorrland"):
        assert client.get(f"/strategy/{key}").status_code == 200


def test_themes_and_a_theme(client) -> None:  # type: ignore[no-untyped-def]
    themes = _text(client.get("/themes"))
    assert 'href="/theme/skills-supply"' in themes and "kompetensförsörjning" in themes
    response = client.get("/theme/skills-supply")
    assert response.status_code == 200
    page = _text(response)
    assert "skills supply" in page and 'href="/strategy/blekinge"' in page and 'href="/strategy/norrbotten"' in page
    assert 'lang="sv">Kompetensförsörjning' in page and "<details" in page


def test_no_500_on_odd_addresses(client) -> None:  # type: ignore[no-untyped-def]
    for url in (
        "/class/",
        "/class/org:",
        "/class/" + "A" * 5000,
        "/class/Action?q=%00%ff",
        "/class/Action?strategy=" + "k" * 500,
        "/class/Action?strategy=../../etc",
        "/strategy/" + "s" * 5000,
        "/strategy/blekinge/..",
        "/theme/%E2%80%AE",
        "/class/Action?page=%D9%A3",
    ):
        assert client.get(url).status_code < 500, url
