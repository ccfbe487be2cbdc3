"""A Europe-sized synthetic corpus of smart specialisation strategies, to measure builds, queries and validation.

**What is real and what is invented.** This is *not data*: nothing here describes a real strategy.

- Real: the regions (every NUTS 2 region of NUTS 2021 in the EU and the EEA, from the packaged code
  list ``graph/data/codelists/nuts.nt.gz``, with their code and name); the language of each region
  (a small table below: the country's official language, with the few regional exceptions that
  write their strategy in another one: Flanders, Wallonia, Brussels, Åland, Catalonia, Bolzano) and
  its currency; the ontology's classes and properties; the vocabularies (themes, helix roles, units,
  measures, periods, NACE codes of the code list); the EU funds and programmes of the vocabularies
  (ERDF, ESF, Horizon 2020, Horizon Europe, Interreg, ...) with the English names the seed
  strategies give them; the international organisations the seeds name (European Union, OECD, ...).
- Invented: every strategy, every element of one, every actor name (universities, companies,
  institutes, cluster organisations, public bodies, people), every project, every figure and every
  text. Texts are templates: the English ones are built from the theme labels and the region's
  name; the ones in the region's language carry the right language tag and the language's term for
  smart specialisation, the region's own name and (outside Swedish and Norwegian, where the
  vocabularies have theme labels) the English theme label: they are not translations.

**How it is made.** The five seed strategies (``graph/data/*.ttl``) are read once, and every
described subject in them becomes a *prototype*: its class and the shape of its description
(which properties, pointing to which kind of thing). A synthetic strategy has, for every class the
seeds have, a number of elements proportional to the class's mean count per seed strategy (at
least one), times a scale factor; each element copies the description of one prototype of its
class, with its own IRI, its own texts in the region's language and English, its own passages
(``prov:wasDerivedFrom [ a ris3:Passage ; prov:wasQuotedFrom doc ; prov:value "..."@lang ]``), fresh
themes and NACE codes, and its links to the other elements of the same strategy. What the seeds
record as a study (``ris3:Study``, ``ris3:inStudy``) is made a strategy's own (``ris3:inStrategy``):
the corpus is strategies only.

**How many.** Strategies come in slots, in this order: the 2021–2027 strategy of every region
(251 NUTS 2 regions of EU + EEA; below that, a subset spread over Europe in pairs of neighbouring
regions, so that about 190 strategies, the issue's figure for one period, make about 1M triples),
then the 2014–2020 ones, then a mid-term revision (``-r2``) and an update (``-r3``) of each. The
number of strategies is the target over 5 000 triples a strategy (the seeds' size at scale 2), capped
by the slots (251 × 2 periods × 3 editions = 1 506); the scale of each strategy is then adjusted as
the corpus is written so that the total lands on the target (and varies by ±25% between
strategies, as real ones do). 1M triples: 200 strategies (all 2021–2027); 10M: 1 500 strategies
and 2.5M triples of projects.

**Measured** (this 2-core machine, shared; ``/usr/bin/time -f "%e s %M KB"``): 1M triples in 7.0 s
(142 000 triples/s, peak RSS 89 MiB); 10M with projects in 56 s (178 000 triples/s, 10 files, peak
RSS 107 MiB). Memory grows only with what the projects keep of each strategy (20 areas, 40
actors), so 50M stays near the same.

**Shared.** Actors are drawn from pools shared by the strategies of one NUTS 1 region (most
organisations), of one country (investors, networks), of one NUTS 2 region across periods and
editions (its governance bodies, people, its regional authority) or of Europe (international
organisations). EU funds are the vocabularies' IRIs, referenced by every strategy of their
period; a funding class with no EU fund (``ris3:FundingInstrument``) gets invented national ones.

**Projects** (by default for 10M triples and more): a quarter of the triples are synthetic funded
projects like Kohesio's (ERDF, ESF) and CORDIS's (Horizon), one named graph per country
(``graph/synthetic-projects-<cc>``): ``ris3:Project`` with labels, description, ``ris3:startYear`` /
``ris3:endYear``, ``dcterms:spatial`` the region, ``ris3:fundedBy`` a fund, ``ris3:managedBy`` the
coordinator, ``ris3:participatesIn`` from each partner (actors of the same and other regions' strategies),
``ris3:theme``, ``ris3:sector``, ``ris3:relatedTo`` a specialisation area of the region's strategy,
and a ``ris3:Figure`` for the EU contribution (``ris3:about`` the project).

**Output.** Gzip N-Quads, one named graph per strategy (``https://w3id.org/ris3kg/graph/<key>``, its
own things under ``https://w3id.org/ris3kg/id/<key>/``), written as it is made into files of about
one million quads (``europe-0001.nq.gz``, ...): memory stays flat whatever the size. Deterministic
for a given seed and size.

Run: ``.venv/bin/python tests/benchmarks/europe_corpus.py --triples 1000000 -o DIR [--seed 1]
[--projects/--no-projects]``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import math
import random
import re
import resource
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Final

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef

from ris3kg.graph.catalogue import strategy_parts
from ris3kg.graph.codelists.lookup import codelists
from ris3kg.ontology.namespaces import GRAPH_BASE, ID_BASE, PREFIXES
from ris3kg.ontology.resources import ONTOLOGY, VOCABULARIES, parse_resource

RIS3: Final[str] = PREFIXES["ris3"]
PROV: Final[str] = PREFIXES["prov"]
DCT: Final[str] = PREFIXES["dcterms"]
SKOS: Final[str] = PREFIXES["skos"]
XSD: Final[str] = PREFIXES["xsd"]
VOC: Final[str] = PREFIXES["voc"]
THEME: Final[str] = PREFIXES["theme"]
ACTOR: Final[str] = PREFIXES["actor"]
FUND: Final[str] = PREFIXES["fund"]
REGION: Final[str] = PREFIXES["region"]
NUTS: Final[str] = PREFIXES["nuts"]
LANG: Final[str] = PREFIXES["lang"]
NACE: Final[str] = PREFIXES["nace"]
NACE21: Final[str] = PREFIXES["nace21"]
TYPE: Final[str] = str(RDF.type)
LABEL: Final[str] = str(RDFS.label)

QUADS_PER_FILE: Final = 1_000_000
"""A new file is begun at the first strategy boundary after this many quads."""
TRIPLES_AT_SCALE_1: Final = 2_500
"""About how many triples a synthetic strategy has at scale 1 (the seeds' mean size with two languages)."""
NOMINAL_SCALE: Final = 2.0
PROJECT_SHARE: Final = 0.25
"""The part of the triples that are projects, when there are projects."""
PROJECTS_FROM: Final = 10_000_000
"""Projects are on by default from this many triples."""
EDITIONS: Final = 3
PERIODS: Final = ((2021, 2027), (2014, 2020))

SEED_LOCAL: Final[tuple[str, ...]] = tuple(
    PREFIXES[k] for k in ("blekinge", "norrbotten", "nms", "s3norge", "vasternorrland")
)


@dataclass(frozen=True)
class Language:
    """The language a region writes its strategy in.

    Attributes:
        tag: BCP 47 tag of the literals (``pl``).
        code: The EU authority code of ``dcterms:language`` (``POL``).
        s3: The language's term for smart specialisation.
    """

    tag: str
    code: str
    s3: str


_L = {
    "bg": Language("bg", "BUL", "Интелигентна специализация"),
    "cs": Language("cs", "CES", "Inteligentní specializace"),
    "da": Language("da", "DAN", "Intelligent specialisering"),
    "de": Language("de", "DEU", "Intelligente Spezialisierung"),
    "el": Language("el", "ELL", "Έξυπνη εξειδίκευση"),
    "en": Language("en", "ENG", "Smart specialisation"),
    "es": Language("es", "SPA", "Especialización inteligente"),
    "et": Language("et", "EST", "Nutikas spetsialiseerumine"),
    "fi": Language("fi", "FIN", "Älykäs erikoistuminen"),
    "fr": Language("fr", "FRA", "Spécialisation intelligente"),
    "hr": Language("hr", "HRV", "Pametna specijalizacija"),
    "hu": Language("hu", "HUN", "Intelligens szakosodás"),
    "is": Language("is", "ISL", "Snjöll sérhæfing"),
    "it": Language("it", "ITA", "Specializzazione intelligente"),
    "lt": Language("lt", "LIT", "Sumani specializacija"),
    "lv": Language("lv", "LAV", "Viedā specializācija"),
    "mt": Language("mt", "MLT", "Speċjalizzazzjoni intelliġenti"),
    "nb": Language("nb", "NOB", "Smart spesialisering"),
    "nl": Language("nl", "NLD", "Slimme specialisatie"),
    "pl": Language("pl", "POL", "Inteligentna specjalizacja"),
    "pt": Language("pt", "POR", "Especialização inteligente"),
    "ro": Language("ro", "RON", "Specializare inteligentă"),
    "sk": Language("sk", "SLK", "Inteligentná špecializácia"),
    "sl": Language("sl", "SLV", "Pametna specializacija"),
    "sv": Language("sv", "SWE", "Smart specialisering"),
}
COUNTRIES: Final = {
    # country: (language, currency unit); EU 27 and the EEA (Iceland, Liechtenstein, Norway)
    "AT": ("de", "eur"),
    "BE": ("nl", "eur"),
    "BG": ("bg", "eur"),  # the currency code list has no BGN (Bulgaria adopted the euro in 2026)
    "CY": ("el", "eur"),
    "CZ": ("cs", "czk"),
    "DE": ("de", "eur"),
    "DK": ("da", "dkk"),
    "EE": ("et", "eur"),
    "EL": ("el", "eur"),
    "ES": ("es", "eur"),
    "FI": ("fi", "eur"),
    "FR": ("fr", "eur"),
    "HR": ("hr", "eur"),
    "HU": ("hu", "huf"),
    "IE": ("en", "eur"),
    "IS": ("is", "isk"),
    "IT": ("it", "eur"),
    "LI": ("de", "chf"),
    "LT": ("lt", "eur"),
    "LU": ("fr", "eur"),
    "LV": ("lv", "eur"),
    "MT": ("mt", "eur"),
    "NL": ("nl", "eur"),
    "NO": ("nb", "nok"),
    "PL": ("pl", "pln"),
    "PT": ("pt", "eur"),
    "RO": ("ro", "ron"),
    "SE": ("sv", "sek"),
    "SI": ("sl", "eur"),
    "SK": ("sk", "eur"),
}
REGIONAL_LANGUAGE: Final = {"BE1": "fr", "BE3": "fr", "FI2": "sv", "ITH1": "de", "ES51": "es"}
"""Regions (by code prefix) that write in another language than their country's first (Catalan has no code)."""

COMPANY_SUFFIX: Final = {
    "AT": "GmbH", "BE": "NV", "BG": "EOOD", "CY": "Ltd", "CZ": "s.r.o.", "DE": "GmbH", "DK": "ApS", "EE": "OÜ",
    "EL": "AE", "ES": "S.L.", "FI": "Oy", "FR": "SAS", "HR": "d.o.o.", "HU": "Kft.", "IE": "Ltd", "IS": "ehf.",
    "IT": "S.r.l.", "LI": "AG", "LT": "UAB", "LU": "S.à r.l.", "LV": "SIA", "MT": "Ltd", "NL": "B.V.", "NO": "AS",
    "PL": "Sp. z o.o.", "PT": "Lda", "RO": "S.R.L.", "SE": "AB", "SI": "d.o.o.", "SK": "s.r.o.",
}  # fmt: skip
_SYLLABLES: Final = (
    "nor", "vex", "tal", "mar", "lin", "dor", "sen", "ka", "ri", "vo", "tek", "sol", "gra", "fen", "bel", "qua",
    "mi", "ra", "zen", "tor", "lum", "ax", "pro", "via", "ne", "ost", "cor", "ell", "san", "dal",
)  # fmt: skip

# Pool scope per class (local name): who shares an actor. Default "nuts1".
SCOPE: Final = {
    "InternationalOrganisation": "europe",
    "Investor": "country",
    "Network": "country",
    "GovernanceBody": "region",
    "Person": "region",
}

_CHILD_LINKS: Final = {RIS3 + "hasSubArea", RIS3 + "hasStep"}
"""Parent-to-child links: every child gets one parent of a class the seeds link from."""
_ACYCLIC: Final = {PREFIXES["org"] + "subOrganizationOf", PREFIXES["org"] + "reportsTo"}
"""Links that must not loop: they go from an IRI to a smaller one only."""
_LANG_PREDICATES_ONE: Final = {DCT + "title"}
"""Lang-tagged properties written only in the document's language."""


def slug(text: str) -> str:
    """ASCII, lower case, words joined by ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return re.split(r"[#/]", iri)[-1]


# ---------------------------------------------------------------------------
# Prototypes from the seeds
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Obj:
    """What a prototype's property points to, as a rule for the copy.

    Attributes:
        kind: ``ref`` (an element of class ``value``), ``main``, ``doc``, ``iri`` (kept), ``nuts``, ``lang``,
            ``unit``, ``theme``, ``nace``, ``actor``, ``fund``, ``text``, ``passage``, ``homepage`` or a literal
            rule (``ordinal``, ``notation``, ``year``, ``start``, ``end``, ``value``, ``upper``, ``count``, ``bool``,
            ``filename``, ``issued``, ``citation``, ``lit``).
        value: The class, IRI or lexical form.
        datatype: A literal's datatype.
    """

    kind: str
    value: str = ""
    datatype: str = ""


@dataclass(frozen=True)
class Prototype:
    """A seed subject's description, as rules.

    Attributes:
        cls: Its class.
        shared: ``""`` (the strategy's own), ``actor``, ``fund``, ``id`` or ``region``.
        iri: Its IRI in the seed.
        props: (property, rule) pairs.
        labels: A shared fund's or organisation's English label in the seed (kept: it is a real name).
    """

    cls: str
    shared: str
    iri: str
    props: tuple[tuple[str, Obj], ...]
    labels: str = ""


@dataclass(frozen=True)
class Seeds:
    """What the generator learns from the five seed strategies.

    Attributes:
        prototypes: Class to its prototypes.
        mean: Class to its mean count per seed strategy.
        main: The prototypes of a main strategy (the strategy node of a seed).
        fund_class: Every fund IRI the seeds describe, with its class.
        fund_label: Their English labels.
        classes: Every class a seed's subjects have (the study excluded).
    """

    prototypes: dict[str, list[Prototype]]
    mean: dict[str, float]
    main: list[Prototype]
    fund_class: dict[str, str]
    fund_label: dict[str, str]
    classes: frozenset[str]
    parents: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(link, child class) to the classes the seeds link from (``ris3:hasSubArea``, ``ris3:hasStep``)."""


def _shared_kind(iri: str) -> str:
    if iri.startswith(ACTOR):
        return "actor"
    if iri.startswith(FUND):
        return "fund"
    if iri.startswith(REGION):
        return "region"
    if iri.startswith(SEED_LOCAL):
        return ""
    return "id"


_LITERAL_RULES: Final = {
    RIS3 + "ordinal": "ordinal",
    SKOS + "notation": "notation",
    RIS3 + "year": "year",
    RIS3 + "startYear": "start",
    RIS3 + "endYear": "end",
    RIS3 + "value": "value",
    RIS3 + "upperValue": "upper",
    RIS3 + "organisationCount": "count",
    RIS3 + "criterionMet": "bool",
    RIS3 + "fileName": "filename",
    DCT + "issued": "issued",
    DCT + "bibliographicCitation": "citation",
}


def _rule(graph: Graph, pred: str, obj: object, mains: set[str], docs: set[str], types: dict[str, str]) -> Obj | None:
    if isinstance(obj, BNode):
        return Obj("passage") if pred == PROV + "wasDerivedFrom" else None
    if isinstance(obj, Literal):
        if obj.language:
            return Obj("text")
        return Obj(_LITERAL_RULES.get(pred, "lit"), str(obj), str(obj.datatype or ""))
    iri = str(obj)
    if pred == TYPE:
        return Obj("iri", iri)
    if pred in (RIS3 + "inStrategy", RIS3 + "inStudy", RIS3 + "actorIn") or iri in mains:
        return Obj("main")
    if iri in docs:
        return Obj("doc")
    if iri in types and types[iri] != RIS3 + "Study":
        return Obj("ref", types[iri])
    if pred == "http://xmlns.com/foaf/0.1/homepage":
        return Obj("homepage")
    for prefix, kind in ((NUTS, "nuts"), (REGION, "nuts"), (LANG, "lang"), (THEME, "theme"), (ACTOR, "actor")):
        if iri.startswith(prefix):
            return Obj(kind)
    if iri.startswith((NACE, NACE21)):
        return Obj("nace")
    if iri.startswith(FUND):
        return Obj("fund")
    if iri in (VOC + "unit-sek", VOC + "unit-nok", VOC + "unit-eur"):
        return Obj("unit")
    if iri.startswith(ID_BASE) and not iri.startswith((VOC, PREFIXES["typology"])):
        return None  # an undescribed thing of the seed's own: nothing to copy it from
    return Obj("iri", iri)


def _order(pair: tuple[object, object]) -> tuple[str, str]:
    pred, obj = pair
    return (str(pred), "" if isinstance(obj, BNode) else str(obj))


@lru_cache(maxsize=1)
def seeds() -> Seeds:
    """Read the five seed strategies into prototypes and per-class means (once per process)."""
    prototypes: dict[str, list[Prototype]] = defaultdict(list)
    counts: Counter[str] = Counter()
    main: list[Prototype] = []
    fund_class: dict[str, str] = {}
    fund_label: dict[str, str] = {}
    parts = strategy_parts()
    for part in parts:
        graph = part.load()
        # sorted: rdflib's indexes are sets, whose order changes with the process's hash seed
        types = dict(sorted((str(s), str(o)) for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef)))
        mains = {s for s in types if s.startswith(SEED_LOCAL) and local_name(s) in ("strategy", "study")}
        docs = {s for s, t in types.items() if t == RIS3 + "SourceDocument"}
        for subject, cls in types.items():
            if cls in (RIS3 + "Study", RIS3 + "SourceDocument"):
                continue
            props: list[tuple[str, Obj]] = []
            for pred, obj in sorted(graph.predicate_objects(URIRef(subject)), key=_order):
                pred_s = str(pred)
                if pred_s == RIS3 + "studyOf":
                    continue
                if pred_s == RIS3 + "inStudy":
                    pred_s = RIS3 + "inStrategy"
                rule = _rule(graph, pred_s, obj, mains, docs, types)
                if rule is not None and ((pred_s, rule) not in props or rule.kind == "passage"):
                    props.append((pred_s, rule))
            english = next((str(o) for o in graph.objects(URIRef(subject), RDFS.label) if o.language == "en"), "")
            proto = Prototype(cls, _shared_kind(subject), subject, tuple(props), english)
            if subject in mains:
                main.append(proto)
                continue
            prototypes[cls].append(proto)
            counts[cls] += 1
            if subject.startswith(FUND):
                fund_class.setdefault(subject, cls)
                fund_label.setdefault(subject, english)
    mean = {cls: n / len(parts) for cls, n in counts.items()}
    parents: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cls, protos in prototypes.items():
        for proto in protos:
            for pred, rule in proto.props:
                if pred in _CHILD_LINKS and rule.kind == "ref" and cls not in parents[pred, rule.value]:
                    parents[pred, rule.value].append(cls)
    classes = frozenset(counts) | {RIS3 + "Strategy"}
    return Seeds(dict(prototypes), mean, main, fund_class, fund_label, classes, dict(parents))


# ---------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A NUTS 2 region that gets strategies."""

    code: str
    name: str
    language: Language
    currency: str

    @property
    def country(self) -> str:
        """The country code (``PL``)."""
        return self.code[:2]

    @property
    def nuts1(self) -> str:
        """The NUTS 1 code above it."""
        return self.code[:3]

    @property
    def iri(self) -> str:
        """The NUTS IRI."""
        return NUTS + self.code


@dataclass(frozen=True)
class Reference:
    """The vocabularies the generator draws from."""

    regions: tuple[Region, ...]
    themes: tuple[tuple[str, dict[str, str]], ...]
    nace: tuple[str, ...]
    class_label: dict[str, str]
    eu_funds: dict[str, tuple[int, int] | None]
    """EU fund IRI to its programming period (None: any)."""

    @property
    def themes_south(self) -> tuple[tuple[str, dict[str, str]], ...]:
        """The themes outside Sápmi (Sweden, Norway and Finland alone have the Sámi theme)."""
        return tuple(theme for theme in self.themes if not theme[0].endswith("indigenous-sami"))


@lru_cache(maxsize=1)
def reference() -> Reference:
    """Regions, themes, NACE divisions, class labels and EU funds (once per process)."""
    regions = []
    for code in codelists().regions.values():
        country = code.code[:2]
        if code.level != 2 or "2021" not in code.versions or country not in COUNTRIES or code.code.endswith("ZZ"):
            continue
        tag, currency = COUNTRIES[country]
        tag = next((t for p, t in REGIONAL_LANGUAGE.items() if code.code.startswith(p)), tag)
        regions.append(Region(code.code, code.label or code.code, _L[tag], currency))
    vocab = parse_resource(VOCABULARIES)
    themes = []
    for theme in sorted(vocab.subjects(RDF.type, URIRef(RIS3 + "Theme")), key=str):
        labels = {o.language or "": str(o) for o in vocab.objects(theme, RDFS.label) if isinstance(o, Literal)}
        themes.append((str(theme), labels))
    eu_funds: dict[str, tuple[int, int] | None] = {}
    for fund in sorted(vocab.subjects(URIRef(RIS3 + "fundingLevel"), URIRef(VOC + "funding-eu")), key=str):
        period = vocab.value(fund, URIRef(DCT + "temporal"))
        span = None
        if period is not None:
            start, end = vocab.value(period, URIRef(RIS3 + "startYear")), vocab.value(period, URIRef(RIS3 + "endYear"))
            span = (int(str(start)), int(str(end)))
        eu_funds[str(fund)] = span
    nace = tuple(
        iri for iri, code in codelists().nace.items() if iri.startswith(NACE) and re.fullmatch(r"\d\d", code.notation)
    )
    ontology = parse_resource(ONTOLOGY)
    class_label = {
        str(s): str(o) for s, o in ontology.subject_objects(RDFS.label) if isinstance(o, Literal) and o.language == "en"
    }
    return Reference(
        tuple(sorted(regions, key=lambda r: r.code)), tuple(themes), tuple(sorted(nace)), class_label, eu_funds
    )


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _lit(text: str, lang: str = "", datatype: str = "") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype and datatype != XSD + "string":
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


class QuadWriter:
    """Gzip N-Quads files of bounded size, written as they come."""

    def __init__(self, out: Path, *, per_file: int = QUADS_PER_FILE) -> None:
        self.out = out
        self.per_file = per_file
        self.count = 0
        self.files: list[Path] = []
        self._in_file = 0
        self._handle: IO[str] | None = None
        self._buffer: list[str] = []
        self._bnodes = 0

    @property
    def total(self) -> int:
        """Quads written so far, with those still in the buffer."""
        return self.count + len(self._buffer)

    def bnode(self) -> str:
        """A fresh blank node, unique in the corpus."""
        self._bnodes += 1
        return f"_:b{self._bnodes}"

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        """Write one quad: ``s``, ``o`` in N-Quads syntax (``<iri>``, ``_:b1``, a literal), ``p``, ``g`` bare IRIs."""
        self._buffer.append(f"{s} <{p}> {o} <{g}> .\n")
        if len(self._buffer) >= 20_000:
            self._flush()

    def boundary(self) -> None:
        """A graph ends here: begin a new file if this one is full."""
        self._flush()
        if self._handle is not None and self._in_file >= self.per_file:
            self._handle.close()
            self._handle = None

    def _flush(self) -> None:
        if not self._buffer:
            return
        if self._handle is None:
            path = self.out / f"europe-{len(self.files) + 1:04d}.nq.gz"
            self.files.append(path)
            self._handle = gzip.open(path, "wt", encoding="utf-8", compresslevel=3)  # noqa: SIM115
            self._in_file = 0
        self._handle.write("".join(self._buffer))
        self.count += len(self._buffer)
        self._in_file += len(self._buffer)
        self._buffer.clear()

    def close(self) -> None:
        """Write what is left and close the last file."""
        self._flush()
        if self._handle is not None:
            self._handle.close()
            self._handle = None


# ---------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One strategy to write: a region, a period, an edition."""

    region: Region
    period: tuple[int, int]
    edition: int

    @property
    def key(self) -> str:
        """The strategy's key: its graph's and namespace's last segment."""
        suffix = f"-r{self.edition}" if self.edition > 1 else ""
        return f"synthetic-{self.region.code.lower()}-{self.period[0]}-{self.period[1]}{suffix}"

    @property
    def graph(self) -> str:
        """Its named graph."""
        return f"{GRAPH_BASE}{self.key}"

    @property
    def ns(self) -> str:
        """The namespace of its own things."""
        return f"{ID_BASE}{self.key}/"

    @property
    def issued(self) -> int:
        """The year its document was published."""
        return self.period[0] - 1 + 2 * (self.edition - 1) + (1 if self.edition > 1 else 0)


@dataclass
class Written:
    """What the projects need to know of a strategy written."""

    slot: Slot
    areas: list[tuple[str, str]] = field(default_factory=list)
    """(area IRI, theme IRI)."""
    actors: list[str] = field(default_factory=list)


def slots(regions: Sequence[Region], n: int) -> list[Slot]:
    """The first ``n`` strategies: in each period the regions, then revisions; a subset is spread in pairs."""
    order: list[Slot] = []
    for edition in range(1, EDITIONS + 1):
        for period in PERIODS:
            order.extend(Slot(region, period, edition) for region in regions)
    if n >= len(regions):
        return order[:n]
    pairs = math.ceil(n / 2)
    picked: list[Region] = []
    for j in range(pairs):
        start = min(len(regions) - 2, (j * len(regions)) // pairs)
        for region in regions[start : start + 2]:
            if region not in picked:
                picked.append(region)
    return [Slot(region, PERIODS[0], 1) for region in picked[:n]]


def _stable(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest(), "big")


class Corpus:
    """Writes strategies and projects into a :class:`QuadWriter`."""

    def __init__(self, writer: QuadWriter, seed: int, planned: Sequence[Slot]) -> None:
        self.w = writer
        self.seed = seed
        self.seeds = seeds()
        self.ref = reference()
        self.planned_in: Counter[str] = Counter()
        for slot in planned:
            self.planned_in[slot.region.nuts1] += 1
            self.planned_in[slot.region.country] += 1
            self.planned_in[slot.region.code] += 1
        self.by_scope: dict[str, list[Region]] = defaultdict(list)
        for region in self.ref.regions:
            self.by_scope[region.nuts1].append(region)
            self.by_scope[region.country].append(region)
            self.by_scope[region.code].append(region)
            self.by_scope["europe"].append(region)
        self.written: list[Written] = []
        self.theme_labels = dict(self.ref.themes)

    # -- texts ------------------------------------------------------------

    def theme_label(self, theme: str, lang: str) -> str:
        """A theme's label in ``lang`` where the vocabularies have one, else in English."""
        labels = self.theme_labels[theme]
        return labels.get(lang) or labels.get("nb" if lang == "nn" else lang) or labels["en"]

    def text(self, rng: random.Random, kind: str, cls: str, i: int, theme: str, region: Region, lang: str) -> str:
        """An invented text: a label, a description or a quote, in English or the region's language."""
        cls_label = self.ref.class_label.get(cls, local_name(cls))
        t = self.theme_label(theme, "en" if lang == "en" else lang)
        other = self.theme_label(rng.choice(self.ref.themes_south)[0], "en" if lang == "en" else lang)
        r = region.name
        if lang != "en":
            s3 = _L[lang].s3 if lang in _L else "Smart specialisation"
            if kind == "label":
                return f"{t[:1].upper()}{t[1:]} – {r} ({i})"
            return f"{s3} {r}: {t}, {other} – {cls_label} {i}."
        if kind == "label":
            pattern = rng.randrange(5)
            head = f"{t[:1].upper()}{t[1:]}"
            return (
                f"{head} in {r}",
                f"{head} and {other} in {r}",
                f"{cls_label[:1].upper()}{cls_label[1:]} {i}: {t}",
                f"Stronger {t} for {r}",
                f"{head} {i} of {r}",
            )[pattern]
        templates = (
            "{R} will develop {t} together with {o}, as {c} {i} of its strategy.",
            "The region builds on its strengths in {t} and opens them to {o} ({c} {i}).",
            "In {R}, {t} is to grow through cooperation with {o}; this {c} sets out how.",
            "{c} {i}: more {t} in {R}, measured every year, with {o} as a lever.",
        )
        return rng.choice(templates).format(R=r, t=t, o=other, c=cls_label, i=i)

    # -- pools ------------------------------------------------------------

    def scope_of(self, cls: str, region: Region) -> str:
        """The pool an actor of ``cls`` is drawn from for ``region``."""
        kind = SCOPE.get(local_name(cls), "nuts1")
        return {"europe": "europe", "country": region.country, "region": region.code}.get(kind, region.nuts1)

    def pool(self, cls: str, region: Region, quota: int) -> list[tuple[str, Region, int]]:
        """``quota`` actors of ``cls`` from ``region``'s pool, shared with its neighbours: (IRI, home, number)."""
        scope = self.scope_of(cls, region)
        size = max(1, math.ceil(quota * (self.planned_in[scope] + 1) / 2)) if scope != "europe" else quota
        rng = random.Random(_stable(self.seed, "pool", cls, region.code, quota))
        picked = rng.sample(range(size), min(quota, size)) if scope != "europe" else list(range(quota))
        homes = self.by_scope[scope]
        name = slug(local_name(cls))
        return [(f"{ACTOR}synthetic-{scope.lower()}-{name}-{j + 1}", homes[j % len(homes)], j + 1) for j in picked]

    def actor_name(self, cls: str, home: Region, j: int) -> str:
        """An invented organisation's name (the same wherever it appears)."""
        rng = random.Random(_stable("name", cls, home.code, j))
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        place = home.name.split(",")[0].split("/")[0].strip()
        patterns = {
            "University": f"{word} University of {place}",
            "ResearchInstitute": f"{word} Research Institute",
            "Company": f"{word} {COMPANY_SUFFIX.get(home.country, 'Ltd')}",
            "Cluster": f"{place} {word} Cluster",
            "ClusterOrganisation": f"{word} Cluster Organisation",
            "PublicBody": f"{word} Agency of {place}",
            "GovernanceBody": f"{place} Smart Specialisation Board {j}",
            "Person": f"{word} {''.join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()}",
            "Incubator": f"{word} Incubator",
            "SciencePark": f"{word} Science Park",
            "Investor": f"{word} Capital",
            "Network": f"{word} Network",
            "CivilSocietyOrganisation": f"{word} Association",
        }
        return patterns.get(local_name(cls), f"{word} {local_name(cls)}")

    # -- one strategy -----------------------------------------------------

    def strategy(self, slot: Slot, scale: float) -> int:
        """Write one strategy's graph; return the quads written."""
        before = self.w.total
        rng = random.Random(_stable(self.seed, slot.key))
        region, g, ns = slot.region, slot.graph, slot.ns
        main, doc = f"<{ns}strategy>", f"<{ns}document>"
        record = Written(slot)
        period_funds = [f for f, span in self.ref.eu_funds.items() if span is None or span == slot.period]
        # the elements: class -> IRIs, with the prototype each copies
        instances: dict[str, list[tuple[str, Prototype, str, Region, int]]] = {}
        for cls, protos in sorted(self.seeds.prototypes.items()):
            quota = max(1, round(self.seeds.mean[cls] * scale * rng.uniform(0.8, 1.2)))
            shared = Counter(p.shared for p in protos).most_common(1)[0][0]
            usable = [p for p in protos if p.shared == shared and _usable(p)]
            items: list[tuple[str, Prototype, str, Region, int]] = []
            if shared == "actor" and scope_is_europe(cls):
                orgs = list({p.iri: p for p in usable}.values())
                rng.shuffle(orgs)
                items.extend((f"<{p.iri}>", p, p.labels, region, k + 1) for k, p in enumerate(orgs[:quota]))
            elif shared == "actor":
                for iri, home, j in self.pool(cls, region, quota):
                    proto = usable[_stable(iri) % len(usable)]
                    items.append((f"<{iri}>", proto, self.actor_name(cls, home, j), home, j))
            elif shared == "fund":
                real = [
                    f
                    for f, c in self.seeds.fund_class.items()
                    if c == cls and f in period_funds and _applies(f, region)
                ]
                real += [
                    f
                    for f, c in self.seeds.fund_class.items()
                    if c == cls
                    and f not in self.ref.eu_funds
                    and region.country in ("SE", "NO")
                    and _national(f, region)
                ]
                rng.shuffle(real)
                for j in range(quota):
                    proto = usable[j % len(usable)]
                    if j < len(real):
                        items.append((f"<{real[j]}>", proto, self.seeds.fund_label.get(real[j], ""), region, j + 1))
                    else:
                        iri = f"{FUND}synthetic-{region.country.lower()}-{slug(local_name(cls))}-{j + 1}"
                        name = f"National {self.ref.class_label.get(cls, 'programme')} {j + 1} ({region.country})"
                        items.append((f"<{iri}>", proto, name, region, -(j + 1)))
            else:
                for j in range(quota):
                    proto = usable[(rng.randrange(len(usable)) + j) % len(usable)]
                    name = slug(local_name(cls))
                    base = {"": ns, "id": f"{ID_BASE}{name}-{slot.key}-", "region": f"{REGION}{slot.key}-"}[shared]
                    iri = f"<{base}{name}-{j + 1}>" if shared != "id" else f"<{base}{j + 1}>"
                    if shared == "region":
                        iri = f"<{base}{j + 1}>"
                    items.append((iri, proto, "", region, j + 1))
            instances[cls] = items
        refs = {cls: [item[0] for item in items] for cls, items in instances.items()}
        owner_iri = f"<{ACTOR}synthetic-{region.code.lower()}-regional-authority>"
        referred: set[str] = set()
        self._main_and_document(slot, rng, main, doc, owner_iri, period_funds, refs, referred)
        for cls, items in instances.items():
            for number, (iri, proto, name, home, j) in enumerate(items, start=1):
                self._element(slot, rng, cls, number, iri, proto, name, home, j, refs, doc, record, period_funds)
                if proto.shared == "fund" and iri not in referred:
                    referred.add(iri)
                    self.w.quad(main, RIS3 + "refersTo", iri, g)
        for (pred, child), parents in self.seeds.parents.items():
            holders = [iri for cls in parents for iri in refs.get(cls, [])]
            for iri in refs.get(child, []) if holders else []:
                self.w.quad(rng.choice(holders), pred, iri, g)
        self.written.append(record)
        return self.w.total - before

    def _passage(self, subject: str, text: str, lang: str, doc: str, g: str) -> None:
        node = self.w.bnode()
        self.w.quad(subject, PROV + "wasDerivedFrom", node, g)
        self.w.quad(node, TYPE, f"<{RIS3}Passage>", g)
        self.w.quad(node, PROV + "wasQuotedFrom", doc, g)
        self.w.quad(node, PROV + "value", _lit(text, lang), g)

    def _main_and_document(
        self,
        slot: Slot,
        rng: random.Random,
        main: str,
        doc: str,
        owner: str,
        funds: list[str],
        refs: dict[str, list[str]],
        referred: set[str],
    ) -> None:
        """Write the strategy node, its document and its owner; add the funds it names to ``referred``."""
        region, g, w = slot.region, slot.graph, self.w
        lang, theme = region.language.tag, rng.choice(self.ref.themes_south)[0]
        edition = {1: "", 2: " (mid-term revision)", 3: " (update)"}[slot.edition]
        period = f"{slot.period[0]}–{slot.period[1]}"
        title = f"{region.language.s3} – {region.name} {period}{edition}"
        title_en = f"Smart specialisation strategy of {region.name} {period}{edition} (synthetic)"
        w.quad(doc, TYPE, f"<{RIS3}SourceDocument>", g)
        w.quad(doc, LABEL, _lit(title, lang), g)
        if lang != "en":
            w.quad(doc, LABEL, _lit(title_en, "en"), g)
        w.quad(doc, DCT + "title", _lit(title, lang), g)
        w.quad(doc, DCT + "language", f"<{LANG}{region.language.code}>", g)
        w.quad(doc, DCT + "issued", _lit(f"{slot.issued}-{rng.randint(1, 12):02d}", datatype=XSD + "gYearMonth"), g)
        w.quad(doc, RIS3 + "fileName", _lit(f"{slot.key}.pdf"), g)
        w.quad(doc, RIS3 + "documentType", f"<{VOC}doc-strategy>", g)
        w.quad(doc, DCT + "publisher", owner, g)
        self._passage(doc, title, lang, doc, g)
        w.quad(main, TYPE, f"<{RIS3}Strategy>", g)
        w.quad(main, LABEL, _lit(title, lang), g)
        if lang != "en":
            w.quad(main, LABEL, _lit(title_en, "en"), g)
        for language in dict.fromkeys((lang, "en")):
            w.quad(
                main,
                DCT + "description",
                _lit(self.text(rng, "text", RIS3 + "Strategy", 1, theme, region, language), language),
                g,
            )
        w.quad(main, RIS3 + "documentedIn", doc, g)
        w.quad(main, DCT + "spatial", f"<{region.iri}>", g)
        w.quad(main, DCT + "temporal", f"<{VOC}period-{slot.period[0]}-{slot.period[1]}>", g)
        w.quad(main, RIS3 + "owner", owner, g)
        named = [f for f in funds if _applies(f, region) and not f.endswith("/erdf")]
        for fund in [FUND + "erdf", *rng.sample(named, rng.randint(min(2, len(named)), len(named)))]:
            referred.add(f"<{fund}>")
            w.quad(main, RIS3 + "refersTo", f"<{fund}>", g)
        if slot.edition > 1:
            earlier = Slot(region, slot.period, slot.edition - 1)
            w.quad(main, RIS3 + "refersTo", f"<{earlier.ns}strategy>", g)
        for other in refs.get(RIS3 + "Strategy", [])[:3]:
            w.quad(main, RIS3 + "refersTo", other, g)
        for k in range(2):
            self._passage(main, self.text(rng, "quote", RIS3 + "Strategy", k + 1, theme, region, lang), lang, doc, g)
        # the owner: the region's authority, the same in every strategy of the region
        name = f"Regional authority of {region.name}"
        w.quad(owner, TYPE, f"<{RIS3}PublicBody>", g)
        for language in dict.fromkeys((lang, "en")):
            w.quad(owner, LABEL, _lit(name, language), g)
        w.quad(owner, RIS3 + "helixRole", f"<{VOC}helix-public-sector>", g)
        w.quad(owner, RIS3 + "locatedIn", f"<{region.iri}>", g)
        w.quad(owner, RIS3 + "actorIn", main, g)
        self._passage(owner, self.text(rng, "quote", RIS3 + "PublicBody", 0, theme, region, lang), lang, doc, g)

    def _element(
        self,
        slot: Slot,
        rng: random.Random,
        cls: str,
        number: int,
        iri: str,
        proto: Prototype,
        name: str,
        home: Region,
        j: int,
        refs: dict[str, list[str]],
        doc: str,
        record: Written,
        funds: list[str],
    ) -> None:
        region, g, w = slot.region, slot.graph, self.w
        lang = region.language.tag
        languages = (lang, "en") if lang != "en" else ("en",)
        main = f"<{slot.ns}strategy>"
        theme_count = sum(1 for _, rule in proto.props if rule.kind == "theme")
        pool = self.ref.themes if region.country in ("SE", "NO", "FI") else self.ref.themes_south
        themes = [t for t, _ in rng.sample(pool, max(1, theme_count))]
        if local_name(cls) == "Figure":  # a document reports figures of its own year or before
            first = rng.randint(slot.issued - 6, slot.issued)
            years = [first, rng.randint(first, slot.issued)]
        else:
            first = rng.randint(slot.period[0], slot.period[1])
            years = [first, first + rng.randint(0, 6)]
        values = {rule.value for _, rule in proto.props if rule.kind == "iri"}
        percent = any(v.endswith(("unit-percent", "-share")) for v in values)
        money = any(rule.kind == "unit" for _, rule in proto.props)
        if percent:
            value = rng.randint(1, 49)
        elif money:
            value = rng.randint(10, 900) * 10 ** rng.randint(3, 6)
        else:
            value = rng.randint(1, 5000)
        seen: set[tuple[str, str]] = set()

        def put(pred: str, obj: str) -> None:
            if (pred, obj) not in seen:
                seen.add((pred, obj))
                w.quad(iri, pred, obj, g)

        shared_name = name and proto.shared in ("actor", "fund")
        if local_name(cls) == "SpecialisationArea" and len(record.areas) < 20:
            record.areas.append((iri, themes[0]))
        if proto.shared == "actor" and len(record.actors) < 40 and local_name(cls) in _PARTNERS:
            record.actors.append(iri)
        for pred, rule in proto.props:
            kind = rule.kind
            if kind == "iri":
                put(pred, f"<{rule.value}>")
            elif kind == "main":
                put(pred, main)
            elif kind == "doc":
                put(pred, doc)
            elif kind == "ref":
                if pred in _CHILD_LINKS:
                    continue  # written from the child's side, so that every child has a parent
                targets = refs.get(rule.value) or []
                # ordered by IRI where a loop would be an error (in every graph and in their merge)
                ordered = pred in _ACYCLIC or rule.value == cls
                choices = [t for t in targets if (t < iri if ordered else t != iri)]
                if choices:
                    put(pred, rng.choice(choices))
            elif kind == "text":
                if pred == LABEL and shared_name:
                    for language in languages:
                        put(pred, _lit(name, language))
                    continue
                if pred == SKOS + "altLabel" and shared_name:
                    put(pred, _lit("".join(word[0] for word in name.split() if word[:1].isalpha()).upper(), "en"))
                    continue
                text_kind = "label" if pred in (LABEL, SKOS + "prefLabel", SKOS + "altLabel") else "text"
                for language in languages[:1] if pred in _LANG_PREDICATES_ONE else languages:
                    text = self.text(rng, text_kind, cls, number, themes[0], region, language)
                    put(pred, _lit(text, language))
            elif kind == "passage":
                self._passage(iri, self.text(rng, "quote", cls, number, themes[0], region, lang), lang, doc, g)
            elif kind == "nuts":
                put(pred, f"<{home.iri}>")
            elif kind == "lang":
                put(pred, f"<{LANG}{region.language.code}>")
            elif kind == "unit":
                put(pred, f"<{VOC}unit-{region.currency}>")
            elif kind == "theme":
                put(pred, f"<{themes.pop() if len(themes) > 1 else themes[0]}>")
            elif kind == "nace":
                put(pred, f"<{rng.choice(self.ref.nace)}>")
            elif kind == "actor":
                actors = refs.get(RIS3 + "Company") or refs.get(RIS3 + "PublicBody") or []
                if actors:
                    put(pred, rng.choice(actors))
            elif kind == "fund":
                put(pred, f"<{rng.choice(funds)}>")
            elif kind == "homepage":
                put(pred, f"<https://example.org/ris3kg-synthetic/{slug(iri)}>")
            elif kind == "ordinal":
                put(pred, _lit(str(number), datatype=XSD + "integer"))
            elif kind == "notation":
                put(pred, _lit(_letters(number)))
            elif kind in ("year", "start", "end"):
                year = {"year": years[0], "start": years[0], "end": years[1]}[kind]
                put(pred, _lit(str(year), datatype=XSD + "integer"))
            elif kind == "value":
                put(pred, _lit(str(value), datatype=rule.datatype or XSD + "decimal"))
            elif kind == "upper":
                put(pred, _lit(str(value * 2), datatype=rule.datatype or XSD + "decimal"))
            elif kind == "count":
                put(pred, _lit(str(rng.randint(1, 40)), datatype=XSD + "integer"))
            elif kind == "bool":
                put(pred, _lit(rng.choice(("true", "false")), datatype=XSD + "boolean"))
            elif kind == "filename":
                put(pred, _lit(f"{slot.key}-{number}.pdf"))
            elif kind == "issued":
                put(pred, _lit(str(slot.issued), datatype=XSD + "gYear"))
            elif kind == "citation":
                author = self.actor_name(RIS3 + "Person", home, number)
                title = self.text(rng, "label", cls, number, themes[0], region, "en")
                put(pred, _lit(f"{author} ({years[0]}). {title}. Synthetic report."))
            else:
                put(pred, _lit(rule.value, datatype=rule.datatype))
        if proto.shared == "fund" and j < 0:
            put(RIS3 + "fundingLevel", f"<{VOC}funding-national>")

    # -- projects ---------------------------------------------------------

    def projects(self, target: int) -> int:
        """Write projects until about ``target`` quads; return the quads written."""
        before = self.w.count
        rng = random.Random(_stable(self.seed, "projects"))
        candidates = [r for r in self.written if r.areas and r.actors]
        n = 0
        while candidates and self.w.total - before < target:
            n += 1
            record = rng.choice(candidates)
            slot, region = record.slot, record.slot.region
            g = f"{GRAPH_BASE}synthetic-projects-{region.country.lower()}"
            project = f"<{ID_BASE}project-synthetic-{n}>"
            area, theme = rng.choice(record.areas)
            cordis = rng.random() < 0.3
            fund = f"{FUND}horizon-europe" if slot.period[0] >= 2021 else f"{FUND}horizon-2020"
            fund = fund if cordis else rng.choice((f"{FUND}erdf", f"{FUND}erdf", f"{FUND}esf", f"{FUND}interreg"))
            lang = region.language.tag
            start = rng.randint(slot.period[0], slot.period[1])
            self.w.quad(project, TYPE, f"<{RIS3}Project>", g)
            for language in dict.fromkeys((lang, "en")):
                self.w.quad(
                    project,
                    LABEL,
                    _lit(self.text(rng, "label", RIS3 + "Project", n, theme, region, language), language),
                    g,
                )
                self.w.quad(
                    project,
                    DCT + "description",
                    _lit(self.text(rng, "text", RIS3 + "Project", n, theme, region, language), language),
                    g,
                )
            self.w.quad(project, RIS3 + "startYear", _lit(str(start), datatype=XSD + "integer"), g)
            self.w.quad(project, RIS3 + "endYear", _lit(str(start + rng.randint(1, 5)), datatype=XSD + "integer"), g)
            self.w.quad(project, DCT + "spatial", f"<{region.iri}>", g)
            self.w.quad(project, RIS3 + "fundedBy", f"<{fund}>", g)
            self.w.quad(project, RIS3 + "theme", f"<{theme}>", g)
            self.w.quad(project, RIS3 + "sector", f"<{rng.choice(self.ref.nace)}>", g)
            self.w.quad(project, RIS3 + "relatedTo", area, g)
            coordinator = rng.choice(record.actors)
            self.w.quad(project, RIS3 + "managedBy", coordinator, g)
            partners = {coordinator}
            for _ in range(rng.randint(1, 6 if cordis else 3)):
                other = rng.choice(candidates) if cordis else record
                partners.add(rng.choice(other.actors))
            for partner in sorted(partners):
                self.w.quad(partner, RIS3 + "participatesIn", project, g)
            figure = f"<{ID_BASE}project-synthetic-{n}-eu-contribution>"
            self.w.quad(figure, TYPE, f"<{RIS3}Figure>", g)
            self.w.quad(figure, LABEL, _lit(f"EU contribution to project {n}", "en"), g)
            self.w.quad(figure, RIS3 + "value", _lit(str(rng.randint(5, 5000) * 1000), datatype=XSD + "decimal"), g)
            self.w.quad(figure, RIS3 + "unit", f"<{VOC}unit-eur>", g)
            self.w.quad(figure, RIS3 + "measure", f"<{VOC}measure-investment>", g)
            self.w.quad(figure, RIS3 + "about", project, g)
            if n % 2000 == 0:
                self.w.boundary()
        self.w.boundary()
        return self.w.count - before


_PARTNERS: Final = {"University", "ResearchInstitute", "Company", "ClusterOrganisation", "Cluster", "PublicBody"}


def scope_is_europe(cls: str) -> bool:
    """Whether actors of ``cls`` are shared by all of Europe (real international organisations)."""
    return SCOPE.get(local_name(cls)) == "europe"


BALTIC_SEA: Final = frozenset({"DK", "DE", "EE", "FI", "LV", "LT", "PL", "SE", "NO", "IS"})
"""The countries of the Interreg Baltic Sea Region programme."""


def _applies(fund: str, region: Region) -> bool:
    """Whether an EU fund is one a strategy of ``region`` names (Interreg Baltic Sea Region: only round it)."""
    return not fund.endswith("interreg-baltic-sea-region") or region.country in BALTIC_SEA


def _usable(proto: Prototype) -> bool:
    """Whether a prototype describes what a strategy (not a study's own account) has: a body with its level."""
    if local_name(proto.cls) == "GovernanceBody":
        return any(pred == RIS3 + "governanceLevel" for pred, _ in proto.props)
    return True


def _national(fund: str, region: Region) -> bool:
    norwegian = ("innovation-norway", "vri", "forregion", "skattefunn", "regional-research")
    return any(word in fund for word in norwegian) == (region.country == "NO")


def _letters(number: int) -> str:
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


# ---------------------------------------------------------------------------
# The whole corpus
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusReport:
    """What :func:`generate` wrote.

    Attributes:
        strategies: Synthetic strategies.
        graphs: Named graphs (strategies and project graphs).
        triples: Quads written.
        seconds: Time taken.
        files: The gzip N-Quads files.
        projects: Quads of the project graphs.
    """

    strategies: int
    graphs: int
    triples: int
    seconds: float
    files: tuple[Path, ...]
    projects: int = 0


def generate(out: Path, *, triples: int, seed: int = 1, projects: bool | None = None) -> CorpusReport:
    """Write a synthetic corpus of about ``triples`` quads (±5%) into ``out`` as gzip N-Quads.

    Args:
        out: The folder (made if missing).
        triples: The target size.
        seed: The random seed: the same seed and size write the same corpus.
        projects: Whether to add project graphs; by default from 10M triples.

    Returns:
        The report.
    """
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with_projects = triples >= PROJECTS_FROM if projects is None else projects
    project_target = int(triples * PROJECT_SHARE) if with_projects else 0
    strategy_target = triples - project_target
    ref = reference()
    capacity = len(ref.regions) * len(PERIODS) * EDITIONS
    n = max(1, min(capacity, round(strategy_target / (TRIPLES_AT_SCALE_1 * NOMINAL_SCALE))))
    planned = slots(ref.regions, n)
    writer = QuadWriter(out)
    corpus = Corpus(writer, seed, planned)
    rng = random.Random(_stable(seed, "scale"))
    per_scale = float(TRIPLES_AT_SCALE_1)
    done_scale, done_quads = 0.0, 0
    for i, slot in enumerate(planned):
        left = len(planned) - i
        wanted = (strategy_target - (writer.total)) / left
        jitter = rng.uniform(0.75, 1.25) if left > 10 else 1.0
        scale = max(0.2, wanted / per_scale * jitter)
        written = corpus.strategy(slot, scale)
        writer.boundary()
        done_scale += scale
        done_quads += written
        per_scale = done_quads / done_scale
    project_quads = corpus.projects(project_target) if with_projects else 0
    writer.close()
    graphs = len(planned) + len({r.slot.region.country for r in corpus.written}) * (project_quads > 0)
    return CorpusReport(
        strategies=len(planned),
        graphs=graphs,
        triples=writer.count,
        seconds=time.perf_counter() - started,
        files=tuple(writer.files),
        projects=project_quads,
    )


def iter_files(out: Path) -> Iterator[Path]:
    """The corpus files in a folder, in order."""
    yield from sorted(out.glob("europe-*.nq.gz"))


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: write a corpus and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--triples", type=int, default=1_000_000, help="target size (default 1000000)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--projects", action=argparse.BooleanOptionalAction, default=None, help="add project graphs")
    args = parser.parse_args(argv)
    report = generate(args.output, triples=args.triples, seed=args.seed, projects=args.projects)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"strategies {report.strategies}, graphs {report.graphs}, triples {report.triples} "
        f"(projects {report.projects}), {report.seconds:.1f} s, {report.triples / report.seconds:,.0f} triples/s, "
        f"{len(report.files)} files, peak RSS {peak:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
