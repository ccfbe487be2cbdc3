"""A shared service that holds up: concurrency, hostile requests, limits, faults (issue 11).

Each test is one thing that was seen to break the server, made impossible.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask

from ris3kg.api.web.app import create_app
from ris3kg.api.web.state import dataset, state
from ris3kg.graph.build import BuildReport
from ris3kg.graph.sparql.examples import example_queries
from ris3kg.graph.sparql.executor import QueryExecutor, QueryJob, QueryMemoryError

from conftest import DATA

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUICK = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"
EXCERPT = DATA / "valid" / "blekinge-excerpt.ttl"


@pytest.fixture(scope="module")
def service(built: BuildReport) -> Iterator[Flask]:
    """An app with small limits and room for many waiting queries."""
    app = create_app(
        {
            "STORE": built.path,
            "TESTING": True,
            "QUERY_TIMEOUT": 3.0,
            "QUERY_WORKERS": 2,
            "QUERY_QUEUE": 64,
            "QUERY_WAIT": 60.0,
            "QUERY_MAX_MEMORY": 400 * 2**20,
            "MAX_RESULT_ROWS": 500,
            "MAX_RESULT_BYTES": 200_000,
            "VALIDATION_TIMEOUT": 60.0,
        }
    )
    yield app
    state(app).close()


def _serve(app: Flask, threads: int = 16) -> tuple[str, object]:
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads, channel_timeout=30)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}", server


def _get(url: str, timeout: float = 30.0) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


# --------------------------------------------------------------------------- 1. concurrent new queries


def test_many_distinct_new_queries_at_once_leave_the_checks_working(service: Flask) -> None:
    examples = example_queries()
    client = service.test_client()
    before = {ex.key: client.get("/sparql", query_string={"query": ex.query, "format": "csv"}).data for ex in examples}

    def fresh(n: int) -> tuple[int, bytes]:
        # Distinct texts, so that each one is parsed for the first time, at the same moment.
        query = f"SELECT ?s WHERE {{ ?s a ?c . FILTER(STRLEN(STR(?s)) > {n}) }} LIMIT {1 + n % 7}"
        response = service.test_client().get("/sparql", query_string={"query": query})
        return response.status_code, response.data

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(fresh, range(60)))
    assert [status for status, _ in answers] == [200] * 60, [body for status, body in answers if status != 200][:3]
    after = {ex.key: client.get("/sparql", query_string={"query": ex.query, "format": "csv"}).data for ex in examples}
    assert after == before
    assert all(before.values())


def test_the_server_process_never_parses_a_query_with_rdflib(service: Flask) -> None:
    """The grammar (pyparsing) is not thread-safe: only the query workers use it."""
    import sys

    client = service.test_client()
    client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # parsed in a worker"})
    from ris3kg.graph.sparql import policy as query_policy

    assert query_policy._parse.cache_info().currsize == 0  # type: ignore[attr-defined]
    assert "ris3kg.graph.sparql.policy" in sys.modules  # imported, never called here


# --------------------------------------------------------------------------- 2. paths never become query text


class _Listener:
    """A loopback socket that records whether anything connected to it (an SSRF would)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]

    def connected(self) -> bool:
        try:
            connection, _ = self.sock.accept()
        except OSError:
            return False
        connection.close()
        return True


HOSTILE_PATHS = [
    "/id/x> ?p ?o } ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l { <x",
    "/id/x%3E%20%3Fp%20%3Fo%20%7D%20%3Fa%20%3Fb%20%3Fc%20.%20%3Fd%20%3Fe%20%3Ff%20%7B%20%3Cx",
    "/id/a b",
    "/id/a%22b",
    "/id/x> } SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o } { <x",
    '/api/submissions/x")) } SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} #',
    "/api/submissions/..%2F..%2Fetc",
    "/api/submissions/blekinge%22",
    "/api/submissions/%22x/versions/1",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_a_crafted_path_is_refused_quickly_and_opens_nothing(service: Flask, path: str) -> None:
    listener = _Listener()
    client = service.test_client()
    started = time.perf_counter()
    response = client.get(path.replace("{port}", str(listener.port)).replace("{{", "{").replace("}}", "}"))
    assert response.status_code in (400, 404), response.data
    assert time.perf_counter() - started < 2
    assert b"Traceback" not in response.data
    assert not listener.connected()


def test_a_service_call_in_a_query_is_refused_and_opens_nothing(service: Flask) -> None:
    listener = _Listener()
    client = service.test_client()
    for query in (
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVIC\\u0045 <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z . {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }} }}",
    ):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 400, (query, response.data)
    assert not listener.connected()


# --------------------------------------------------------------------------- 3. the proven shortcut


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?n WHERE { BIND(NOW() AS ?n) }",
        "SELECT ?n WHERE { BIND(now() AS ?n) }",
        "SELECT ?n WHERE { BIND(RAND() AS ?n) }",
        "SELECT ?n WHERE { BIND(STRUUID() AS ?n) }",
        "SELECT ?n WHERE { BIND(UUID() AS ?n) }",
        "SELECT ?n WHERE { BIND(BNODE() AS ?n) }",
    ],
)
def test_a_query_whose_work_can_change_is_never_proven(built: BuildReport, text: str) -> None:
    pool = QueryExecutor(built.path, workers=1, timeout=5.0, proven_time=1.0)
    try:
        job = QueryJob(query=text)
        for _ in range(3):
            pool.run(job)
        assert not pool.is_proven(job)
        plain = QueryJob(query="SELECT ?n WHERE { BIND(1 AS ?n) }")
        pool.run(plain)
        assert pool.is_proven(plain)
    finally:
        pool.close()


def test_a_query_that_is_cheap_now_and_costly_later_stays_in_a_killable_worker(service: Flask) -> None:
    """Fast while the clock says one thing, a cartesian product when it says another: never trusted."""
    now = time.gmtime()
    later_minute = (now.tm_min + 1) % 60
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ FILTER(MINUTES(NOW()) = {later_minute}) ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }}"
    )
    client = service.test_client()
    for _ in range(3):  # a few milliseconds each, this minute
        assert client.get("/sparql", query_string={"query": query}).status_code == 200
    with service.test_request_context():
        current = dataset()
        assert not any(job.query == query for job in current.executor._proven)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- 4. memory and size


def test_a_query_that_grows_without_bound_is_stopped_at_the_memory_limit(built: BuildReport) -> None:
    pool = QueryExecutor(built.path, workers=1, timeout=60.0, max_memory=300 * 2**20)
    try:
        growing = (
            "SELECT ?x WHERE { ?a ?b ?c . ?d ?e ?f . BIND(CONCAT(STR(?a), STR(?c), STR(?d), STR(?f)) AS ?x) } "
            "ORDER BY ?x LIMIT 1"
        )
        started = time.perf_counter()
        with pytest.raises(QueryMemoryError, match="300 MiB"):
            pool.run(QueryJob(query=growing))
        assert time.perf_counter() - started < 45
        assert pool.run(QueryJob(query="ASK {}")).form == "ask"  # a fresh worker took its place
    finally:
        pool.close()


def test_a_result_past_the_byte_limit_comes_cut_within_it(service: Flask) -> None:
    big = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?x WHERE { ?s rdfs:label ?l . "
        "BIND(STR(?s) AS ?i) "
        "BIND(CONCAT(?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i, ?i) AS ?x) } LIMIT 400"
    )
    response = service.test_client().get("/sparql", query_string={"query": big})
    assert response.status_code == 200
    assert len(response.data) <= 200_000
    kept = len(json.loads(response.data)["results"]["bindings"])
    assert 0 < kept < 400
    assert response.headers["X-SPARQL-Truncated"] == f"bytes; limit=200000; kept={kept}"
    assert response.headers["X-SPARQL-MaxRows"] == str(kept)


# --------------------------------------------------------------------------- 5. fair sharing


def test_static_files_pages_and_known_queries_answer_while_runaways_run(service: Flask) -> None:
    base, server = _serve(service, threads=16)
    try:
        _get(f"{base}/sparql?query=" + urllib.parse.quote(QUICK))  # proven from now on
        _get(f"{base}/sparql?query=" + urllib.parse.quote(QUICK))
        runaways = [
            threading.Thread(target=_get, args=(f"{base}/sparql?query=" + urllib.parse.quote(f"{RUNAWAY} # {n}"),))
            for n in range(4)
        ]
        for thread in runaways:
            thread.start()
        time.sleep(0.5)
        for path in ("/static/ris3kg.css", "/id/blekinge/strategy", "/sparql?query=" + urllib.parse.quote(QUICK)):
            started = time.perf_counter()
            status, _, _ = _get(base + path)
            assert status == 200
            assert time.perf_counter() - started < 1.0, path
        for thread in runaways:
            thread.join(timeout=30)
    finally:
        server.close()  # type: ignore[attr-defined]


def test_a_full_queue_is_a_503_with_retry_after_at_once(built: BuildReport) -> None:
    app = create_app({"STORE": built.path, "TESTING": True, "QUERY_TIMEOUT": 3.0, "QUERY_WORKERS": 1, "QUERY_QUEUE": 1})
    try:
        client = app.test_client()
        client.get("/sparql", query_string={"query": "ASK {}"})  # the worker is up
        threads = [
            threading.Thread(target=app.test_client().get, args=("/sparql",), kwargs={"query_string": {"query": q}})
            for q in (RUNAWAY, RUNAWAY + " # waits")
        ]
        for thread in threads:
            thread.start()
            time.sleep(0.3)
        started = time.perf_counter()
        response = client.get("/sparql", query_string={"query": RUNAWAY + " # refused"})
        assert response.status_code == 503
        assert int(response.headers["Retry-After"]) >= 1
        assert time.perf_counter() - started < 1
        for thread in threads:
            thread.join(timeout=30)
    finally:
        state(app).close()


# --------------------------------------------------------------------------- faults


def test_a_dead_query_worker_is_a_503_not_a_client_error(service: Flask) -> None:
    client = service.test_client()

    def kill_soon() -> None:
        time.sleep(0.5)
        with service.test_request_context():
            pool = dataset().executor._pool  # type: ignore[attr-defined]
            for pid in pool.busy():
                os.kill(pid, 9)

    threading.Thread(target=kill_soon).start()
    response = client.get("/sparql", query_string={"query": RUNAWAY + " # killed"})
    assert response.status_code == 503, response.data
    assert "Retry-After" in response.headers
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_unexpected_errors_show_no_traceback_and_no_path(service: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from ris3kg.api.web import pages

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("/secret/path/to/store exploded")

    monkeypatch.setattr(pages, "entity_view", boom)
    response = service.test_client().get("/id/actor/vanguard-initiative", headers={"Accept": "text/html"})
    assert response.status_code == 500
    assert b"/secret/path" not in response.data and b"Traceback" not in response.data


# --------------------------------------------------------------------------- submissions from other sites


def test_another_sites_page_cannot_post_a_submission(service: Flask) -> None:
    client = service.test_client()
    for headers in (
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "null"},
    ):
        response = client.post(
            "/api/submissions", data=b"<a> <b> <c> .", headers={**headers, "Content-Type": "application/n-triples"}
        )
        assert response.status_code == 403, headers
        assert "Access-Control-Allow-Origin" not in response.headers
        assert client.post("/submissions", data={"text": "<a> <b> <c> ."}, headers=headers).status_code == 403
    same = client.post(
        "/api/submissions",
        data=EXCERPT.read_bytes(),
        headers={"Origin": "http://localhost", "Content-Type": "text/turtle"},
    )
    assert same.status_code == 200, same.data


def test_validation_past_its_time_limit_is_a_503_and_the_next_one_works(built: BuildReport) -> None:
    app = create_app({"STORE": built.path, "TESTING": True, "VALIDATION_TIMEOUT": 0.01})
    try:
        client = app.test_client()
        response = client.post("/api/submissions", data=EXCERPT.read_bytes(), headers={"Content-Type": "text/turtle"})
        assert response.status_code == 503
        assert "longer than 0.01 s" in json.loads(response.data)["error"]
    finally:
        state(app).close()


def test_acceptance_on_a_store_that_cannot_be_written_is_a_503_without_paths(
    built: BuildReport, tmp_path: Path
) -> None:
    token = "Kq4-service-test-Rt8Yu2Io6Pa3Sd7Fg1Hj"
    app = create_app({"STORE": built.path, "TESTING": True, "SUBMISSION_TOKENS": {token: "Tester"}})
    try:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the store's folder should be", encoding="utf-8")
        state(app).store_path = blocker / "store"  # writing there fails as a full or read-only disk would
        response = app.test_client().post(
            "/api/submissions?accept=true",
            data=EXCERPT.read_bytes(),
            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"},
        )
        assert response.status_code in (503, 507), response.data
        error = json.loads(response.data)["error"]
        assert str(tmp_path) not in error and "Traceback" not in error
    finally:
        state(app).close()


# --------------------------------------------------------------------------- tokens


def test_a_token_is_scoped_to_its_strategies_and_guessing_is_throttled(built: BuildReport) -> None:
    scoped = "Zx8-testlandia-office-Qw3Er5Ty7Ui9Op1As"
    app = create_app(
        {
            "STORE": built.path,
            "TESTING": True,
            "SUBMISSION_TOKENS": {scoped: {"name": "Testlandia office", "scopes": ["testlandia"]}},
        }
    )
    try:
        client = app.test_client()
        headers = {"Content-Type": "text/turtle", "Authorization": f"Bearer {scoped}"}
        refused = client.post("/api/submissions?accept=true", data=EXCERPT.read_bytes(), headers=headers)
        assert refused.status_code == 403, refused.data
        assert "blekinge" in json.loads(refused.data)["error"] and scoped not in refused.get_data(as_text=True)
        guesses = [
            client.post(
                "/api/submissions?accept=true",
                data=EXCERPT.read_bytes(),
                headers={"Content-Type": "text/turtle", "Authorization": f"Bearer guess-{n}"},
            )
            for n in range(6)
        ]
        assert [r.status_code for r in guesses] == [401] * 5 + [429]
        assert int(guesses[-1].headers["Retry-After"]) >= 1
        throttled = client.post("/api/submissions?accept=true", data=EXCERPT.read_bytes(), headers=headers)
        assert throttled.status_code == 429  # even the right token, until the window has passed
    finally:
        state(app).close()


@pytest.mark.parametrize("token", ["t0ken", "a" * 40, "1234567890" * 4])
def test_a_weak_token_stops_the_app_at_start_up(built: BuildReport, token: str) -> None:
    with pytest.raises(ValueError, match="token") as caught:
        create_app({"STORE": built.path, "TESTING": True, "SUBMISSION_TOKENS": {token: "Tester"}})
    assert token not in str(caught.value)


def test_a_function_the_engine_does_not_know_is_a_400_not_a_500(service: Flask) -> None:
    query = "SELECT (<http://www.w3.org/2005/xpath-functions#current-dateTime>() AS ?x) WHERE {}"
    response = service.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code == 400, response.data


def test_made_up_entity_addresses_do_not_fill_the_page_cache(service: Flask) -> None:
    client = service.test_client()
    for n in range(200):
        assert client.get(f"/id/made-up/{n}-{'x' * 2000}").status_code == 404
    with service.test_request_context():
        cached_pages = dataset().recent.get("entities", {})
        assert not any("made-up" in key for key in cached_pages)
