"""The submissions API and report page show what a resubmission changes; a version's changes by route."""

from __future__ import annotations

import io
from collections.abc import Iterator

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

TOKEN = "Xq7-tests-changes-Ks9P2mZr4Vw8Lb3Nc6"
BOTTLENECK = URIRef("https://w3id.org/ris3kg/id/blekinge/bottleneck-1")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on a store of its own (the reference data and Blekinge), with a token to take submissions in."""
    path = tmp_path_factory.mktemp("changes") / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    application = create_app(
        {"STORE": path, "TESTING": True, "QUERY_WORKERS": 1, "SUBMISSION_TOKENS": {TOKEN: "Region Blekinge"}}
    )
    yield application
    state(application).close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _blekinge(bottleneck_label: str | None = None) -> bytes:
    graph: Graph = part_by_key("blekinge").load()
    if bottleneck_label is not None:
        graph.set((BOTTLENECK, RDFS.label, Literal(bottleneck_label, lang="en")))
    return graph.serialize(format="turtle", encoding="utf-8")


def test_a_resubmission_s_json_report_has_its_changes(client: FlaskClient) -> None:
    same = client.post("/api/submissions", data=_blekinge(), content_type="text/turtle")
    assert same.status_code == 200
    body = same.get_json()
    assert body["replaces"] == "the packaged data"
    assert body["changes"]["against"] == "the packaged data" and body["changes"]["total"] == 0
    assert body["changes"]["items"] == [] and body["changes"]["truncated"] == 0
    changed = client.post("/api/submissions", data=_blekinge("Too small"), content_type="text/turtle").get_json()
    assert changed["changes"]["counts"] == [
        {
            "kind": "https://w3id.org/ris3kg/ontology#Bottleneck",
            "kind_label": "Bottleneck",
            "added": 0,
            "removed": 0,
            "changed": 1,
        }
    ]
    (item,) = changed["changes"]["items"]
    assert item["iri"] == str(BOTTLENECK) and item["label"] == "Too small" and item["change"] == "changed"
    assert item["properties"][0]["new"] == ["“Too small”@en"]


def test_the_html_report_shows_the_changes_escaped(client: FlaskClient) -> None:
    response = client.post(
        "/submissions",
        data={"text": _blekinge("<script>alert(1)</script>").decode("utf-8"), "report": "html"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h2>Changes since the packaged data</h2>" in html and "<h3>Bottleneck</h3>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_first_submission_says_first_version(client: FlaskClient) -> None:
    data = (DATA / "submissions" / "testlandia.xlsx").read_bytes()
    response = client.post(
        "/api/submissions", data={"file": (io.BytesIO(data), "testlandia.xlsx")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == "first version" and "changes" not in body


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/submissions/atlantis/versions/1/changes", "no version 1 of 'atlantis' was accepted"),
        ("/api/submissions/blekinge/versions/9/changes", "no version 9 of 'blekinge' was accepted"),
        ("/api/submissions/Not.A-Namespace/versions/1/changes", "is not a strategy namespace"),
        ("/api/submissions/blekinge/versions/0/changes", "no version 0 of 'blekinge' was accepted"),
    ],
)
def test_the_changes_of_an_unknown_version_are_a_404(client: FlaskClient, path: str, message: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert message in response.get_json()["error"]


def test_the_openapi_description_has_the_changes_route(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    validate_openapi(document)
    assert "/api/submissions/{namespace}/versions/{version}/changes" in document["paths"]
    assert "Changes" in document["components"]["schemas"]


def test_an_accepted_version_s_changes_against_its_predecessor(client: FlaskClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    first = client.post("/api/submissions?accept=true", data=_blekinge(), content_type="text/turtle", headers=auth)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.get_json()["report"]["changes"]["total"] == 0
    second = client.post(
        "/api/submissions?accept=true", data=_blekinge("Too small"), content_type="text/turtle", headers=auth
    )
    assert second.status_code == 201
    assert second.get_json()["report"]["changes"]["against"] == "version 1"
    one = client.get("/api/submissions/blekinge/versions/1/changes")
    assert one.status_code == 200
    assert one.get_json()["changes"]["against"] == "the packaged data" and one.get_json()["changes"]["total"] == 0
    two = client.get("/api/submissions/blekinge/versions/2/changes").get_json()
    assert two["first_version"] is False and two["changes"]["against"] == "version 1"
    assert [(i["iri"], i["change"]) for i in two["changes"]["items"]] == [(str(BOTTLENECK), "changed")]
    capped = client.get("/api/submissions/blekinge/versions/2/changes?limit=0").get_json()["changes"]
    assert capped["items"] == [] and capped["truncated"] == 1 and capped["total"] == 1
    for bad in ("abc", "-1", "501"):
        response = client.get(f"/api/submissions/blekinge/versions/2/changes?limit={bad}")
        assert response.status_code == 400 and "limit must be" in response.get_json()["error"]
