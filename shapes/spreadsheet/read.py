"""Reading a filled submission template (``.xlsx``, or CSV files in the same layout) into RDF.

Templates come from strangers, so nothing in the file is trusted:

* a zip is opened only after its directory is checked (at most :attr:`ReadLimits.max_members`
  members, a directory that small), and members compressed with anything but deflate are refused;
* every member read is decompressed in small chunks with a running count of the bytes it really
  unpacks to (the sizes the zip declares are checked too, but never trusted), and reading stops
  as soon as a member or the whole passes its cap;
* a workbook is copied member by member that way into an in-memory zip whose sizes are honest,
  refusing parts that declare a DOCTYPE, before openpyxl sees it; openpyxl opens it read-only
  (XML through defusedxml) and each sheet's XML is walked cell by cell, so a huge declared
  dimension or a lone value in column XFD costs nothing: a value past
  :attr:`ReadLimits.max_columns` or :attr:`ReadLimits.max_rows` is refused where it is found;
* the number of sheets and of non-empty cells is capped.

Every value keeps where it came from (sheet, row, column header and letter), and every sheet its
columns as the file has them, so that validation results can point at a cell, an empty one too.
The Prefixes sheet is read first: the prefixes it declares (checked: a prefix name, an http(s)
namespace, no house prefix given another namespace) expand the CURIEs of every other sheet. A cell
with a drop-down list takes a value's code, its code and name, or its label in any language the
vocabularies give (case and spacing aside); anything else is refused with the closest values.

Cell errors are collected, up to a cap, and raised together as one
:class:`TemplateError`; a file past a cap is refused at once with a :class:`TemplateLimitError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import IO, TypeVar

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from ris3kg.ontology.namespaces import PREFIXES, RIS3, prefixed_name
from ris3kg.ontology.resources import new_graph
from ris3kg.shapes.spreadsheet.cells import (
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
    split_values,
    typed_literal,
)
from ris3kg.shapes.spreadsheet.layout import (
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

IGNORED_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET)
"""Sheets a reader skips: they explain the template, they hold no data (the Prefixes sheet is read first)."""

_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
_NAMESPACE = re.compile(r'^https?://[^\s<>"{}|^`\\]+$')
_SHOWN_CHOICES = 8
"""Values of a drop-down list named in a message about a value that is not in it."""

Triple = tuple[Node, Node, Node]
_T = TypeVar("_T")

_CHUNK = 64 * 1024
"""Bytes decompressed at a time: a member never inflates by more than this past its cap."""

_DIRECTORY_ENTRY_BYTES = 1024
"""The zip directory may take this much per allowed member (a workbook's entries take about 100)."""

_COMPRESSION_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}


@dataclass(frozen=True)
class ReadLimits:
    """Caps on what a reader takes from an untrusted file.

    Attributes:
        max_sheets: Sheets (or CSV files) per template.
        max_rows: Rows per sheet, the header included (the last row number that may hold a value).
        max_columns: Columns per sheet (the last column that may hold a value; the widest sheet of
            the template has 29).
        max_cells: Non-empty cells in the whole template.
        max_bytes: Uncompressed bytes of the workbook's zip members (or of the CSV files), counted
            as they are unpacked.
        max_member_bytes: Uncompressed bytes of any one zip member (the shared strings, a sheet, a
            CSV file).
        max_members: Members of the zip.
        max_errors: Problems collected before reading stops.
    """

    max_sheets: int = 64
    max_rows: int = 20_000
    max_columns: int = 64
    max_cells: int = 1_000_000
    max_bytes: int = 100_000_000
    max_member_bytes: int = 32 * 1024 * 1024
    max_members: int = 1_000
    max_errors: int = 50


class TemplateLimitError(TemplateError):
    """A template past one of the reader's caps: too large (or too wide, too long) to read.

    Attributes:
        limit: The :class:`ReadLimits` field that was passed (``max_rows``, ``max_bytes``, ...).
    """

    def __init__(self, file: str, location: CellLocation, message: str, *, limit: str) -> None:
        super().__init__(file, [TemplateIssue(location, message)])
        self.limit = limit


@dataclass(frozen=True)
class HeaderCell:
    """One column as a filled sheet has it: its header, letter and what it holds.

    Attributes:
        header: The template's header text for the column.
        letter: The column's letter in the file read (``D``).
        kind: What the column holds.
        path: The property its values are objects of (None for id and type columns).
    """

    header: str
    letter: str
    kind: ColumnKind
    path: URIRef | None


@dataclass(frozen=True)
class TemplateGraph:
    """A filled template as RDF, with where every subject and triple came from.

    Attributes:
        graph: The triples (the project's prefixes bound).
        locations: For every subject, the first row that defines it (its id cell), or for a
            passage its row.
        triple_locations: For every triple, the cell (or row) it was read from.
        headers: For every sheet read (by its template name), its columns as the file has them.
        prefixes: The prefixes CURIEs were expanded with: the house prefixes and those declared on
            the Prefixes sheet.
    """

    graph: Graph
    locations: Mapping[Node, CellLocation]
    triple_locations: Mapping[Triple, CellLocation]
    headers: Mapping[str, tuple[HeaderCell, ...]] = field(default_factory=dict)
    prefixes: Mapping[str, str] = field(default_factory=lambda: PREFIXES)


@dataclass(frozen=True)
class RawSheet:
    """A sheet as read from a file: a name and its rows (the header first), numbered from 1."""

    file: str
    name: str
    rows: Iterator[tuple[int, tuple[CellValue, ...]]]


def parse_value(column: Column, text: str, prefixes: Mapping[str, str] | None = None) -> Node:
    """Return the RDF term one value of a column stands for.

    In a column with a drop-down list, a value may be the code (``voc:helix-academia``), the
    label the list's values have in any language (``Academia``), or, where the list shows
    code-list values with their names (``nuts:SE221 Blekinge County``), the code and its name as
    the list has it (case and spacing aside).

    Args:
        column: The column the value is in.
        text: One value of the cell.
        prefixes: The prefixes CURIEs are expanded with (None: the house prefixes).

    Raises:
        CellError: The text cannot be converted for this column.
    """
    if column.kind is ColumnKind.TEXT:
        return Literal(text, lang=column.language)
    if column.kind is ColumnKind.LITERAL:
        return parse_literal(text, column.datatypes, prefixes)
    if column.choices:
        labelled = _label_index(column).get(_normal(text))
        if labelled is not None:
            return labelled
        if not _looks_like_iri(text, prefixes):
            raise _not_in_list(column, text)
    code, _, name = text.strip().partition(" ")
    if name.strip() and (column.names or column.labels):
        return _named_code(column, code, name, prefixes)
    iri = parse_iri(text, prefixes)
    if column.allowed and iri not in column.allowed:
        raise _not_in_list(column, prefixed_name(iri))
    return iri


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _looks_like_iri(text: str, prefixes: Mapping[str, str] | None) -> bool:
    """True when the text is written as an IRI or a CURIE with a known prefix (not as a label)."""
    text = text.strip()
    if text.startswith("<") or "://" in text or text.startswith("urn:"):
        return True
    first, _, rest = text.partition(" ")
    prefix, colon, _ = first.partition(":")
    if colon and not rest:
        return True  # a CURIE: an unknown prefix is said as such
    return bool(colon) and prefix in (PREFIXES if prefixes is None else prefixes)


@functools.lru_cache(maxsize=256)
def _label_index(column: Column) -> Mapping[str, URIRef]:
    """The drop-down list's values by every text that names one: its label in each language, its name."""
    index: dict[str, URIRef] = {}
    for value in column.choices:
        for text in (*column.labels.get(value, ()), column.names.get(value, "")):
            if text.strip():
                index.setdefault(_normal(text), value)
    return MappingProxyType(index)


def _shown(column: Column, value: URIRef) -> str:
    """How a value of the drop-down list is named in a message: its (English) label, else its code."""
    labels = column.labels.get(value, ())
    return labels[0] if labels else prefixed_name(value)


def _not_in_list(column: Column, text: str) -> CellError:
    """The error for a value that is not in a column's drop-down list, with the closest values."""
    shown = [_shown(column, value) for value in column.choices]
    close = difflib.get_close_matches(text.strip(), shown, n=3, cutoff=0.6)
    if not close:
        by_label = difflib.get_close_matches(_normal(text), list(_label_index(column)), n=3, cutoff=0.6)
        close = [_shown(column, _label_index(column)[found]) for found in by_label]
    listed = ", ".join(shown[:_SHOWN_CHOICES]) + (", …" if len(shown) > _SHOWN_CHOICES else "")
    guess = f" (did you mean {' or '.join(repr(c) for c in dict.fromkeys(close))}?)" if close else ""
    opens = " or the id of a thing described in the template" if column.suggested and not column.allowed else ""
    return CellError(
        f"{text.strip()!r} is not in the drop-down list for '{column.header}'{guess}: pick one of {listed}{opens}"
    )


def _named_code(column: Column, code: str, name: str, prefixes: Mapping[str, str] | None = None) -> URIRef:
    """Return the IRI of ``code`` written with its name, as the drop-down list shows it.

    Raises:
        CellError: The code is not in the list, or the name is not the list's name for it.
    """
    iri = parse_iri(code, prefixes)
    known = (column.names.get(iri, ""), *column.labels.get(iri, ())) if iri in column.choices else ()
    known = tuple(text for text in known if text.strip())
    listed = known[0] if known else None
    if listed is None:
        raise CellError(
            f"{code} {name.strip()!r}: {prefixed_name(iri)} is not one of the values of the drop-down list for "
            f"'{column.header}'; write a code alone, or pick a value from the list"
        )
    if _normal(name) not in {_normal(text) for text in known}:
        raise CellError(
            f"{prefixed_name(iri)} is {listed!r} in the drop-down list for '{column.header}', not {name.strip()!r}: "
            f"write {prefixed_name(iri)} alone, or pick it from the list"
        )
    return iri


def read_xlsx(path: Path, *, limits: ReadLimits | None = None, layout: TemplateLayout | None = None) -> TemplateGraph:
    """Read a filled ``.xlsx`` template.

    Raises:
        TemplateLimitError: The workbook is past one of the limits.
        TemplateError: The file is not a workbook, or has cells that cannot be converted.
    """
    return _read_xlsx(path, path.name, limits or ReadLimits(), layout or template_layout())


def read_xlsx_bytes(
    data: bytes, *, name: str, limits: ReadLimits | None = None, layout: TemplateLayout | None = None
) -> TemplateGraph:
    """Read a filled ``.xlsx`` template from its bytes, without writing them anywhere.

    Args:
        data: The workbook's content.
        name: The file's name, for messages and locations.
        limits: Caps on members, sizes, sheets, rows, columns, cells and errors collected.
        layout: The template's layout (by default the one derived from the shapes).

    Raises:
        TemplateLimitError: The workbook is past one of the limits.
        TemplateError: The file is not a workbook, or has cells that cannot be converted.
    """
    return _read_xlsx(io.BytesIO(data), name, limits or ReadLimits(), layout or template_layout())


def read_csv(path: Path, *, limits: ReadLimits | None = None, layout: TemplateLayout | None = None) -> TemplateGraph:
    """Read a folder, or a zip, of CSV files named ``<sheet>.csv`` with the template's header rows.

    Raises:
        TemplateLimitError: The files are past one of the limits.
        TemplateError: Not a folder or zip of CSV files, or cells that cannot be converted.
    """
    limits = limits or ReadLimits()
    layout = layout or template_layout()
    if not path.is_dir():
        return _read_csv_zip(path, path.name, limits, layout)
    texts: list[tuple[str, str, str]] = []  # file label, sheet name, text
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
    if sum(p.stat().st_size for p in files) > limits.max_bytes:
        raise _whole_file_limit(
            path.name,
            f"the CSV files are larger than {limits.max_bytes} bytes, the limit: split the template",
            "max_bytes",
        )
    for file in files[: limits.max_sheets + 1]:
        if file.stat().st_size > limits.max_member_bytes:
            raise _whole_file_limit(
                path.name,
                f"{file.name} is larger than {limits.max_member_bytes} bytes, the limit per file: split the sheet",
                "max_member_bytes",
            )
        texts.append((f"{path.name}/{file.name}", file.stem, _decode(file.read_bytes(), file.name)))
    return _convert_csv(path.name, texts, limits, layout)


def read_csv_zip_bytes(
    data: bytes, *, name: str, limits: ReadLimits | None = None, layout: TemplateLayout | None = None
) -> TemplateGraph:
    """Read a zip of CSV files named ``<sheet>.csv`` from its bytes, without writing them anywhere.

    Args:
        data: The zip's content.
        name: The file's name, for messages and locations.
        limits: Caps on members, sizes, files, rows, columns, cells and errors collected.
        layout: The template's layout (by default the one derived from the shapes).

    Raises:
        TemplateLimitError: The zip is past one of the limits.
        TemplateError: Not a zip of CSV files, or cells that cannot be converted.
    """
    return _read_csv_zip(io.BytesIO(data), name, limits or ReadLimits(), layout or template_layout())


# --------------------------------------------------------------------------- zips, read within bounds


def _whole_file_limit(label: str, message: str, limit: str) -> TemplateLimitError:
    return TemplateLimitError(label, CellLocation(label, "", 0), message, limit=limit)


def _not_a_zip(label: str, workbook: bool, why: str = "not a zip file") -> TemplateError:
    kind = "an .xlsx workbook" if workbook else "a zip of CSV files"
    hint = "; if the workbook is protected with a password, save it without one" if workbook else ""
    return TemplateError.whole_file(label, f"not {kind} ({why}){hint}")


def _check_directory(source: Path | IO[bytes], label: str, limits: ReadLimits) -> None:
    """Refuse a zip whose directory lists too many members, before ``zipfile`` builds them all."""
    find_end = getattr(zipfile, "_EndRecData", None)  # the stdlib's own reading of the end record
    if find_end is None:
        return
    try:
        if isinstance(source, Path):
            with source.open("rb") as handle:
                end = find_end(handle)
        else:
            end = find_end(source)
            source.seek(0)
    except (OSError, ValueError, IndexError, struct.error):
        return  # zipfile says what is wrong
    if not end:
        return
    entries, size = int(end[4]), int(end[5])  # _ECD_ENTRIES_TOTAL, _ECD_SIZE
    if entries > limits.max_members or size > limits.max_members * _DIRECTORY_ENTRY_BYTES:
        raise _whole_file_limit(
            label,
            f"the zip lists {entries} members in a directory of {size} bytes; at most {limits.max_members} "
            "members are read: remove the files the template does not need, or split it",
            "max_members",
        )


def _open_zip(source: Path | IO[bytes], label: str, limits: ReadLimits, *, workbook: bool) -> zipfile.ZipFile:
    """Open a zip whose directory is small enough, and whose declared sizes are within the caps."""
    _check_directory(source, label, limits)
    try:
        archive = zipfile.ZipFile(source)
    except Exception as exc:  # BadZipFile, struct.error, NotImplementedError, ...: all mean "not a zip"
        raise _not_a_zip(label, workbook) from exc
    try:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise _whole_file_limit(
                label,
                f"the zip has {len(members)} members; at most {limits.max_members} are read: remove the "
                "files the template does not need, or split it",
                "max_members",
            )
        names = [m.filename for m in members]
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise _not_a_zip(label, workbook, f"the zip holds two members named {twice!r}")
        if workbook and not {"[Content_Types].xml", "xl/workbook.xml"} <= set(names):
            raise TemplateError.whole_file(label, "not an .xlsx workbook (a zip without xl/workbook.xml)")
        for member in members:
            if member.file_size > limits.max_member_bytes:
                raise _member_limit(label, member.filename, member.file_size, limits)
        declared = sum(m.file_size for m in members)
        if declared > limits.max_bytes:
            raise _total_limit(label, declared, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def _member_limit(label: str, member: str, size: int | None, limits: ReadLimits) -> TemplateLimitError:
    amount = f"{size} bytes" if size is not None else "more bytes"
    return _whole_file_limit(
        label,
        f"the part {member} unpacks to {amount}; the limit is {limits.max_member_bytes} bytes per part: "
        "split the file, or remove what it does not need",
        "max_member_bytes",
    )


def _total_limit(label: str, size: int | None, limits: ReadLimits) -> TemplateLimitError:
    amount = f"{size} bytes" if size is not None else "more bytes"
    return _whole_file_limit(
        label,
        f"the file unpacks to {amount}; the limit is {limits.max_bytes} bytes: split the file",
        "max_bytes",
    )


class _Unpacked:
    """Counts the bytes a zip really unpacks to, across its members."""

    def __init__(self, archive: zipfile.ZipFile, label: str, limits: ReadLimits, *, workbook: bool) -> None:
        self.archive = archive
        self.label = label
        self.limits = limits
        self.workbook = workbook
        self.total = 0

    def chunks(self, member: zipfile.ZipInfo) -> Iterator[bytes]:
        """Yield a member's content a chunk at a time, stopping as soon as a cap is passed.

        Raises:
            TemplateLimitError: The member, or all members read so far, unpack past their cap.
            TemplateError: The member cannot be unpacked (bad CRC, truncated, encrypted, ...).
        """
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            method = _COMPRESSION_NAMES.get(member.compress_type, f"method {member.compress_type}")
            raise _not_a_zip(
                self.label,
                self.workbook,
                f"{member.filename} is compressed with {method}; save the zip with ordinary (deflate) compression",
            )
        size = 0
        try:
            with self.archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > self.limits.max_member_bytes:
                        raise _member_limit(self.label, member.filename, None, self.limits)
                    if self.total > self.limits.max_bytes:
                        raise _total_limit(self.label, None, self.limits)
                    yield chunk
        except TemplateError:
            raise
        except RuntimeError as exc:  # encrypted: a password is needed
            raise _not_a_zip(self.label, self.workbook, f"{member.filename} is encrypted") from exc
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
            raise _not_a_zip(
                self.label, self.workbook, f"{member.filename} cannot be unpacked: {_reason(exc)}"
            ) from exc

    def read(self, member: zipfile.ZipInfo) -> bytes:
        """Return a member's content, unpacked within the caps."""
        return b"".join(self.chunks(member))


_XML_PART = (".xml", ".rels", ".vml")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _honest_copy(source: Path | IO[bytes], label: str, limits: ReadLimits) -> io.BytesIO:
    """Copy a workbook's members into an in-memory zip, unpacking each within the caps.

    openpyxl reads some parts whole (``ZipFile.read``), which inflates a member in one go however
    small it says it is; the copy's sizes are the real ones, counted here, so openpyxl never
    unpacks more than was counted.
    """
    target = io.BytesIO()
    with (
        _open_zip(source, label, limits, workbook=True) as archive,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as copy,
    ):
        unpacked = _Unpacked(archive, label, limits, workbook=True)
        for member in archive.infolist():
            if member.is_dir():
                continue
            scan = member.filename.lower().endswith(_XML_PART)
            tail = b""
            with copy.open(member.filename, "w") as out:
                for chunk in unpacked.chunks(member):
                    if scan:
                        window = tail + chunk
                        if _DECLARATION.search(window):
                            raise TemplateError.whole_file(
                                label,
                                f"not a readable .xlsx workbook: the part {member.filename} has a DOCTYPE; Entity "
                                "declarations are refused (they can expand without bound or read local files): save "
                                "the workbook again from Excel or LibreOffice",
                            )
                        tail = window[-16:]
                    out.write(chunk)
    target.seek(0)
    return target


def _read_xlsx(source: Path | IO[bytes], label: str, limits: ReadLimits, layout: TemplateLayout) -> TemplateGraph:
    copy = _honest_copy(source, label, limits)
    try:
        workbook = load_workbook(copy, read_only=True, data_only=True)
    except MemoryError as exc:
        raise _whole_file_limit(label, "the workbook needs more memory than there is: split it", "max_bytes") from exc
    except Exception as exc:  # openpyxl and defusedxml raise many kinds; all mean "not readable"
        raise TemplateError.whole_file(label, f"not a readable .xlsx workbook: {_reason(exc)}") from exc
    try:
        names = _prefixes_first([name for name in workbook.sheetnames if name not in IGNORED_SHEETS])
        if len(names) > limits.max_sheets:
            raise _whole_file_limit(
                label,
                f"too many sheets ({len(names)}; at most {limits.max_sheets}): remove the sheets the "
                "template does not have, or split the workbook",
                "max_sheets",
            )
        sheets = (RawSheet(label, name, _xlsx_rows(workbook, name, label, limits)) for name in names)
        return _convert(label, sheets, limits, layout)
    except TemplateError:
        raise
    except MemoryError as exc:
        raise _whole_file_limit(label, "the workbook needs more memory than there is: split it", "max_bytes") from exc
    except Exception as exc:  # a sheet's XML is only parsed while its rows are read
        raise TemplateError.whole_file(label, f"not a readable .xlsx workbook: {_reason(exc)}") from exc
    finally:
        workbook.close()


def _read_csv_zip(source: Path | IO[bytes], label: str, limits: ReadLimits, layout: TemplateLayout) -> TemplateGraph:
    texts: list[tuple[str, str, str]] = []  # file label, sheet name, text
    with _open_zip(source, label, limits, workbook=False) as archive:
        unpacked = _Unpacked(archive, label, limits, workbook=False)
        members = sorted(
            (m for m in archive.infolist() if m.filename.lower().endswith(".csv") and not m.is_dir()),
            key=lambda m: m.filename,
        )
        for member in members[: limits.max_sheets + 1]:
            name = Path(member.filename).stem
            texts.append((f"{label}/{member.filename}", name, _decode(unpacked.read(member), member.filename)))
    return _convert_csv(label, texts, limits, layout)


def _convert_csv(
    label: str, texts: list[tuple[str, str, str]], limits: ReadLimits, layout: TemplateLayout
) -> TemplateGraph:
    if not texts:
        raise TemplateError.whole_file(label, "no CSV files (<sheet>.csv) found")
    texts = [t for t in texts if t[1] not in IGNORED_SHEETS]
    texts.sort(key=lambda t: t[1].casefold() != PREFIXES_SHEET.casefold())
    if len(texts) > limits.max_sheets:
        raise _whole_file_limit(
            label,
            f"too many CSV files (at most {limits.max_sheets}): remove the files the template does not "
            "have, or split the zip",
            "max_sheets",
        )
    sheets = (RawSheet(file, name, _csv_rows(text, file, name, limits)) for file, name, text in texts)
    return _convert(label, sheets, limits, layout)


_SECRET_PATH = re.compile(r"(?<![\w/\\:.<])(?:[A-Za-z]:)?[\\/](?:[^\s\\/:'\"<>]+[\\/])+([^\s\\/:'\"<>]+)")


def _reason(exc: BaseException) -> str:
    """Say why a file could not be read: the innermost cause first (openpyxl wraps XML errors).

    Directories are cut from any path the exception names: messages go to the submitter.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 5:
        chain.append(current)
        current = current.__cause__ or current.__context__
    parts = [f"{type(e).__name__}: {' '.join(str(e).split())[:200]}" for e in reversed(chain)]
    return _SECRET_PATH.sub(r"\1", "; ".join(parts))


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateError.whole_file(name, f"{name} is not UTF-8 text: save the CSV file as UTF-8") from exc


# --------------------------------------------------------------------------- rows, read within bounds


def _too_wide(file: str, sheet: str, row: int, column: int, limits: ReadLimits) -> TemplateLimitError:
    last = get_column_letter(limits.max_columns)
    return TemplateLimitError(
        file,
        CellLocation(file, sheet, row, letter=get_column_letter(column)),
        f"cell {get_column_letter(column)}{row} holds a value past column {last}, the last column read "
        f"(the limit is {limits.max_columns} columns): move the value into the template's columns and remove "
        f"the empty columns after {last}",
        limit="max_columns",
    )


def _xlsx_rows(
    workbook: Workbook, name: str, label: str, limits: ReadLimits
) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    """Yield a sheet's rows that hold a value (and row 1, the header, always), from its XML.

    The sheet's declared dimension is not used: a row is as wide as its last value, and cells
    without a value are never materialised. A value past ``max_columns`` is refused at once.
    """
    sheet = workbook[name]
    if not isinstance(sheet, ReadOnlyWorksheet):
        raise TemplateError.whole_file(label, f"the sheet {name!r} is a chart, not a table of rows: remove it")
    with sheet._get_source() as source:  # type: ignore[attr-defined]  # openpyxl's own way into the sheet's XML
        parser = WorkSheetParser(
            source,
            getattr(sheet, "_shared_strings", []),
            data_only=True,
            epoch=workbook.epoch,
            date_formats=getattr(workbook, "_date_formats", set()),
            timedelta_formats=getattr(workbook, "_timedelta_formats", set()),
        )
        last = 0
        for number, cells in parser.parse():
            if number <= last:
                continue  # rows out of order or repeated: openpyxl skips them too
            values: dict[int, object] = {}
            for cell in cells:
                value, column = cell["value"], cell["column"]
                if value is None or not isinstance(column, int):
                    continue
                if column > limits.max_columns:
                    raise _too_wide(label, name, number, column, limits)
                values[column] = value
            if last == 0 and number != 1:
                yield 1, ()
            last = number
            if values or number == 1:
                width = max(values, default=0)
                yield number, tuple(_cell_value(values.get(c)) for c in range(1, width + 1))


def _cell_value(value: object) -> CellValue:
    """Return an openpyxl value as a plain cell value (rich text, durations, ... become text)."""
    if value is None or isinstance(value, str | int | float | bool | dt.datetime | dt.date | dt.time | Decimal):
        return value
    return str(value)


def _csv_rows(text: str, file: str, sheet: str, limits: ReadLimits) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            if len(row) > limits.max_columns:
                extra = next((i for i in range(limits.max_columns, len(row)) if row[i].strip()), None)
                if extra is not None:
                    raise _too_wide(file, sheet, number, extra + 1, limits)
                row = row[: limits.max_columns]
            yield number, tuple(row)
    except csv.Error as exc:
        raise TemplateError(
            file,
            [
                TemplateIssue(
                    CellLocation(file, sheet, number + 1),
                    f"not a readable CSV file ({exc}): save the sheet as CSV (UTF-8, comma-separated)",
                )
            ],
        ) from exc


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
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))
    headers: dict[str, tuple[HeaderCell, ...]] = field(default_factory=dict)

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
        if raw.name.strip().casefold() == PREFIXES_SHEET.casefold():
            _read_prefixes(collector, raw)
            continue
        sheet = layout.sheet(raw.name)
        if sheet is None:
            known = ", ".join(s.name for s in layout.sheets)
            collector.problem(
                CellLocation(raw.file, raw.name, 1), f"unknown sheet {raw.name!r}; the sheets are {known}"
            )
            continue
        _read_sheet(collector, raw, sheet, layout)
    if collector.issues:
        raise TemplateError(file, collector.issues)
    return TemplateGraph(
        collector.graph,
        collector.locations,
        collector.triple_locations,
        MappingProxyType(collector.headers),
        MappingProxyType(collector.prefixes),
    )


def _prefixes_first(names: list[str]) -> list[str]:
    """The sheets in reading order: the Prefixes sheet first (the others use its prefixes), then as they come."""
    return sorted(names, key=lambda name: name.strip().casefold() != PREFIXES_SHEET.casefold())


def _read_prefixes(collector: _Collector, raw: RawSheet) -> None:
    """Take the prefixes the Prefixes sheet declares (columns ``prefix`` and ``namespace``).

    A prefix is a letter followed by letters, digits, ``-`` or ``_``; its namespace an http(s) IRI.
    A house prefix may be listed with its own namespace (the template lists them all) but not
    given another one, and a prefix may not be declared twice with different namespaces.
    """
    declared: dict[str, CellLocation] = {}
    for number, values in raw.rows:
        texts = [cell_text(value).strip() for value in values[:2]]
        prefix, namespace = [*texts, "", ""][:2]
        if number == 1:
            if [prefix.casefold(), namespace.casefold()] != ["prefix", "namespace"]:
                collector.problem(
                    CellLocation(raw.file, raw.name, 1, "prefix", "A"),
                    "the Prefixes sheet's header row must be 'prefix' (column A) and 'namespace' (column B)",
                )
                return
            continue
        if not prefix and not namespace:
            continue
        prefix = prefix.removesuffix(":")
        at_prefix = CellLocation(raw.file, raw.name, number, "prefix", "A")
        at_namespace = CellLocation(raw.file, raw.name, number, "namespace", "B")
        if not _PREFIX_NAME.match(prefix):
            collector.problem(
                at_prefix,
                f"{prefix!r} is not a prefix name: write a letter followed by letters, digits, '-' or '_' "
                "(e.g. testlandia), without the colon",
            )
            continue
        if not _NAMESPACE.match(namespace):
            collector.problem(
                at_namespace,
                f"{namespace!r} is not a namespace: write the full http(s) IRI the prefix stands for, e.g. "
                "https://w3id.org/ris3kg/id/testlandia/",
            )
            continue
        house = PREFIXES.get(prefix)
        if house is not None and house != namespace:
            collector.problem(
                at_namespace,
                f"the prefix {prefix!r} is ris3kg's own and stands for {house}: keep that namespace, or declare "
                "another prefix for yours",
            )
            continue
        if prefix in declared and collector.prefixes[prefix] != namespace:
            collector.problem(
                at_namespace,
                f"the prefix {prefix!r} is declared twice with different namespaces (first in row "
                f"{declared[prefix].row}): keep one",
            )
            continue
        declared.setdefault(prefix, at_prefix)
        collector.prefixes[prefix] = namespace


def _read_sheet(collector: _Collector, raw: RawSheet, sheet: Sheet, layout: TemplateLayout) -> None:
    columns: list[Column | None] | None = None
    limits = collector.limits
    for number, values in raw.rows:
        texts = [cell_text(value).strip() for value in values]
        if columns is None:
            columns = _header(collector, raw, sheet, texts, layout)
            if columns is None:
                return
            continue
        cells = {i: t for i, t in enumerate(texts) if t != "" or (isinstance(values[i], str) and values[i] != "")}
        if not cells:
            continue
        if number > limits.max_rows:
            cell = f"{get_column_letter(min(cells) + 1)}{number}"
            raise TemplateLimitError(
                collector.file,
                CellLocation(raw.file, raw.name, number),
                f"more than {limits.max_rows} rows (cell {cell} holds a value; the limit is {limits.max_rows} rows): "
                "split the sheet's rows over several files",
                limit="max_rows",
            )
        collector.cells += len(cells)
        if collector.cells > limits.max_cells:
            raise TemplateLimitError(
                collector.file,
                CellLocation(raw.file, raw.name, number),
                f"more than {limits.max_cells} cells with a value, the limit: split the template over several files",
                limit="max_cells",
            )
        row = _Row(collector, raw, number, columns, values)
        if sheet.name == STATEMENTS_SHEET:
            _statement_row(row)
        elif sheet.name == PASSAGES_SHEET:
            _passages_row(row)
        else:
            _entity_row(row, sheet)
    if columns is None:
        collector.problem(CellLocation(raw.file, raw.name, 1), "the sheet has no header row")


def _header(
    collector: _Collector, raw: RawSheet, sheet: Sheet, texts: list[str], layout: TemplateLayout
) -> list[Column | None] | None:
    """The columns the header row names (a text column in any known language, ``label (fi)``, too)."""
    columns: list[Column | None] = []
    recorded: list[HeaderCell] = []
    seen: set[str] = set()
    ok = True
    for index, text in enumerate(texts):
        letter = get_column_letter(index + 1)
        if text == "":
            columns.append(None)
            continue
        column = layout.column(sheet, text)
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
        if column is not None:
            recorded.append(HeaderCell(column.header, letter, column.kind, column.path))
    collector.headers[sheet.name] = tuple(recorded)
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
        subject: Node = parse_iri(found[0], collector.prefixes)
    except CellError as exc:
        collector.problem(found[1], str(exc))
        return
    collector.locations.setdefault(subject, found[1])
    typed = row.get(ColumnKind.TYPE)
    type_location = typed[1] if typed else found[1]
    cls = sheet.default_type
    if typed is not None:
        try:
            cls = parse_iri(typed[0], collector.prefixes)
        except CellError as exc:
            collector.problem(typed[1], str(exc))
            return
        if cls not in sheet.classes:
            allowed = ", ".join(prefixed_name(c) for c in sheet.classes)
            collector.problem(typed[1], f"{prefixed_name(cls)} is not a type of this sheet; use one of {allowed}")
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
                collector.add((subject, column.path, parse_value(column, value, collector.prefixes)), location)
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
            triples.append(((passage, PROV.wasQuotedFrom, parse_iri(document[0], collector.prefixes)), document[1]))
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
        subject = parse_iri(found[0], collector.prefixes)
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
    prefixes = collector.prefixes
    try:
        subject = _at(
            subject_at, lambda: parse_node(_required(subject_text, subject_at), collector.blank_nodes, prefixes)
        )
        predicate = _at(predicate_at, lambda: parse_iri(_required(predicate_text, predicate_at), prefixes))
        obj: Node
        if language_text.strip():
            obj = Literal(object_text, lang=_at(language_at, lambda: parse_language(language_text)))
        elif datatype_text.strip():
            datatype = _at(datatype_at, lambda: parse_iri(datatype_text, prefixes))
            obj = _at(object_at, lambda: typed_literal(object_text, datatype))
        else:
            obj = _at(object_at, lambda: parse_node(_required(object_text, object_at), collector.blank_nodes, prefixes))
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
