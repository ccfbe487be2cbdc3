r"""Cells of the submission template: where they are, what they hold, and what is wrong with them.

A cell holds one value or several separated by `` | ``; a literal ``|`` inside a value is written
``\|`` and a literal backslash ``\\``. IRIs are CURIEs with the project's prefixes
(``actor:ltu``) or full IRIs (``https://...``, optionally in ``<...>``); blank nodes on the
statements sheet are ``_:name``. A literal cell may name its datatype Turtle-style,
``26^^xsd:integer``, where the column allows several datatypes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from ris3kg.ontology.namespaces import PREFIXES, prefixed_name
from ris3kg.shapes.literals import LEXICAL, literal_problem

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | Decimal | None
"""What a spreadsheet cell can hold once read (openpyxl's value types; CSV cells are strings)."""

SEPARATOR = " | "
"""Between several values in one cell."""

_BAD_IRI = re.compile(r'[\s<>"{}|^`\\]')
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_TYPED = re.compile(r"^(?P<text>.*)\^\^(?P<datatype>\S+)$", re.DOTALL)
_NO_DATATYPE = (None, XSD.string)


_EXAMPLES = {
    XSD.integer: "a whole number, e.g. 2021",
    XSD.decimal: "a number written out in full, e.g. 100000000 or 12.5",
    XSD.boolean: "true or false",
    XSD.date: "a date, e.g. 2020-10-21",
    XSD.gYearMonth: "a year and month, e.g. 2020-10",
    XSD.gYear: "a year, e.g. 2020",
    XSD.string: "text",
}


@dataclass(frozen=True)
class CellLocation:
    """Where a value of a filled template is.

    Attributes:
        file: The file read (the workbook, or the CSV file of the sheet).
        sheet: The sheet's name (empty when the location is the whole file).
        row: The row number as the spreadsheet shows it (the header is row 1).
        column: The column's header, when the location is one cell.
        letter: The column's letter (``A``, ``B``, ...), when the location is one cell.
    """

    file: str
    sheet: str
    row: int
    column: str | None = None
    letter: str | None = None

    def __str__(self) -> str:
        if not self.sheet:
            return self.file
        where = f"{self.file}, sheet '{self.sheet}', row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        cell = self.cell
        return where if cell is None else f"{where}, cell {cell}"

    @property
    def cell(self) -> str | None:
        """The cell's reference as the spreadsheet shows it (``D7``), when the location is one cell."""
        return f"{self.letter}{self.row}" if self.letter and self.row > 0 else None


@dataclass(frozen=True)
class TemplateIssue:
    """One thing in a filled template that cannot be converted.

    Attributes:
        location: Where it is (the row, or the cell).
        message: What is wrong and what to write instead.
    """

    location: CellLocation
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class TemplateError(ValueError):
    """A filled template (or CSV folder) that cannot be converted to RDF.

    Attributes:
        file: The file concerned.
        issues: Every problem found (up to the cap the reader was given), in reading order.
    """

    def __init__(self, file: str, issues: Sequence[TemplateIssue], *, truncated: bool = False) -> None:
        self.file = file
        self.issues = tuple(issues)
        lines = [str(issue) for issue in self.issues]
        if truncated:
            lines.append("(further problems not listed; fix these first)")
        count = len(self.issues)
        head = f"{file}: {count} problem{'s' if count != 1 else ''} in the template"
        super().__init__("\n".join([head, *lines]))

    @classmethod
    def whole_file(cls, file: str, message: str) -> TemplateError:
        """Return an error about the file as a whole (not a workbook, too large, ...)."""
        return cls(file, [TemplateIssue(CellLocation(file, "", 0), message)])


class CellError(ValueError):
    """A cell's text that cannot be converted; the reader adds the location."""


def split_values(text: str) -> list[str]:
    r"""Split a cell's text into its values (`` | `` separated, ``\|`` is a literal bar, ``\\`` a backslash)."""
    values: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            current.append(following if following in ("\\", "|") else char + following)
        elif char == "|":
            values.append("".join(current))
            current = []
        else:
            current.append(char)
    values.append("".join(current))
    return [value.strip() for value in values if value.strip()]


def join_values(values: Sequence[str]) -> str:
    """Join values into one cell's text, escaping bars and backslashes."""
    return SEPARATOR.join(value.replace("\\", "\\\\").replace("|", "\\|") for value in values)


def cell_text(value: CellValue) -> str:
    """Return a cell's value as text, the way the template's parser reads it.

    Numbers become their shortest decimal form (``12`` not ``12.0``), booleans ``true``/``false``,
    dates their ISO form; empty cells the empty string.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def native_value(literal: Literal) -> CellValue:
    """Return the cell value to write for a literal: a number or boolean where it reads back exactly."""
    text = str(literal)
    if literal.datatype in (XSD.integer, XSD.decimal) and LEXICAL[XSD.integer].match(text):
        number = int(text)
        if str(number) == text and abs(number) < 10**15:  # Excel keeps 15 significant digits
            return number
    if literal.datatype == XSD.decimal and LEXICAL[XSD.decimal].match(text):
        try:
            value = float(text)
        except ValueError:
            return text
        if not value.is_integer() and cell_text(value) == text and len(text) <= 15:
            return value
    if literal.datatype == XSD.boolean and text in ("true", "false"):
        return text == "true"
    return text


def parse_iri(text: str, prefixes: Mapping[str, str] | None = None) -> URIRef:
    """Return the IRI a CURIE (``actor:ltu``) or full IRI (``https://...`` or ``<...>``) stands for.

    Args:
        text: The cell's value.
        prefixes: The prefixes to expand CURIEs with (the house prefixes and those declared on the
            Prefixes sheet); None for the house prefixes alone.

    Raises:
        CellError: The prefix is unknown or the IRI is malformed.
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if "://" in text or text.startswith("urn:"):
        iri = text
    else:
        prefix, colon, local = text.partition(":")
        if not colon:
            raise CellError(f"{text!r} is not an IRI: write a CURIE such as actor:ltu or a full https:// IRI")
        known = PREFIXES if prefixes is None else prefixes
        if prefix not in known:
            raise CellError(
                f"unknown prefix {prefix!r} in {text!r}: declare it on the Prefixes sheet (a row with the prefix "
                "and its namespace), use one of the prefixes listed there, or write a full https:// IRI"
            )
        iri = known[prefix] + local
    if not iri or _BAD_IRI.search(iri):
        raise CellError(f'{text!r} is not a valid IRI (no spaces or <>"{{}}|^` allowed)')
    return URIRef(iri)


def parse_node(text: str, blank_nodes: dict[str, BNode], prefixes: Mapping[str, str] | None = None) -> URIRef | BNode:
    """Return the IRI or the blank node (``_:name``, the same node for the same name) a cell names.

    Raises:
        CellError: Neither a blank node label nor a valid IRI.
    """
    text = text.strip()
    if text.startswith("_:"):
        label = text[2:]
        if not re.fullmatch(r"[A-Za-z0-9_-]+", label):
            raise CellError(f"{text!r} is not a blank node label: write _: followed by letters or digits")
        return blank_nodes.setdefault(label, BNode())
    return parse_iri(text, prefixes)


def parse_language(text: str) -> str:
    """Return a language tag, lower-cased.

    Raises:
        CellError: Not a language tag.
    """
    tag = text.strip()
    if not _LANGUAGE_TAG.match(tag):
        raise CellError(f"{tag!r} is not a language tag: write one such as en, sv, fi or pl")
    return tag.lower()


def parse_literal(text: str, datatypes: Sequence[URIRef], prefixes: Mapping[str, str] | None = None) -> Literal:
    """Return the literal a cell value stands for, in the first of the datatypes its text fits.

    ``xsd:string`` (and no datatype at all) gives a plain literal. ``value^^xsd:integer`` names
    the datatype explicitly; it must be one of ``datatypes``.

    Raises:
        CellError: The text fits none of the datatypes.
    """
    match = _TYPED.match(text)
    if match and len(datatypes) > 1:
        chosen = parse_iri(match.group("datatype"), prefixes)
        if chosen not in datatypes:
            allowed = ", ".join(prefixed_name(d) for d in datatypes)
            raise CellError(f"datatype {prefixed_name(chosen)} is not allowed here; use one of {allowed}")
        return typed_literal(match.group("text"), chosen)
    if not datatypes:
        return Literal(text)
    for datatype in datatypes:
        pattern = LEXICAL.get(datatype)
        if pattern is None or pattern.match(text):
            return typed_literal(text, datatype)
    raise CellError(f"{text!r} is not {describe_datatypes(datatypes)}")


def typed_literal(text: str, datatype: URIRef) -> Literal:
    """Return ``text`` as a literal of ``datatype`` (plain for ``xsd:string``).

    Raises:
        CellError: The text is not a valid value of a datatype the template knows.
    """
    if datatype in _NO_DATATYPE:
        return Literal(text)
    pattern = LEXICAL.get(datatype)
    if pattern is not None and not pattern.match(text):
        raise CellError(f"{text!r} is not {_EXAMPLES.get(datatype, prefixed_name(datatype))}")
    problem = literal_problem(text, datatype)
    if problem is not None:
        raise CellError(f"{problem.reason}, e.g. {problem.example}")
    return Literal(text, datatype=datatype)


def render_literal(literal: Literal, datatypes: Sequence[URIRef]) -> str:
    """Return a literal's text for a column of these datatypes, with ``^^datatype`` where needed."""
    text = str(literal)
    datatype = literal.datatype or XSD.string
    try:
        if parse_literal(text, datatypes) == literal:
            return text
    except CellError:
        pass
    return f"{text}^^{prefixed_name(URIRef(datatype))}"


def describe_datatypes(datatypes: Sequence[URIRef]) -> str:
    """Return what a literal column needs, in words."""
    if not datatypes:
        return "text"
    if XSD.integer in datatypes and XSD.decimal in datatypes:
        datatypes = [d for d in datatypes if d != XSD.integer]
    return " or ".join(_EXAMPLES.get(d, prefixed_name(d)) for d in datatypes)


def node_key(node: Node) -> str:
    """Return a sort key that orders nodes deterministically."""
    return f"{type(node).__name__}:{node}"
