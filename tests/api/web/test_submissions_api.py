"""The web form at /submissions and the REST API under /api/submissions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate as validate_openapi
from rdflib import RDFS, Graph, Literal, URIRef

from ris3kg.api.web.app import create_app
from ris3kg.api.web.state import state
from ris3kg.graph.build import build_store
from ris3kg.graph.catalogue import part_by_key

from conftest import BLEKINGE_ONLY, DATA

INVALID = DATA / "invalid" / "unknown-helix-role.ttl"
VALID = DATA / "valid" / "blekinge-excerpt.ttl"
TOKEN = "Xq7-tests-Ks9P2mZr4Vw8Lb3Nc6Hd1Jf5Tg0"
STRATEGY = URIRef("https://w3id.org/ris3kg/id/blekinge/strategy")


def test_the_form_renders_with_template_links(client: FlaskClient) -> None:
    page = client.get("/submissions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="text"' in html
    assert "/submissions/template.xlsx?strategy=blekinge" in html


def test_the_form_validates_an_upload_and_shows_the_report(client: FlaskClient) -> None:
    response = client.post(
        "/submissions",
        data={"file": (io.BytesIO(INVALID.read_bytes()), INVALID.name), "report": "html"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "unknown-helix-role.ttl: does NOT conform (1 violation(s)" in html
    assert "unknown-helix-role.ttl, line 35" in html


def test_the_form_validates_pasted_text_and_offers_the_report_as_a_download(client: FlaskClient) -> None:
    response = client.post("/submissions", data={"text": VALID.read_text(encoding="utf-8"), "report": "csv"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="pasted-report.csv"'
    assert next(csv.reader(io.StringIO(response.get_data(as_text=True))))[:3] == ["severity", "location", "focus"]


def test_the_form_shows_a_parse_error_with_its_line(client: FlaskClient) -> None:
    response = client.post("/submissions", data={"text": "@prefix x: <http://a/> .\nx:a x:b ."})
    assert response.status_code == 400
    assert "pasted.ttl, line 2, column" in response.get_data(as_text=True)


def test_the_template_downloads(client: FlaskClient) -> None:
    response = client.get("/submissions/template.xlsx?strategy=blekinge")
    assert response.status_code == 200
    assert response.data[:2] == b"PK"
    assert "ris3kg-blekinge-template.xlsx" in response.headers["Content-Disposition"]
    assert client.get("/submissions/template.xlsx?strategy=atlantis").status_code == 404


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/json", "application/json"),
        ("text/html", "text/html"),
        ("text/turtle", "text/turtle"),
        ("text/csv", "text/csv"),
    ],
)
def test_the_api_validates_and_negotiates_the_report(client: FlaskClient, accept: str, media_type: str) -> None:
    response = client.post(
        "/api/submissions?name=helix.ttl",
        data=INVALID.read_bytes(),
        content_type="text/turtle",
        headers={"Accept": accept},
    )
    assert response.status_code == 200
    assert response.mimetype == media_type
    if media_type == "application/json":
        body = response.get_json()
        assert body["conforms"] is False and body["results"][0]["location"] == "helix.ttl, line 35"
        assert body["results"][0]["path"] == "ris3:helixRole"


def test_the_api_takes_a_multipart_upload(client: FlaskClient) -> None:
    response = client.post(
        "/api/submissions",
        data={"file": (io.BytesIO(VALID.read_bytes()), "excerpt.ttl")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert response.get_json()["conforms"] is True


def test_the_api_names_the_line_of_a_syntax_error(client: FlaskClient) -> None:
    response = client.post("/api/submissions", data=b"<http://a> <http://b> .\n", content_type="application/n-triples")
    assert response.status_code == 400
    body = response.get_json()
    assert body["line"] == 1 and body["column"] is not None and body["file"] == "submission.nt"


def test_the_api_refuses_an_unknown_media_type(client: FlaskClient) -> None:
    response = client.post("/api/submissions", data=b"hello", content_type="text/html")
    assert response.status_code == 415
    assert "unknown submission format 'text/html'" in response.get_json()["error"]


def test_the_api_refuses_a_doctype(client: FlaskClient) -> None:
    data = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<r/>'
    response = client.post("/api/submissions", data=data, content_type="application/rdf+xml")
    assert response.status_code == 400
    assert "DOCTYPE declaration is refused" in response.get_json()["error"]


def test_anonymous_users_cannot_take_a_submission_in(client: FlaskClient) -> None:
    response = client.post("/api/submissions?accept=true", data=VALID.read_bytes(), content_type="text/turtle")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = client.post(
        "/api/submissions?accept=true",
        data=VALID.read_bytes(),
        content_type="text/turtle",
        headers={"Authorization": "Bearer not-the-token"},
    )
    assert wrong.status_code == 401


def test_the_openapi_description_is_valid_and_lists_the_routes(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    validate_openapi(document)
    assert {"/api/submissions", "/api/submissions/{namespace}/versions/{version}"} <= set(document["paths"])
    assert document["info"]["title"] == "ris3kg submissions API"


@pytest.fixture()
def writable_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on a store of its own, with a token, for taking submissions in."""
    path = tmp_path / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    application = create_app(
        {"STORE": path, "TESTING": True, "QUERY_WORKERS": 1, "SUBMISSION_TOKENS": {TOKEN: "Region Blekinge"}}
    )
    yield application
    state(application).close()


def _blekinge_named(label: str) -> bytes:
    graph: Graph = part_by_key("blekinge").load()
    graph.remove((STRATEGY, RDFS.label, None))
    graph.add((STRATEGY, RDFS.label, Literal(label, lang="en")))
    return graph.serialize(format="turtle", encoding="utf-8")


def _label_over_sparql(client: FlaskClient) -> list[str]:
    query = f"SELECT ?l WHERE {{ <{STRATEGY}> <{RDFS.label}> ?l }}"
    body = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return [b["l"]["value"] for b in body.get_json()["results"]["bindings"]]


def test_a_token_holder_takes_a_submission_in_and_the_endpoint_serves_it(writable_app: Flask) -> None:
    client = writable_app.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert _label_over_sparql(client) == ["Smart specialisation strategy of Blekinge"]
    response = client.post(
        "/api/submissions?accept=true&name=blekinge-v1.ttl",
        data=_blekinge_named("Blekinge, updated"),
        content_type="text/turtle",
        headers=auth,
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    accepted = response.get_json()["accepted"]
    assert accepted["version"] == 1 and accepted["submitted_by"] == "Region Blekinge"
    assert response.headers["Location"].endswith("/api/submissions/blekinge/versions/1")
    assert _label_over_sparql(client) == ["Blekinge, updated"], "the endpoint opened the new generation"
    second = client.post(
        "/api/submissions?accept=true&name=blekinge-v2.ttl",
        data=_blekinge_named("Blekinge, again"),
        content_type="text/turtle",
        headers=auth,
    )
    assert second.status_code == 201
    history = client.get("/api/submissions/blekinge").get_json()
    assert [(v["version"], v["current"], v["file_name"]) for v in history] == [
        (1, False, "blekinge-v1.ttl"),
        (2, True, "blekinge-v2.ttl"),
    ]
    earlier = client.get("/api/submissions/blekinge/versions/1")
    assert earlier.mimetype == "application/n-quads" and b"Blekinge, updated" in earlier.data
    assert client.get("/api/submissions/blekinge/versions/9").status_code == 404
    assert json.loads(client.get("/api/submissions").data)[1]["version"] == 2


def test_a_token_holder_cannot_take_in_a_submission_with_violations(writable_app: Flask) -> None:
    client = writable_app.test_client()
    response = client.post(
        "/api/submissions?accept=true",
        data=(DATA / "invalid" / "missing-label.ttl").read_bytes(),
        content_type="text/turtle",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 422
    assert response.get_json()["conforms"] is False
    assert client.get("/api/submissions").get_json() == []
