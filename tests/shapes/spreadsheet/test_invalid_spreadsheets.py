"""Every invalid Turtle case of tests/data/invalid, written as a filled template and validated as a spreadsheet.

Each case stays one hand-edited Turtle file: the workbook is generated from it at test time with the
template's own writer (:mod:`ris3kg.shapes.spreadsheet.write`), read back through the submission path
and checked without a store. The expected message (a substring of the SHACL message, which the
spreadsheet wording keeps as its explanation) must come with the expected severity, located at a cell:
the sheet, row and column letter of the value, or of the empty cell of the missing one. A value the
reader itself refuses (an impossible date written into a date column) is caught when the workbook is
read, and each of those problems must name its cell; a case the template cannot hold is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from ris3kg.ontology.resources import new_graph
from ris3kg.shapes.results import Severity
from ris3kg.shapes.spreadsheet.template import write_template
from ris3kg.shapes.submission.check import check_submission
from ris3kg.shapes.submission.read import SubmissionError, read_submission_file

INVALID = Path(__file__).resolve().parents[2] / "data" / "invalid"
_TURTLE_SIGNS = ("[ a ", "^^xsd:", '"@', " ; prov:")


def _expectations(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^# expect-(\w[\w-]*): (.+)$", line)
        if match:
            found.setdefault(match.group(1), match.group(2).strip())
    return found


@pytest.mark.parametrize("path", sorted(INVALID.glob("*.ttl")), ids=lambda p: p.stem)
def test_each_invalid_case_as_a_spreadsheet_is_caught_at_its_cell(path: Path, tmp_path: Path) -> None:
    expected = _expectations(path)
    if not {"severity", "message"} <= expected.keys():
        pytest.skip(f"{path.name} has no expect-severity / expect-message headers")
    graph = new_graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # a case of unreadable Turtle has nothing to write
        pytest.skip(f"{path.name} is not readable Turtle ({type(exc).__name__}): nothing to write as a template")
    workbook = tmp_path / f"{path.stem}.xlsx"
    try:
        write_template(workbook, graph=graph)
        submission = read_submission_file(workbook)
    except SubmissionError as exc:
        # The reader refuses the value when the workbook is read (an impossible date, a number it cannot
        # parse): the case is caught before validation, and every problem must name its cell.
        if not exc.details:
            pytest.skip(f"{path.name}: the template cannot hold this case ({exc.message})")
        for detail in exc.details:
            assert re.search(r", cell [A-Z]+[0-9]+: ", detail), detail
        return
    if not isomorphic(submission.graph, graph):
        pytest.skip(f"{path.name}: the template does not hold this case exactly (the graph read back differs)")
    report = check_submission(submission, store=None).report
    matching = [r for r in report.results if expected["message"] in r.message]
    assert matching, (path.name, expected["message"], [r.message for r in report.results])
    severe = [r for r in matching if r.severity is Severity(expected["severity"])]
    assert severe, (path.name, [(r.severity, r.message) for r in matching])
    if "focus" in expected:
        assert any(r.focus == expected["focus"] for r in severe), [r.focus for r in severe]
    for result in severe:
        assert result.cell is not None, (path.name, result.location)
        sheet, row, letter, header = result.cell
        assert sheet and row >= 2 and letter, (path.name, result.cell)
        assert f"cell {letter}{row}" in (result.location or ""), result.location
        if result.path is not None and result.path != "rdf:type" and sheet != "Statements":
            assert header != "id", (path.name, result.path, result.cell)
        assert not any(sign in result.message for sign in _TURTLE_SIGNS), result.message
        assert f"'{sheet}'" in result.message, result.message
