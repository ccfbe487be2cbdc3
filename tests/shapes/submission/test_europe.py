"""Strategies from regions outside the seeds: six countries, their languages and currencies.

The submissions are the made-up ones of ``tests/data/europe`` (see ``make_europe.py``): a NUTS 1,
a NUTS 2 and a NUTS 3 region, an EFTA statistical region and a code of NUTS 2024 only, in Finnish,
Polish, German, Icelandic, Portuguese and Czech, with figures in EUR, PLN, ISK and CZK. Each
validates clean as Turtle and as a filled template, is taken into a store of its own, shows at its
region and in the theme comparison; a strategy whose region code is no longer valid in its
period is refused with the codes that replaced it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDFS, Literal

from ris3kg.graph.build import build_store
from ris3kg.graph.sparql.examples import example_by_key
from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.shapes.spreadsheet.template import read_template, write_template
from ris3kg.shapes.submission.check import accept_submission, check_submission
from ris3kg.shapes.submission.read import read_submission_file
from ris3kg.shapes.validation import validate_graph

from conftest import DATA

EUROPE = DATA / "europe"
VALID = {
    "test-pohjois-pohjanmaa": ("FI1D9", "fi"),
    "test-malopolska": ("PL21", "pl"),
    "test-baden-wuerttemberg": ("DE1", "de"),
    "test-hofudborgarsvaedi": ("IS001", "is"),
    "test-grande-lisboa": ("PT1A", "pt"),
    "test-jihovychod": ("CZ06", "cs"),
}
NUTS = "http://data.europa.eu/nuts/code/"


@pytest.fixture(scope="module")
def europe_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store of its own with the six strategies taken in."""
    path = tmp_path_factory.mktemp("europe") / "store"
    build_store(path)
    for key in VALID:
        checked = check_submission(read_submission_file(EUROPE / f"{key}.ttl"), store=OxigraphStore.open(path))
        assert checked.conforms, [r.message for r in checked.report.violations]
        accept_submission(checked, store_path=path, submitted_by="tests")
    yield path


def _example(key: str) -> str:
    example = example_by_key(key)
    assert example is not None
    return example.query


def test_the_cases_cover_what_the_issue_asks_for() -> None:
    from ris3kg.graph.codelists.lookup import codelists

    regions = codelists().regions
    levels = {regions[NUTS + code].level for code, _lang in VALID.values()}
    assert {1, 2, 3} <= levels
    assert len({code[:2] for code, _lang in VALID.values()}) == 6
    assert not {"SE", "NO"} & {code[:2] for code, _lang in VALID.values()}
    assert regions[NUTS + "PT1A"].versions == {"2024"}
    assert "IS001" in (code for code, _lang in VALID.values())  # Iceland: a statistical region (EFTA)


@pytest.mark.parametrize("key", sorted(VALID))
def test_each_strategy_validates_clean_as_turtle(key: str) -> None:
    checked = check_submission(read_submission_file(EUROPE / f"{key}.ttl"), store=None)
    assert checked.conforms
    assert not checked.report.warnings, [r.message for r in checked.report.warnings]


@pytest.mark.parametrize("key", sorted(VALID))
def test_each_strategy_validates_clean_as_a_filled_template(key: str, tmp_path: Path) -> None:
    graph = read_submission_file(EUROPE / f"{key}.ttl").graph
    path = tmp_path / f"{key}.xlsx"
    write_template(path, graph=graph)
    back = read_template(path).graph
    report = validate_graph(back, source=path.name)
    assert report.conforms, [r.message for r in report.violations]
    _code, lang = VALID[key]
    labels = {o for o in back.objects(None, RDFS.label) if isinstance(o, Literal)}
    assert any(label.language == lang for label in labels)
    assert len(back) == len(graph)


def test_a_region_code_no_longer_valid_in_the_period_is_refused_naming_its_successors() -> None:
    checked = check_submission(read_submission_file(EUROPE / "test-lisboa-outdated.ttl"), store=None)
    assert not checked.conforms
    (violation,) = checked.report.violations
    assert "PT17" in violation.message and "NUTS 2024" in violation.message
    assert "nuts:PT1A" in violation.message and "nuts:PT1B" in violation.message
    assert violation.location is not None and "line" in violation.location


def test_accepted_strategies_are_found_at_their_region(europe_store: Path) -> None:
    store = OxigraphStore.open(europe_store)
    rows = store.select(
        "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX ris3: <https://w3id.org/ris3kg/ontology#> "
        "SELECT ?strategy ?region WHERE { ?strategy a ris3:Strategy ; dcterms:spatial ?region }"
    ).rows
    found = {str(row["region"]).removeprefix(NUTS) for row in rows}
    assert {code for code, _lang in VALID.values()} <= found


def test_the_theme_comparison_counts_the_new_languages(europe_store: Path, store: OxigraphStore) -> None:
    def languages_per_theme(source: OxigraphStore) -> dict[str, int]:
        rows = source.select(_example("04-themes-across-languages")).rows
        return {str(row["theme"]).rsplit("/", 1)[-1]: int(row["languages"] or 0) for row in rows}

    before, after = languages_per_theme(store), languages_per_theme(OxigraphStore.open(europe_store))
    new: dict[str, set[str]] = {}
    for key, (_code, lang) in VALID.items():
        theme = next(
            line for line in (EUROPE / f"{key}.ttl").read_text(encoding="utf-8").splitlines() if "ris3:theme" in line
        )
        new.setdefault(theme.split("theme:")[1].strip(" ;"), set()).add(lang)
    assert new and all(after[theme] == before.get(theme, 0) + len(langs) for theme, langs in new.items()), (
        before,
        after,
    )


def test_a_figure_in_a_currency_of_its_own_is_kept_with_its_unit(europe_store: Path) -> None:
    store = OxigraphStore.open(europe_store)
    rows = store.select(
        "PREFIX ris3: <https://w3id.org/ris3kg/ontology#> SELECT ?unit WHERE { "
        "<https://w3id.org/ris3kg/id/test-malopolska/figure-1> ris3:unit ?unit }"
    ).rows
    assert [str(row["unit"]) for row in rows] == ["https://w3id.org/ris3kg/id/vocab/unit-pln"]


def test_each_accepted_strategy_shows_on_its_region_page(europe_store: Path) -> None:
    from ris3kg.api.web.app import create_app
    from ris3kg.api.web.state import state

    app = create_app({"STORE": europe_store, "TESTING": True, "QUERY_WORKERS": 1})
    try:
        client = app.test_client()
        for key, (code, _lang) in VALID.items():
            page = client.get(f"/region/{code}")
            assert page.status_code == 200, code
            text = page.get_data(as_text=True)
            assert f"/id/{key}/strategy" in text, code
            assert "No strategy in ris3kg covers this region yet" not in text
    finally:
        state(app).close()
