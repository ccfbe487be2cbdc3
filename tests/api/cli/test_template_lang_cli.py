"""The template for other languages and countries: ``ris3kg template --lang/--country`` and its web download.

Also the web form's template link (``/submissions/template.xlsx?lang=fi&country=FI``), with the
Flask test client on a small store of its own: the CLI and the web answer an unknown language or
country with a clear message naming the closest ones, never a traceback.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ris3kg.api.cli.main import main
from ris3kg.api.web.app import create_app
from ris3kg.api.web.state import state
from ris3kg.graph.build import build_store
from ris3kg.graph.catalogue import PARTS


def _headers(workbook: Workbook, sheet: str) -> list[str]:
    return [str(cell.value) for cell in workbook[sheet][1]]


def _region_codes(workbook: Workbook) -> set[str]:
    """The codes of the Strategy sheet's region drop-down list (``nuts:FI1D9`` of ``nuts:FI1D9 Pohjois-Pohjanmaa``)."""
    strategy = workbook["Strategy"]
    letter = strategy.cell(row=1, column=_headers(workbook, "Strategy").index("spatial") + 1).column_letter
    (validation,) = (v for v in strategy.data_validations.dataValidation if f"{letter}2:" in str(v.sqref))
    target, cells = next(iter(workbook.defined_names[str(validation.formula1)].destinations))
    return {str(cell.value).split(" ", 1)[0] for row in workbook[target][cells.replace("$", "")] for cell in row}


def test_template_lang_writes_finnish_and_english_text_columns(tmp_path: Path) -> None:
    output = tmp_path / "template-fi.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(output), "--lang", "fi", "--country", "FI"])
    assert result.exit_code == 0, result.output
    assert "text in en, fi; regions of FI" in result.output
    workbook = load_workbook(output)
    headers = _headers(workbook, "Strategy")
    assert {"label (en)", "label (fi)", "description (fi)"} <= set(headers) and "label (sv)" not in headers
    codes = _region_codes(workbook)
    assert "nuts:FI1D9" in codes and "nuts:SE221" not in codes


def test_template_without_lang_keeps_the_default_languages(tmp_path: Path) -> None:
    output = tmp_path / "template.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(output)])
    assert result.exit_code == 0, result.output
    headers = _headers(load_workbook(output), "Strategy")
    assert [h for h in headers if h.startswith("label (")] == ["label (en)", "label (nb)", "label (sv)"]


def test_template_lang_takes_several_tags_and_csv(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    result = CliRunner().invoke(main, ["template", "-o", str(folder), "--csv", "--lang", "pl,de", "--lang", "CNR"])
    assert result.exit_code == 0, result.output
    header = (folder / "Strategy.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [h for h in header if h.startswith("label (")] == [
        "label (en)",
        "label (cnr)",
        "label (de)",
        "label (pl)",
    ]


@pytest.mark.parametrize(
    ("args", "hint", "expected"),
    [
        (["--lang", "fx"], "--lang", "unknown language 'fx': the closest: fi (Finnish), fr (French)"),
        (["--lang", "suomi"], "--lang", "unknown language 'suomi'"),
        (["--country", "Polnad"], "--country", "unknown country 'Polnad': the closest: PL (Poland)"),
    ],
)
def test_an_unknown_language_or_country_is_a_bad_parameter(
    tmp_path: Path, args: list[str], hint: str, expected: str
) -> None:
    output = tmp_path / "never.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(output), *args])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for {hint}" in result.output and expected in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not output.exists()


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The web application on a small store of its own (the reference parts only)."""
    path = tmp_path_factory.mktemp("template-web") / "store"
    build_store(path, parts=PARTS[:4])
    application = create_app({"STORE": path, "TESTING": True, "QUERY_WORKERS": 1})
    yield application
    state(application).close()


@pytest.fixture()
def web(web_app: Flask) -> FlaskClient:
    """A Flask test client."""
    return web_app.test_client()


def test_the_web_template_for_finnish_has_finnish_columns(web: FlaskClient) -> None:
    response = web.get("/submissions/template.xlsx?lang=fi&country=FI")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "ris3kg-submission-template-fi-fi.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert {"label (en)", "label (fi)"} <= set(_headers(workbook, "Actors"))
    codes = _region_codes(workbook)
    assert "nuts:FI1D9" in codes and "nuts:SE221" not in codes


def test_the_web_template_filled_with_a_strategy_in_another_language(web: FlaskClient) -> None:
    response = web.get("/submissions/template.xlsx?strategy=blekinge&lang=pl")
    assert response.status_code == 200
    assert "ris3kg-blekinge-template-pl.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    headers = _headers(workbook, "Strategy")
    assert "label (pl)" in headers and "label (sv)" not in headers
    assert workbook["Strategy"].max_row >= 2
    assert "nuts:SE221" in _region_codes(workbook)  # the strategy's own country, Sweden


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lang=fx", "lang: unknown language 'fx': the closest: fi (Finnish)"),
        ("lang=fi&country=Polnad", "country: unknown country 'Polnad': the closest: PL (Poland)"),
    ],
)
def test_the_web_template_answers_400_to_an_unknown_language_or_country(
    web: FlaskClient, query: str, expected: str
) -> None:
    response = web.get(f"/submissions/template.xlsx?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert expected in response.get_json()["error"]


def test_the_form_offers_the_template_in_every_language(web: FlaskClient) -> None:
    html = web.get("/submissions").get_data(as_text=True)
    assert 'id="template-form"' in html and 'name="lang"' in html and 'name="country"' in html
    assert '<option value="fi">Finnish (fi) and English</option>' in html
    assert '<option value="PL">Poland (PL)</option>' in html
    assert "/submissions/template.xlsx?strategy=blekinge" in html
