"""Reading a submission from a stranger: RDF in any common syntax, or a filled spreadsheet.

A submission is untrusted input. It is read with pyoxigraph's parsers, which never open a URL
or a file (JSON-LD remote contexts are not fetched: a context ris3kg knows is replaced by its
local copy, any other is refused), within limits on size and triple count. RDF/XML with a
DOCTYPE or entity declarations is refused before parsing; ``owl:imports`` is never followed;
a submission that carries SHACL shapes is refused (the shapes are ris3kg's, never the
submitter's). Errors name the file, line and column where the parser can tell.

Reading is bounded: besides the file's size and triple count (:class:`Limits`), JSON-LD and
RDF/XML nested deeper than :attr:`Limits.max_depth` are refused before any parser sees them (deep
nesting crashes or stalls the parsers), and spreadsheets are read from memory within caps on zip
members, unpacked bytes (counted while unpacking, never taken from the zip's headers), sheets,
rows, columns and cells. Whatever goes wrong while reading untrusted bytes ends as a
:class:`SubmissionError` whose :attr:`~SubmissionError.kind` says whether the content is wrong,
too large, or in a format ris3kg does not read.

Each subject is given its location in the submission (the line of its first statement in
Turtle, TriG, N-Triples and N-Quads; the sheet and row in a spreadsheet) so that validation
results can say where to look.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Literal, get_args

import pyoxigraph as ox
from rdflib import OWL, BNode, Graph, Node, URIRef
from rdflib.namespace import PROV, SH

from ris3kg.graph.terms import to_rdflib
from ris3kg.ontology.formats import RdfSyntax
from ris3kg.ontology.namespaces import ID_BASE, PREFIXES
from ris3kg.ontology.resources import new_graph
from ris3kg.shapes.results import short_name
from ris3kg.shapes.spreadsheet.cells import CellLocation, TemplateError
from ris3kg.shapes.spreadsheet.layout import ColumnKind
from ris3kg.shapes.spreadsheet.read import (
    HeaderCell,
    ReadLimits,
    TemplateLimitError,
    read_csv_zip_bytes,
    read_xlsx_bytes,
)

CONTEXT_IRI = ID_BASE.rstrip("/").rsplit("/", 1)[0] + "/context.jsonld"
"""The JSON-LD context of ris3kg (the house prefixes), known locally: ``https://w3id.org/ris3kg/context.jsonld``."""


class SubmissionFormat(Enum):
    """The syntaxes a submission may come in.

    The RDF syntaxes take their media types and extensions from
    :class:`~ris3kg.ontology.formats.RdfSyntax`; then a filled spreadsheet template and a zip of CSV files.
    """

    TURTLE = ("turtle", RdfSyntax.TURTLE)
    TRIG = ("trig", RdfSyntax.TRIG)
    N_TRIPLES = ("n-triples", RdfSyntax.N_TRIPLES)
    N_QUADS = ("n-quads", RdfSyntax.N_QUADS)
    JSON_LD = ("json-ld", RdfSyntax.JSON_LD)
    RDF_XML = ("rdf-xml", RdfSyntax.RDF_XML)
    XLSX = ("xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
    CSV_ZIP = ("csv-zip", None, "application/zip", (".zip",))

    def __init__(
        self, key: str, syntax: RdfSyntax | None, media_type: str = "", extensions: tuple[str, ...] = ()
    ) -> None:
        self.key = key
        self.syntax = syntax
        self.media_type = syntax.media_type if syntax is not None else media_type
        self.extensions = tuple(f".{ext}" for ext in syntax.extensions) if syntax is not None else extensions

    @classmethod
    def for_name(cls, name: str) -> SubmissionFormat:
        """Return the format for a file name's extension.

        Raises:
            SubmissionError: The extension is not one ris3kg reads.
        """
        suffix = Path(name).suffix.lower()
        for fmt in cls:
            if suffix in fmt.extensions:
                return fmt
        known = ", ".join(ext for fmt in cls for ext in fmt.extensions)
        raise SubmissionError(
            name, f"unknown file extension {suffix or '(none)'!r}; use one of {known}", kind="unsupported_format"
        )

    @classmethod
    def for_key(cls, key: str, *, source: str) -> SubmissionFormat:
        """Return the format for a key (``turtle``), a media type (``text/turtle``) or an extension (``ttl``).

        Raises:
            SubmissionError: No format matches.
        """
        wanted = key.split(";", 1)[0].strip().lower()
        for fmt in cls:
            if wanted in (fmt.key, fmt.media_type) or f".{wanted}" in fmt.extensions:
                return fmt
        known = ", ".join(fmt.key for fmt in cls)
        raise SubmissionError(
            source, f"unknown submission format {key!r}; use one of {known}", kind="unsupported_format"
        )


SubmissionErrorKind = Literal["invalid", "too_large", "unsupported_format"]
"""What is wrong with a submission that cannot be read, for a web layer to map to a status.

``invalid`` (400): the content is wrong; ``too_large`` (413): a size, count, depth or other limit
of :class:`Limits` was passed; ``unsupported_format`` (415): the format is not one ris3kg reads.
"""

_KINDS: tuple[str, ...] = get_args(SubmissionErrorKind)


class SubmissionError(ValueError):
    """A submission that cannot be read: names the file, the line and column where known, and the problem.

    It pickles (it is sent between processes) with all of its attributes.

    Attributes:
        source: The file's name as the submitter gave it.
        message: What is wrong, and what to do about it.
        line: The line (1-based), where the parser can tell.
        column: The column (1-based), where the parser can tell.
        details: For a spreadsheet, every cell that cannot be converted, with its sheet, row and column.
        kind: ``invalid``, ``too_large`` or ``unsupported_format`` (see :data:`SubmissionErrorKind`).
    """

    def __init__(
        self,
        source: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        details: tuple[str, ...] = (),
        kind: SubmissionErrorKind = "invalid",
    ) -> None:
        if kind not in _KINDS:
            raise ValueError(f"unknown SubmissionError kind {kind!r}; use one of {', '.join(_KINDS)}")
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        self.details = tuple(details)
        self.kind: SubmissionErrorKind = kind
        where = source
        if line is not None:
            where += f", line {line}" + (f", column {column}" if column is not None else "")
        super().__init__("\n".join([f"{where}: {message}", *(f"  {detail}" for detail in self.details)]))

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle by the constructor's arguments (the default would pass only the formatted text)."""
        return (
            _restore_submission_error,
            (type(self), self.source, self.message, self.line, self.column, self.details, self.kind),
        )


def _restore_submission_error(
    cls: type[SubmissionError],
    source: str,
    message: str,
    line: int | None,
    column: int | None,
    details: tuple[str, ...],
    kind: SubmissionErrorKind,
) -> SubmissionError:
    return cls(source, message, line=line, column=column, details=details, kind=kind)


_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of a submission ris3kg reads; past any of these it is refused as ``too_large``.

    Attributes:
        max_bytes: The largest file accepted.
        max_triples: The most triples accepted.
        max_depth: How deeply JSON-LD objects and arrays, or RDF/XML elements, may nest.
        max_sheets: Sheets of a workbook (or CSV files of a zip) read as data.
        max_rows: Rows of a sheet, the header included: the last row number that may hold a value.
        max_columns: Columns of a sheet: the last column that may hold a value (64 is column BL;
            the widest sheet of the template has 29 columns).
        max_cells: Non-empty cells of a whole spreadsheet.
        max_cell_errors: Cell problems listed before reading a spreadsheet stops.
        max_zip_members: Members of a zip (an ``.xlsx`` workbook is one).
        max_member_bytes: Bytes any one zip member unpacks to (the shared strings, a sheet, a CSV file).
        max_unpacked_ratio: All members of a zip together unpack to at most this many times ``max_bytes`` ...
        max_unpacked_bytes: ... and to at most this many bytes.
    """

    max_bytes: int = 32 * _MIB
    max_triples: int = 250_000
    max_depth: int = 64
    max_sheets: int = 64
    max_rows: int = 20_000
    max_columns: int = 64
    max_cells: int = 1_000_000
    max_cell_errors: int = 50
    max_zip_members: int = 1_000
    max_member_bytes: int = 32 * _MIB
    max_unpacked_ratio: int = 8
    max_unpacked_bytes: int = 256 * _MIB

    @property
    def max_unpacked(self) -> int:
        """The bytes all members of a zip may unpack to together.

        ``max_unpacked_ratio`` times ``max_bytes``, and at most ``max_unpacked_bytes``.
        """
        return min(self.max_unpacked_ratio * self.max_bytes, self.max_unpacked_bytes)

    def read_limits(self) -> ReadLimits:
        """Return the caps for the spreadsheet reader."""
        return ReadLimits(
            max_sheets=self.max_sheets,
            max_rows=self.max_rows,
            max_columns=self.max_columns,
            max_cells=self.max_cells,
            max_bytes=self.max_unpacked,
            max_member_bytes=min(self.max_member_bytes, self.max_unpacked),
            max_members=self.max_zip_members,
            max_errors=self.max_cell_errors,
        )


@dataclass(frozen=True)
class Location:
    """Where something is in a submission.

    Attributes:
        file: The file's name.
        line: The line (1-based), for line-based syntaxes.
        sheet: The sheet, for a spreadsheet or a CSV file of the template.
        row: The row as the spreadsheet shows it (1-based).
        column: The column's header, for a spreadsheet.
        letter: The column's letter (``D``), for a spreadsheet cell.
    """

    file: str
    line: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    letter: str | None = None

    @property
    def cell(self) -> str | None:
        """The cell's reference as the spreadsheet shows it (``D7``), when the location is one cell."""
        return f"{self.letter}{self.row}" if self.letter and self.row else None

    def __str__(self) -> str:
        """Return e.g. ``blekinge.ttl, line 12`` or ``blekinge.xlsx, sheet 'Actions', row 4``."""
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Submission:
    """A submission as read, before validation.

    Attributes:
        source: The file's name as the submitter gave it.
        format: The syntax it was read as.
        graph: Its triples (named graphs of TriG / N-Quads are merged).
        checksum: ``sha256:`` and the hex digest of the file's bytes.
        size: The file's size in bytes.
        locations: Where each subject is first described.
        notes: Remarks on what was read but not used (``owl:imports`` not followed, named graphs merged).
        cells: For a spreadsheet, the cell every triple was read from.
        headers: For a spreadsheet, every sheet's columns as the file has them (to locate an empty cell).
    """

    source: str
    format: SubmissionFormat
    graph: Graph
    checksum: str
    size: int
    locations: Mapping[Node, Location] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    cells: Mapping[tuple[Node, Node, Node], Location] = field(default_factory=dict)
    headers: Mapping[str, tuple[HeaderCell, ...]] = field(default_factory=dict)

    def locate(self, focus: Node, path: URIRef | None = None, value: str | None = None) -> Location | None:
        """Return where a result is: the cell of the offending value, or the empty cell of the missing one.

        In a spreadsheet, a value (as :func:`~ris3kg.shapes.results.short_name` writes it) is found
        in the cell its triple was read from; a property without a value points at the cell of its
        column in the focus's row (the row's source passage cells for provenance). Otherwise, and
        for every other syntax, it is :meth:`location_of` the focus.

        Args:
            focus: The entity the result is about.
            path: The property concerned, if any.
            value: The offending value, if any.
        """
        found = self.location_of(focus)
        if path is None or not self.cells or found is None or found.sheet is None:
            return found
        if value is not None:
            for obj in self.graph.objects(focus, path):
                cell = self.cells.get((focus, path, obj))
                if cell is not None and short_name(obj) == value:
                    return cell
        candidates = [h for h in self.headers.get(found.sheet, ()) if h.path == path]
        if path == PROV.wasDerivedFrom:
            candidates = [h for h in self.headers.get(found.sheet, ()) if h.kind is ColumnKind.QUOTE]
        if not candidates:
            cell = next(
                (
                    self.cells[(focus, path, o)]
                    for o in self.graph.objects(focus, path)
                    if (focus, path, o) in self.cells
                ),
                None,
            )
            return cell or found
        english = [h for h in candidates if h.header.endswith("(en)")]
        chosen = (english or candidates)[0]
        return dataclasses.replace(found, column=chosen.header, letter=chosen.letter)

    def location_of(self, node: Node) -> Location | None:
        """Return where a node is described; for a blank node, where the subject that uses it is.

        Blank nodes are followed up to a located subject, depth first in the graph's order; a chain
        of any length, or a cycle of blank nodes, is walked without recursion.
        """
        found = self.locations.get(node)
        if found is not None or not isinstance(node, BNode):
            return found
        seen: set[Node] = {node}
        pending: list[Iterator[Node]] = [iter(self.graph.subjects(None, node))]
        while pending:
            subject = next(pending[-1], None)
            if subject is None:
                pending.pop()
                continue
            if subject in seen:
                continue
            seen.add(subject)
            found = self.locations.get(subject)
            if found is not None:
                return found
            if isinstance(subject, BNode):
                pending.append(iter(self.graph.subjects(None, subject)))
        return None


def read_submission(
    data: bytes,
    *,
    name: str,
    fmt: SubmissionFormat | None = None,
    limits: Limits = Limits(),
) -> Submission:
    """Read a submission's bytes.

    Args:
        data: The file's content.
        name: The file's name (for messages, and for the format when ``fmt`` is not given).
        fmt: The syntax; by default from the name's extension.
        limits: Size and triple-count limits.

    Returns:
        The submission's graph, checksum and subject locations.

    Raises:
        SubmissionError: The file is too large, not in the syntax, hostile, or carries shapes. Any
            other exception raised while reading the bytes (a parser's, ``RecursionError``,
            ``MemoryError``) is turned into one.
    """
    if len(data) > limits.max_bytes:
        raise SubmissionError(
            name, f"the file has {len(data)} bytes; the limit is {limits.max_bytes}", kind="too_large"
        )
    fmt = fmt or SubmissionFormat.for_name(name)
    try:
        return _read_submission(data, name=name, fmt=fmt, limits=limits)
    except SubmissionError:
        raise
    except RecursionError as exc:
        raise SubmissionError(
            name,
            "the file nests too deeply to be read: describe nested things at the top level and refer to them by id",
            kind="too_large",
        ) from exc
    except MemoryError as exc:
        raise SubmissionError(
            name, "the file needs more memory to read than there is: split it into smaller files", kind="too_large"
        ) from exc
    except Exception as exc:  # a parser's own exception: the bytes are not what they claim to be
        raise SubmissionError(
            name,
            f"the file cannot be read as {fmt.key} ({_reason(exc)}): check that it is a valid {fmt.key} file, "
            "saved as UTF-8",
        ) from exc


def _read_submission(data: bytes, *, name: str, fmt: SubmissionFormat, limits: Limits) -> Submission:
    checksum = "sha256:" + hashlib.sha256(data).hexdigest()
    cells: dict[tuple[Node, Node, Node], Location] = {}
    headers: Mapping[str, tuple[HeaderCell, ...]] = {}
    if fmt in (SubmissionFormat.XLSX, SubmissionFormat.CSV_ZIP):
        graph, locations, cells, headers = _read_spreadsheet(data, name=name, fmt=fmt, limits=limits)
        notes: list[str] = []
    else:
        graph, notes = _read_rdf(data, name=name, fmt=fmt, limits=limits)
        locations = _line_locations(data, name=name, graph=graph, fmt=fmt)
    if len(graph) > limits.max_triples:
        raise SubmissionError(
            name, f"the submission has {len(graph)} triples; the limit is {limits.max_triples}", kind="too_large"
        )
    _refuse_shapes(graph, name=name, locations=locations)
    for imported in graph.objects(None, OWL.imports):
        notes.append(f"owl:imports <{imported}> is not followed: a submission must contain all of its data")
    return Submission(name, fmt, graph, checksum, len(data), locations, tuple(notes), cells, headers)


def read_submission_file(path: Path, *, limits: Limits = Limits()) -> Submission:
    """Read a submission from a file, choosing the syntax from its extension.

    Raises:
        SubmissionError: The file cannot be read, or as for :func:`read_submission`.
    """
    fmt = SubmissionFormat.for_name(path.name)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise SubmissionError(
                str(path), f"the file has {size} bytes; the limit is {limits.max_bytes}", kind="too_large"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return read_submission(data, name=str(path), fmt=fmt, limits=limits)


# --------------------------------------------------------------------------- RDF syntaxes


def _syntax(fmt: SubmissionFormat) -> RdfSyntax:
    assert fmt.syntax is not None, fmt
    return fmt.syntax


def _read_rdf(data: bytes, *, name: str, fmt: SubmissionFormat, limits: Limits) -> tuple[Graph, list[str]]:
    notes: list[str] = []
    if fmt is SubmissionFormat.RDF_XML:
        _refuse_doctype(data, name=name)
        _refuse_deep_xml(data, name=name, max_depth=limits.max_depth)
    if fmt is SubmissionFormat.JSON_LD:
        _refuse_deep_json(data, name=name, max_depth=limits.max_depth)
        data = _local_contexts(data, name=name)
    graph = new_graph()
    named: set[str] = set()
    try:
        for count, item in enumerate(ox.parse(data, format=_syntax(fmt).oxigraph), start=1):
            if count > limits.max_triples:
                raise SubmissionError(
                    name, f"the submission has more than {limits.max_triples} triples, the limit", kind="too_large"
                )
            if isinstance(item, ox.Quad) and isinstance(item.graph_name, ox.NamedNode | ox.BlankNode):
                named.add(str(item.graph_name))
            graph.add((to_rdflib(item.subject), to_rdflib(item.predicate), to_rdflib(item.object)))
    except SubmissionError:
        raise  # the triple limit (a ValueError too)
    except SyntaxError as exc:
        message = str(exc.msg) if exc.msg else str(exc)
        message = _POSITION.sub("", message)
        raise SubmissionError(name, message, line=exc.lineno, column=exc.offset) from exc
    except (ValueError, OSError, TypeError) as exc:
        raise SubmissionError(name, str(exc)) from exc
    if named:
        listed = ", ".join(sorted(f"<{g}>" for g in named))
        notes.append(f"the named graphs {listed} are read as one graph with the default graph")
    return graph, notes


_POSITION = re.compile(r"^Parser error (?:at|between) line \d+ column \d+(?: and line \d+ column \d+)?: ")
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse_doctype(data: bytes, *, name: str) -> None:
    match = _DOCTYPE.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        column = match.start() - (data.rfind(b"\n", 0, match.start()) + 1) + 1
        raise SubmissionError(
            name,
            f"RDF/XML with a {match.group(1).decode().upper()} declaration is refused: "
            "entity declarations can expand without bound or read local files; remove the DOCTYPE",
            line=line,
            column=column,
        )


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\[\s\S]?)*+(?:"|\Z)')
"""A JSON string, or an unterminated one up to the end: never fails at a quote, so scanning is linear."""
_JSON_TOKEN = re.compile(_JSON_STRING.pattern + rb"|[\[\]{}]")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


def _too_deep(brackets: bytes, max_depth: int) -> int | None:
    """Return the index of the first opening bracket deeper than ``max_depth``, or None."""
    depth = 0
    for index, byte in enumerate(brackets):
        if byte in _OPENING:
            depth += 1
            if depth > max_depth:
                return index
        else:
            depth -= 1
    return None


def _refuse_deep_json(data: bytes, *, name: str, max_depth: int) -> None:
    """Refuse JSON whose objects and arrays nest deeper than ``max_depth``, before it is parsed.

    Brackets inside strings do not count. Strings, then all but brackets, are dropped by the
    regular expression engine and ``bytes.translate``, so only brackets are counted in Python;
    only a refused file is scanned again, to say where.
    """
    index = _too_deep(_JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKET), max_depth)
    if index is None:
        return
    count = -1
    offset = 0
    for match in _JSON_TOKEN.finditer(data):
        if match.group()[:1] != b'"':
            count += 1
            if count == index:
                offset = match.start()
                break
    line, column = _line_column(data, offset)
    raise SubmissionError(
        name,
        f"the JSON nests objects and arrays more than {max_depth} levels deep, the limit: give nested nodes an "
        "@id and describe them at the top level (in @graph)",
        line=line,
        column=column,
        kind="too_large",
    )


_XML_TOKEN = re.compile(
    rb"<!--[\s\S]*?(?:-->|\Z)"  # a comment
    rb"|<!\[CDATA\[[\s\S]*?(?:\]\]>|\Z)"  # character data
    rb"|<[?!][\s\S]*?(?:>|\Z)"  # a processing instruction or declaration
    rb"|</"  # an end tag
    rb"|<(?:[^<>\"']|\"[^\"]*+(?:\"|\Z)|'[^']*+(?:'|\Z))*+(?:>|\Z)"  # a start tag, quoted values whole
)


def _refuse_deep_xml(data: bytes, *, name: str, max_depth: int) -> None:
    """Refuse XML whose elements nest deeper than ``max_depth``, before it is parsed.

    Comments, character data and processing instructions are skipped; a start tag is read with
    its quoted attribute values whole, so a ``/>`` or ``>`` inside a value does not count.
    """
    depth = 0
    for match in _XML_TOKEN.finditer(data):
        token = match.group()
        if token.startswith(b"</"):
            depth -= 1
        elif token[1:2] not in (b"!", b"?") and not token.endswith(b"/>"):
            depth += 1
            if depth > max_depth:
                line, column = _line_column(data, match.start())
                raise SubmissionError(
                    name,
                    f"the XML nests elements more than {max_depth} levels deep, the limit: describe nested "
                    "resources at the top level (rdf:about or rdf:nodeID) and refer to them",
                    line=line,
                    column=column,
                    kind="too_large",
                )


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


_PATH = re.compile(r"(?<![\w/\\:.<])(?:[A-Za-z]:)?[\\/](?:[^\s\\/:'\"<>]+[\\/])+([^\s\\/:'\"<>]+)")


def _scrub(text: str) -> str:
    """Cut the directories from any filesystem path in a message: messages go to the submitter."""
    return _PATH.sub(r"\1", text)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {_scrub(text)}" if text else type(exc).__name__


def local_context() -> dict[str, object]:
    """Return ris3kg's JSON-LD context: the house prefixes."""
    return {"@context": dict(PREFIXES)}


_KNOWN_CONTEXTS = {CONTEXT_IRI: local_context}


def _local_contexts(data: bytes, *, name: str) -> bytes:
    """Replace references to known remote contexts by their content; refuse any other."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError as exc:
        raise SubmissionError(name, f"the file is not UTF-8 text: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise SubmissionError(name, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc

    def resolve(context: object) -> object:
        if isinstance(context, str):
            known = _KNOWN_CONTEXTS.get(context)
            if known is None:
                raise SubmissionError(
                    name,
                    f"the JSON-LD context {context!r} is remote and is not fetched; inline it, or use "
                    f"ris3kg's own context {CONTEXT_IRI!r}",
                )
            return known()["@context"]
        if isinstance(context, list):
            return [resolve(item) for item in context]
        if isinstance(context, dict):
            if "@import" in context:
                raise SubmissionError(name, f"the JSON-LD @import {context['@import']!r} is not fetched; inline it")
            return {key: walk(value) for key, value in context.items()}
        return context

    def walk(node: object) -> object:
        if isinstance(node, dict):
            return {key: resolve(value) if key == "@context" else walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return json.dumps(walk(document)).encode("utf-8")


def _refuse_shapes(graph: Graph, *, name: str, locations: Mapping[Node, Location]) -> None:
    shacl = str(SH)
    for subject, predicate, obj in graph:
        if str(predicate).startswith(shacl) or (isinstance(obj, URIRef) and str(obj).startswith(shacl)):
            where = locations.get(subject)
            raise SubmissionError(
                name,
                f"the submission carries SHACL terms ({predicate} {obj}): shapes are ris3kg's own, a submission "
                "never brings its own; remove them",
                line=where.line if where else None,
            )


# --------------------------------------------------------------------------- locations

_LINE_BASED = (SubmissionFormat.TURTLE, SubmissionFormat.TRIG, SubmissionFormat.N_TRIPLES, SubmissionFormat.N_QUADS)
_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT = re.compile(r"^\s*(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,]*|:[^\s;,]*)")
_NT_SUBJECT = re.compile(r"^\s*<([^>]*)>")


def _line_locations(data: bytes, *, name: str, graph: Graph, fmt: SubmissionFormat) -> dict[Node, Location]:
    """Find the line where each IRI subject's first statement starts.

    Turtle and TriG are scanned a line at a time: a line that starts a statement (after a line
    ending in ``.``, or the document's start, or the ``{`` of a TriG graph) and begins with an IRI
    or a prefixed name names its subject. This is a reading aid; subjects it cannot place (nested
    in a bracket, or after an unusual line break) have no line.
    """
    if fmt not in _LINE_BASED:
        return {}
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    text = data.decode("utf-8", errors="replace")
    found: dict[Node, Location] = {}
    if fmt in (SubmissionFormat.N_TRIPLES, SubmissionFormat.N_QUADS):
        for number, line in enumerate(text.splitlines(), start=1):
            match = _NT_SUBJECT.match(line)
            if match:
                iri = URIRef(match.group(1))
                if iri in subjects and iri not in found:
                    found[iri] = Location(name, line=number)
        return found
    prefixes: dict[str, str] = {}
    at_start = True
    in_long_string = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count('"""') % 2 == 1:
            in_long_string = not in_long_string
            at_start = False
            continue
        if in_long_string:
            continue
        declared = _PREFIX.match(line)
        if declared:
            prefixes[declared.group(1) or ""] = declared.group(2)
            at_start = True
            continue
        code = _strip_comment(line).strip()
        if not code:
            continue
        if at_start:
            match = _SUBJECT.match(code)
            if match:
                expanded = _expand(match.group(1), prefixes)
                if expanded is not None and expanded in subjects and expanded not in found:
                    found[expanded] = Location(name, line=number)
        at_start = code.endswith((".", "{", "}"))
    return found


def _strip_comment(line: str) -> str:
    in_string = False
    in_iri = False
    for index, char in enumerate(line):
        if char == '"' and not in_iri:
            in_string = not in_string
        elif char == "<" and not in_string:
            in_iri = True
        elif char == ">" and not in_string:
            in_iri = False
        elif char == "#" and not in_string and not in_iri:
            return line[:index]
    return line


def _expand(token: str, prefixes: Mapping[str, str]) -> URIRef | None:
    if token.startswith("<"):
        return URIRef(token[1:-1])
    prefix, _, local = token.partition(":")
    namespace = prefixes.get(prefix)
    if namespace is None:
        return None
    return URIRef(namespace + re.sub(r"\\(.)", r"\1", local))


# --------------------------------------------------------------------------- spreadsheets


def _read_spreadsheet(
    data: bytes, *, name: str, fmt: SubmissionFormat, limits: Limits
) -> tuple[
    Graph,
    dict[Node, Location],
    dict[tuple[Node, Node, Node], Location],
    Mapping[str, tuple[HeaderCell, ...]],
]:
    """Convert a filled template (``.xlsx``, or a zip of its sheets as CSV files) to RDF, in memory."""
    read = read_xlsx_bytes if fmt is SubmissionFormat.XLSX else read_csv_zip_bytes
    try:
        converted = read(data, name=name, limits=limits.read_limits())
    except TemplateLimitError as exc:
        issue = exc.issues[0]
        where = f"sheet '{issue.location.sheet}', row {issue.location.row}: " if issue.location.sheet else ""
        raise SubmissionError(name, where + issue.message, kind="too_large") from exc
    except TemplateError as exc:
        details = tuple(f"{_cell_location(issue.location, name)}: {issue.message}" for issue in exc.issues)
        count = len(details)
        raise SubmissionError(
            name, f"{count} problem{'s' if count != 1 else ''} in the template", details=details
        ) from exc
    locations: dict[Node, Location] = {node: _cell_location(cell, name) for node, cell in converted.locations.items()}
    cells = {triple: _cell_location(cell, name) for triple, cell in converted.triple_locations.items()}
    return converted.graph, locations, cells, converted.headers


def _cell_location(cell: CellLocation, name: str) -> Location:
    if not cell.sheet:
        return Location(name)
    return Location(name, sheet=cell.sheet, row=cell.row, column=cell.column, letter=cell.letter)
