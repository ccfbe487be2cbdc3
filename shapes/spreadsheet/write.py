"""Writing the submission template: empty from the shapes, or filled with a strategy's graph.

A graph is spread over the sheets so that reading the template back gives the same graph: every
subject with a type that has a sheet is a row there; each of its values goes into the column of its
property when reading that cell back gives exactly the same value, and onto the statements sheet
otherwise. A subject's first standard source passage (a blank node ``[ a ris3:Passage ;
prov:wasQuotedFrom ... ; prov:value ... ]``) fills the row's passage columns, the others are rows
of the passages sheet; any other blank node is written on the statements sheet as ``_:name``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as TypingLiteral

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from ris3kg.ontology.namespaces import PREFIXES, RIS3, prefixed_name
from ris3kg.shapes.spreadsheet.cells import (
    SEPARATOR,
    CellError,
    CellValue,
    cell_text,
    join_values,
    native_value,
    node_key,
    parse_iri,
    render_literal,
    split_values,
)
from ris3kg.shapes.spreadsheet.layout import (
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    PASSAGES_SHEET,
    PREFIXES_SHEET,
    STATEMENT_HEADERS,
    STATEMENTS_SHEET,
    Column,
    ColumnKind,
    Sheet,
    TemplateLayout,
)
from ris3kg.shapes.spreadsheet.read import parse_value

Triple = tuple[Node, Node, Node]

FIRST_SHEETS: tuple[str, ...] = (
    "Strategy",
    "Sources",
    "Areas",
    "Priorities",
    "Bottlenecks",
    "Actions",
    "Actors",
    "Governance",
    PASSAGES_SHEET,
    PREFIXES_SHEET,
)
"""The sheets a strategy usually needs, in the order they are filled, right after the instructions;
the other sheets follow in the layout's order, with tabs of another colour."""

REQUIRED_FILL = "F4B183"
"""Header fill of a column that must be filled (a missing value is a violation)."""
RECOMMENDED_FILL = "FFE699"
"""Header fill of a column that should be filled (a missing value is a warning)."""
_FIRST_TAB = "2F75B5"
_OTHER_TAB = "A6A6A6"
_HELPER_TAB = "70AD47"

_WIDTHS = {
    ColumnKind.ID: 34,
    ColumnKind.TYPE: 26,
    ColumnKind.TEXT: 40,
    ColumnKind.LITERAL: 16,
    ColumnKind.IRI: 28,
    ColumnKind.SUBJECT: 34,
    ColumnKind.DOCUMENT: 28,
    ColumnKind.QUOTE: 60,
    ColumnKind.QUOTE_LANGUAGE: 10,
}


@dataclass(frozen=True)
class SheetContent:
    """One sheet and its data rows (cell values in column order).

    Attributes:
        sheet: The sheet.
        rows: The data rows, below the header.
    """

    sheet: Sheet
    rows: tuple[tuple[CellValue, ...], ...]


@dataclass(frozen=True)
class _Passage:
    subject: URIRef
    document: URIRef | None
    quote: Literal | None
    triples: tuple[Triple, ...]


def sheet_contents(graph: Graph | None, layout: TemplateLayout) -> tuple[SheetContent, ...]:
    """Spread a graph over the template's sheets (every sheet, empty ones too).

    Args:
        graph: The strategy's graph, or None for an empty template.
        layout: The template's layout.

    Returns:
        Every sheet of the layout with its rows, in the layout's order.
    """
    if graph is None:
        return tuple(SheetContent(sheet, ()) for sheet in layout.sheets)
    passages = _standard_passages(graph)
    done: set[Triple] = {t for passage in passages.values() for t in passage.triples}
    by_subject: dict[URIRef, list[_Passage]] = defaultdict(list)
    for passage in sorted(passages.values(), key=lambda p: (str(p.quote), str(p.document))):
        by_subject[passage.subject].append(passage)
    rows: dict[str, list[tuple[CellValue, ...]]] = {sheet.name: [] for sheet in layout.sheets}
    for subject in sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str):
        sheet = next(
            (found for t in sorted(graph.objects(subject, RDF.type), key=str) if (found := layout.sheet_for(t))), None
        )
        if sheet is None:
            continue
        own = by_subject.get(subject, [])
        rows[sheet.name].append(_entity_row(graph, subject, sheet, own[0] if own else None, done))
        by_subject[subject] = own[1:]
    passages_sheet = layout.sheet(PASSAGES_SHEET)
    assert passages_sheet is not None
    for subject in sorted(by_subject, key=str):
        for passage in by_subject[subject]:
            rows[PASSAGES_SHEET].append((prefixed_name(subject), *_passage_cells(passage)))
    labels = _blank_labels(graph)
    for s, p, o in sorted(set(graph) - done, key=lambda t: tuple(node_key(n) for n in t)):
        rows[STATEMENTS_SHEET].append(_statement(s, p, o, labels))
    return tuple(SheetContent(sheet, tuple(rows[sheet.name])) for sheet in layout.sheets)


def _standard_passages(graph: Graph) -> dict[BNode, _Passage]:
    """The blank-node passages the passage columns can hold exactly."""
    found: dict[BNode, _Passage] = {}
    for node in {o for o in graph.objects(None, PROV.wasDerivedFrom) if isinstance(o, BNode)}:
        incoming = list(graph.subject_predicates(node))
        outgoing = list(graph.predicate_objects(node))
        if len(incoming) != 1 or incoming[0][1] != PROV.wasDerivedFrom or not isinstance(incoming[0][0], URIRef):
            continue
        if any(isinstance(s, BNode) for s in graph.subjects(None, incoming[0][0])) or (node, None, node) in graph:
            continue
        documents = [o for p, o in outgoing if p == PROV.wasQuotedFrom]
        quotes = [o for p, o in outgoing if p == PROV.value]
        other = [(p, o) for p, o in outgoing if p not in (PROV.wasQuotedFrom, PROV.value)]
        if other != [(RDF.type, RIS3.Passage)] or len(documents) > 1 or len(quotes) > 1:
            continue
        document = documents[0] if documents else None
        quote = quotes[0] if quotes else None
        if document is not None and not _iri_round_trips(document):
            continue
        if quote is not None and not (
            isinstance(quote, Literal) and quote.datatype is None and str(quote) == str(quote).strip() and str(quote)
        ):
            continue
        if document is None and quote is None:
            continue
        subject = incoming[0][0]
        triples: list[Triple] = [(subject, PROV.wasDerivedFrom, node), (node, RDF.type, RIS3.Passage)]
        triples += [(node, PROV.wasQuotedFrom, d) for d in documents] + [(node, PROV.value, q) for q in quotes]
        found[node] = _Passage(
            subject,
            document if isinstance(document, URIRef) else None,
            quote if isinstance(quote, Literal) else None,
            tuple(triples),
        )
    return found


def _iri_round_trips(node: Node) -> bool:
    if not isinstance(node, URIRef):
        return False
    try:
        return parse_iri(prefixed_name(node)) == node
    except CellError:
        return False


def _passage_cells(passage: _Passage | None) -> tuple[CellValue, CellValue, CellValue]:
    if passage is None:
        return (None, None, None)
    document = prefixed_name(passage.document) if passage.document is not None else None
    quote = str(passage.quote) if passage.quote is not None else None
    language = passage.quote.language if passage.quote is not None else None
    return (document, quote, language)


def _entity_row(
    graph: Graph, subject: URIRef, sheet: Sheet, passage: _Passage | None, done: set[Triple]
) -> tuple[CellValue, ...]:
    cells: list[CellValue] = []
    for column in sheet.columns:
        if column.kind is ColumnKind.ID:
            cells.append(prefixed_name(subject))
        elif column.kind is ColumnKind.TYPE:
            cls = next(t for t in sorted(graph.objects(subject, RDF.type), key=str) if t in sheet.classes)
            done.add((subject, RDF.type, cls))
            cells.append(prefixed_name(URIRef(str(cls))))
        elif column.kind is ColumnKind.DOCUMENT:
            cells.extend(_passage_cells(passage))
        elif column.path is not None and column.kind in (ColumnKind.TEXT, ColumnKind.LITERAL, ColumnKind.IRI):
            cells.append(_column_cell(graph, subject, column, done))
    return tuple(cells)


def _column_cell(graph: Graph, subject: URIRef, column: Column, done: set[Triple]) -> CellValue:
    assert column.path is not None
    texts: list[str] = []
    values: list[Node] = []
    for value in sorted(graph.objects(subject, column.path), key=node_key):
        if (subject, column.path, value) in done:
            continue
        text = _render(value, column)
        if text is None:
            continue
        done.add((subject, column.path, value))
        texts.append(text)
        values.append(value)
    single = values[0] if len(values) == 1 else None
    if isinstance(single, Literal) and column.kind is ColumnKind.LITERAL and texts[0] == str(single):
        return native_value(single)
    return join_values(texts) if texts else None


def _render(value: Node, column: Column) -> str | None:
    """Return a value's text for the column, or None when reading it back would not give the value."""
    if isinstance(value, Literal):
        if column.kind is ColumnKind.TEXT and value.language != column.language:
            return None
        text = render_literal(value, column.datatypes) if column.kind is ColumnKind.LITERAL else str(value)
    elif isinstance(value, URIRef) and column.kind is ColumnKind.IRI:
        text = prefixed_name(value)
    else:
        return None
    try:
        parsed = [parse_value(column, part) for part in split_values(join_values([text]))]
    except CellError:
        return None
    return text if parsed == [value] else None


def _blank_labels(graph: Graph) -> dict[BNode, str]:
    nodes = sorted({n for t in graph for n in t if isinstance(n, BNode)}, key=str)
    return {node: f"_:b{index}" for index, node in enumerate(nodes, start=1)}


def _statement(s: Node, p: Node, o: Node, labels: dict[BNode, str]) -> tuple[CellValue, ...]:
    def name(node: Node) -> str:
        return labels[node] if isinstance(node, BNode) else prefixed_name(URIRef(str(node)))

    if isinstance(o, Literal):
        if o.language:
            return (name(s), name(p), str(o), None, o.language)
        return (name(s), name(p), str(o), prefixed_name(URIRef(o.datatype or XSD.string)), None)
    return (name(s), name(p), name(o), None, None)


def write_workbook(path: Path, contents: Sequence[SheetContent], layout: TemplateLayout) -> None:
    """Write the template as an ``.xlsx`` workbook.

    Args:
        path: Where to write it.
        contents: The sheets and their rows (see :func:`sheet_contents`).
        layout: The layout, for the lists and languages.
    """
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    for line in instructions_text(layout):
        instructions.append([line])
    instructions.column_dimensions["A"].width = 120
    lists = _ListWriter(workbook, layout)
    for content in contents:
        worksheet = workbook.create_sheet(content.sheet.name)
        _fill_sheet(worksheet, content, lists)
    prefixes = workbook.create_sheet(PREFIXES_SHEET)
    prefixes.append(["prefix", "namespace"])
    for prefix, namespace in PREFIXES.items():
        prefixes.append([prefix, namespace])
    prefixes.column_dimensions["A"].width = 16
    prefixes.column_dimensions["B"].width = 60
    _header_style(prefixes)
    _print_setup(prefixes, 2)
    _order_sheets(workbook)
    _contents(instructions, workbook)
    _print_setup(instructions, 1)
    lists.worksheet.sheet_state = "hidden"
    workbook.save(path)


def sheet_order(names: Sequence[str]) -> list[str]:
    """Return the sheets in the workbook's order: instructions, the usual ones, the others, the lists last."""
    first = [name for name in (INSTRUCTIONS_SHEET, *FIRST_SHEETS) if name in names]
    rest = [name for name in names if name not in first and name != LISTS_SHEET]
    return [*first, *rest, *([LISTS_SHEET] if LISTS_SHEET in names else [])]


def _order_sheets(workbook: Workbook) -> None:
    order = sheet_order(workbook.sheetnames)
    for index, name in enumerate(order):
        workbook.move_sheet(name, offset=index - workbook.sheetnames.index(name))
    for name in order:
        if name in (INSTRUCTIONS_SHEET, LISTS_SHEET):
            continue
        colour = _HELPER_TAB if name in (PASSAGES_SHEET, PREFIXES_SHEET) else _FIRST_TAB
        workbook[name].sheet_properties.tabColor = colour if name in FIRST_SHEETS else _OTHER_TAB
    workbook.active = 0


def _contents(instructions: Worksheet, workbook: Workbook) -> None:
    """Add the legend of the header colours and a contents list linking every sheet to the instructions."""
    instructions.append([])
    instructions.append(["Colours of the column headers"])
    instructions.cell(row=instructions.max_row, column=1).font = Font(bold=True)
    instructions.append(["Required: leaving the column empty is a violation, and the submission is not taken in."])
    instructions.cell(row=instructions.max_row, column=1).fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    instructions.append(["Recommended: leaving the column empty is a warning; the submission is taken in."])
    instructions.cell(row=instructions.max_row, column=1).fill = PatternFill("solid", fgColor=RECOMMENDED_FILL)
    instructions.append(["No colour: optional."])
    instructions.append([])
    instructions.append(["Contents (click a sheet's name to go there)"])
    instructions.cell(row=instructions.max_row, column=1).font = Font(bold=True)
    for name in workbook.sheetnames:
        if name in (INSTRUCTIONS_SHEET, LISTS_SHEET):
            continue
        group = "usually needed" if name in FIRST_SHEETS else "when the strategy has such things"
        instructions.append([f"{name} ({group})"])
        cell = instructions.cell(row=instructions.max_row, column=1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{name}'!A1", display=name)
        cell.font = Font(color="0563C1", underline="single")


def _print_setup(worksheet: Worksheet, width: int) -> None:
    """Print the used range of the header and data rows, landscape, one page wide, the header on every page."""
    worksheet.print_title_rows = "1:1"
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.print_area = f"A1:{get_column_letter(max(width, 1))}{max(worksheet.max_row, 1)}"


def _header_style(worksheet: Worksheet) -> None:
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    worksheet.freeze_panes = "B2"


def _fill_sheet(worksheet: Worksheet, content: SheetContent, lists: _ListWriter) -> None:
    columns = content.sheet.columns
    worksheet.append([column.header for column in columns])
    for row in content.rows:
        worksheet.append(list(row))
        for cell in worksheet[worksheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula
    _header_style(worksheet)
    _print_setup(worksheet, len(columns))
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = _WIDTHS[column.kind]
        if column.requirement is not None:
            fill = REQUIRED_FILL if column.requirement == "required" else RECOMMENDED_FILL
            worksheet.cell(row=1, column=index).fill = PatternFill("solid", fgColor=fill)
        if column.comment:
            comment = Comment(column.comment, "ris3kg")
            comment.width = 360
            comment.height = 200
            worksheet.cell(row=1, column=index).comment = comment
        values = _list_values(column, content.sheet, lists.layout)
        if values:
            name = lists.name_for(column, content.sheet, values)
            validation = DataValidation(
                type="list",
                formula1=name,
                allow_blank=True,
                showErrorMessage=True,
                errorStyle=_error_style(column),
                errorTitle="Not in the list",
                error=_error_text(column),
            )
            validation.add(f"{letter}2:{letter}1048576")
            worksheet.add_data_validation(validation)


def _error_style(column: Column) -> TypingLiteral["stop", "warning", "information"]:
    """Refuse a value outside a closed one-value list; warn for several values; only inform for open lists."""
    if column.suggested and not column.allowed:
        return "information"
    return "stop" if column.single and not (column.names or column.labels) else "warning"


def _error_text(column: Column) -> str:
    text = "Choose a value from the list"
    if column.names or column.labels:
        text += " (or write its code alone, the part before the space, or its name alone)"
    if column.suggested and not column.allowed:
        text += ", or the id of a thing described in the template"
    return text + ("." if column.single else f"; several values are separated by '{SEPARATOR.strip()}'.")


def _list_values(column: Column, sheet: Sheet, layout: TemplateLayout) -> tuple[str, ...]:
    """The drop-down list's entries: CURIEs, with the name (or English label) after the code where there is one."""
    if column.kind is ColumnKind.QUOTE_LANGUAGE or (sheet.name == STATEMENTS_SHEET and column.header == "language"):
        return layout.quote_languages
    return tuple(_choice_text(value, column) for value in column.choices)


def _choice_text(value: URIRef, column: Column) -> str:
    curie = prefixed_name(value)
    name = " ".join((column.names.get(value) or next(iter(column.labels.get(value, ())), "")).split())
    return join_values([f"{curie} {name}" if name else curie])


class _ListWriter:
    """The hidden sheet of drop-down lists: one column per distinct list, named by a defined name."""

    def __init__(self, workbook: Workbook, layout: TemplateLayout) -> None:
        self.workbook = workbook
        self.layout = layout
        self.worksheet = workbook.create_sheet(LISTS_SHEET)
        self.names: dict[tuple[str, ...], str] = {}

    def name_for(self, column: Column, sheet: Sheet, values: tuple[str, ...]) -> str:
        """Return the defined name of the list of ``values``, writing the list on first use.

        Each list is a column of the lists sheet, referred to by a range (Excel's 255-character
        limit on a list is for lists written into the validation itself, not for ranges).
        """
        if values in self.names:
            return self.names[values]
        base = "list_" + "".join(ch if ch.isalnum() else "_" for ch in column.header.split(" (")[0])
        name = base
        if name in self.names.values():
            name = f"{base}_{''.join(ch if ch.isalnum() else '_' for ch in sheet.name)}"
        index = len(self.names) + 1
        letter = get_column_letter(index)
        self.worksheet.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            self.worksheet.cell(row=row, column=index, value=value)
        reference = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        self.workbook.defined_names[name] = DefinedName(name, attr_text=reference)
        self.names[values] = name
        return name


def write_csv_files(folder: Path, contents: Sequence[SheetContent]) -> None:
    """Write one UTF-8 CSV file per sheet, ``<sheet>.csv``, with the header row first.

    Args:
        folder: The folder to write into (created if missing).
        contents: The sheets and their rows (see :func:`sheet_contents`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for content in contents:
        with (folder / f"{content.sheet.name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([column.header for column in content.sheet.columns])
            for row in content.rows:
                writer.writerow([cell_text(value) for value in row])


def instructions_text(layout: TemplateLayout) -> list[str]:
    """Return the lines of the instructions sheet (English, with Swedish and Norwegian one-liners)."""
    languages = ", ".join(layout.languages)
    named = ", ".join(sheet.name for sheet in layout.sheets)
    return [
        "ris3kg submission template: a regional smart-specialisation strategy as a spreadsheet",
        "",
        "Sv: Fyll i en rad per sak (område, åtgärd, aktör ...) på rätt flik; kommentaren i varje rubrik säger vad "
        "kolumnen ska innehålla.",
        "Nb: Fyll inn én rad per ting (område, tiltak, aktør ...) på riktig fane; kommentaren i hver overskrift sier "
        "hva kolonnen skal inneholde.",
        "",
        "How to fill it in",
        f"- One sheet per kind of thing: {named}. One row per thing.",
        "- Hover over a column header: its comment says what the column needs, whether it is required, and the "
        "allowed values.",
        "- id: every thing has an id, a CURIE with a prefix from the Prefixes sheet (blekinge:action-1-1, "
        "actor:ltu) or a full https:// IRI. Other cells refer to things by their id (see 'Naming things' below).",
        "- type: the kind of thing, from the drop-down list; on a sheet with one kind it may be left empty.",
        f"- Text columns come in one column per language ({languages}): "
        + ", ".join(f"label ({tag})" for tag in layout.languages[:3])
        + ", ... Every thing needs a label in English and in the document's language. A "
        "template for another language has columns for it (ris3kg template --lang fi); a column such as 'label "
        f"(pl)' may be added by hand for any language of the code lists ({', '.join(layout.known_languages)}).",
        f"- Several values in one cell are separated by '{SEPARATOR}' (e.g. theme:funding | theme:skills-supply). "
        "A '|' that is part of a value is written '\\|', a backslash '\\\\'.",
        "- Drop-down lists show the allowed values of closed value sets (themes, helix roles, kinds of area, units, "
        "measures, NACE sectors, ...). Values must come from the list. Code-list values show their name after the "
        "code (nace:6201 Computer programming activities); the code alone is enough.",
        "- Region columns (spatial, locatedIn, ...) offer the NUTS and statistical-region codes of "
        + (
            f"{layout.country} only (another country: --country when writing the template)"
            if layout.country
            else "every country"
        )
        + " in a drop-down list; a region described on the Regions sheet may be named by its id instead.",
        "- Numbers are written out in full (100000000, not '100 million'); dates as 2020-10-21, 2020-10 or 2020 "
        "(format such cells as text). Where a column allows several datatypes, the first that fits is used; "
        "another can be named like 26^^xsd:integer.",
        "- Source passage: every row says where it comes from: 'source document' (the id of a row on the "
        "Sources sheet), 'source quote' (the passage, word for word, short) and 'quote language'.",
        f"- More passages for the same thing: one row each on the {PASSAGES_SHEET} sheet, with the thing's id in "
        "'subject'.",
        f"- Anything the columns do not cover: one row per statement on the {STATEMENTS_SHEET} sheet "
        f"({', '.join(STATEMENT_HEADERS)}). A literal has a datatype (xsd:string for plain text) or a language; "
        "without either, the object is an IRI. Blank nodes are written _:name.",
        "- Do not rename sheets or columns; columns may be left out or reordered, empty rows are skipped.",
        "- The same layout works as CSV files: one UTF-8 file per sheet, named <sheet>.csv, same header row.",
        "- The sheets a strategy usually needs come first (blue tabs), the Passages and Prefixes sheets after them "
        "(green); the others (grey) are for what some strategies have. Header colours say which columns must be "
        "filled (see the legend below).",
        "",
        "Naming things: a new strategy",
        "- Choose your strategy's namespace: 1 to 63 lower-case letters, digits and hyphens, starting with a letter "
        "or digit, e.g. testlandia. Everything the strategy describes gets an IRI under "
        "https://w3id.org/ris3kg/id/<namespace>/, e.g. https://w3id.org/ris3kg/id/testlandia/bottleneck-1.",
        f"- Declare it once on the {PREFIXES_SHEET} sheet: a new row with 'testlandia' in column A (prefix) and "
        "https://w3id.org/ris3kg/id/testlandia/ in column B (namespace). The prefixes already listed there are "
        "ris3kg's own and keep their namespaces.",
        "- Then write ids as CURIEs with that prefix: testlandia:strategy on the Strategy sheet, testlandia:area-1, "
        "testlandia:priority-1, testlandia:bottleneck-1, testlandia:action-1, testlandia:report-2021 on the "
        "Sources sheet ...: lower case with hyphens, every id unique in the workbook.",
        "- Organisations and people go under actor: (actor:testlandia-university), shared by all strategies: an "
        "organisation another strategy already names keeps its id and its name.",
        "- To refer to a thing, write its id in the other sheet's cell: an action's 'addresses' names the id of a "
        "row on the Bottlenecks sheet, every row's 'inStrategy' the strategy's id, 'source document' the id of a "
        "row on the Sources sheet.",
    ]
