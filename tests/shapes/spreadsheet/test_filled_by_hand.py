"""The blank template filled the way a strategy officer fills it, and what ris3kg then says.

The workbook is the blank template (the ``ris3kg template`` code path), filled with openpyxl as a
person would: labels picked from the drop-down lists ("Public sector", "Academia", "Swedish"), the
strategy's prefix declared on the Prefixes sheet and used in every id, a wrong value or two, and an
empty required cell. Every message must name the cell (sheet, row, column letter and header) and say
what to do in spreadsheet words, without Turtle.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from rdflib import URIRef

from ris3kg.api.cli.main import main
from ris3kg.api.web.app import create_app
from ris3kg.api.web.state import state
from ris3kg.graph.build import build_store
from ris3kg.graph.catalogue import PARTS
from ris3kg.ontology.namespaces import ACTOR, ID_BASE, RIS3, VOC
from ris3kg.shapes.report import ReportFormat, render
from ris3kg.shapes.results import Severity
from ris3kg.shapes.spreadsheet.annotate import PROBLEMS_SHEET, VIOLATION_FILL, annotate_workbook
from ris3kg.shapes.spreadsheet.template import write_template
from ris3kg.shapes.spreadsheet.write import REQUIRED_FILL
from ris3kg.shapes.submission.check import check_submission
from ris3kg.shapes.submission.read import SubmissionError, read_submission_file

NS = ID_BASE + "testlandia/"
QUOTE = {"source document": "testlandia:document", "quote language": "sv"}
TURTLE = ("prov:wasDerivedFrom [", "[ a ", "^^xsd:", '"@')

ROWS: dict[str, list[dict[str, object]]] = {
    "Sources": [
        {
            "id": "testlandia:document",
            "label (en)": "Testlandia's smart specialisation strategy",
            "label (sv)": "Testlandias strategi för smart specialisering",
            "fileName": "testlandia-s3.pdf",
            "language": "Swedish",
            "issued": "2021-02-30",
            "source quote": "Testlandias strategi för smart specialisering",
            **QUOTE,
        }
    ],
    "Strategy": [
        {
            "id": "testlandia:strategy",
            "label (en)": "Smart specialisation strategy of Testlandia",
            "label (sv)": "Testlandias smarta specialiseringsstrategi",
            "documentedIn": "testlandia:document",
            "spatial": "nuts:SE311",
            "owner": "actor:region-testlandia",
            "source quote": "Strategin gäller för Testlandia under perioden 2021–2027.",
            **QUOTE,
        }
    ],
    "Actors": [
        {
            "id": "actor:region-testlandia",
            "type": "ris3:PublicBody",
            "label (en)": "Region Testlandia",
            "label (sv)": "Region Testlandia",
            "helixRole": "public  Sector",
            "source quote": "Region Testlandia äger strategin och leder arbetet.",
            **QUOTE,
        },
        {
            "id": "actor:testlandia-university",
            "type": "ris3:University",
            "label (en)": "Testlandia University",
            "label (sv)": "Testlandias universitet",
            "helixRole": "Akademy",
            "source quote": "Testlandias universitet bidrar med forskning och utbildning.",
            **QUOTE,
        },
    ],
    "Bottlenecks": [
        {
            "id": "testlandia:bottleneck-1",
            "type": "ris3:Bottleneck",
            "label (en)": "Too few engineers",
            "label (sv)": "För få ingenjörer",
            "inStrategy": "testlandia:strategy",
            "ordinal": "three",
            "source quote": "Det finns för få ingenjörer i regionen.",
            **QUOTE,
        },
        {
            "id": "testlandia:bottleneck-2",
            "type": "ris3:Bottleneck",
            "label (en)": "Little venture capital",
            "label (sv)": "Lite riskkapital",
            "inStrategy": "testlandia:strategy",
            "ordinal": 2,
        },
    ],
}


def _headers(workbook: Workbook, sheet: str) -> dict[str, int]:
    return {str(cell.value): cell.column for cell in workbook[sheet][1]}


def _letter(workbook: Workbook, sheet: str, header: str) -> str:
    return str(workbook[sheet].cell(row=1, column=_headers(workbook, sheet)[header]).column_letter)


def _fill(path: Path, fixes: dict[tuple[str, int, str], object] | None = None) -> Workbook:
    write_template(path)  # the blank template, as `ris3kg template -o FILE` writes it
    workbook = load_workbook(path)
    workbook["Prefixes"].append(["testlandia", NS])
    for sheet, rows in ROWS.items():
        headers = _headers(workbook, sheet)
        for number, row in enumerate(rows, start=2):
            for header, value in row.items():
                workbook[sheet].cell(row=number, column=headers[header]).value = value
    for (sheet, number, header), value in (fixes or {}).items():
        workbook[sheet].cell(row=number, column=_headers(workbook, sheet)[header]).value = value
    workbook.save(path)
    return workbook


FIXED = {
    ("Sources", 2, "issued"): "2021-02-20",
    ("Actors", 3, "helixRole"): "Academia",
    ("Bottlenecks", 2, "ordinal"): 3,
}


def test_wrong_values_are_refused_at_their_cells_with_what_to_write(tmp_path: Path) -> None:
    path = tmp_path / "testlandia.xlsx"
    workbook = _fill(path)
    with pytest.raises(SubmissionError) as caught:
        read_submission_file(path)
    details = "\n".join(caught.value.details)
    ordinal = _letter(workbook, "Bottlenecks", "ordinal")
    assert f"sheet 'Bottlenecks', row 2, column 'ordinal', cell {ordinal}2: 'three' is not a whole number" in details
    issued = _letter(workbook, "Sources", "issued")
    assert f"sheet 'Sources', row 2, column 'issued', cell {issued}2: '2021-02-30' is not a date that exists" in details
    helix = _letter(workbook, "Actors", "helixRole")
    assert (
        f"sheet 'Actors', row 3, column 'helixRole', cell {helix}3: 'Akademy' is not in the drop-down list for "
        "'helixRole' (did you mean 'academia'?): pick one of academia, business, public sector, civil society"
    ) in details
    assert len(caught.value.details) == 3, details  # the labels "Swedish" and "public  Sector" are taken
    assert not any(sign in details for sign in TURTLE)


def test_labels_and_declared_prefixes_are_read_and_a_missing_cell_is_named(tmp_path: Path) -> None:
    path = tmp_path / "testlandia.xlsx"
    workbook = _fill(path, FIXED)
    submission = read_submission_file(path)
    graph = submission.graph
    assert (ACTOR["testlandia-university"], RIS3.helixRole, VOC["helix-academia"]) in graph
    assert (ACTOR["region-testlandia"], RIS3.helixRole, VOC["helix-public-sector"]) in graph
    assert (URIRef(NS + "bottleneck-1"), RIS3.inStrategy, URIRef(NS + "strategy")) in graph
    report = check_submission(submission, store=None).report
    quote = _letter(workbook, "Bottlenecks", "source quote")
    missing = [r for r in report.violations if r.focus == NS + "bottleneck-2" and r.path == "prov:wasDerivedFrom"]
    assert missing, [(r.focus, r.path, r.message) for r in report.results]
    assert missing[0].cell == ("Bottlenecks", 3, quote, "source quote")
    assert missing[0].location is not None and missing[0].location.endswith(f"column 'source quote', cell {quote}3")
    assert missing[0].message.startswith(
        f"Fill the column 'source quote' on sheet 'Bottlenecks', row 3 (cell {quote}3) with the passage"
    )
    for result in report.results:
        if result.cell is None:
            continue
        sheet, row, letter, header = result.cell
        assert f"'{sheet}'" in result.message and (f"{letter}{row}" in result.message or f"row {row}" in result.message)
        assert header, result
        assert not any(sign in result.message for sign in TURTLE), result.message
    assert (
        workbook["Bottlenecks"]
        .cell(row=1, column=workbook["Bottlenecks"][1][0].column)
        .fill.fgColor.rgb.endswith(REQUIRED_FILL)
    )


def test_a_prefix_that_redefines_a_house_prefix_is_refused_at_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "testlandia.xlsx"
    workbook = _fill(path, FIXED)
    workbook["Prefixes"].append(["actor", "https://example.org/actors/"])
    workbook["Prefixes"].append(["2bad", "https://example.org/"])
    rows = workbook["Prefixes"].max_row
    workbook.save(path)
    with pytest.raises(SubmissionError) as caught:
        read_submission_file(path)
    details = "\n".join(caught.value.details)
    assert (
        f"sheet 'Prefixes', row {rows - 1}, column 'namespace', cell B{rows - 1}: the prefix 'actor' is ris3kg's own"
        in details
    )
    assert f"sheet 'Prefixes', row {rows}, column 'prefix', cell A{rows}: '2bad' is not a prefix name" in details


def test_the_workbook_comes_back_with_its_problems_marked(tmp_path: Path) -> None:
    path = tmp_path / "testlandia.xlsx"
    _fill(path, FIXED)
    report = check_submission(read_submission_file(path), store=None).report
    marked = load_workbook(io.BytesIO(annotate_workbook(path.read_bytes(), report.results)))
    assert marked.sheetnames[0] == PROBLEMS_SHEET
    violation = next(r for r in report.violations if r.cell is not None and r.cell[2])
    sheet, row, letter, _header = violation.cell or ("", 0, None, None)
    cell = marked[sheet][f"{letter}{row}"]
    assert cell.fill.fgColor.rgb.endswith(VIOLATION_FILL)
    assert cell.comment is not None and violation.message in cell.comment.text
    problems = marked[PROBLEMS_SHEET]
    links = [c.hyperlink.location for c in problems["B"][1:] if c.hyperlink is not None]
    assert f"'{sheet}'!{letter}{row}" in links
    assert problems.max_row == len(report.results) + 1
    assert all(c.data_type == "s" for c in problems["E"][1:])


def test_validate_writes_the_annotated_workbook(tmp_path: Path) -> None:
    path = tmp_path / "testlandia.xlsx"
    _fill(path, FIXED)
    out = tmp_path / "marked.xlsx"
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "no-store"), "validate", "--no-store", str(path), "--annotated", str(out)]
    )
    assert result.exit_code == 1, result.output  # the missing passage is a violation
    assert PROBLEMS_SHEET in load_workbook(out).sheetnames
    assert any(
        r.severity is Severity.VIOLATION
        for r in check_submission(read_submission_file(path), store=None).report.results
    )


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """A test client of the web application on a small store of its own (the reference parts only)."""
    path = tmp_path_factory.mktemp("annotated-web") / "store"
    build_store(path, parts=PARTS[:4])
    application = create_app({"STORE": path, "TESTING": True, "QUERY_WORKERS": 1})
    yield application.test_client()
    state(application).close()


def test_the_form_gives_back_the_workbook_with_its_problems_marked(web: FlaskClient, tmp_path: Path) -> None:
    path = tmp_path / "testlandia.xlsx"
    _fill(path, FIXED)
    response = web.post(
        "/submissions/annotated",
        data={"file": (io.BytesIO(path.read_bytes()), "testlandia.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "testlandia-problems-marked.xlsx" in response.headers["Content-Disposition"]
    marked = load_workbook(io.BytesIO(response.data))
    assert marked.sheetnames[0] == PROBLEMS_SHEET and marked[PROBLEMS_SHEET].max_row > 1
    form = web.get("/submissions").get_data(as_text=True)
    assert 'formaction="/submissions/annotated"' in form
    refused = web.post(
        "/submissions/annotated",
        data={"file": (io.BytesIO(b"@prefix x: <http://x/> ."), "data.ttl")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400 and "filled .xlsx template only" in refused.get_data(as_text=True)
    assert "Traceback" not in refused.get_data(as_text=True)


def test_the_reports_show_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "testlandia.xlsx"
    workbook = _fill(path, FIXED)
    report = check_submission(read_submission_file(path), store=None).report
    quote = _letter(workbook, "Bottlenecks", "source quote")
    html = render(report, ReportFormat.HTML, annotated="/marked.xlsx")
    assert f"Bottlenecks!{quote}3 (column &#39;source quote&#39;)" in html
    assert 'href="/marked.xlsx"' in html
    rows = json.loads(render(report, ReportFormat.JSON))["results"]
    assert {"sheet": "Bottlenecks", "row": 3, "column": quote, "header": "source quote"} in [r["cell"] for r in rows]
    assert f"column 'source quote', cell {quote}3" in render(report, ReportFormat.TEXT)
