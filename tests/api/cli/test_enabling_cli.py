"""``ris3kg enabling-condition``: output formats, files and strategies, exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ris3kg.api.cli.main import main
from ris3kg.graph.build import BuildReport

from conftest import DATA

EXCERPT = DATA / "valid" / "blekinge-excerpt.ttl"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_a_packaged_strategy_in_every_format(runner: CliRunner, tmp_path: Path) -> None:
    missing_store = ["--store", str(tmp_path / "none")]
    text = runner.invoke(main, [*missing_store, "enabling-condition", "blekinge"])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("blekinge: ") and "2. competent regional" in text.output
    as_json = runner.invoke(main, [*missing_store, "enabling-condition", "nms", "--format", "json"])
    assert as_json.exit_code == 0 and json.loads(as_json.output)["source"] == "nms"
    as_csv = runner.invoke(main, [*missing_store, "enabling-condition", "s3norge", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert as_csv.exit_code == 0 and {r["criterion"] for r in rows} == set("1234567")
    out = tmp_path / "report.html"
    html = runner.invoke(main, [*missing_store, "enabling-condition", "norrbotten", "--format", "html", "-o", str(out)])
    assert html.exit_code == 0 and "report in" in html.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<style>" in page  # standalone: styles inline


def test_a_strategy_from_the_store(runner: CliRunner, built: BuildReport) -> None:
    result = runner.invoke(
        main, ["--store", str(built.path), "enabling-condition", "vasternorrland", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["criteria"][6]["verdict"] == "evidenced"


def test_a_submission_file_is_located(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--store", str(tmp_path / "none"), "enabling-condition", str(EXCERPT)])
    assert result.exit_code == 0, result.output
    assert f"at {EXCERPT}, line " in result.output


def test_bad_input_is_a_message_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "none")]
    unknown = runner.invoke(main, [*store, "enabling-condition", "nowhere"])
    assert unknown.exit_code == 1 and "no strategy 'nowhere': use one of blekinge" in unknown.output
    assert "Traceback" not in unknown.output
    absent = runner.invoke(main, [*store, "enabling-condition", str(tmp_path / "absent.ttl")])
    assert absent.exit_code == 1 and "absent.ttl: no such file" in absent.output
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ris3: <https://w3id.org/ris3kg/ontology#> .\n<a> ris3:x \n", encoding="utf-8")
    bad = runner.invoke(main, [*store, "enabling-condition", str(broken)])
    assert bad.exit_code == 1 and f"{broken}, line" in bad.output and "Fix the file" in bad.output
    assert "Traceback" not in bad.output
    usage = runner.invoke(main, [*store, "enabling-condition", "blekinge", "--format", "turtle"])
    assert usage.exit_code == 2
