"""The template for any European region: text columns in any code-list language, code-list drop-downs.

A Finnish template has ``label (fi)`` columns besides the English ones; a small Finnish strategy
written into it reads back with its ``@fi`` names and validates clean; the region drop-down lists
can be kept to one country's NUTS codes; sectors, languages and units are drop-downs of the code
lists, their values shown with their names and read back by their codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from ris3kg.graph.codelists.lookup import codelists
from ris3kg.ontology.namespaces import NACE, NUTS, RIS3
from ris3kg.shapes.spreadsheet.layout import MAX_LANGUAGES, template_layout
from ris3kg.shapes.spreadsheet.read import ReadLimits
from ris3kg.shapes.spreadsheet.template import (
    TemplateError,
    TemplateOptionError,
    read_csv_folder,
    read_template,
    write_csv_folder,
    write_template,
)
from ris3kg.shapes.submission.read import read_submission_file
from ris3kg.shapes.validation import validate_graph

BASE = "https://w3id.org/ris3kg/id/test-oulu/"
STRATEGY = URIRef(BASE + "strategy")
AREA = URIRef(BASE + "area-1")

FINNISH = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .
@prefix nace: <http://data.europa.eu/ux2/nace2/> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .
@prefix ris3: <https://w3id.org/ris3kg/ontology#> .
@prefix voc: <https://w3id.org/ris3kg/id/vocab/> .
@prefix theme: <https://w3id.org/ris3kg/id/theme/> .
@prefix actor: <https://w3id.org/ris3kg/id/actor/> .
@prefix s: <https://w3id.org/ris3kg/id/test-oulu/> .

s:document a ris3:SourceDocument ;
    rdfs:label "Pohjois-Pohjanmaan älykäs erikoistuminen (testiaineisto)"@fi ,
        "Smart specialisation in North Ostrobothnia (test data)"@en ;
    dcterms:title "Pohjois-Pohjanmaan älykäs erikoistuminen"@fi ;
    dcterms:language lang:FIN ;
    ris3:fileName "test-oulu.pdf" ;
    ris3:documentType voc:doc-strategy .

s:strategy a ris3:Strategy ;
    rdfs:label "Pohjois-Pohjanmaan älykkään erikoistumisen strategia"@fi ,
        "Smart specialisation strategy of North Ostrobothnia"@en ;
    ris3:documentedIn s:document ;
    dcterms:spatial nuts:FI1D9 ;
    ris3:owner actor:test-oulu-council ;
    prov:wasDerivedFrom [ a ris3:Passage ; prov:wasQuotedFrom s:document ;
        prov:value "Strategia koskee Pohjois-Pohjanmaan maakuntaa."@fi ] .

s:area-1 a ris3:SpecialisationArea ;
    rdfs:label "Digitalisaatio"@fi , "Digitalisation"@en ;
    dcterms:description "Ohjelmistot ja älykkäät palvelut."@fi ;
    ris3:inStrategy s:strategy ;
    ris3:ordinal 1 ;
    ris3:areaKind voc:kind-specialisation ;
    ris3:theme theme:digitalisation ;
    ris3:sector nace:6201 ;
    prov:wasDerivedFrom [ a ris3:Passage ; prov:wasQuotedFrom s:document ;
        prov:value "Digitalisaatio on strategian ensimmäinen painopiste."@fi ] .

actor:test-oulu-council a ris3:PublicBody ;
    rdfs:label "Pohjois-Pohjanmaan liitto"@fi , "Council of Oulu Region"@en ;
    ris3:helixRole voc:helix-public-sector ;
    ris3:locatedIn nuts:FI1D9 ;
    prov:wasDerivedFrom [ a ris3:Passage ; prov:wasQuotedFrom s:document ;
        prov:value "Pohjois-Pohjanmaan liitto vastaa strategiasta."@fi ] .
"""
"""A made-up Finnish strategy (a TEST FIXTURE, not a real one): NUTS 3 FI1D9, a NACE sector, names in fi and en."""


@pytest.fixture(scope="module")
def finnish() -> Graph:
    """The made-up Finnish strategy."""
    return Graph().parse(data=FINNISH, format="turtle")


@pytest.fixture(scope="module")
def finnish_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The empty template for Finnish, with Finland's regions."""
    path = tmp_path_factory.mktemp("finnish") / "template-fi.xlsx"
    write_template(path, languages=["fi"], country="FI")
    return path


def _headers(workbook: Workbook, sheet: str) -> dict[str, int]:
    return {str(cell.value): cell.column for cell in workbook[sheet][1]}


def _drop_down(workbook: Workbook, sheet: str, header: str) -> list[str]:
    """The entries of the drop-down list of a column, read from the lists sheet through its defined name."""
    worksheet = workbook[sheet]
    letter = worksheet.cell(row=1, column=_headers(workbook, sheet)[header]).column_letter
    (validation,) = (
        v for v in worksheet.data_validations.dataValidation if f"{letter}2:{letter}1048576" in str(v.sqref)
    )
    assert validation.type == "list" and '"' not in str(validation.formula1)  # a named range, not an inline list
    target, cells = next(iter(workbook.defined_names[str(validation.formula1)].destinations))
    assert target == "Lists"
    return [str(cell.value) for row in workbook[target][cells.replace("$", "")] for cell in row]


def test_a_finnish_template_has_finnish_and_english_text_columns(finnish_template: Path) -> None:
    workbook = load_workbook(finnish_template)
    headers = _headers(workbook, "Strategy")
    for header in ("label (en)", "label (fi)", "description (en)", "description (fi)", "altLabel (fi)"):
        assert header in headers
    assert not {"label (sv)", "label (nb)"} & set(headers)
    assert {"title (en)", "title (fi)"} <= set(_headers(workbook, "Sources"))
    comment = workbook["Strategy"].cell(row=1, column=headers["label (fi)"]).comment
    assert comment is not None and "in language 'fi'" in comment.text
    quote_languages = _drop_down(workbook, "Strategy", "quote language")
    assert quote_languages[:2] == ["en", "fi"] and set(codelists().language_tags) <= set(quote_languages)


def test_the_layout_is_cached_per_language_tuple_and_the_default_stays() -> None:
    assert template_layout().languages == ("en", "nb", "sv")
    finnish = template_layout(languages=("fi",))
    assert finnish.languages == ("en", "fi")
    assert template_layout(languages=["FI", "en"]) is finnish
    assert template_layout(languages=["fin"]) is finnish  # the ISO 639-3 code of the code list's IRI
    assert template_layout(languages=["nn", "cnr", "el", "is"]).languages == ("en", "cnr", "el", "is", "nn")
    assert template_layout(languages=()).languages == ("en",)
    assert template_layout(languages="fi, sv").languages == ("en", "fi", "sv")


def test_a_finnish_strategy_reads_back_with_its_finnish_names_and_validates_clean(
    finnish: Graph, reference: Graph, tmp_path: Path
) -> None:
    path = tmp_path / "oulu.xlsx"
    info = write_template(path, graph=finnish, languages=["fi"])
    assert info.languages == ("en", "fi") and info.country == "FI"  # the strategy's region gives the country
    assert info.statements == 0  # every Finnish name has its column
    back = read_template(path)
    assert isomorphic(back.graph, finnish)
    name = Literal("Pohjois-Pohjanmaan älykkään erikoistumisen strategia", lang="fi")
    assert name in set(back.graph.objects(STRATEGY, RDFS.label))
    assert back.triple_locations[(STRATEGY, RDFS.label, name)].column == "label (fi)"
    assert Literal("Ohjelmistot ja älykkäät palvelut.", lang="fi") in set(back.graph.objects(AREA, DCTERMS.description))
    report = validate_graph(back.graph, source=path.name, reference=reference)
    assert report.conforms, [(r.focus, r.path, r.message) for r in report.violations]
    # a submission is read with the default layout: the Finnish columns are read all the same
    assert isomorphic(read_submission_file(path).graph, finnish)


def test_a_filled_strategy_brings_its_languages_unless_they_are_given(finnish: Graph, tmp_path: Path) -> None:
    info = write_template(tmp_path / "default.xlsx", graph=finnish)
    assert info.languages == ("en", "fi", "nb", "sv") and info.statements == 0
    english = write_template(tmp_path / "english.xlsx", graph=finnish, languages=["en"])
    assert english.languages == ("en",) and english.statements > 0  # the Finnish names: statements
    assert isomorphic(read_template(tmp_path / "english.xlsx").graph, finnish)


def test_a_finnish_strategy_round_trips_through_csv_files(finnish: Graph, tmp_path: Path) -> None:
    write_csv_folder(tmp_path / "oulu", graph=finnish, languages=["fi"])
    header = (tmp_path / "oulu" / "Strategy.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,type,label (en),label (fi),altLabel (en),altLabel (fi)")
    assert isomorphic(read_csv_folder(tmp_path / "oulu").graph, finnish)


def test_the_region_list_filtered_to_finland_has_finnish_codes_only(finnish_template: Path, tmp_path: Path) -> None:
    workbook = load_workbook(finnish_template)
    regions = _drop_down(workbook, "Strategy", "spatial")
    codes = [entry.split(" ", 1)[0] for entry in regions]
    assert "nuts:FI1D9" in codes and "nuts:SE221" not in codes
    assert all(code.startswith("nuts:FI") for code in codes)
    assert "nuts:FI1D9 Pohjois-Pohjanmaa" in regions  # the code and its name
    assert _drop_down(workbook, "Actors", "locatedIn") == regions
    # an open list: a region described on the Regions sheet is fine too, so Excel only informs
    strategy = workbook["Strategy"]
    letter = strategy.cell(row=1, column=_headers(workbook, "Strategy")["spatial"]).column_letter
    (validation,) = (v for v in strategy.data_validations.dataValidation if f"{letter}2:" in str(v.sqref))
    assert validation.errorStyle == "information"
    every = tmp_path / "every.xlsx"
    write_template(every)
    all_codes = {entry.split(" ", 1)[0] for entry in _drop_down(load_workbook(every), "Strategy", "spatial")}
    assert {"nuts:FI1D9", "nuts:SE221", "nuts:PL21", "nuts:IS001"} <= all_codes
    assert len(all_codes) > 1900
    countries = _drop_down(load_workbook(every), "Regions", "country")
    assert "nuts:FI Finland" in countries and len(countries) < 50


def test_sectors_languages_and_units_are_code_list_drop_downs(finnish_template: Path) -> None:
    workbook = load_workbook(finnish_template)
    sectors = _drop_down(workbook, "Areas", "sector")
    name = codelists().nace[str(NACE["6201"])].label
    assert f"nace:6201 {name}" in sectors
    assert any(entry.startswith("nace21:6210 ") for entry in sectors)  # NACE Rev. 2.1 renumbered it
    assert len(sectors) == len(codelists().nace) > 2000
    assert sectors[0].startswith("nace:A ")  # NACE Rev. 2 first, the sections before the divisions
    languages = _drop_down(workbook, "Sources", "language")
    assert "lang:FIN Finnish" in languages and len(languages) == len(codelists().languages)
    units = {str(unit).split(" ", 1)[0] for unit in _drop_down(workbook, "Figures", "unit")}
    assert {"voc:unit-eur", "voc:unit-pln", "voc:unit-persons"} <= units


def test_a_value_picked_from_the_list_reads_back_as_its_code(finnish_template: Path, tmp_path: Path) -> None:
    workbook = load_workbook(finnish_template)
    sectors = _drop_down(workbook, "Areas", "sector")
    picked = next(entry for entry in sectors if entry.startswith("nace:6201 "))
    rows = {
        "Strategy": {"id": str(STRATEGY), "label (en)": "Strategy", "label (fi)": "Strategia"},
        "Areas": {"id": str(AREA), "type": "ris3:SpecialisationArea", "label (fi)": "Digitalisaatio"},
    }
    rows["Strategy"]["spatial"] = "nuts:FI1D9 Pohjois-Pohjanmaa | nuts:FI1D8"
    rows["Areas"]["sector"] = f"{picked} | nace21:62"
    for sheet, cells in rows.items():
        headers = _headers(workbook, sheet)
        for header, value in cells.items():
            workbook[sheet].cell(row=2, column=headers[header]).value = value
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    graph = read_template(filled).graph
    assert set(graph.objects(STRATEGY, DCTERMS.spatial)) == {NUTS.FI1D9, NUTS.FI1D8}
    assert set(graph.objects(AREA, RIS3.sector)) == {NACE["6201"], URIRef("http://data.europa.eu/ux2/nace2.1/62")}
    assert Literal("Strategia", lang="fi") in set(graph.objects(STRATEGY, RDFS.label))

    workbook["Strategy"].cell(row=2, column=_headers(workbook, "Strategy")["spatial"]).value = "nuts:FI1D9 Lappi"
    workbook["Areas"].cell(row=2, column=_headers(workbook, "Areas")["sector"]).value = "nace:9999"
    workbook.save(filled)
    with pytest.raises(TemplateError) as caught:
        read_template(filled)
    message = str(caught.value)
    assert "nuts:FI1D9 is 'Pohjois-Pohjanmaa' in the drop-down list for 'spatial', not 'Lappi'" in message
    assert "'nace:9999' is not in the drop-down list for 'sector' (did you mean" in message


def test_a_text_column_in_any_code_list_language_is_read(tmp_path: Path) -> None:
    path = tmp_path / "default.xlsx"
    write_template(path)
    workbook = load_workbook(path)
    goals = workbook["Goals"]
    column = goals.max_column + 1
    goals.cell(row=1, column=column).value = "Label (PL)"
    goals.cell(row=1, column=column + 1).value = "description (el)"
    headers = _headers(workbook, "Goals")
    goal = URIRef(BASE + "goal-1")
    goals.cell(row=2, column=headers["id"]).value = str(goal)
    goals.cell(row=2, column=headers["label (en)"]).value = "Growth"
    goals.cell(row=2, column=column).value = "Wzrost"
    goals.cell(row=2, column=column + 1).value = "Ανάπτυξη"
    workbook.save(path)
    graph = read_template(path).graph
    assert set(graph.objects(goal, RDFS.label)) == {Literal("Growth", lang="en"), Literal("Wzrost", lang="pl")}
    assert set(graph.objects(goal, DCTERMS.description)) == {Literal("Ανάπτυξη", lang="el")}
    goals.cell(row=1, column=column).value = "label (xx)"
    workbook.save(path)
    with pytest.raises(TemplateError, match=r"unknown column 'label \(xx\)' on sheet 'Goals'"):
        read_template(path)


def test_unknown_languages_and_countries_are_refused_naming_the_closest() -> None:
    with pytest.raises(TemplateOptionError) as caught:
        template_layout(languages=["fx"])
    assert caught.value.option == "languages" and "fi" in caught.value.suggestions
    assert "unknown language 'fx': the closest: fi (Finnish)" in str(caught.value)
    assert "cnr" in str(caught.value)  # every tag is listed
    with pytest.raises(TemplateOptionError, match=r"fi \(Finnish\)"):
        template_layout(languages=["finnish"])
    with pytest.raises(TemplateOptionError) as country:
        template_layout(country="Polnad")
    assert country.value.option == "country" and country.value.suggestions[0] == "PL"
    assert template_layout(country="gr").country == "EL"  # Greece's ISO code is taken for its NUTS one
    assert template_layout(country="Poland").country == "PL"
    with pytest.raises(TemplateOptionError, match=f"at most {MAX_LANGUAGES} languages"):
        template_layout(languages=["fi", "sv", "nb", "de", "pl", "cs"])


def test_the_widest_template_stays_within_the_readers_columns() -> None:
    layout = template_layout(languages=["fi", "sv", "nb", "de", "pl"])
    assert len(layout.languages) == MAX_LANGUAGES
    assert max(len(sheet.columns) for sheet in layout.sheets) <= ReadLimits().max_columns
