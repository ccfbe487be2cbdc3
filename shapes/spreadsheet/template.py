"""The spreadsheet submission template: write it from the shapes, read a filled one back as RDF.

Most strategy offices work in Excel, so ris3kg generates an ``.xlsx`` template from the SHACL
shapes (one sheet per kind of thing, header comments saying what each column needs, drop-down
lists for the closed value sets) and converts a filled template, or CSV files in the same layout,
to RDF. A strategy's graph written out as a filled template reads back as the same graph.

The layout is derived in :mod:`ris3kg.shapes.spreadsheet.layout`, cells are parsed in
:mod:`ris3kg.shapes.spreadsheet.cells`, files are read in :mod:`ris3kg.shapes.spreadsheet.read` and
written in :mod:`ris3kg.shapes.spreadsheet.write`; this module is the entry point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ris3kg.shapes.spreadsheet.cells import CellLocation, TemplateError, TemplateIssue
from ris3kg.shapes.spreadsheet.layout import STATEMENTS_SHEET, template_layout
from ris3kg.shapes.spreadsheet.read import ReadLimits, TemplateGraph, read_csv, read_xlsx
from ris3kg.shapes.spreadsheet.write import SheetContent, sheet_contents, write_csv_files, write_workbook

__all__ = [
    "CellLocation",
    "ReadLimits",
    "SheetInfo",
    "TemplateError",
    "TemplateGraph",
    "TemplateInfo",
    "TemplateIssue",
    "read_csv_folder",
    "read_template",
    "write_csv_folder",
    "write_template",
]


@dataclass(frozen=True)
class SheetInfo:
    """One sheet as written.

    Attributes:
        name: The sheet's name.
        columns: Its column headers.
        rows: How many data rows it got.
    """

    name: str
    columns: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class TemplateInfo:
    """What was written.

    Attributes:
        path: The workbook, or the folder of CSV files.
        sheets: The data sheets (entity sheets, passages, statements), in order.
    """

    path: Path
    sheets: tuple[SheetInfo, ...]

    @property
    def statements(self) -> int:
        """How many statements did not fit a column and went to the statements sheet."""
        return next((s.rows for s in self.sheets if s.name == STATEMENTS_SHEET), 0)


def write_template(path: Path, *, graph: Graph | None = None) -> TemplateInfo:
    """Write the ``.xlsx`` submission template.

    Args:
        path: The workbook to write.
        graph: A strategy's graph to fill the template with; None for the empty template.

    Returns:
        The sheets written and their row counts.
    """
    layout = template_layout()
    contents = sheet_contents(graph, layout)
    write_workbook(path, contents, layout)
    return _info(path, contents)


def write_csv_folder(path: Path, *, graph: Graph | None = None) -> TemplateInfo:
    """Write the template as CSV files, one ``<sheet>.csv`` per data sheet, into a folder.

    Args:
        path: The folder (created if missing).
        graph: A strategy's graph to fill the files with; None for header rows only.

    Returns:
        The sheets written and their row counts.
    """
    contents = sheet_contents(graph, template_layout())
    write_csv_files(path, contents)
    return _info(path, contents)


def read_template(path: Path, *, limits: ReadLimits | None = None) -> TemplateGraph:
    """Convert a filled ``.xlsx`` template to RDF.

    Args:
        path: The workbook (untrusted: read-only, capped, XML entities refused).
        limits: Caps on sheets, rows, cells, size and errors collected (defaults: :class:`ReadLimits`).

    Returns:
        The graph, and where each subject and triple came from.

    Raises:
        TemplateError: The file is not an ``.xlsx`` workbook or has cells that cannot be converted;
            the message names the file, sheet, row and column of every problem.
    """
    return read_xlsx(path, limits=limits)


def read_csv_folder(path: Path, *, limits: ReadLimits | None = None) -> TemplateGraph:
    """Convert a folder, or a zip, of ``<sheet>.csv`` files in the template's layout to RDF.

    Args:
        path: The folder or zip file.
        limits: Caps on files, rows, cells, size and errors collected.

    Returns:
        The graph, and where each subject and triple came from.

    Raises:
        TemplateError: Not CSV files in the template's layout, or cells that cannot be converted.
    """
    return read_csv(path, limits=limits)


def _info(path: Path, contents: tuple[SheetContent, ...]) -> TemplateInfo:
    sheets = tuple(SheetInfo(c.sheet.name, tuple(col.header for col in c.sheet.columns), len(c.rows)) for c in contents)
    return TemplateInfo(path, sheets)
