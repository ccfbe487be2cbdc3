"""A validation report as the submitted workbook itself: the problem cells filled, commented and listed.

:func:`annotate_workbook` takes the bytes of a filled template (which have already passed the
reader's limits: they were read for validation) and the results of checking it, and returns a new
workbook in which every cell a result names is filled red (a violation) or amber (a warning) and
carries a comment with the message, and a first sheet, *Problems*, lists every result with a link
to its cell. Comments are plain text; text written into the Problems sheet is never read as a
formula. At most :data:`MAX_COMMENTS` cells get a comment (the Problems sheet lists every result,
up to :data:`MAX_LISTED`).
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterable

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as WorkbookCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ris3kg.shapes.results import Severity, ValidationResult
from ris3kg.shapes.spreadsheet.layout import ID_HEADER

PROBLEMS_SHEET = "Problems"
"""The sheet listing every result, first in the annotated workbook."""

MAX_COMMENTS = 3_000
"""Cells that get a comment; the others are still filled and listed."""

MAX_LISTED = 20_000
"""Results listed on the Problems sheet."""

MAX_COMMENT_CHARS = 4_000
"""Characters of one cell's comment (several results on one cell share it)."""

VIOLATION_FILL = "FF9C9C"
WARNING_FILL = "FFD966"
_FILLS = {Severity.VIOLATION: VIOLATION_FILL, Severity.WARNING: WARNING_FILL}


class AnnotationError(ValueError):
    """The bytes are not a workbook that can be annotated."""


def annotate_workbook(data: bytes, results: Iterable[ValidationResult]) -> bytes:
    """Return the workbook with the cells of the results marked and a Problems sheet listing them.

    Args:
        data: The submitted ``.xlsx`` file (already read within the submission limits).
        results: The results of checking it (their :attr:`~ValidationResult.cell` says where).

    Returns:
        The annotated workbook's bytes.

    Raises:
        AnnotationError: The bytes are not an ``.xlsx`` workbook openpyxl can open.
    """
    try:
        workbook = load_workbook(io.BytesIO(data))
    except Exception as exc:  # openpyxl and defusedxml raise many kinds: all mean "not a workbook"
        raise AnnotationError("the file is not an .xlsx workbook that can be annotated") from exc
    sheets = {name.casefold(): name for name in workbook.sheetnames}
    listed = list(results)[:MAX_LISTED]
    by_cell: dict[tuple[str, str], list[ValidationResult]] = defaultdict(list)
    targets: list[tuple[ValidationResult, str | None]] = []
    for result in listed:
        target = _target(workbook, sheets, result)
        targets.append((result, None if target is None else f"'{target[0]}'!{target[1]}"))
        if target is not None and result.severity in _FILLS:
            by_cell[target].append(result)
    for count, ((sheet, ref), found) in enumerate(by_cell.items()):
        cell = workbook[sheet][ref]
        worst = min((r.severity for r in found), key=list(Severity).index)
        cell.fill = PatternFill("solid", fgColor=_FILLS[worst])
        if count < MAX_COMMENTS:
            text = "\n\n".join(f"{r.severity.value.upper()}: {_plain(r.message)}" for r in found)
            text = text[:MAX_COMMENT_CHARS]
            comment = Comment(text, "ris3kg")
            comment.width, comment.height = 360, 180
            cell.comment = comment
    _problems_sheet(workbook.create_sheet(PROBLEMS_SHEET, 0), targets)
    workbook.active = 0
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def results_from_json(report: bytes) -> tuple[ValidationResult, ...]:
    """Return the results of a JSON report (:func:`ris3kg.shapes.report.render` as JSON), with their cells.

    Raises:
        AnnotationError: The text is not such a report.
    """
    try:
        body = json.loads(report)
        rows = body["results"]
        found: list[ValidationResult] = []
        for row in rows[:MAX_LISTED]:
            cell = row.get("cell")
            found.append(
                ValidationResult(
                    severity=Severity(row["severity"]),
                    focus=str(row.get("focus") or ""),
                    focus_label=row.get("focus_label"),
                    path=row.get("path"),
                    value=row.get("value"),
                    message=str(row.get("message") or ""),
                    shape=row.get("shape"),
                    location=row.get("location"),
                    cell=(str(cell["sheet"]), int(cell["row"]), cell.get("column"), cell.get("header"))
                    if isinstance(cell, dict)
                    else None,
                )
            )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AnnotationError("the report is not a ris3kg JSON report") from exc
    return tuple(found)


def _target(workbook: object, sheets: dict[str, str], result: ValidationResult) -> tuple[str, str] | None:
    """The sheet and cell reference a result names, in the workbook (its row's id cell when the column is absent)."""
    if result.cell is None:
        return None
    sheet_name, row, letter, _header = result.cell
    name = sheets.get(sheet_name.casefold())
    if name is None or row < 1:
        return None
    worksheet = workbook[name]  # type: ignore[index]
    if letter is None:
        letter = _id_letter(worksheet)
    try:
        column_index_from_string(letter)
    except ValueError:
        return None
    return name, f"{letter}{row}"


def _plain(text: str) -> str:
    """Text a cell or comment can hold: without the control characters XML refuses."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _id_letter(worksheet: Worksheet) -> str:
    for cell in next(worksheet.iter_rows(min_row=1, max_row=1), ()):
        if isinstance(cell, WorkbookCell) and str(cell.value or "").strip().casefold() == ID_HEADER:
            return str(cell.column_letter)
    return "A"


def _problems_sheet(sheet: Worksheet, targets: list[tuple[ValidationResult, str | None]]) -> None:
    sheet.append(["severity", "where", "column", "entity", "message"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for result, link in targets:
        header = result.cell[3] if result.cell is not None else None
        where = link.replace("'", "", 2) if link else (result.location or "")
        entity = result.focus_label or result.focus
        sheet.append(
            [result.severity.value, _plain(where), _plain(header or ""), _plain(entity), _plain(result.message)]
        )
        row = sheet.max_row
        for cell in sheet[row]:
            cell.data_type = "s"  # text from the data: never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        fill = _FILLS.get(result.severity)
        if fill:
            sheet.cell(row=row, column=1).fill = PatternFill("solid", fgColor=fill)
        if link:
            target = sheet.cell(row=row, column=2)
            target.hyperlink = Hyperlink(ref=target.coordinate, location=link, display=where)
            target.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDE", (11, 22, 22, 40, 100), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
