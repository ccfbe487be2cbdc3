"""The spreadsheet submission template: layout, round trips of every strategy, errors, hostile files."""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SKOS

from ris3kg.graph.catalogue import strategy_parts
from ris3kg.ontology.namespaces import ACTOR, RIS3, THEME, VOC
from ris3kg.ontology.resources import new_graph
from ris3kg.shapes.spreadsheet.cells import join_values, split_values
from ris3kg.shapes.spreadsheet.template import (
    ReadLimits,
    TemplateError,
    read_csv_folder,
    read_template,
    write_csv_folder,
    write_template,
)
from ris3kg.shapes.spreadsheet.write import FIRST_SHEETS
from ris3kg.shapes.validation import validate_graph

from conftest import DATA

TESTLANDIA = DATA / "submissions" / "testlandia.xlsx"
BASE = "https://w3id.org/ris3kg/id/testlandia/"
NAMED = ("Strategy", "Areas", "Priorities", "Bottlenecks", "Actions", "Actors", "Clusters", "Governance", "Sources")


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(path)
    return path


def _headers(path: Path, sheet: str) -> dict[str, int]:
    workbook = load_workbook(path)
    return {str(cell.value): cell.column for cell in workbook[sheet][1]}


def test_the_empty_template_has_the_named_sheets_and_the_helpers(empty: Path) -> None:
    workbook = load_workbook(empty)
    names = workbook.sheetnames
    assert names[0] == "Instructions"
    assert names[1:11] == [name for name in FIRST_SHEETS if name in names]
    assert set(NAMED) <= set(names)
    assert names[-1] == "Lists"
    for helper in ("Figures", "SWOT entries", "Passages", "Statements", "Prefixes", "Lists"):
        assert helper in names
    assert workbook["Lists"].sheet_state == "hidden"
    actions = workbook["Actions"]
    assert actions.freeze_panes == "B2"
    assert actions.max_row == 1
    prefixes = {row[0]: row[1] for row in workbook["Prefixes"].iter_rows(min_row=2, values_only=True)}
    assert prefixes["actor"] == str(ACTOR)


def test_header_comments_say_what_the_column_needs(empty: Path) -> None:
    workbook = load_workbook(empty)
    actions = workbook["Actions"]
    comments = {cell.value: cell.comment.text for cell in actions[1] if cell.comment is not None}
    assert set(comments) == {cell.value for cell in actions[1]}
    assert "ris3:addresses (challenge addressed)" in comments["addresses"]
    assert "challenge or bottleneck" in comments["addresses"]
    assert "several values are separated by '|'" in comments["theme"]
    assert "one value" in comments["ordinal"]
    assert "Recommended (a warning when empty)" in comments["label (en)"]


def test_the_helix_role_column_lists_exactly_the_helix_roles(empty: Path, reference: Graph) -> None:
    workbook = load_workbook(empty)
    actors = workbook["Actors"]
    column = _headers(empty, "Actors")["helixRole"]
    letter = actors.cell(row=1, column=column).column_letter
    validations = [v for v in actors.data_validations.dataValidation if f"{letter}2:{letter}1048576" in str(v.sqref)]
    assert len(validations) == 1
    assert validations[0].type == "list"
    name = validations[0].formula1
    sheet, cells = next(iter(workbook.defined_names[name].destinations))
    assert sheet == "Lists"
    listed = {cell.value for row in workbook[sheet][cells.replace("$", "")] for cell in row}
    helix_roles = {f"voc:{str(c).rsplit('/', 1)[1]}" for c in reference.subjects(SKOS.inScheme, VOC.HelixRoles)}
    assert {str(value).split(" ", 1)[0] for value in listed} == helix_roles  # the code, then its English label
    assert "voc:helix-academia academia" in listed
    assert len(listed) == 4


@pytest.mark.parametrize("part", strategy_parts(), ids=lambda p: p.key)
def test_every_strategy_round_trips_through_the_workbook(part, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph = part.load()
    info = write_template(tmp_path / f"{part.key}.xlsx", graph=graph)
    back = read_template(tmp_path / f"{part.key}.xlsx")
    assert len(back.graph) == len(graph)
    assert isomorphic(back.graph, graph)
    rows = {sheet.name: sheet.rows for sheet in info.sheets}
    assert rows["Strategy"] >= 1 and rows["Sources"] >= 1
    # the columns carry the data, the statements sheet only what they cannot
    assert info.statements < len(graph) / 10
    passages = [o for o in back.graph.objects(None, PROV.wasDerivedFrom)]
    assert passages and all(isinstance(p, BNode) for p in passages)


def test_a_strategy_round_trips_through_csv_files_and_a_zip_of_them(tmp_path: Path) -> None:
    part = next(p for p in strategy_parts() if p.key == "nms")
    graph = part.load()
    write_csv_folder(tmp_path / "nms", graph=graph)
    assert (tmp_path / "nms" / "SWOT entries.csv").read_text(encoding="utf-8").startswith("id,type,label (en)")
    assert isomorphic(read_csv_folder(tmp_path / "nms").graph, graph)
    archive = Path(shutil.make_archive(str(tmp_path / "nms-csv"), "zip", tmp_path / "nms"))
    assert isomorphic(read_csv_folder(archive).graph, graph)


def test_bars_and_backslashes_in_values_round_trip(tmp_path: Path) -> None:
    values = ["a | b", "c\\d", "e\\|f", "plain"]
    assert split_values(join_values(values)) == values
    graph = new_graph()
    subject = URIRef(BASE + "goal-1")
    graph.add((subject, RDF.type, RIS3.Goal))
    graph.add((subject, RDFS.label, Literal("Either | or \\ both", lang="en")))
    graph.add((subject, RDFS.label, Literal(" padded ", lang="sv")))
    graph.add((subject, RIS3.theme, THEME.funding))
    graph.add((subject, RIS3.theme, THEME["skills-supply"]))
    graph.add((subject, RIS3.ordinal, Literal(Decimal("7.5"))))
    info = write_template(tmp_path / "bars.xlsx", graph=graph)
    assert isomorphic(read_template(tmp_path / "bars.xlsx").graph, graph)
    assert info.statements == 2  # the padded label and the oddly typed ordinal
    workbook = load_workbook(tmp_path / "bars.xlsx")
    goals = workbook["Goals"]
    headers = _headers(tmp_path / "bars.xlsx", "Goals")
    assert goals.cell(row=2, column=headers["label (en)"]).value == "Either \\| or \\\\ both"
    assert goals.cell(row=2, column=headers["theme"]).value == "theme:funding | theme:skills-supply"


def test_the_hand_filled_submission_converts_and_validates_clean(reference: Graph) -> None:
    result = read_template(TESTLANDIA)
    graph = result.graph
    strategy = URIRef(BASE + "strategy")
    assert (strategy, RDF.type, RIS3.Strategy) in graph
    area = URIRef(BASE + "area-batteries")
    assert set(graph.objects(area, RIS3.theme)) == {THEME["research-innovation"], THEME.manufacturing}
    figure = URIRef(BASE + "figure-battery-employment")
    assert graph.value(figure, RIS3.value) == Literal(1200)  # a whole number: the narrower xsd:integer
    assert len(list(graph.objects(strategy, PROV.wasDerivedFrom))) == 2
    report = validate_graph(graph, source=TESTLANDIA.name, reference=reference)
    assert report.conforms, [(r.focus, r.path, r.message) for r in report.violations]


def test_locations_point_at_the_sheet_row_and_column() -> None:
    result = read_template(TESTLANDIA)
    university = ACTOR["testlandia-university"]
    where = result.locations[university]
    assert (where.file, where.sheet, where.row, where.column) == ("testlandia.xlsx", "Actors", 3, "id")
    action = URIRef(BASE + "action-1")
    cell = result.triple_locations[(action, RIS3.addresses, URIRef(BASE + "bottleneck-1"))]
    assert (cell.sheet, cell.row, cell.column) == ("Actions", 2, "addresses")
    assert str(cell) == f"testlandia.xlsx, sheet 'Actions', row 2, column 'addresses', cell {cell.letter}2"
    assert cell.cell == f"{cell.letter}2"
    passage = next(iter(result.graph.objects(action, PROV.wasDerivedFrom)))
    assert result.triple_locations[(passage, RDF.type, RIS3.Passage)].column == "source quote"


def _edit(source: Path, target: Path, edits: dict[str, dict[tuple[int, str], object]]) -> Path:
    workbook = load_workbook(source)
    for sheet, cells in edits.items():
        worksheet = workbook[sheet]
        headers = {cell.value: cell.column for cell in worksheet[1]}
        for (row, header), value in cells.items():
            column = headers.get(header) or worksheet.max_column + 1
            worksheet.cell(row=row, column=column).value = value
    workbook.save(target)
    return target


def test_cell_errors_are_collected_and_name_sheet_row_and_column(tmp_path: Path) -> None:
    broken = _edit(
        TESTLANDIA,
        tmp_path / "broken.xlsx",
        {
            "Actions": {(2, "addresses"): "nosuch:bottleneck-1"},
            "Figures": {(2, "value"): "about 1200", (2, "unit"): "voc:unit-bananas"},
            "Areas": {(1, "colour"): "colour"},
        },
    )
    with pytest.raises(TemplateError) as caught:
        read_template(broken)
    message = str(caught.value)
    assert re.search(
        r"broken\.xlsx, sheet 'Actions', row 2, column 'addresses', cell [A-Z]+2: unknown prefix 'nosuch'", message
    )
    assert re.search(r"sheet 'Figures', row 2, column 'value', cell [A-Z]+2: 'about 1200' is not a number", message)
    assert re.search(
        r"column 'unit', cell [A-Z]+2: 'voc:unit-bananas' is not in the drop-down list for 'unit'", message
    )
    assert re.search(r"sheet 'Areas', row 1, column 'colour', cell [A-Z]+1: unknown column 'colour'", message)
    assert len(caught.value.issues) == 4


def test_rows_without_an_id_and_unknown_sheets_are_refused(tmp_path: Path) -> None:
    broken = _edit(TESTLANDIA, tmp_path / "noid.xlsx", {"Actions": {(2, "id"): None}})
    workbook = load_workbook(broken)
    workbook.create_sheet("Wishes").append(["id"])
    workbook.save(broken)
    with pytest.raises(TemplateError) as caught:
        read_template(broken)
    message = str(caught.value)
    assert "sheet 'Actions', row 2: the row has values but no id" in message
    assert "unknown sheet 'Wishes'" in message


def test_files_that_are_not_workbooks_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("id,type\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"notes.xlsx.*not an .xlsx workbook \(not a zip file\)"):
        read_template(text)
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(TemplateError, match=r"without xl/workbook.xml"):
        read_template(other)


def test_an_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    laughs = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
        )
        + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(TESTLANDIA) as source, zipfile.ZipFile(bomb, "w") as target:
        names = {name: source.read(name) for name in source.namelist()}
        workbook = load_workbook(TESTLANDIA, read_only=True)
        index = workbook.sheetnames.index("Actions") + 1
        workbook.close()
        for name, data in names.items():
            target.writestr(name, laughs if name == f"xl/worksheets/sheet{index}.xml" else data)
    with pytest.raises(TemplateError, match=r"bomb.xlsx.*not a readable .xlsx workbook.*Entit"):
        read_template(bomb)


def test_the_row_cap_is_enforced(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="sheet 'Actors', row 3: more than 2 rows"):
        read_template(TESTLANDIA, limits=ReadLimits(max_rows=2))
