"""The ris3kg command line, through click's test runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ris3kg.api.cli import main

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
