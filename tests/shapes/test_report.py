"""The text report a strategy officer reads."""

from __future__ import annotations

from ris3kg.shapes.report import format_text
from ris3kg.shapes.validation import validate_file

from conftest import DATA


def test_text_report_gives_verdict_name_message_and_property() -> None:
    text = format_text(validate_file(DATA / "invalid" / "governance-body-without-level.ttl"))
    first, *rest = text.splitlines()
    assert first.endswith("does NOT conform (1 violation(s), 0 warning(s))")
    assert "VIOLATION: “Strategy secretariat” <https://w3id.org/ris3kg/id/blekinge/strategy-secretariat>" in rest[0]
    assert "Give the body's level" in rest[1]
    assert "property ris3:governanceLevel" in rest[2]


def test_warnings_can_be_hidden() -> None:
    report = validate_file(DATA / "invalid" / "missing-english-label.ttl")
    assert "WARNING" in format_text(report)
    assert "WARNING" not in format_text(report, show_warnings=False)
    assert format_text(report).splitlines()[0].endswith("conforms (0 violation(s), 2 warning(s))")
