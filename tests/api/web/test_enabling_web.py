"""The enabling-condition report over the web: the page, the negotiated report, the API, uploads and their limits."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from openapi_spec_validator import validate as validate_openapi

from ris3kg.graph.catalogue import strategy_parts

from conftest import DATA

EXCERPT = DATA / "valid" / "blekinge-excerpt.ttl"


def test_the_page_lists_the_strategies_and_the_submissions_page_links_to_it(client: FlaskClient) -> None:
    page = client.get("/enabling-condition")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    for part in strategy_parts():
        assert f'<option value="{part.key}">' in text
    assert 'name="file"' in text and "<script" not in text and "style=" not in text
    assert "/enabling-condition" in client.get("/submissions").get_data(as_text=True)
    chosen = client.get("/enabling-condition?strategy=norrbotten")
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/enabling-condition/norrbotten")


def test_a_strategys_report_by_content_negotiation(client: FlaskClient) -> None:
    html = client.get("/enabling-condition/blekinge")
    assert html.status_code == 200 and html.mimetype == "text/html"
    body = html.get_data(as_text=True)
    assert "Enabling condition 1.1" in body and "/submissions/report.css" in body and "<style" not in body
    assert "Content-Security-Policy" in html.headers
    as_json = client.get("/enabling-condition/blekinge", headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json"
    data = as_json.get_json()
    assert data["source"] == "blekinge" and [c["notation"] for c in data["criteria"]] == list("1234567")
    as_csv = client.get("/enabling-condition/blekinge?format=csv")
    assert as_csv.mimetype == "text/csv" and "attachment" in as_csv.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    assert {r["criterion"] for r in rows} == set("1234567")
    text = client.get("/enabling-condition/blekinge", headers={"Accept": "text/plain"})
    assert text.mimetype == "text/plain" and text.get_data(as_text=True).startswith("blekinge: ")
    assert client.get("/enabling-condition/blekinge?format=turtle").status_code == 400


def test_the_api_answers_json(client: FlaskClient) -> None:
    response = client.get("/api/enabling-condition/s3norge")
    assert response.status_code == 200 and response.mimetype == "application/json"
    criteria = response.get_json()["criteria"]
    assert criteria[5]["verdict"] == "no evidence found" and criteria[5]["missing"]
    assert client.get("/api/enabling-condition/s3norge?format=csv").mimetype == "text/csv"


def test_an_unknown_strategy_is_a_404_listing_the_keys(client: FlaskClient) -> None:
    for path in ("/api/enabling-condition/nope", "/api/enabling-condition/a%3E%7D%20%23", "/api/enabling-condition/.."):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "use one of blekinge, norrbotten, nms, s3norge, vasternorrland" in response.get_json()["error"]
    assert client.get("/api/enabling-condition/..%2Fetc").status_code == 404  # no such route
    page = client.get("/enabling-condition/%3Cscript%3E")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "<script>" not in page.get_data(as_text=True)
    assert client.get("/enabling-condition?strategy=nope").status_code == 404


def test_an_uploaded_file_gets_a_located_report(client: FlaskClient) -> None:
    data = EXCERPT.read_bytes()
    response = client.post("/api/enabling-condition?name=excerpt.ttl", data=data, content_type="text/turtle")
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert report["source"] == "excerpt.ttl"
    locations = [e["location"] for c in report["criteria"] for e in c["evidence"]]
    assert locations and all(loc.startswith("excerpt.ttl, line ") for loc in locations)
    multipart = client.post(
        "/api/enabling-condition",
        data={"file": (io.BytesIO(data), "blekinge-excerpt.ttl")},
        headers={"Accept": "text/csv"},
    )
    assert multipart.status_code == 200 and multipart.mimetype == "text/csv"
    form = client.post("/enabling-condition", data={"file": (io.BytesIO(data), "mine.ttl")})
    assert form.status_code == 200 and form.mimetype == "text/html"
    assert "mine.ttl, line " in form.get_data(as_text=True)


def test_a_bad_upload_is_a_4xx_naming_the_file_and_line(client: FlaskClient) -> None:
    broken = b"@prefix ris3: <https://w3id.org/ris3kg/ontology#> .\n<a> ris3:x \n <b> <c> <d> ."
    response = client.post("/api/enabling-condition?name=broken.ttl", data=broken, content_type="text/turtle")
    assert response.status_code == 400
    error = response.get_json()
    assert error["file"] == "broken.ttl" and error["line"] is not None and "broken.ttl" in error["error"]
    assert client.post("/api/enabling-condition", data=b"x", content_type="application/pdf").status_code == 415
    form = client.post("/enabling-condition", data={"file": (io.BytesIO(broken), "broken.ttl")})
    assert form.status_code == 400 and "broken.ttl, line" in form.get_data(as_text=True)
    empty = client.post("/enabling-condition", data={})
    assert empty.status_code == 400 and "choose a file" in empty.get_data(as_text=True)


def test_an_upload_over_the_size_limit_is_a_413(client: FlaskClient, app) -> None:  # type: ignore[no-untyped-def]
    from ris3kg.api.web.state import state

    limit = state(app).settings.submission_max_bytes
    response = client.post(
        "/api/enabling-condition?name=big.ttl", data=b" " * (limit + 128 * 1024), content_type="text/turtle"
    )
    assert response.status_code == 413 and response.mimetype == "application/json"


def test_the_api_is_described_in_the_openapi_document(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    validate_openapi(document)
    assert {"/api/enabling-condition", "/api/enabling-condition/{key}"} <= set(document["paths"])
    assert "EnablingReport" in document["components"]["schemas"]
