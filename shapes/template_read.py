"""Reading a filled submission template (``.xlsx``, or CSV files in the same layout) into RDF.

Templates come from strangers: workbooks are opened read-only with openpyxl (which parses XML with
defusedxml, so entity expansion is refused), only zips that look like workbooks are opened, and the
number of sheets, rows and cells read is capped. Every value keeps where it came from (sheet, row,
column), so that validation results can point at a cell. Cell errors are collected, up to a cap,
and raised together as one :class:`TemplateError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from ris3kg.ontology.namespaces import RIS3
from ris3kg.ontology.resources import new_graph
from ris3kg.shapes.template_cells import (
    CellError,
    CellLocation,
    CellValue,
    TemplateError,
    TemplateIssue,
    cell_text,
    parse_iri,
    parse_language,
    parse_literal,
    parse_node,
    render_iri,
    split_values,
    typed_literal,
)
from ris3kg.shapes.template_layout import (
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    PASSAGES_SHEET,
    PREFIXES_SHEET,
    STATEMENTS_SHEET,
    Column,
    ColumnKind,
    Sheet,
    TemplateLayout,
    template_layout,
)

IGNORED_SHEETS = (INSTRUCTIONS_SHEET, PREFIXES_SHEET, LISTS_SHEET)
"""Sheets a reader skips: they explain the template, they hold no data."""

Triple = tuple[Node, Node, Node]
_T = TypeVar("_T")


@dataclass(frozen=True)
class ReadLimits:
    """Caps on what a reader takes from an untrusted file.

    Attributes:
        max_sheets: Sheets (or CSV files) per template.
        max_rows: Rows per sheet, the header included.
        max_cells: Non-empty cells in the whole template.
        max_bytes: Uncompressed bytes of the workbook's zip members (or of the CSV files).
        max_errors: Problems collected before reading stops.
    """

    max_sheets: int = 64
    max_rows: int = 20_000
    max_cells: int = 1_000_000
    max_bytes: int = 100_000_000
    max_errors: int = 50


@dataclass(frozen=True)
class TemplateGraph:
    """A filled template as RDF, with where every subject and triple came from.

    Attributes:
        graph: The triples (the project's prefixes bound).
        locations: For every subject, the first row that defines it (its id cell), or for a
            passage its row.
        triple_locations: For every triple, the cell (or row) it was read from.
    """

    graph: Graph
    locations: Mapping[Node, CellLocation]
    triple_locations: Mapping[Triple, CellLocation]


@dataclass(frozen=True)
class RawSheet:
    """A sheet as read from a file: a name and its rows (the header first), numbered from 1."""

    file: str
    name: str
    rows: Iterator[tuple[int, tuple[CellValue, ...]]]


def parse_value(column: Column, text: str) -> Node:
    """Return the RDF term one value of a column stands for.

    Raises:
        CellError: The text cannot be converted for this column.
    """
    if column.kind is ColumnKind.TEXT:
        return Literal(text, lang=column.language)
    if column.kind is ColumnKind.LITERAL:
        return parse_literal(text, column.datatypes)
    iri = parse_iri(text)
    if column.allowed and iri not in column.allowed:
        raise CellError(f"{render_iri(iri)} is not one of the values of the drop-down list for '{column.header}'")
    return iri


def read_xlsx(path: Path, *, limits: ReadLimits | None = None, layout: TemplateLayout | None = None) -> TemplateGraph:
    """Read a filled ``.xlsx`` template.

    Raises:
        TemplateError: The file is not a workbook, is too large, or has cells that cannot be converted.
    """
    limits = limits or ReadLimits()
    label = path.name
    _check_zip(path, label, limits, workbook=True)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl and defusedxml raise many kinds; all mean "not readable"
        raise TemplateError.whole_file(label, f"not a readable .xlsx workbook: {_reason(exc)}") from exc
    try:
        names = [name for name in workbook.sheetnames if name not in IGNORED_SHEETS]
        if len(names) > limits.max_sheets:
            raise TemplateError.whole_file(label, f"too many sheets ({len(names)}; at most {limits.max_sheets})")
        sheets = (RawSheet(label, name, _xlsx_rows(workbook[name].iter_rows(values_only=True))) for name in names)
        return _convert(label, sheets, limits, layout or template_layout())
    except TemplateError:
        raise
    except Exception as exc:  # a sheet's XML is only parsed while its rows are read
        raise TemplateError.whole_file(label, f"not a readable .xlsx workbook: {_reason(exc)}") from exc
    finally:
        workbook.close()


def read_csv(path: Path, *, limits: ReadLimits | None = None, layout: TemplateLayout | None = None) -> TemplateGraph:
    """Read a folder, or a zip, of CSV files named ``<sheet>.csv`` with the template's header rows.

    Raises:
        TemplateError: Not a folder or zip of CSV files, too large, or cells that cannot be converted.
    """
    limits = limits or ReadLimits()
    texts: list[tuple[str, str, str]] = []  # file label, sheet name, text
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if sum(p.stat().st_size for p in files) > limits.max_bytes:
            raise TemplateError.whole_file(path.name, f"the CSV files are larger than {limits.max_bytes} bytes")
        for file in files[: limits.max_sheets + 1]:
            texts.append((f"{path.name}/{file.name}", file.stem, _decode(file.read_bytes(), file.name)))
    else:
        _check_zip(path, path.name, limits, workbook=False)
        with zipfile.ZipFile(path) as archive:
            members = sorted(m for m in archive.namelist() if m.lower().endswith(".csv") and not m.endswith("/"))
            for member in members[: limits.max_sheets + 1]:
                name = Path(member).stem
                texts.append((f"{path.name}/{member}", name, _decode(archive.read(member), member)))
    if not texts:
        raise TemplateError.whole_file(path.name, "no CSV files (<sheet>.csv) found")
    texts = [t for t in texts if t[1] not in IGNORED_SHEETS]
    if len(texts) > limits.max_sheets:
        raise TemplateError.whole_file(path.name, f"too many CSV files (at most {limits.max_sheets})")
    sheets = (RawSheet(label, name, _csv_rows(text)) for label, name, text in texts)
    return _convert(path.name, sheets, limits, layout or template_layout())


def _reason(exc: BaseException) -> str:
    """Say why a file could not be read: the innermost cause first (openpyxl wraps XML errors)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 5:
        chain.append(current)
        current = current.__cause__ or current.__context__
    parts = [f"{type(e).__name__}: {' '.join(str(e).split())[:200]}" for e in reversed(chain)]
    return "; ".join(parts)


def _check_zip(path: Path, label: str, limits: ReadLimits, *, workbook: bool) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        kind = ".xlsx workbook" if workbook else "zip of CSV files"
        raise TemplateError.whole_file(label, f"not an {kind} (not a zip file)") from exc
    names = {m.filename for m in members}
    if workbook and not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise TemplateError.whole_file(label, "not an .xlsx workbook (a zip without xl/workbook.xml)")
    if sum(m.file_size for m in members) > limits.max_bytes:
        raise TemplateError.whole_file(label, f"unpacks to more than {limits.max_bytes} bytes")


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateError.whole_file(name, "not UTF-8 text: save the CSV file as UTF-8") from exc


def _xlsx_rows(rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    for number, row in enumerate(rows, start=1):
        yield number, tuple(_cell_value(value) for value in row)


def _cell_value(value: object) -> CellValue:
    """Return an openpyxl value as a plain cell value (rich text, durations, ... become text)."""
    if value is None or isinstance(value, str | int | float | bool | dt.datetime | dt.date | dt.time | Decimal):
        return value
    return str(value)


def _csv_rows(text: str) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    for number, row in enumerate(reader, start=1):
        yield number, tuple(row)


@dataclass
class _Collector:
    """The graph being built, where things came from, and the problems found."""

    file: str
    limits: ReadLimits
    graph: Graph = field(default_factory=new_graph)
    locations: dict[Node, CellLocation] = field(default_factory=dict)
    triple_locations: dict[Triple, CellLocation] = field(default_factory=dict)
    issues: list[TemplateIssue] = field(default_factory=list)
    blank_nodes: dict[str, BNode] = field(default_factory=dict)
    cells: int = 0

    def problem(self, location: CellLocation, message: str) -> None:
        self.issues.append(TemplateIssue(location, message))
        if len(self.issues) >= self.limits.max_errors:
            raise TemplateError(self.file, self.issues, truncated=True)

    def add(self, triple: Triple, location: CellLocation) -> None:
        self.graph.add(triple)
        self.triple_locations.setdefault(triple, location)


def _convert(file: str, sheets: Iterator[RawSheet], limits: ReadLimits, layout: TemplateLayout) -> TemplateGraph:
    collector = _Collector(file, limits)
    for raw in sheets:
        sheet = layout.sheet(raw.name)
        if sheet is None:
            known = ", ".join(s.name for s in layout.sheets)
            collector.problem(
                CellLocation(raw.file, raw.name, 1), f"unknown sheet {raw.name!r}; the sheets are {known}"
            )
            continue
        _read_sheet(collector, raw, sheet)
    if collector.issues:
        raise TemplateError(file, collector.issues)
    return TemplateGraph(collector.graph, collector.locations, collector.triple_locations)


def _read_sheet(collector: _Collector, raw: RawSheet, sheet: Sheet) -> None:
    columns: list[Column | None] | None = None
    for number, values in raw.rows:
        if number > collector.limits.max_rows:
            collector.problem(CellLocation(raw.file, raw.name, number), f"more than {collector.limits.max_rows} rows")
            return
        texts = [cell_text(value).strip() for value in values]
        if columns is None:
            columns = _header(collector, raw, sheet, texts)
            if columns is None:
                return
            continue
        cells = {i: t for i, t in enumerate(texts) if t != "" or (isinstance(values[i], str) and values[i] != "")}
        if not cells:
            continue
        collector.cells += len(cells)
        if collector.cells > collector.limits.max_cells:
            collector.problem(CellLocation(raw.file, raw.name, number), f"more than {collector.limits.max_cells} cells")
            return
        row = _Row(collector, raw, number, columns, values)
        if sheet.name == STATEMENTS_SHEET:
            _statement_row(row)
        elif sheet.name == PASSAGES_SHEET:
            _passages_row(row)
        else:
            _entity_row(row, sheet)
    if columns is None:
        collector.problem(CellLocation(raw.file, raw.name, 1), "the sheet has no header row")


def _header(collector: _Collector, raw: RawSheet, sheet: Sheet, texts: list[str]) -> list[Column | None] | None:
    columns: list[Column | None] = []
    seen: set[str] = set()
    ok = True
    for index, text in enumerate(texts):
        letter = get_column_letter(index + 1)
        if text == "":
            columns.append(None)
            continue
        column = sheet.column(text)
        where = CellLocation(raw.file, raw.name, 1, text, letter)
        if column is None:
            collector.problem(
                where, f"unknown column {text!r} on sheet '{sheet.name}'; see the template for its columns"
            )
            ok = False
        elif column.header in seen:
            collector.problem(where, f"column {text!r} appears twice")
            ok = False
        else:
            seen.add(column.header)
        columns.append(column)
    first = sheet.columns[0].header
    if first not in seen:
        collector.problem(CellLocation(raw.file, raw.name, 1), f"the header row has no {first!r} column")
        ok = False
    return columns if ok else None


class _Row:
    """One data row: its cells by header, and a way to report a problem in one of them."""

    def __init__(
        self,
        collector: _Collector,
        raw: RawSheet,
        number: int,
        columns: list[Column | None],
        values: tuple[CellValue, ...],
    ) -> None:
        self.collector = collector
        self.raw = raw
        self.number = number
        self.cells: list[tuple[Column, str, CellLocation]] = []
        for index, column in enumerate(columns):
            if column is None or index >= len(values):
                continue
            value = values[index]
            text = value if isinstance(value, str) and column.kind is ColumnKind.LITERAL else cell_text(value)
            location = CellLocation(raw.file, raw.name, number, column.header, get_column_letter(index + 1))
            self.cells.append((column, text, location))

    @property
    def location(self) -> CellLocation:
        return CellLocation(self.raw.file, self.raw.name, self.number)

    def get(self, kind: ColumnKind) -> tuple[str, CellLocation] | None:
        for column, text, location in self.cells:
            if column.kind is kind and text.strip():
                return text.strip(), location
        return None

    def by_header(self, header: str) -> tuple[str, CellLocation]:
        for column, text, location in self.cells:
            if column.header == header:
                return text, location
        return "", CellLocation(self.raw.file, self.raw.name, self.number, header)


def _entity_row(row: _Row, sheet: Sheet) -> None:
    collector = row.collector
    found = row.get(ColumnKind.ID)
    if found is None:
        collector.problem(row.location, "the row has values but no id: give the thing an id (a CURIE or IRI)")
        return
    try:
        subject: Node = parse_iri(found[0])
    except CellError as exc:
        collector.problem(found[1], str(exc))
        return
    collector.locations.setdefault(subject, found[1])
    typed = row.get(ColumnKind.TYPE)
    type_location = typed[1] if typed else found[1]
    cls = sheet.default_type
    if typed is not None:
        try:
            cls = parse_iri(typed[0])
        except CellError as exc:
            collector.problem(typed[1], str(exc))
            return
        if cls not in sheet.classes:
            allowed = ", ".join(render_iri(c) for c in sheet.classes)
            collector.problem(typed[1], f"{render_iri(cls)} is not a type of this sheet; use one of {allowed}")
            return
    if cls is None:
        collector.problem(row.location, "the type is missing: choose it from the drop-down list")
        return
    collector.add((subject, RDF.type, cls), type_location)
    for column, text, location in row.cells:
        if column.kind not in (ColumnKind.TEXT, ColumnKind.LITERAL, ColumnKind.IRI) or column.path is None:
            continue
        for value in split_values(text):
            try:
                collector.add((subject, column.path, parse_value(column, value)), location)
            except CellError as exc:
                collector.problem(location, str(exc))
    _passage(row, subject)


def _passage(row: _Row, subject: Node) -> None:
    """Add the row's source passage, if its passage cells are filled."""
    collector = row.collector
    document = row.get(ColumnKind.DOCUMENT)
    quote = row.get(ColumnKind.QUOTE)
    language = row.get(ColumnKind.QUOTE_LANGUAGE)
    if document is None and quote is None:
        if language is not None:
            collector.problem(language[1], "a quote language without a quote: add the quote or clear the cell")
        return
    passage = BNode()
    where = (quote or document or (None, row.location))[1]
    triples: list[tuple[Triple, CellLocation]] = [
        ((subject, PROV.wasDerivedFrom, passage), where),
        ((passage, RDF.type, RIS3.Passage), where),
    ]
    try:
        if document is not None:
            triples.append(((passage, PROV.wasQuotedFrom, parse_iri(document[0])), document[1]))
        if quote is not None:
            tag = parse_language(language[0]) if language is not None else None
            triples.append(((passage, PROV.value, Literal(quote[0], lang=tag)), quote[1]))
    except CellError as exc:
        failed = language if language is not None and "language tag" in str(exc) else document
        collector.problem(failed[1] if failed else row.location, str(exc))
        return
    collector.locations.setdefault(passage, where)
    for triple, location in triples:
        collector.add(triple, location)


def _passages_row(row: _Row) -> None:
    collector = row.collector
    found = row.get(ColumnKind.SUBJECT)
    if found is None:
        collector.problem(row.location, "the passage names no subject: give the id of the thing it is a source for")
        return
    try:
        subject = parse_iri(found[0])
    except CellError as exc:
        collector.problem(found[1], str(exc))
        return
    collector.locations.setdefault(subject, found[1])
    _passage(row, subject)


def _statement_row(row: _Row) -> None:
    collector = row.collector
    subject_text, subject_at = row.by_header("subject")
    predicate_text, predicate_at = row.by_header("predicate")
    object_text, object_at = row.by_header("object")
    datatype_text, datatype_at = row.by_header("datatype")
    language_text, language_at = row.by_header("language")
    try:
        subject = _at(subject_at, lambda: parse_node(_required(subject_text, subject_at), collector.blank_nodes))
        predicate = _at(predicate_at, lambda: parse_iri(_required(predicate_text, predicate_at)))
        obj: Node
        if language_text.strip():
            obj = Literal(object_text, lang=_at(language_at, lambda: parse_language(language_text)))
        elif datatype_text.strip():
            datatype = _at(datatype_at, lambda: parse_iri(datatype_text))
            obj = _at(object_at, lambda: typed_literal(object_text, datatype))
        else:
            obj = _at(object_at, lambda: parse_node(_required(object_text, object_at), collector.blank_nodes))
    except _LocatedCellError as exc:
        collector.problem(exc.location, exc.message)
        return
    if isinstance(subject, URIRef):
        collector.locations.setdefault(subject, subject_at)
    collector.add((subject, predicate, obj), object_at)


class _LocatedCellError(Exception):
    def __init__(self, location: CellLocation, message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


def _at(location: CellLocation, convert: Callable[[], _T]) -> _T:
    """Return ``convert()``, turning a cell error into one located at ``location``."""
    try:
        return convert()
    except CellError as exc:
        raise _LocatedCellError(location, str(exc)) from exc


def _required(text: str, location: CellLocation) -> str:
    if not text.strip():
        raise CellError(f"the {location.column} is missing")
    return text.strip()
