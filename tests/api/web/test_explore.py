"""The compare and partner-search pages and their JSON: data on the page, clear 4xx for bad input, escaping."""

from __future__ import annotations

import json

import pytest

NUTS = "http://data.europa.eu/nuts/code/"
ID = "https://w3id.org/ris3kg/id/"
JSON = {"Accept": "application/json"}


def test_compare_two_strategies(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/compare?strategy=blekinge&strategy=norrbotten")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Comparing 2 strategies" in page and "Shared and unique" in page
    assert "Space technology" in page and 'lang="sv"' in page  # Norrbotten's area, its Swedish label beside
    assert "<details" in page and "<blockquote" in page  # passages on demand
    assert "explore.css" in page and " style=" not in page and "<script" not in page
    assert 'href="/partners/blekinge"' in page


def test_compare_as_json(client) -> None:  # type: ignore[no-untyped-def]
    for response in (
        client.get("/compare?strategy=blekinge&strategy=norrbotten", headers=JSON),
        client.get("/compare?strategy=blekinge,norrbotten&format=json"),
    ):
        assert response.status_code == 200 and response.mimetype == "application/json"
        data = response.get_json()
        assert [s["key"] for s in data["strategies"]] == ["blekinge", "norrbotten"]
        assert ID + "theme/digitalisation" in {t["iri"] for t in data["shared"]["themes"]}
        assert ID + "theme/space" in {t["iri"] for t in data["unique"]["themes"]["norrbotten"]}
        areas = data["strategies"][1]["elements"]["areas"]
        assert any(a["label_source_language"] and a["passages"] for a in areas)


def test_compare_five_strategies(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/compare?" + "&".join(f"strategy={k}" for k in ("vasternorrland", "nms", "s3norge")))
    assert response.status_code == 200 and "Shared by some" in response.get_data(as_text=True)


def test_no_strategy_gives_the_picker(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/compare")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<form class="picker"' in page
    for key in ("blekinge", "norrbotten", "nms", "s3norge", "vasternorrland"):
        assert f'value="{key}"' in page
    assert client.get("/compare", headers=JSON).status_code == 400


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("strategy=blekinge", 400, "at least two"),
        ("strategy=blekinge&strategy=blekinge", 400, "given twice: blekinge"),
        ("strategy=blekinge,blekinge", 400, "given twice"),
        ("strategy=blekinge&strategy=lapland", 404, "no strategy &#39;lapland&#39;: use one of blekinge"),
        ("&".join(f"strategy=k{i}" for i in range(7)), 400, "at most 6"),
    ],
)
def test_bad_compare_requests_are_clear_4xx(client, query: str, status: int, message: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/compare?{query}")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page and '<form class="picker"' in page
    as_json = client.get(f"/compare?{query}", headers=JSON)
    assert as_json.status_code == status and as_json.get_json()["error"]


def test_hostile_keys_are_escaped(client) -> None:  # type: ignore[no-untyped-def]
    hostile = '<script>alert("x")</script>'
    response = client.get("/compare", query_string={"strategy": ["blekinge", hostile]})
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "<script>alert" not in page and "&lt;script&gt;" in page
    response = client.get("/compare", query_string={"strategy": [hostile, hostile]})
    assert response.status_code == 400 and "<script>alert" not in response.get_data(as_text=True)
    for url in (f"/partners/{hostile}", "/partners/" + "x" * 5000):
        response = client.get(url)
        assert response.status_code == 404 and "<script>alert" not in response.get_data(as_text=True)
    api = client.get(f"/api/partners/{hostile}")
    assert api.status_code == 404 and api.mimetype == "application/json" and "use one of" in api.get_json()["error"]
    assert client.get("/api/partners/nope").get_json()["error"].startswith("no strategy 'nope': use one of blekinge")


def test_partner_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/partners/vasternorrland")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "How the regions are ranked" in page and "ln((1 + N) / (1 + n)) + 1" in page
    assert 'href="/region/ES41"' in page and 'href="/region/EL30"' in page  # the best two, linked
    assert page.index("/region/ES41") < page.index("/region/SE332")  # ranked
    assert "<meter" in page and "<details" in page and "Kris och räddning" in page  # the passages
    assert 'href="/export/partners.gexf?strategy=vasternorrland"' in page
    assert " style=" not in page and "<script" not in page
    index = client.get("/partners/")
    assert index.status_code == 200 and 'href="/partners/norrbotten"' in index.get_data(as_text=True)


def test_partner_api(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/partners/blekinge")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["strategy"]["key"] == "blekinge" and [r["code"] for r in data["regions"]] == ["SE221"]
    first = data["partners"][0]
    assert first["rank"] == 1 and first["region"]["code"] == "SE332" and first["region"]["url"] == "/region/SE332"
    assert first["shared"][0]["ours"] and first["shared"][0]["theirs"] and "cosine" in data["measure"]
    assert [p["rank"] for p in data["partners"]] == list(range(1, len(data["partners"]) + 1))
    again = client.get("/partners/blekinge", headers=JSON)
    assert again.status_code == 200 and json.loads(again.data) == data


def test_partners_gephi_export(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/partners.gexf?strategy=vasternorrland")
    assert response.status_code == 200 and response.mimetype == "application/gexf+xml"
    body = response.get_data(as_text=True)
    assert NUTS + "SE321" in body and NUTS + "ES41" in body and "shared_features" in body
    assert client.get("/export/partners.csv").status_code == 200
    bad = client.get("/export/partners.gexf?strategy=blekinge&strategy=norrbotten")
    assert bad.status_code == 400 and "one strategy" in bad.get_data(as_text=True)
    assert client.get("/export/partners.gexf?strategy=lapland").status_code == 400


def test_an_unknown_format_is_a_400(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/compare?strategy=blekinge&strategy=nms&format=xml", "/partners/blekinge?format=pdf"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "format= must be html or json" in response.get_data(as_text=True)


def test_orderings_of_one_set_are_one_page(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/compare?strategy=nms&strategy=blekinge").get_data()
    assert client.get("/compare?strategy=blekinge&strategy=nms").get_data() == first
