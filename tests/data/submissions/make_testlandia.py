"""Make ``testlandia.xlsx``: a small, hand-filled submission template (a TEST FIXTURE).

Testlandia is a made-up region, not a real strategy: it borrows the NUTS code SE311 so that its
region is known to ris3kg. The workbook is the empty template written by ris3kg with cells filled
in the way a strategy officer would: CURIEs and full IRIs, several themes in one cell, a number,
a year, two languages, the source passage on each row and a second passage on the Passages sheet.

Rerun after the template's layout changes: ``python tests/data/submissions/make_testlandia.py``.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from ris3kg.shapes.spreadsheet.template import write_template

HERE = Path(__file__).resolve().parent
BASE = "https://w3id.org/ris3kg/id/testlandia/"
DOCUMENT = BASE + "document"
QUOTE = {"source document": DOCUMENT, "quote language": "sv"}

ROWS: dict[str, list[dict[str, object]]] = {
    "Sources": [
        {
            "id": DOCUMENT,
            "label (en)": "Testlandia's smart specialisation strategy (test fixture)",
            "label (sv)": "Testlandias strategi för smart specialisering (testdata)",
            "title (sv)": "Testlandias strategi för smart specialisering",
            "fileName": "testlandia-s3.pdf",
            "language": "lang:SWE",
            "documentType": "voc:doc-strategy",
            "source quote": "Testlandias strategi för smart specialisering",
            **QUOTE,
        }
    ],
    "Strategy": [
        {
            "id": BASE + "strategy",
            "label (en)": "Smart specialisation strategy of Testlandia",
            "label (sv)": "Testlandias smarta specialiseringsstrategi",
            "documentedIn": f"<{DOCUMENT}>",
            "spatial": "nuts:SE311",
            "owner": "actor:region-testlandia",
            "temporal": "voc:period-2021-2027",
            "source quote": "Strategin gäller för Testlandia under perioden 2021–2027.",
            **QUOTE,
        }
    ],
    "Actors": [
        {
            "id": "actor:region-testlandia",
            "type": "ris3:PublicBody",
            "label (en)": "Region Testlandia",
            "label (sv)": "Region Testlandia",
            "helixRole": "voc:helix-public-sector",
            "locatedIn": "nuts:SE311",
            "source quote": "Region Testlandia äger strategin och leder arbetet.",
            **QUOTE,
        },
        {
            "id": "actor:testlandia-university",
            "type": "ris3:University",
            "label (en)": "Testlandia University",
            "label (sv)": "Testlandias universitet",
            "helixRole": "voc:helix-academia",
            "locatedIn": "nuts:SE311",
            "source quote": "Testlandias universitet bidrar med forskning om batterier.",
            **QUOTE,
        },
    ],
    "Areas": [
        {
            "id": BASE + "area-batteries",
            "type": "ris3:SpecialisationArea",
            "label (en)": "Battery technology",
            "label (sv)": "Batteriteknik",
            "description (en)": "Research and production of batteries.",
            "areaKind": "voc:kind-strength",
            "theme": "theme:research-innovation | theme:manufacturing",
            "inStrategy": BASE + "strategy",
            "ordinal": 1,
            "source quote": "Batteriteknik är Testlandias första styrkeområde.",
            **QUOTE,
        }
    ],
    "Bottlenecks": [
        {
            "id": BASE + "bottleneck-1",
            "type": "ris3:Bottleneck",
            "label (en)": "Too few engineers",
            "label (sv)": "För få ingenjörer",
            "theme": "theme:skills-supply",
            "inStrategy": BASE + "strategy",
            "ordinal": 1,
            "source quote": "Det finns för få ingenjörer i Testlandia.",
            **QUOTE,
        }
    ],
    "Actions": [
        {
            "id": BASE + "action-1",
            "type": "ris3:Action",
            "label (en)": "Train battery engineers",
            "label (sv)": "Utbilda batteriingenjörer",
            "theme": "theme:skills-supply | theme:education",
            "addresses": BASE + "bottleneck-1",
            "serves": BASE + "area-batteries",
            "inStrategy": BASE + "strategy",
            "ordinal": 1,
            "source quote": "Vi ska utbilda fler batteriingenjörer tillsammans med universitetet.",
            **QUOTE,
        }
    ],
    "Figures": [
        {
            "id": BASE + "figure-battery-employment",
            "label (en)": "Employment in battery technology",
            "label (sv)": "Sysselsättning inom batteriteknik",
            "value": 1200,
            "unit": "voc:unit-persons",
            "measure": "voc:measure-employment",
            "valueQualifier": "voc:value-approximate",
            "year": 2020,
            "about": BASE + "area-batteries",
            "inStrategy": BASE + "strategy",
            "source quote": "Cirka 1200 personer arbetade med batteriteknik år 2020.",
            **QUOTE,
        }
    ],
    "Passages": [
        {
            "subject": BASE + "strategy",
            "source quote": "Region Testlandia äger strategin och leder arbetet.",
            **QUOTE,
        }
    ],
}
"""Sheet name → rows, each a mapping from column header to cell value."""


def make(path: Path) -> None:
    """Write the empty template to ``path`` and fill in :data:`ROWS`."""
    write_template(path)
    workbook = load_workbook(path)
    for sheet_name, rows in ROWS.items():
        worksheet = workbook[sheet_name]
        headers = {cell.value: cell.column for cell in worksheet[1]}
        for offset, row in enumerate(rows, start=2):
            for header, value in row.items():
                worksheet.cell(row=offset, column=headers[header], value=value)
    workbook.save(path)


if __name__ == "__main__":
    make(HERE / "testlandia.xlsx")
