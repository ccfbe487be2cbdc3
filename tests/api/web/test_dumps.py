"""Downloads of the whole dataset: every dump parses to exactly the store's named graphs."""

from __future__ import annotations

import gzip
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from ris3kg.api.web.state import state
from ris3kg.graph.build import BuildReport
from ris3kg.graph.export.dumps import ALL_NAME, DumpCache, DumpError, dump_specs, graph_dump_name
from ris3kg.graph.store.generations import StoreLayout
from ris3kg.graph.store.oxigraph import OxigraphStore

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _get(client: FlaskClient, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
    response = client.get(url, **kwargs)  # type: ignore[arg-type]
    for _ in range(20):  # the first request of a generation may find its dumps still being written
        if response.status_code != 503:
            break
        assert response.headers["Retry-After"]
        response = client.get(url, **kwargs)  # type: ignore[arg-type]
    return response


def _triples(quads: list[ox.Quad]) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


def test_the_nquads_dump_is_exactly_the_named_graphs(client: FlaskClient, store: OxigraphStore) -> None:
    response = _get(client, f"/dumps/{ALL_NAME}")
    assert response.status_code == 200
    assert response.mimetype == "application/gzip"
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert f"filename={ALL_NAME}" in response.headers["Content-Disposition"]
    got = set(ox.parse(gzip.decompress(response.data), format=ox.RdfFormat.N_QUADS))
    expected = {quad for name in store.named_graphs() for quad in store.graph_quads(name)}
    assert got == expected, "every quad of every named graph, and nothing of the default graph"
    assert all(isinstance(quad.graph_name, ox.NamedNode) for quad in got)


def test_each_graph_dump_is_exactly_its_graph_in_turtle(client: FlaskClient, store: OxigraphStore) -> None:
    for name in store.named_graphs():
        response = _get(client, f"/dumps/{graph_dump_name(name)}")
        assert response.status_code == 200 and response.mimetype == "application/gzip", name
        text = gzip.decompress(response.data)
        assert text.startswith(b"@prefix "), "Turtle with the house prefixes"
        got = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text, format=ox.RdfFormat.TURTLE)}
        assert got == _triples(store.graph_quads(name)), name


def test_a_dump_is_cached_by_etag_and_resumable(client: FlaskClient) -> None:
    first = _get(client, f"/dumps/{ALL_NAME}")
    etag = first.headers["ETag"]
    again = client.get(f"/dumps/{ALL_NAME}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    part = client.get(f"/dumps/{ALL_NAME}", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.data == first.data[10:20]


@pytest.mark.parametrize("name", ["../store", "..%2Fstore", "manifest.json", ".lock", "x.ttl.gz", "ris3kg.nq"])
def test_only_the_known_dump_names_are_served(client: FlaskClient, name: str) -> None:
    assert client.get(f"/dumps/{name}").status_code == 404


def test_the_listing_names_every_dump_with_its_size_and_hash(client: FlaskClient, store: OxigraphStore) -> None:
    _get(client, f"/dumps/{ALL_NAME}")  # written
    listing = client.get("/dumps", headers={"Accept": "application/json"}).get_json()
    names = [f["name"] for f in listing["files"]]
    assert names == [spec.name for spec in dump_specs(store.named_graphs())]
    assert listing["ready"]
    for item in listing["files"]:
        data = client.get(item["url"].replace("http://localhost", "")).data
        assert len(data) == item["size"]
        assert item["statements"] > 0
    page = client.get("/dumps", headers={"Accept": BROWSER})
    assert page.mimetype == "text/html"
    assert all(f'href="http://localhost/dumps/{name}"' in page.data.decode() for name in names)


def test_file_names_come_from_the_graph_iris_only() -> None:
    assert graph_dump_name("https://w3id.org/ris3kg/graph/blekinge") == "blekinge.ttl.gz"
    odd = graph_dump_name("https://w3id.org/ris3kg/graph/../../etc/passwd")
    assert odd.startswith("graph-") and "/" not in odd and ".." not in odd
    assert graph_dump_name("http://example.org/g") != graph_dump_name("http://example.org/h")
    assert [s.name for s in dump_specs(["https://w3id.org/ris3kg/graph/b", "https://w3id.org/ris3kg/graph/a"])] == [
        ALL_NAME,
        "a.ttl.gz",
        "b.ttl.gz",
    ]


def _generation(built: BuildReport) -> Path:
    generation = StoreLayout(built.path).current()
    assert generation is not None
    return generation


def test_concurrent_requests_write_the_dumps_once(built: BuildReport, tmp_path: Path) -> None:
    cache = DumpCache(tmp_path / "dumps")
    generation = _generation(built)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: cache.get(generation, wait=120), range(8)))
    assert all(r is not None and r == results[0] for r in results)
    folders = [p.name for p in (tmp_path / "dumps").iterdir() if p.is_dir()]
    assert folders == [generation.name], "one folder, no leftovers"
    manifest = json.loads((tmp_path / "dumps" / generation.name / "manifest.json").read_text())
    assert manifest["generation"] == generation.name


def test_a_request_waits_a_bounded_time_and_a_stuck_writer_is_killed(built: BuildReport, tmp_path: Path) -> None:
    generation = _generation(built)
    cache = DumpCache(tmp_path / "dumps", timeout=0.2)
    assert cache.get(generation, wait=0) is None, "not written yet: the request is told to come back"
    with pytest.raises(DumpError, match="more than"):
        cache.get(generation, wait=30)
    assert not (tmp_path / "dumps" / generation.name).exists()


def test_dumps_of_generations_that_are_gone_are_removed(built: BuildReport, tmp_path: Path) -> None:
    root = tmp_path / "dumps"
    gone = root / "00000000000000000001-1"
    gone.mkdir(parents=True)
    (gone / "manifest.json").write_text("{}")
    leftover = root / ".writing-x-1"
    leftover.mkdir()
    assert DumpCache(root).get(_generation(built), wait=120) is not None
    assert not gone.exists() and not leftover.exists()


def test_the_app_keeps_its_dumps_beside_the_store(app, built: BuildReport) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    _get(client, f"/dumps/{ALL_NAME}")
    folder = built.path.parent / f".{built.path.name}.dumps" / state(app).current().generation.name
    assert (folder / ALL_NAME).is_file() and (folder / "manifest.json").is_file()


TOKEN = "Xq7-tests-dumps-Ks9P2mZr4Vw8Lb3Nc6Tq"


def test_an_accepted_submission_gives_new_dumps_of_the_new_generation_only(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from rdflib import RDFS, Literal, URIRef

    from ris3kg.api.web.app import create_app
    from ris3kg.graph.build import build_store
    from ris3kg.graph.catalogue import part_by_key

    from conftest import BLEKINGE_ONLY

    path = tmp_path_factory.mktemp("dumps-generations") / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    app = create_app({"STORE": path, "TESTING": True, "QUERY_WORKERS": 1, "SUBMISSION_TOKENS": {TOKEN: "Blekinge"}})
    try:
        client = app.test_client()
        before = {name: _get(client, f"/dumps/{name}") for name in (ALL_NAME, "blekinge.ttl.gz", "ontology.ttl.gz")}
        graph = part_by_key("blekinge").load()
        graph.set((URIRef("https://w3id.org/ris3kg/id/blekinge/bottleneck-1"), RDFS.label, Literal("Too small", "en")))
        accepted = client.post(
            "/api/submissions?accept=true",
            data=graph.serialize(format="turtle", encoding="utf-8"),
            content_type="text/turtle",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert accepted.status_code == 201, accepted.get_data(as_text=True)
        after = {name: _get(client, f"/dumps/{name}") for name in before}
        assert b'"Too small"@en' in gzip.decompress(after[ALL_NAME].data)
        assert b'"Too small"@en' not in gzip.decompress(before[ALL_NAME].data)
        assert after[ALL_NAME].headers["ETag"] != before[ALL_NAME].headers["ETag"]
        assert after["blekinge.ttl.gz"].headers["ETag"] != before["blekinge.ttl.gz"].headers["ETag"]
        assert after["ontology.ttl.gz"].data == before["ontology.ttl.gz"].data, "unchanged content, same bytes"
        current = OxigraphStore.open(path)
        expected = {quad for name in current.named_graphs() for quad in current.graph_quads(name)}
        assert set(ox.parse(gzip.decompress(after[ALL_NAME].data), format=ox.RdfFormat.N_QUADS)) == expected
    finally:
        state(app).close()
