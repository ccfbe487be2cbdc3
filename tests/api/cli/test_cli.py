"""The ris3kg command line, through click's test runner."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from ris3kg.api.cli.main import main
from ris3kg.graph.build import BuildReport

from conftest import DATA


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_build_loads_every_strategy_and_prints_a_summary(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--store", str(tmp_path / "store"), "build"])
    assert result.exit_code == 0, result.output
    assert "blekinge" in result.output and "norrbotten" in result.output
    assert "3 areas" in result.output and "7 bottlenecks" in result.output
    assert (tmp_path / "store" / "CURRENT").exists()
    stats = runner.invoke(main, ["--store", str(tmp_path / "store"), "stats", "norrbotten"])
    assert stats.exit_code == 0, stats.output
    assert "assessment" in stats.output and "blekinge" not in stats.output


def test_stats_without_a_store_says_to_build(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--store", str(tmp_path / "none"), "stats"])
    assert result.exit_code != 0
    assert "run `ris3kg build` first" in result.output


def test_validate_without_files_checks_every_strategy(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.count("conforms (0 violation(s), 0 warning(s))") >= 2


def test_validate_reports_violations_and_exits_1(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(DATA / "invalid" / "unknown-area-kind.ttl")])
    assert result.exit_code == 1
    assert "does NOT conform" in result.output and "Unknown kind of area" in result.output


def test_validate_with_warnings_only_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(DATA / "invalid" / "missing-english-label.ttl")])
    assert result.exit_code == 0
    assert "WARNING" in result.output


def test_validate_names_the_line_of_a_parse_error(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ris3: <https://w3id.org/ris3kg/ontology#> .\nris3:x ris3:y \n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert str(bad) in result.output and "line" in result.output


@pytest.mark.reasoner
def test_check_reports_the_ontology_consistent(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "consistent: the ontology, vocabularies and all strategies" in result.output


@pytest.mark.reasoner
def test_check_ontology_only(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "--ontology-only"])
    assert result.exit_code == 0, result.output
    assert "consistent: the ontology and vocabularies" in result.output


TOKEN = "Ab3-cli-test-token-Zx9Qw7Er5Ty1Ui0Op"


def test_serve_answers_queries_over_http(built: BuildReport, tmp_path: Path) -> None:
    """The README's main command: `ris3kg serve` on the store, a real HTTP server in its own process."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({TOKEN: "Tester"}), encoding="utf-8")
    command = [sys.executable, "-m", "ris3kg.api.cli", "--store", str(built.path), "serve", "--port", str(port)]
    server = subprocess.Popen([*command, "--tokens", str(tokens)], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/", timeout=5) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/ris3kg/ontology#Strategy> }"
        request = urllib.request.Request(
            f"{base}/sparql?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.load(response)
        assert int(body["results"]["bindings"][0]["n"]["value"]) >= 5
        for token, status in (("wrong", 401), (TOKEN, 422)):  # the token file was read: an empty strategy is refused
            attempt = urllib.request.Request(
                f"{base}/api/submissions?accept=true",
                data=b"",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
                method="POST",
            )
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(attempt, timeout=30)
            assert caught.value.code == status
    finally:
        server.terminate()
        server.wait(20)
