"""The spreadsheet submission template: write it from the shapes, read a filled one back as RDF.

Most strategy offices work in Excel, so ris3kg generates an ``.xlsx`` template from the SHACL
shapes (one sheet per kind of thing, header comments saying what each column needs, drop-down
lists for the closed value sets) and converts a filled template, or CSV files in the same layout,
to RDF. A strategy's graph written out as a filled template reads back as the same graph.

A template is made for English and the languages chosen (by default en, nb and sv; any language
of the code lists, ``languages=("fi",)``), and its region drop-down lists may be kept to one
country's regions (``country="PL"``); a filled strategy brings its own languages and its region's
country unless they are given.

The layout is derived in :mod:`ris3kg.shapes.spreadsheet.layout`, cells are parsed in
:mod:`ris3kg.shapes.spreadsheet.cells`, files are read in :mod:`ris3kg.shapes.spreadsheet.read` and
written in :mod:`ris3kg.shapes.spreadsheet.write`; this module is the entry point.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from ris3kg.graph.codelists.lookup import codelists
from ris3kg.ontology.namespaces import RIS3
from ris3kg.shapes.spreadsheet.cells import CellLocation, TemplateError, TemplateIssue
from ris3kg.shapes.spreadsheet.layout import (
    MAX_LANGUAGES,
    STATEMENTS_SHEET,
    TEXT_PROPERTIES,
    TemplateLayout,
    TemplateOptionError,
    template_countries,
    template_languages,
    template_layout,
)
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
    "TemplateOptionError",
    "read_csv_folder",
    "read_template",
    "template_countries",
    "template_languages",
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
        languages: The languages of the text columns, English first.
        country: The country whose regions the region lists offer (None: every country's).
    """

    path: Path
    sheets: tuple[SheetInfo, ...]
    languages: tuple[str, ...] = ()
    country: str | None = None

    @property
    def statements(self) -> int:
        """How many statements did not fit a column and went to the statements sheet."""
        return next((s.rows for s in self.sheets if s.name == STATEMENTS_SHEET), 0)


def write_template(
    path: Path,
    *,
    graph: Graph | None = None,
    languages: Iterable[str] | None = None,
    country: str | None = None,
) -> TemplateInfo:
    """Write the ``.xlsx`` submission template.

    Args:
        path: The workbook to write.
        graph: A strategy's graph to fill the template with; None for the empty template.
        languages: The text columns' languages besides English (ISO 639-1 tags of the code lists,
            ``fi``); None for en, nb and sv and, in a filled template, the languages of the graph's
            labels too.
        country: Offer only this country's regions in the region lists (``PL``); None for every
            country's or, in a filled template, the country of the strategy's region.

    Returns:
        The sheets written and their row counts.

    Raises:
        TemplateOptionError: A language or the country is not in the code lists.
    """
    layout = layout_for(graph, languages=languages, country=country)
    contents = sheet_contents(graph, layout)
    write_workbook(path, contents, layout)
    return _info(path, contents, layout)


def write_csv_folder(
    path: Path,
    *,
    graph: Graph | None = None,
    languages: Iterable[str] | None = None,
    country: str | None = None,
) -> TemplateInfo:
    """Write the template as CSV files, one ``<sheet>.csv`` per data sheet, into a folder.

    Args:
        path: The folder (created if missing).
        graph: A strategy's graph to fill the files with; None for header rows only.
        languages: The text columns' languages besides English (as for :func:`write_template`).
        country: Only this country's regions (CSV files have no drop-down lists: kept for symmetry).

    Returns:
        The sheets written and their row counts.

    Raises:
        TemplateOptionError: A language or the country is not in the code lists.
    """
    layout = layout_for(graph, languages=languages, country=country)
    contents = sheet_contents(graph, layout)
    write_csv_files(path, contents)
    return _info(path, contents, layout)


def layout_for(
    graph: Graph | None, *, languages: Iterable[str] | None = None, country: str | None = None
) -> TemplateLayout:
    """Return the layout of a template for these languages and this country, or those ``graph`` gives.

    Without languages, a filled template has columns for the default languages (en, nb, sv) and
    for the languages of the graph's names and descriptions that the code lists know (up to
    :data:`~ris3kg.shapes.spreadsheet.layout.MAX_LANGUAGES` in all; the others go to the statements
    sheet). Without a country, a filled template's region lists are those of the country of the
    strategy's region (``dcterms:spatial``), when its regions are NUTS codes of one country.

    Raises:
        TemplateOptionError: A language or the country is not in the code lists.
    """
    if graph is None:
        return template_layout(languages=languages, country=country)
    if languages is None:
        languages = _graph_languages(graph)
    if country is None:
        country = _strategy_country(graph)
    return template_layout(languages=languages, country=country)


def _graph_languages(graph: Graph) -> tuple[str, ...] | None:
    """The default languages and those of the graph's names and descriptions (None: the default alone)."""
    default = template_layout().languages
    known = template_languages()
    used = sorted(
        {
            str(o.language).lower()
            for path in TEXT_PROPERTIES
            for o in graph.objects(None, path)
            if isinstance(o, Literal) and o.language and str(o.language).lower() in known
        }
        - set(default)
    )
    if not used:
        return None
    return (*default, *used)[:MAX_LANGUAGES]


def _strategy_country(graph: Graph) -> str | None:
    regions = codelists().regions
    countries = {
        regions[str(region)].code[:2]
        for strategy in graph.subjects(RDF.type, RIS3.Strategy)
        for region in graph.objects(strategy, DCTERMS.spatial)
        if isinstance(region, URIRef) and str(region) in regions
    }
    if len(countries) != 1:
        return None
    (country,) = countries
    return country if country in template_countries() else None


def read_template(path: Path, *, limits: ReadLimits | None = None) -> TemplateGraph:
    """Convert a filled ``.xlsx`` template to RDF.

    The template may have been written for any languages: a text column in a language of the code
    lists (``label (fi)``) gives literals in that language (``@fi``).

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


def _info(path: Path, contents: tuple[SheetContent, ...], layout: TemplateLayout) -> TemplateInfo:
    sheets = tuple(SheetInfo(c.sheet.name, tuple(col.header for col in c.sheet.columns), len(c.rows)) for c in contents)
    return TemplateInfo(path, sheets, layout.languages, layout.country)
