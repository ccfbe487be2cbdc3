"""What to do about a validation result, said in spreadsheet words: which cell, which column, what to write.

A result of the shapes says what is wrong in RDF terms ("add prov:wasDerivedFrom [ a ris3:Passage
... ]"). For a submission that came as a filled template, the result is located at a cell (see
:meth:`ris3kg.shapes.submission.read.Submission.locate`), and its message is rewritten here from the
SHACL constraint component that found it, so that a shape added later is worded without an edit:

* ``sh:minCount`` (and qualified minimum counts): fill the column, in that row;
* ``sh:datatype``, ``sh:pattern``, minimum and maximum values and lengths, ``sh:nodeKind``,
  ``sh:languageIn``: write a value of the right kind in the cell, with an example;
* ``sh:in``, ``sh:class``, ``sh:node``, ``sh:hasValue``: pick a value from the drop-down list, or give
  the id of a row on the sheet of that class;
* ``sh:maxCount``, ``sh:uniqueLang``: keep one value;
* SPARQL constraints and the rest: check the cell named, with the shape's message.

The shape's own message is kept as the explanation, without the Turtle it may show. A few shapes
whose generic wording would mislead have their own in :data:`OVERRIDES`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import SH

from ris3kg.shapes.results import ValidationResult, iri_of, short_name
from ris3kg.shapes.spreadsheet.cells import describe_datatypes
from ris3kg.shapes.spreadsheet.layout import (
    ID_HEADER,
    LISTS_SHEET,
    QUOTE_HEADER,
    STATEMENTS_SHEET,
    Column,
    ColumnKind,
    TemplateLayout,
    template_layout,
)
from ris3kg.shapes.validation import shapes_graph

ResultKey = tuple[str, str | None, str | None, str | None]
"""A result's focus, path, value and shape, as :class:`ValidationResult` writes them."""

_MISSING = frozenset({SH.MinCountConstraintComponent, SH.QualifiedMinCountConstraintComponent})
_VALUE = frozenset(
    {
        SH.DatatypeConstraintComponent,
        SH.PatternConstraintComponent,
        SH.MinInclusiveConstraintComponent,
        SH.MaxInclusiveConstraintComponent,
        SH.MinExclusiveConstraintComponent,
        SH.MaxExclusiveConstraintComponent,
        SH.MinLengthConstraintComponent,
        SH.MaxLengthConstraintComponent,
        SH.NodeKindConstraintComponent,
        SH.LanguageInConstraintComponent,
    }
)
_CHOICE = frozenset(
    {
        SH.InConstraintComponent,
        SH.ClassConstraintComponent,
        SH.NodeConstraintComponent,
        SH.HasValueConstraintComponent,
        SH.OrConstraintComponent,
        SH.XoneConstraintComponent,
    }
)
_ONE = frozenset(
    {SH.MaxCountConstraintComponent, SH.UniqueLangConstraintComponent, SH.QualifiedMaxCountConstraintComponent}
)

_TURTLE = re.compile(r"\[|\]|\^\^|<[^>\s]*[:/][^>\s]*>|\s;\s|\"[^\"]*\"@|\"@")
"""Signs of Turtle in a message: brackets, typed or tagged literals, IRIs in angle brackets, ``;``."""


@dataclass(frozen=True)
class Cell:
    """Where a result is in a filled template.

    Attributes:
        sheet: The sheet's name.
        row: The row as the spreadsheet shows it.
        letter: The column's letter, None when the file has no such column.
        header: The column's header.
    """

    sheet: str
    row: int
    letter: str | None
    header: str | None

    @property
    def ref(self) -> str | None:
        """``D7``, when the column is in the file."""
        return f"{self.letter}{self.row}" if self.letter else None

    def as_tuple(self) -> tuple[str, int, str | None, str | None]:
        """The cell as :attr:`ValidationResult.cell` holds it: sheet, row, letter, header."""
        return (self.sheet, self.row, self.letter, self.header)


OVERRIDES: Mapping[str, str] = MappingProxyType(
    {
        "ris3sh:StrategyShape": (
            "Cell {ref} ('id') on sheet '{sheet}': give the strategy an id in your strategy's namespace, e.g. "
            "testlandia:strategy, with the prefix testlandia declared on the Prefixes sheet as "
            "https://w3id.org/ris3kg/id/testlandia/ (1 to 63 lower-case letters, digits and hyphens)"
        ),
        "ris3sh:StrategyElementShape": (
            "Cell {ref} ('id') on sheet '{sheet}': give it an id in your strategy's namespace, lower case with "
            "hyphens, e.g. testlandia:bottleneck-1, with the prefix testlandia declared on the Prefixes sheet"
        ),
    }
)
"""Instructions for shapes whose generic wording would mislead, keyed by shape (``{ref}``, ``{sheet}``,
``{row}``, ``{header}`` are filled in)."""


def constraint_components(report: Graph) -> dict[ResultKey, URIRef]:
    """Return the constraint component of every result of a SHACL report, by its focus, path, value and shape."""
    found: dict[ResultKey, URIRef] = {}
    for node in report.subjects(RDF.type, SH.ValidationResult):
        component = report.value(node, SH.sourceConstraintComponent)
        focus = report.value(node, SH.focusNode)
        if not isinstance(component, URIRef) or focus is None:
            continue
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        key = (
            str(focus),
            short_name(path) if isinstance(path, URIRef) else (None if path is None else "(complex path)"),
            None if value is None else short_name(value),
            short_name(report.value(node, SH.sourceShape)),
        )
        found.setdefault(key, component)
    return found


def result_key(result: ValidationResult) -> ResultKey:
    """Return the key :func:`constraint_components` gives the result under."""
    return (result.focus, result.path, result.value, result.shape)


def in_spreadsheet(
    result: ValidationResult,
    cell: Cell,
    component: URIRef | None,
    *,
    layout: TemplateLayout | None = None,
) -> ValidationResult:
    """Return the result with its message in spreadsheet words and its cell.

    Args:
        result: The result, as the shapes or checks gave it.
        cell: Where it is in the filled template.
        component: The SHACL constraint component that found it (None: a check of ris3kg's own).
        layout: The template's layout (the default one by default), for what a column takes.
    """
    layout = layout or template_layout()
    instruction = _instruction(result, cell, component, layout)
    explanation = explain(result.message)
    message = f"{instruction}. {explanation}" if explanation else f"{instruction}."
    return dataclasses.replace(result, message=message, cell=cell.as_tuple())


def explain(message: str) -> str:
    """Return a SHACL message without the Turtle it shows: each sentence up to the colon before the Turtle."""
    kept: list[str] = []
    for sentence in re.split(r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)\s+", message.strip()):
        if not _TURTLE.search(sentence):
            kept.append(sentence)
            continue
        head = sentence.split(": ", 1)[0].strip() if ": " in sentence else ""
        if head and not _TURTLE.search(head) and len(head.split()) > 1:
            kept.append(head.rstrip(".") + ".")
    return " ".join(kept)


def _instruction(result: ValidationResult, cell: Cell, component: URIRef | None, layout: TemplateLayout) -> str:
    where = {"ref": cell.ref or f"row {cell.row}", "sheet": cell.sheet, "row": cell.row, "header": cell.header}
    override = OVERRIDES.get(result.shape or "")
    if override is not None and cell.header in (None, ID_HEADER):
        return override.format(**where)
    column = _column(layout, cell)
    if column is None or column.path is None or column.kind is ColumnKind.SUBJECT or cell.sheet == STATEMENTS_SHEET:
        column = _column_for_path(layout, result.path) or column
    if cell.header is None or (cell.header == ID_HEADER and result.path is not None and result.value is None):
        return f"Check row {cell.row} on sheet '{cell.sheet}'"
    if cell.letter is None:
        return (
            f"Add the column '{cell.header}' to sheet '{cell.sheet}' (the template has it) and fill it in row "
            f"{cell.row}{_with(column, layout)}"
        )
    if cell.header == QUOTE_HEADER and (component in _MISSING or result.value is None):
        return (
            f"Fill the column '{QUOTE_HEADER}' on sheet '{cell.sheet}', row {cell.row} (cell {cell.ref}) with the "
            "passage this rests on, word for word, and 'source document' with the document's id (a row of the "
            "Sources sheet)"
        )
    if component in _MISSING or (component is None and result.value is None and result.path is not None):
        fill = f"Fill the column '{cell.header}' on sheet '{cell.sheet}', row {cell.row} (cell {cell.ref})"
        return fill + _with(column, layout)
    named = f"Cell {cell.ref} ('{cell.header}') on sheet '{cell.sheet}'"
    if component in _ONE:
        return f"{named}: keep one value (the others go to another column or are removed)"
    if component in _VALUE:
        return f"{named}: write {_what(column, result)}"
    if component in _CHOICE or component is None:
        return f"{named}: {_choose(column, layout)}"
    return f"Check cell {cell.ref} ('{cell.header}') on sheet '{cell.sheet}'"


def _column(layout: TemplateLayout, cell: Cell) -> Column | None:
    sheet = layout.sheet(cell.sheet)
    if sheet is None or cell.header is None:
        return None
    return layout.column(sheet, cell.header)


def _column_for_path(layout: TemplateLayout, path: str | None) -> Column | None:
    """A column of any sheet for the property (one with a drop-down list first), for what its values need."""
    iri = iri_of(path)
    if iri is None:
        return None
    found = [c for sheet in layout.sheets for c in sheet.columns if c.path == iri and c.kind is not ColumnKind.TEXT]
    found.sort(key=lambda c: not c.choices)
    return found[0] if found else None


def _with(column: Column | None, layout: TemplateLayout) -> str:
    if column is None:
        return ""
    if column.kind is ColumnKind.LITERAL:
        return f" with {describe_datatypes(column.datatypes)}"
    if column.kind is ColumnKind.TEXT:
        return f" with the text in language '{column.language}'"
    if column.kind is ColumnKind.IRI:
        return ": " + _choose(column, layout)
    return ""


def _choose(column: Column | None, layout: TemplateLayout) -> str:
    if column is not None and column.choices:
        return "pick a value from the drop-down list"
    target = _target_sheet(column, layout)
    if target is not None:
        return f"give the id of a row on sheet '{target}'"
    return "give the id of a thing described in the template (a row on the sheet of its kind)"


def _target_sheet(column: Column | None, layout: TemplateLayout) -> str | None:
    """The sheet whose rows a column's values are, from the shapes' sh:class for the column's property."""
    if column is None or column.path is None:
        return None
    shapes = _shapes()
    for shape in shapes.subjects(SH.path, column.path):
        for cls in shapes.objects(shape, SH["class"]):
            sheet = layout.sheet_for(cls)
            if sheet is not None and sheet.name != LISTS_SHEET:
                return sheet.name
    return None


def _what(column: Column | None, result: ValidationResult) -> str:
    """What a value cell needs, in words, with the bounds the shape gives."""
    datatypes = column.datatypes if column is not None else ()
    shape = iri_of(result.shape)
    shapes = _shapes()
    low = shapes.value(shape, SH.minInclusive) if shape is not None else None
    high = shapes.value(shape, SH.maxInclusive) if shape is not None else None
    if XSD.integer in datatypes and isinstance(low, Literal):
        start = int(low.toPython())
        bound = f" up to {high}" if isinstance(high, Literal) else " up"
        return f"a whole number from {start}{bound}, e.g. {start + 2 if high is None else start}"
    if column is not None and column.kind is ColumnKind.IRI:
        return "an id or a value from the drop-down list, not text"
    if column is not None and column.kind is ColumnKind.TEXT:
        return f"the text in language '{column.language}'"
    if RDF.langString in datatypes or (shape is not None and (shape, SH.datatype, RDF.langString) in shapes):
        return (
            "the text in a column of its language (such as 'label (en)'), or with its language tag in the "
            "'language' column"
        )
    if not datatypes and shape is not None:
        datatypes = tuple(d for d in shapes.objects(shape, SH.datatype) if isinstance(d, URIRef))
    if XSD.integer in datatypes and isinstance(low, Literal):
        start = int(low.toPython())
        return f"a whole number from {start} up, e.g. {start + 2}"
    if datatypes:
        return describe_datatypes(datatypes)
    return "a value of the kind the column's comment says"


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    """The packaged shapes, parsed once (read only)."""
    return shapes_graph()
