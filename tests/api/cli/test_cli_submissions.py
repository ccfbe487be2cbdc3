"""The submission commands: validate FILE in each report format, accept, submissions list/get, template."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ris3kg.api.cli.main import main
from ris3kg.graph.build import BuildReport, build_store
from ris3kg.graph.catalogue import PARTS

from conftest import DATA

INVALID = DATA / "invalid" / "unknown-helix-role.ttl"


def test_validate_reports_each_problem_with_its_line(built: BuildReport) -> None:
    result = CliRunner().invoke(main, ["--store", str(built.path), "validate", str(INVALID)])
    assert result.exit_code == 1
    assert f"at {INVALID}, line 35" in result.output
    assert "ris3:helixRole" in result.output


def test_validate_writes_a_json_report(built: BuildReport, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["--store", str(built.path), "validate", "--format", "json", "-o", str(out), str(INVALID)]
    )
    assert result.exit_code == 1
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["conforms"] is False and body["results"][0]["location"].endswith("line 35")


def test_validate_names_an_unreadable_file(built: BuildReport, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <http://a/> .\nx:a x:b .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--store", str(built.path), "validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}, line 2, column" in result.output


def test_template_accept_and_history(tmp_path: Path) -> None:
    store = tmp_path / "store"
    build_store(store, parts=PARTS[:4])
    runner = CliRunner()
    workbook = tmp_path / "blekinge.xlsx"
    made = runner.invoke(main, ["template", "-o", str(workbook), "--strategy", "blekinge"])
    assert made.exit_code == 0 and workbook.exists(), made.output
    for _ in range(2):
        accepted = runner.invoke(main, ["--store", str(store), "accept", str(workbook), "--by", "Region Blekinge"])
        assert accepted.exit_code == 0, accepted.output
    assert "as version 2 of <https://w3id.org/ris3kg/id/blekinge/strategy>" in accepted.output
    listing = runner.invoke(main, ["--store", str(store), "submissions", "list"])
    lines = listing.output.splitlines()
    assert lines[0].startswith("blekinge v1  replaced") and lines[1].startswith("blekinge v2  current")
    got = runner.invoke(main, ["--store", str(store), "submissions", "get", "blekinge", "1"])
    assert got.exit_code == 0 and "<https://w3id.org/ris3kg/graph/blekinge> ." in got.output


def test_accept_refuses_a_file_with_violations(tmp_path: Path) -> None:
    store = tmp_path / "store"
    build_store(store, parts=PARTS[:4])
    result = CliRunner().invoke(main, ["--store", str(store), "accept", str(INVALID), "--by", "Ann"])
    assert result.exit_code == 1
    assert "has 1 violation(s) and is not taken in" in result.output


def test_serve_refuses_a_malformed_tokens_file(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_text('["not", "an", "object"]', encoding="utf-8")
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "serve", "--tokens", str(tokens)])
    assert result.exit_code == 2
    assert "expected a JSON object" in result.output and "tokens.json" in result.output
