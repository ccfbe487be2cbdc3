"""Reading a submission from a stranger: RDF in any common syntax, or a filled spreadsheet.

A submission is untrusted input. It is read with pyoxigraph's parsers, which never open a URL
or a file (JSON-LD remote contexts are not fetched: a context ris3kg knows is replaced by its
local copy, any other is refused), within limits on size and triple count. RDF/XML with a
DOCTYPE or entity declarations is refused before parsing; ``owl:imports`` is never followed;
a submission that carries SHACL shapes is refused (the shapes are ris3kg's, never the
submitter's). Errors name the file, line and column where the parser can tell.

Each subject is given its location in the submission (the line of its first statement in
Turtle, TriG, N-Triples and N-Quads; the sheet and row in a spreadsheet) so that validation
results can say where to look.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, BNode, Graph, Node, URIRef
from rdflib.namespace import SH

from ris3kg.graph.terms import to_rdflib
from ris3kg.ontology.namespaces import ID_BASE, PREFIXES
from ris3kg.ontology.resources import new_graph
from ris3kg.shapes.template import read_csv_folder, read_template
from ris3kg.shapes.template_cells import CellLocation, TemplateError

CONTEXT_IRI = ID_BASE.rstrip("/").rsplit("/", 1)[0] + "/context.jsonld"
"""The JSON-LD context of ris3kg (the house prefixes), known locally: ``https://w3id.org/ris3kg/context.jsonld``."""


class SubmissionFormat(Enum):
    """The syntaxes a submission may come in, with their media types and file extensions."""

    TURTLE = ("turtle", "text/turtle", (".ttl", ".turtle"))
    TRIG = ("trig", "application/trig", (".trig",))
    N_TRIPLES = ("n-triples", "application/n-triples", (".nt",))
    N_QUADS = ("n-quads", "application/n-quads", (".nq",))
    JSON_LD = ("json-ld", "application/ld+json", (".jsonld", ".json"))
    RDF_XML = ("rdf-xml", "application/rdf+xml", (".rdf", ".owl", ".xml"))
    XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
    CSV_ZIP = ("csv-zip", "application/zip", (".zip",))

    def __init__(self, key: str, media_type: str, extensions: tuple[str, ...]) -> None:
        self.key = key
        self.media_type = media_type
        self.extensions = extensions

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
        raise SubmissionError(name, f"unknown file extension {suffix or '(none)'!r}; use one of {known}")

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
        raise SubmissionError(source, f"unknown submission format {key!r}; use one of {known}")


_OXIGRAPH_FORMATS = {
    SubmissionFormat.TURTLE: ox.RdfFormat.TURTLE,
    SubmissionFormat.TRIG: ox.RdfFormat.TRIG,
    SubmissionFormat.N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    SubmissionFormat.N_QUADS: ox.RdfFormat.N_QUADS,
    SubmissionFormat.JSON_LD: ox.RdfFormat.JSON_LD,
    SubmissionFormat.RDF_XML: ox.RdfFormat.RDF_XML,
}


class SubmissionError(ValueError):
    """A submission that cannot be read: names the file, the line and column where known, and the problem.

    Attributes:
        details: For a spreadsheet, every cell that cannot be converted, with its sheet, row and column.
    """

    def __init__(
        self,
        source: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        details: tuple[str, ...] = (),
    ) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        self.details = details
        where = source
        if line is not None:
            where += f", line {line}" + (f", column {column}" if column is not None else "")
        super().__init__("\n".join([f"{where}: {message}", *(f"  {detail}" for detail in details)]))


@dataclass(frozen=True)
class Limits:
    """How much of a submission ris3kg reads.

    Attributes:
        max_bytes: The largest file accepted.
        max_triples: The most triples accepted.
    """

    max_bytes: int = 32 * 1024 * 1024
    max_triples: int = 250_000


@dataclass(frozen=True)
class Location:
    """Where something is in a submission.

    Attributes:
        file: The file's name.
        line: The line (1-based), for line-based syntaxes.
        sheet: The sheet, for a spreadsheet or a CSV file of the template.
        row: The row as the spreadsheet shows it (1-based).
        column: The column's header, for a spreadsheet.
    """

    file: str
    line: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

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
    """

    source: str
    format: SubmissionFormat
    graph: Graph
    checksum: str
    size: int
    locations: Mapping[Node, Location] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def location_of(self, node: Node) -> Location | None:
        """Return where a node is described; for a blank node, where the subject that uses it is."""
        found = self.locations.get(node)
        if found is not None or not isinstance(node, BNode):
            return found
        for subject in self.graph.subjects(None, node):
            found = self.location_of(subject)
            if found is not None:
                return found
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
        SubmissionError: The file is too large, not in the syntax, hostile, or carries shapes.
    """
    if len(data) > limits.max_bytes:
        raise SubmissionError(name, f"the file has {len(data)} bytes; the limit is {limits.max_bytes}")
    fmt = fmt or SubmissionFormat.for_name(name)
    checksum = "sha256:" + hashlib.sha256(data).hexdigest()
    if fmt in (SubmissionFormat.XLSX, SubmissionFormat.CSV_ZIP):
        graph, locations = _read_spreadsheet(data, name=name, fmt=fmt)
        notes: list[str] = []
    else:
        graph, notes = _read_rdf(data, name=name, fmt=fmt, limits=limits)
        locations = _line_locations(data, name=name, graph=graph, fmt=fmt)
    if len(graph) > limits.max_triples:
        raise SubmissionError(name, f"the submission has {len(graph)} triples; the limit is {limits.max_triples}")
    _refuse_shapes(graph, name=name, locations=locations)
    for imported in graph.objects(None, OWL.imports):
        notes.append(f"owl:imports <{imported}> is not followed: a submission must contain all of its data")
    return Submission(name, fmt, graph, checksum, len(data), locations, tuple(notes))


def read_submission_file(path: Path, *, limits: Limits = Limits()) -> Submission:
    """Read a submission from a file, choosing the syntax from its extension.

    Raises:
        SubmissionError: The file cannot be read, or as for :func:`read_submission`.
    """
    fmt = SubmissionFormat.for_name(path.name)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise SubmissionError(str(path), f"the file has {size} bytes; the limit is {limits.max_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return read_submission(data, name=str(path), fmt=fmt, limits=limits)


# --------------------------------------------------------------------------- RDF syntaxes


def _read_rdf(data: bytes, *, name: str, fmt: SubmissionFormat, limits: Limits) -> tuple[Graph, list[str]]:
    notes: list[str] = []
    if fmt is SubmissionFormat.RDF_XML:
        _refuse_doctype(data, name=name)
    if fmt is SubmissionFormat.JSON_LD:
        data = _local_contexts(data, name=name)
    graph = new_graph()
    named: set[str] = set()
    try:
        for count, item in enumerate(ox.parse(data, format=_OXIGRAPH_FORMATS[fmt]), start=1):
            if count > limits.max_triples:
                raise SubmissionError(name, f"the submission has more than {limits.max_triples} triples, the limit")
            if isinstance(item, ox.Quad) and isinstance(item.graph_name, ox.NamedNode | ox.BlankNode):
                named.add(str(item.graph_name))
            graph.add((to_rdflib(item.subject), to_rdflib(item.predicate), to_rdflib(item.object)))
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


def _read_spreadsheet(data: bytes, *, name: str, fmt: SubmissionFormat) -> tuple[Graph, dict[Node, Location]]:
    """Convert a filled template (``.xlsx``, or a zip of its sheets as CSV files) to RDF."""
    with tempfile.TemporaryDirectory(prefix="ris3kg-submission-") as folder:
        path = Path(folder) / ("submission.xlsx" if fmt is SubmissionFormat.XLSX else "submission.zip")
        path.write_bytes(data)
        try:
            converted = read_template(path) if fmt is SubmissionFormat.XLSX else read_csv_folder(path)
        except TemplateError as exc:
            details = tuple(f"{_cell_location(issue.location, name)}: {issue.message}" for issue in exc.issues)
            count = len(details)
            raise SubmissionError(
                name, f"{count} problem{'s' if count != 1 else ''} in the template", details=details
            ) from exc
    locations: dict[Node, Location] = {node: _cell_location(cell, name) for node, cell in converted.locations.items()}
    return converted.graph, locations


def _cell_location(cell: CellLocation, name: str) -> Location:
    if not cell.sheet:
        return Location(name)
    return Location(name, sheet=cell.sheet, row=cell.row, column=cell.column)
