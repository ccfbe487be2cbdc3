"""The real ``ris3kg serve`` process: it builds its store, takes a submission in over HTTP, follows CLI builds."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ris3kg.graph.store.generations import StoreLayout
from ris3kg.ontology.namespaces import GRAPH_BASE, ID_BASE, PREFIXES
from ris3kg.shapes.submission.read import read_submission_file

from conftest import DATA

STRATEGY = f"{ID_BASE}testlandia/strategy"
GRAPH = f"{GRAPH_BASE}submission/testlandia"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("ris3kg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ris3kg.api.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A running ``ris3kg serve``.

    Attributes:
        base: Its URL.
        store: The store path it was given.
        token: A token it takes submissions with.
        process: The process (the leader of its own process group).
        log: Where its standard output and error go.
    """

    base: str
    store: Path
    token: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def cli(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
        """Run another ``ris3kg`` command on the same store, beside the server."""
        return subprocess.run(
            [*_command(), "--store", str(self.store), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process tree: SIGTERM to its group, SIGKILL if it lingers."""
    try:
        group = os.getpgid(process.pid)
    except ProcessLookupError:
        return
    for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            continue
        deadline = time.monotonic() + grace  # the leader is gone; wait for the rest of the group
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    store = folder / "store"
    token = secrets.token_urlsafe(32)
    assert len(token) == 43
    tokens = folder / "tokens.json"
    tokens.write_text(json.dumps({token: "Testlandia office"}), encoding="utf-8")
    tokens.chmod(0o600)
    port = _free_port()
    log = folder / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*_command(), "--store", str(store), "serve", "--port", str(port), "--tokens", str(tokens)],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=folder,
        )
    running = Server(f"http://127.0.0.1:{port}", store, token, process, log)
    try:
        deadline = time.monotonic() + 240  # it builds the store first: there is none
        while True:
            try:
                _sparql(running, "ASK {}", timeout=5)
                break
            except (OSError, ValueError):
                assert process.poll() is None, f"the server exited ({process.returncode}):\n{running.output()}"
                assert time.monotonic() < deadline, f"/sparql did not answer within 240 s:\n{running.output()}"
                time.sleep(0.5)
        yield running
    finally:
        _stop(process)


def _sparql(server: Server, query: str, *, timeout: float = 30) -> object:
    request = urllib.request.Request(
        f"{server.base}/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def _ask(server: Server, pattern: str) -> bool:
    answer = _sparql(server, f"ASK {{ {pattern} }}")
    assert isinstance(answer, dict)
    return bool(answer["boolean"])


def _accept_over_http(server: Server, body: bytes) -> tuple[int, dict[str, object], str]:
    request = urllib.request.Request(
        f"{server.base}/api/submissions?accept=true&name=testlandia.ttl",
        data=body,
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": "text/turtle"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return response.status, json.load(response), response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        return exc.code, {"error": exc.read().decode("utf-8", errors="replace")}, ""


def _get(server: Server, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"{server.base}{path}", timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _record(version: int) -> str:
    return (
        f"GRAPH <{GRAPH_BASE}submissions> {{ <{ID_BASE}submission/testlandia/v{version}> "
        f"a <{PREFIXES['ris3']}SubmissionVersion> }}"
    )


def test_serve_built_its_store_and_is_given_the_link(server: Server) -> None:
    layout = StoreLayout(server.store)
    assert server.store.is_symlink() and layout.current() is not None
    assert _ask(server, f"?s a <{PREFIXES['ris3']}Strategy>")


def test_serve_takes_a_submission_in_follows_cli_builds_and_serves_its_versions(server: Server) -> None:
    body = read_submission_file(DATA / "submissions" / "testlandia.xlsx").graph.serialize(
        format="turtle", encoding="utf-8"
    )
    started = time.monotonic()
    status, answer, location = _accept_over_http(server, body)
    assert status == 201, f"{answer}\n{server.output()}"
    assert time.monotonic() - started < 90
    accepted = answer["accepted"]
    assert isinstance(accepted, dict) and accepted["version"] == 1 and accepted["submitted_by"] == "Testlandia office"
    assert location.endswith("/api/submissions/testlandia/versions/1")
    archive = StoreLayout(server.store).archive / "testlandia" / "v1.nq"
    assert archive.is_file(), "the server keeps its archive beside the store link, where the CLI does"
    assert _ask(server, f"GRAPH <{GRAPH}> {{ <{STRATEGY}> a <{PREFIXES['ris3']}Strategy> }}")

    served_before = StoreLayout(server.store).current()
    for _ in range(2):  # two builds: the generation the server opened first is no longer kept
        built = server.cli("build")
        assert built.returncode == 0, f"{built.stdout}\n{built.stderr}\n{server.output()}"
    assert StoreLayout(server.store).current() != served_before
    assert _ask(server, f"GRAPH <{GRAPH}> {{ <{STRATEGY}> a <{PREFIXES['ris3']}Strategy> }}"), "build kept it"
    assert _ask(server, _record(1))

    submission = server.store.parent / "testlandia.ttl"
    submission.write_bytes(body)
    again = server.cli("accept", str(submission), "--by", "CLI")
    assert again.returncode == 0, f"{again.stdout}\n{again.stderr}"
    assert _ask(server, _record(2)), "the server sees the generation the CLI published"

    for version in (1, 2):
        status, data = _get(server, f"/api/submissions/testlandia/versions/{version}")
        assert status == 200 and STRATEGY.encode() in data and f"<{GRAPH}> .".encode() in data
    status, history = _get(server, "/api/submissions/testlandia")
    assert status == 200
    assert [(v["version"], v["current"]) for v in json.loads(history)] == [(1, False), (2, True)]
    assert _get(server, "/api/submissions/testlandia/versions/3")[0] == 404
    assert server.process.poll() is None, server.output()


def test_serve_fails_with_the_builds_message_when_it_cannot_build(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = subprocess.run(
        [*_command(), "--store", str(blocker / "store"), "serve", "--port", str(_free_port())],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        start_new_session=True,
    )
    assert result.returncode == 1
    assert result.stderr.count(f"Error: cannot write the store at {blocker / 'store'}") == 1, result.stderr
    assert "Traceback" not in result.stderr
