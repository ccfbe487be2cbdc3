"""The layout of the submission template, derived from the shapes, the ontology and the vocabularies.

One sheet per kind of thing. The named sheets (Strategy, Areas, Priorities, ...) hold the classes
listed in :data:`NAMED_SHEETS` and their subclasses; every other class that a node shape targets
gets a sheet of its own named after the class (with the subclasses nearest to it). A class goes
to the sheet whose class is its nearest ancestor. A sheet's columns are: ``id``, ``type``, the
names and descriptions per language, one column per property that a shape or the ontology's
``rdfs:domain`` gives its classes (per language for text with a language tag), and the source
passage. Closed value sets (``sh:in``, ``sh:class`` of a class only the vocabularies have
instances of, or ``sh:node`` of a shape naming the concept schemes, as for units and NACE sectors)
become drop-down lists, and so do the reference codes of the region columns (NUTS and statistical
regions, optionally of one country), which stay open: a region described in the data is allowed too.

The text columns are in English and the languages chosen (by default those of the vocabularies:
en, nb, sv); any language of the code lists may be chosen (:func:`template_layout`), and a filled
template's text columns are read in any of them (:meth:`TemplateLayout.column`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SH
from rdflib.term import Node

from ris3kg.graph.catalogue import codelist_parts
from ris3kg.graph.codelists.lookup import COMPLETE_VERSIONS, codelists
from ris3kg.ontology.namespaces import LANG, RIS3, prefixed_name
from ris3kg.ontology.resources import VOCABULARIES, ontology_graph, parse_resource
from ris3kg.shapes.spreadsheet.cells import SEPARATOR, describe_datatypes
from ris3kg.shapes.validation import shapes_graph

NAMED_SHEETS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("Strategy", (RIS3.Strategy,)),
    ("Areas", (RIS3.SpecialisationArea, RIS3.SubArea)),
    ("Priorities", (RIS3.Priority,)),
    ("Bottlenecks", (RIS3.Challenge, RIS3.Bottleneck)),
    ("Actions", (RIS3.Action, RIS3.Initiative, RIS3.Step)),
    ("Actors", (RIS3.Actor,)),
    ("Clusters", (RIS3.Cluster, RIS3.Network, RIS3.ClusterOrganisation)),
    ("Governance", (RIS3.GovernanceBody,)),
    ("Sources", (RIS3.SourceDocument,)),
)
"""The sheets the strategy offices asked for, in this order, and the classes each holds."""

TEXT_PROPERTIES: tuple[URIRef, ...] = (RDFS.label, SKOS.altLabel, DCTERMS.description)
"""Language-tagged text every sheet has a column per language for (MODELLING.md: every subject)."""

PASSAGES_SHEET = "Passages"
STATEMENTS_SHEET = "Statements"
PREFIXES_SHEET = "Prefixes"
LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"

ID_HEADER = "id"
TYPE_HEADER = "type"
SUBJECT_HEADER = "subject"
DOCUMENT_HEADER = "source document"
QUOTE_HEADER = "source quote"
QUOTE_LANGUAGE_HEADER = "quote language"
STATEMENT_HEADERS = ("subject", "predicate", "object", "datatype", "language")

_NARROWER_FIRST = (XSD.integer,)
"""Datatypes whose lexical space lies inside another's: tried first when a column allows several."""

_IRREGULAR_PLURALS = {"criterion": "criteria", "analysis": "analyses"}

MAX_LANGUAGES = 6
"""Text-column languages a template may have, English included: each adds three or four columns to
every sheet, and the widest sheet must stay within the reader's 64 columns."""

COUNTRY_ALIASES: Mapping[str, str] = MappingProxyType({"GR": "EL"})
"""ISO 3166 country codes that NUTS spells differently (Greece is EL in NUTS)."""

_LANGUAGE_HEADER = re.compile(r"^(?P<name>.+?) \((?P<tag>[A-Za-z]{2,3})\)$")
_NO_NAMES: Mapping[URIRef, str] = MappingProxyType({})
_RECOMMENDED_TEXT = (
    "Recommended (a warning when empty): a name is required in at least one language, and English is expected"
)
_NO_LABELS: Mapping[URIRef, tuple[str, ...]] = MappingProxyType({})


class ColumnKind(Enum):
    """What a column holds."""

    ID = "id"
    TYPE = "type"
    TEXT = "text in one language"
    LITERAL = "value"
    IRI = "IRI"
    SUBJECT = "subject"
    DOCUMENT = "source document"
    QUOTE = "quote"
    QUOTE_LANGUAGE = "quote language"


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    Attributes:
        header: The header cell's text (``addresses``, ``label (en)``).
        kind: What the column holds.
        path: The property its values are objects of (None for id, type and passage columns).
        language: For text columns, the language tag of the values.
        datatypes: For literal columns, the datatypes a value may have, tried in this order.
        allowed: For a closed value set, the values allowed (a drop-down list); empty if open.
        required_for: The classes for which the shapes require a value.
        single: True when the shapes allow at most one value.
        comment: What the column needs, for the header cell's comment.
        suggested: For an open value set with reference codes (the regions), the codes offered in
            a drop-down list; other values are allowed too.
        names: The names of code-list values, shown after the code in the drop-down list
            (``nuts:SE221 Blekinge County``); a cell may hold the code alone or the code and its name.
        labels: The labels of the drop-down list's values in every language the vocabularies give
            (English first); a cell may hold one instead of the code.
        requirement: ``required`` when a missing value is a violation, ``recommended`` when it is
            a warning, None when the column may be left empty (from the shapes' sh:minCount and severity).
    """

    header: str
    kind: ColumnKind
    path: URIRef | None = None
    language: str | None = None
    datatypes: tuple[URIRef, ...] = ()
    allowed: tuple[URIRef, ...] = ()
    required_for: tuple[URIRef, ...] = ()
    single: bool = False
    comment: str = ""
    suggested: tuple[URIRef, ...] = ()
    names: Mapping[URIRef, str] = field(default_factory=lambda: _NO_NAMES, compare=False, repr=False)
    labels: Mapping[URIRef, tuple[str, ...]] = field(default_factory=lambda: _NO_LABELS, compare=False, repr=False)
    requirement: str | None = None

    @property
    def choices(self) -> tuple[URIRef, ...]:
        """The values of the column's drop-down list: the allowed ones, else the suggested ones."""
        return self.allowed or self.suggested


@dataclass(frozen=True)
class Sheet:
    """One sheet of the template.

    Attributes:
        name: The sheet's name.
        classes: The classes whose instances are rows of this sheet (empty for the passages and
            statements sheets).
        columns: The columns, in order.
    """

    name: str
    classes: tuple[URIRef, ...]
    columns: tuple[Column, ...]

    def column(self, header: str) -> Column | None:
        """Return the column with this header (ignoring case and extra spaces), if there is one."""
        wanted = " ".join(header.split()).casefold()
        for column in self.columns:
            if column.header.casefold() == wanted:
                return column
        return None

    @property
    def default_type(self) -> URIRef | None:
        """The class a row gets when its type cell is empty: the sheet's only class, if it has one."""
        return self.classes[0] if len(self.classes) == 1 else None


@dataclass(frozen=True)
class TemplateLayout:
    """Every sheet of the template and what is known about the vocabularies.

    Attributes:
        sheets: The entity sheets, then the passages and statements sheets.
        languages: The language tags of the text columns (English first).
        class_sheets: For every class with a sheet, that sheet's name.
        labels: English labels of the classes and closed-set values, for comments and lists.
        known_languages: Every language tag the code lists know (the text columns of a filled
            template may be in any of them).
        country: The country whose regions the region drop-down lists offer (None: every country's).
    """

    sheets: tuple[Sheet, ...]
    languages: tuple[str, ...]
    class_sheets: dict[URIRef, str]
    labels: dict[URIRef, str]
    known_languages: tuple[str, ...] = ()
    country: str | None = None

    def sheet(self, name: str) -> Sheet | None:
        """Return the sheet with this name (ignoring case), if there is one."""
        for sheet in self.sheets:
            if sheet.name.casefold() == name.strip().casefold():
                return sheet
        return None

    def sheet_for(self, cls: Node) -> Sheet | None:
        """Return the sheet whose rows are instances of ``cls``, if there is one."""
        name = self.class_sheets.get(cls) if isinstance(cls, URIRef) else None
        return None if name is None else self.sheet(name)

    @property
    def quote_languages(self) -> tuple[str, ...]:
        """The languages a quote may be in, for its drop-down list: the text columns' first, then the others."""
        rest = sorted(tag for tag in self.known_languages if tag not in self.languages)
        return (*self.languages, *rest)

    def column(self, sheet: Sheet, header: str) -> Column | None:
        """Return the sheet's column with this header, or its text column in another known language.

        A template written for other languages than this layout's has text columns such as
        ``label (fi)``: they are read as the sheet's ``label`` column in that language, provided the
        tag is one of :attr:`known_languages` (or of the layout's own languages).

        Args:
            sheet: One of the layout's sheets.
            header: A header cell's text (case and extra spaces are ignored).
        """
        found = sheet.column(header)
        if found is not None:
            return found
        match = _LANGUAGE_HEADER.match(" ".join(header.split()))
        if match is None:
            return None
        name, tag = match["name"].casefold(), match["tag"].lower()
        if tag not in self.known_languages and tag not in self.languages:
            return None
        for column in sheet.columns:
            if column.kind is ColumnKind.TEXT and column.header.rsplit(" (", 1)[0].casefold() == name:
                return _in_language(column, tag)
        return None


class TemplateOptionError(ValueError):
    """A language or a country asked of the template that the code lists do not have.

    Attributes:
        option: ``languages`` or ``country``.
        value: What was asked for.
        suggestions: The closest known values, best first (may be empty).
    """

    def __init__(self, option: str, value: str, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.option = option
        self.value = value
        self.suggestions = suggestions


@dataclass(frozen=True)
class CodeChoices:
    """The reference codes the drop-down lists offer beyond the vocabularies (from the code lists).

    Attributes:
        regions: The NUTS and statistical-region codes valid in NUTS 2021 or 2024, by code (of one
            country, or of all).
        countries: The NUTS 0 codes (every country's), by code.
        names: The names of the regions, countries and NACE items, for the drop-down lists.
    """

    regions: tuple[URIRef, ...] = ()
    countries: tuple[URIRef, ...] = ()
    names: Mapping[URIRef, str] = field(default_factory=lambda: _NO_NAMES)


def template_layout(*, languages: Iterable[str] | None = None, country: str | None = None) -> TemplateLayout:
    """Return the layout derived from the packaged shapes, ontology, vocabularies and code lists (cached).

    The drop-down lists of languages, units and sectors come from the vocabularies and the generated
    code lists of languages, currencies and NACE; those of the region columns from the NUTS code
    list. Layouts are cached per normalised language tuple and country.

    Args:
        languages: The languages of the text columns besides English, as ISO 639-1 tags of the code
            lists (``fi``, ``pl``, ``cnr``; the ISO 639-3 code ``fin`` is taken too); English is always
            one. None for the vocabularies' languages (en, nb, sv).
        country: Offer only this country's regions in the region lists: a NUTS country code (``PL``,
            ``EL``; ``GR`` is taken for Greece) or the country's name. None for every country.

    Raises:
        TemplateOptionError: A language or the country is not in the code lists, or too many languages.
    """
    return _cached_layout(normalise_languages(languages), normalise_country(country))


def template_languages() -> Mapping[str, str]:
    """Return every language a template may be made for: its ISO 639-1 tag mapped to its English name, by tag."""
    codes = codelists().languages
    return MappingProxyType(dict(sorted((code.notation, code.label) for code in codes.values() if code.notation)))


def template_countries() -> Mapping[str, str]:
    """Return every country a template's region lists may be filtered to: its NUTS code mapped to its name."""
    return _countries()


def normalise_languages(languages: Iterable[str] | None) -> tuple[str, ...] | None:
    """Return the text columns' languages: English first, then the others by tag (None stays None).

    Raises:
        TemplateOptionError: A tag is not a language of the code lists, or more than
            :data:`MAX_LANGUAGES` languages are asked for.
    """
    if languages is None:
        return None
    if isinstance(languages, str):  # "fi,sv" rather than ("fi", "sv")
        languages = languages.split(",")
    known = template_languages()
    three_letter = {iri.removeprefix(str(LANG)).lower(): code.notation for iri, code in codelists().languages.items()}
    chosen = {"en"}
    for given in languages:
        tag = given.strip().lower()
        if not tag:
            continue
        tag = three_letter.get(tag, tag)
        if tag not in known:
            raise _unknown_language(given.strip(), known)
        chosen.add(tag)
    if len(chosen) > MAX_LANGUAGES:
        raise TemplateOptionError(
            "languages",
            ",".join(sorted(chosen)),
            f"at most {MAX_LANGUAGES} languages, English included, fit a template (every language adds columns "
            f"to every sheet); {len(chosen)} were asked for: make one template per language",
        )
    return ("en", *sorted(chosen - {"en"}))


def normalise_country(country: str | None) -> str | None:
    """Return the NUTS country code a country option names (None or empty: None).

    Raises:
        TemplateOptionError: Neither a NUTS country code nor a country's name.
    """
    if country is None or not country.strip():
        return None
    given = country.strip()
    countries = _countries()
    code = COUNTRY_ALIASES.get(given.upper(), given.upper())
    if code in countries:
        return code
    by_name = {name.casefold(): code for code, name in countries.items()}
    if given.casefold() in by_name:
        return by_name[given.casefold()]
    suggestions = codelists().suggest(given, countries)
    close = f"the closest: {', '.join(f'{c} ({countries[c]})' for c in suggestions)}; " if suggestions else ""
    raise TemplateOptionError(
        "country",
        given,
        f"unknown country {given!r}: {close}the countries are the NUTS country codes {', '.join(countries)}",
        suggestions,
    )


def _unknown_language(given: str, known: Mapping[str, str]) -> TemplateOptionError:
    suggestions = codelists().suggest(given, known)
    if not suggestions:
        suggestions = tuple(tag for tag in known if tag[:1] == given[:1].lower())[:3]
    close = f"the closest: {', '.join(f'{t} ({known[t]})' for t in suggestions)}; " if suggestions else ""
    return TemplateOptionError(
        "languages",
        given,
        f"unknown language {given!r}: {close}the languages are the ISO 639-1 tags of the code lists: "
        f"{', '.join(known)}",
        suggestions,
    )


@functools.cache
def _countries() -> Mapping[str, str]:
    """The countries of the regions valid in NUTS 2021 or 2024, by code: the NUTS 0 name, else the shortest code's."""
    names: dict[str, tuple[int, str]] = {}
    for region in codelists().regions.values():
        if region.versions & COMPLETE_VERSIONS and len(region.code) >= 2:
            country = region.code[:2]
            if country not in names or len(region.code) < names[country][0]:
                names[country] = (len(region.code), region.label)
    return MappingProxyType({code: names[code][1] for code in sorted(names)})


@functools.cache
def _inputs() -> tuple[Graph, Graph, Graph]:
    """The shapes, the ontology, and the vocabularies with the code lists' languages, currencies and NACE items."""
    choices = parse_resource(VOCABULARIES)
    for part in codelist_parts():
        if part.key in ("languages", "currencies"):
            choices += part.load()
    codes = codelists()
    nace = codes.describe(URIRef(iri) for iri in codes.nace)
    for predicate in (SKOS.inScheme, PROV.wasDerivedFrom):  # membership, and the code lists' order
        for s, o in nace.subject_objects(predicate):
            choices.add((s, predicate, o))
    return shapes_graph(), ontology_graph(), choices


def _code_choices(country: str | None) -> CodeChoices:
    codes = codelists()
    current = sorted(
        (region for region in codes.regions.values() if region.versions & COMPLETE_VERSIONS), key=lambda r: r.code
    )
    regions = tuple(URIRef(r.iri) for r in current if country is None or r.code[:2] == country)
    countries = tuple(URIRef(r.iri) for r in current if r.level == 0)
    names = {URIRef(r.iri): r.label for r in current if r.label}
    names.update((URIRef(iri), code.label) for iri, code in codes.nace.items() if code.label)
    return CodeChoices(regions, countries, MappingProxyType(names))


@functools.lru_cache(maxsize=16)
def _cached_layout(languages: tuple[str, ...] | None, country: str | None) -> TemplateLayout:
    shapes, ontology, choices = _inputs()
    return derive_layout(
        shapes=shapes,
        ontology=ontology,
        vocabularies=choices,
        languages=languages,
        codes=_code_choices(country),
        country=country,
    )


def derive_layout(
    *,
    shapes: Graph,
    ontology: Graph,
    vocabularies: Graph,
    languages: Iterable[str] | None = None,
    codes: CodeChoices | None = None,
    country: str | None = None,
) -> TemplateLayout:
    """Derive the template's layout.

    Args:
        shapes: The SHACL shapes.
        ontology: The ontology and vocabularies (class hierarchy, domains, ranges, labels).
        vocabularies: The vocabularies alone (the closed value sets are their instances).
        languages: The text columns' language tags, English first (None: the vocabularies' languages).
        codes: The reference codes for the region lists and the names of code-list values (None:
            no region lists, no names).
        country: The country ``codes`` holds the regions of, to record in the layout.

    Returns:
        The layout.
    """
    languages = tuple(languages) if languages is not None else _languages(vocabularies)
    codes = codes or CodeChoices()
    labels = {s: str(o) for s, o in ontology.subject_objects(RDFS.label) if isinstance(s, URIRef) and _english(o)}
    roots = _sheet_roots(shapes, ontology)
    class_sheets = _assign_classes(ontology, roots)
    described = _targets(shapes, ontology)
    sheets: list[Sheet] = []
    for name, _ in roots:
        classes = tuple(sorted((c for c, n in class_sheets.items() if n == name), key=str))
        root_classes = dict(roots)[name]
        classes = tuple(dict.fromkeys((*[c for c in root_classes if c in classes], *classes)))
        columns = _columns(classes, shapes, ontology, vocabularies, described, languages, labels, codes)
        sheets.append(Sheet(name, classes, columns))
    sheets.append(Sheet(PASSAGES_SHEET, (), _passage_columns(languages, subject=True)))
    statement_columns = tuple(
        Column(header, kind, comment=comment)
        for header, kind, comment in (
            ("subject", ColumnKind.SUBJECT, "The thing the statement is about: a CURIE, a full IRI or _:name."),
            ("predicate", ColumnKind.IRI, "The property: a CURIE such as ris3:refersTo, or a full IRI."),
            ("object", ColumnKind.LITERAL, "The value: an IRI or _:name, or the text of a literal."),
            ("datatype", ColumnKind.IRI, "For a literal: its datatype (xsd:string for plain text)."),
            (
                "language",
                ColumnKind.QUOTE_LANGUAGE,
                f"For text in a language: its language tag ({', '.join(languages)}, ...).",
            ),
        )
    )
    sheets.append(Sheet(STATEMENTS_SHEET, (), statement_columns))
    known = tuple(sorted(set(_known_languages(vocabularies)) | set(languages)))
    return TemplateLayout(tuple(sheets), languages, class_sheets, labels, known, country)


def _english(node: Node) -> bool:
    return isinstance(node, Literal) and node.language == "en"


def _languages(vocabularies: Graph) -> tuple[str, ...]:
    tags = {o.language for o in vocabularies.objects(None, SKOS.prefLabel) if isinstance(o, Literal) and o.language}
    return tuple(sorted(tags, key=lambda tag: (tag != "en", tag)))


def _known_languages(vocabularies: Graph) -> list[str]:
    """The tags (``skos:notation``) of the languages the vocabularies hold (the code list's)."""
    return [
        str(tag).lower()
        for language in vocabularies.subjects(RDF.type, DCTERMS.LinguisticSystem)
        for tag in vocabularies.objects(language, SKOS.notation)
        if isinstance(tag, Literal)
    ]


def _targets(shapes: Graph, ontology: Graph) -> set[URIRef]:
    """Every class a node shape targets, directly or through ``sh:targetObjectsOf``'s range."""
    found = {c for c in shapes.objects(None, SH.targetClass) if isinstance(c, URIRef)}
    for prop in shapes.objects(None, SH.targetObjectsOf):
        found.update(r for r in ontology.objects(prop, RDFS.range) if isinstance(r, URIRef))
    return found


def _ancestors(ontology: Graph, cls: URIRef) -> dict[URIRef, int]:
    """The class and its superclasses, with their distance from it."""
    distance = {cls: 0}
    frontier = [cls]
    while frontier:
        following: list[URIRef] = []
        for node in frontier:
            for parent in ontology.objects(node, RDFS.subClassOf):
                if isinstance(parent, URIRef) and parent not in distance:
                    distance[parent] = distance[node] + 1
                    following.append(parent)
        frontier = following
    return distance


def _sheet_roots(shapes: Graph, ontology: Graph) -> list[tuple[str, tuple[URIRef, ...]]]:
    named_classes = {c for _, classes in NAMED_SHEETS for c in classes}
    generic: list[tuple[str, tuple[URIRef, ...]]] = []
    for target in sorted(_targets(shapes, ontology), key=str):
        if target == RIS3.Passage or named_classes & set(_ancestors(ontology, target)):
            continue
        label = next((str(o) for o in ontology.objects(target, RDFS.label) if _english(o)), prefixed_name(target))
        generic.append((_sheet_name(label), (target,)))
    generic.sort()
    return [*NAMED_SHEETS, *generic]


def _sheet_name(label: str) -> str:
    words = label.split()
    last = words[-1]
    if last in _IRREGULAR_PLURALS:
        last = _IRREGULAR_PLURALS[last]
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u"):
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    name = " ".join([*words[:-1], last])
    return (name[:1].upper() + name[1:])[:31]


def _assign_classes(ontology: Graph, roots: list[tuple[str, tuple[URIRef, ...]]]) -> dict[URIRef, str]:
    """Map every ontology class to the sheet whose class is its nearest ancestor (named sheets win ties)."""
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    classes.update(c for _, root_classes in roots for c in root_classes)
    assigned: dict[URIRef, str] = {}
    for cls in classes:
        ancestors = _ancestors(ontology, cls)
        best: tuple[int, int, str] | None = None
        for order, (name, root_classes) in enumerate(roots):
            for root in root_classes:
                if root in ancestors and (best is None or (ancestors[root], order) < best[:2]):
                    best = (ancestors[root], order, name)
        if best is not None:
            assigned[cls] = best[2]
    return assigned


@dataclass
class _PathInfo:
    """What the shapes and the ontology say about one property, for one sheet."""

    names: list[str]
    texts: list[str]
    datatypes: list[URIRef]
    allowed: list[URIRef]
    classes: list[URIRef]
    ranges: list[URIRef]
    iri: bool
    required_for: list[URIRef]
    single: bool
    from_shape: bool
    schemes: list[URIRef] = field(default_factory=list)
    suggested: list[URIRef] = field(default_factory=list)
    warned_for: list[URIRef] = field(default_factory=list)


def _columns(
    classes: tuple[URIRef, ...],
    shapes: Graph,
    ontology: Graph,
    vocabularies: Graph,
    described: set[URIRef],
    languages: tuple[str, ...],
    labels: dict[URIRef, str],
    codes: CodeChoices,
) -> tuple[Column, ...]:
    infos: dict[URIRef, _PathInfo] = {}
    for cls in classes:
        applicable = set(_ancestors(ontology, cls))
        for node_shape in _node_shapes(shapes, ontology, applicable):
            for prop_shape, direct in _property_shapes(shapes, node_shape):
                path = shapes.value(prop_shape, SH.path)
                if isinstance(path, URIRef):
                    _add_shape(infos, shapes, prop_shape, path, cls if direct else None)
        for prop in ontology.subjects(RDFS.domain, None):
            if isinstance(prop, URIRef) and applicable & set(ontology.objects(prop, RDFS.domain)):
                infos.setdefault(prop, _PathInfo([], [], [], [], [], [], False, [], False, False))
    for path, info in infos.items():
        _add_ontology(info, ontology, path)
        if not info.allowed:
            found: dict[URIRef, None] = {}
            for cls in info.classes:
                if cls not in described:
                    found.update(dict.fromkeys(_instances(vocabularies, cls)))
            for scheme in info.schemes:
                found.update(dict.fromkeys(_members(vocabularies, scheme)))
            info.allowed.extend(found)
        if not info.allowed and set(info.classes or info.ranges) == {RIS3.Region}:
            info.suggested = list(codes.countries if path == RIS3.country else codes.regions)
    columns = [
        Column(ID_HEADER, ColumnKind.ID, comment=_id_comment(), requirement="required"),
        Column(
            TYPE_HEADER,
            ColumnKind.TYPE,
            path=RDF.type,
            allowed=classes,
            single=True,
            comment=_type_comment(classes, labels),
        ),
    ]
    for path in TEXT_PROPERTIES:
        columns.extend(_text_columns(path, infos.pop(path) if path in infos else None, languages))
    skipped = {RDF.type, PROV.wasDerivedFrom}
    ordered = sorted(
        (p for p in infos if p not in skipped),
        key=lambda p: (not (infos[p].required_for or infos[p].warned_for), not infos[p].from_shape, _local(p)),
    )
    for path in ordered:
        info = infos[path]
        header = _local(path) if sum(_local(p) == _local(path) for p in ordered) == 1 else prefixed_name(path)
        if info.datatypes == [RDF.langString]:
            columns.extend(_text_columns(path, info, languages))
            continue
        if info.datatypes:
            kind, datatypes = ColumnKind.LITERAL, _ordered_datatypes(info.datatypes)
        elif info.iri or info.allowed or info.classes:
            kind, datatypes = ColumnKind.IRI, ()
        elif (path, RDF.type, OWL.AnnotationProperty) in ontology:
            kind, datatypes = ColumnKind.LITERAL, (XSD.string,)
        else:
            continue
        named = kind is ColumnKind.IRI and any(v in codes.names for v in (info.allowed or info.suggested))
        labelled = _value_labels(vocabularies, info.allowed) if kind is ColumnKind.IRI else _NO_LABELS
        columns.append(
            Column(
                header,
                kind,
                path=path,
                datatypes=datatypes,
                allowed=tuple(info.allowed),
                required_for=tuple(info.required_for),
                single=info.single,
                comment=_comment(path, info, kind, datatypes, labels, named=named),
                suggested=tuple(info.suggested) if kind is ColumnKind.IRI else (),
                names=codes.names if named else _NO_NAMES,
                labels=labelled,
                requirement="required" if info.required_for else ("recommended" if info.warned_for else None),
            )
        )
    columns.extend(_passage_columns(languages, subject=False))
    return tuple(columns)


def _node_shapes(shapes: Graph, ontology: Graph, applicable: set[URIRef]) -> Iterator[Node]:
    for node_shape, cls in shapes.subject_objects(SH.targetClass):
        if cls in applicable:
            yield node_shape
    for node_shape, prop in shapes.subject_objects(SH.targetObjectsOf):
        if applicable & set(ontology.objects(prop, RDFS.range)):
            yield node_shape


def _property_shapes(shapes: Graph, node_shape: Node) -> Iterator[tuple[Node, bool]]:
    """The node shape's property shapes (direct ones flagged), and those of its sh:xone/sh:or members."""
    for prop_shape in shapes.objects(node_shape, SH.property):
        yield prop_shape, True
    for logical in (SH.xone, SH["or"], SH["and"]):
        for head in shapes.objects(node_shape, logical):
            for member in Collection(shapes, head):
                if shapes.value(member, SH.path) is not None:
                    yield member, False
                for prop_shape in shapes.objects(member, SH.property):
                    yield prop_shape, False


def _add_shape(infos: dict[URIRef, _PathInfo], shapes: Graph, shape: Node, path: URIRef, cls: URIRef | None) -> None:
    info = infos.setdefault(path, _PathInfo([], [], [], [], [], [], False, [], False, False))
    info.from_shape = True
    for name in shapes.objects(shape, SH.name):
        if str(name) not in info.names:
            info.names.append(str(name))
    for predicate in (SH.description, SH.message):
        for text in shapes.objects(shape, predicate):
            if _english(text) and str(text) not in info.texts:
                info.texts.append(str(text))
    for datatype in _shape_datatypes(shapes, shape):
        if datatype not in info.datatypes:
            info.datatypes.append(datatype)
    for head in shapes.objects(shape, SH["in"]):
        for value in Collection(shapes, head):
            if isinstance(value, URIRef) and value not in info.allowed:
                info.allowed.append(value)
    info.classes.extend(c for c in shapes.objects(shape, SH["class"]) if isinstance(c, URIRef))
    for node in shapes.objects(shape, SH.node):  # a value set given as "a concept of scheme X (or Y)"
        members = list(shapes.objects(node, SH.property))
        for head in shapes.objects(node, SH["or"]):
            members.extend(Collection(shapes, head))
        for member in members:
            scheme = shapes.value(member, SH.hasValue)
            if shapes.value(member, SH.path) == SKOS.inScheme and isinstance(scheme, URIRef):
                info.schemes.append(scheme)
    for head in shapes.objects(shape, SH["or"]):
        for member in Collection(shapes, head):
            info.classes.extend(c for c in shapes.objects(member, SH["class"]) if isinstance(c, URIRef))
    info.iri = info.iri or shapes.value(shape, SH.nodeKind) == SH.IRI
    min_count = shapes.value(shape, SH.minCount)
    if cls is not None and isinstance(min_count, Literal) and int(min_count) > 0:
        severity = shapes.value(shape, SH.severity)
        needed = info.warned_for if severity in (SH.Warning, SH.Info) else info.required_for
        if cls not in needed:
            needed.append(cls)
    max_count = shapes.value(shape, SH.maxCount)
    info.single = info.single or (isinstance(max_count, Literal) and int(max_count) == 1)


def _shape_datatypes(shapes: Graph, shape: Node) -> Iterator[URIRef]:
    datatype = shapes.value(shape, SH.datatype)
    if isinstance(datatype, URIRef):
        yield datatype
    for head in shapes.objects(shape, SH["or"]):
        for member in Collection(shapes, head):
            member_type = shapes.value(member, SH.datatype)
            if isinstance(member_type, URIRef):
                yield member_type


def _add_ontology(info: _PathInfo, ontology: Graph, path: URIRef) -> None:
    if (path, RDF.type, OWL.ObjectProperty) in ontology:
        info.iri = True
        info.ranges.extend(r for r in ontology.objects(path, RDFS.range) if isinstance(r, URIRef))
    if (path, RDF.type, OWL.DatatypeProperty) in ontology and not info.datatypes:
        info.datatypes.extend(r for r in ontology.objects(path, RDFS.range) if isinstance(r, URIRef))
    info.single = info.single or (path, RDF.type, OWL.FunctionalProperty) in ontology
    if not info.names:
        info.names.extend(str(o) for o in ontology.objects(path, RDFS.label) if _english(o))
    if not info.texts:
        info.texts.extend(str(o) for o in ontology.objects(path, RDFS.comment) if _english(o))


def _value_labels(vocabularies: Graph, values: Iterable[URIRef]) -> Mapping[URIRef, tuple[str, ...]]:
    """The labels (skos:prefLabel, rdfs:label) of closed-set values in every language, English first."""
    found: dict[URIRef, tuple[str, ...]] = {}
    for value in values:
        texts = [
            o
            for predicate in (SKOS.prefLabel, RDFS.label)
            for o in vocabularies.objects(value, predicate)
            if isinstance(o, Literal)
        ]
        texts.sort(key=lambda o: (o.language != "en", o.language or "", str(o)))
        if texts:
            found[value] = tuple(dict.fromkeys(str(o) for o in texts))
    return MappingProxyType(found)


def _instances(vocabularies: Graph, cls: URIRef) -> list[URIRef]:
    return sorted(
        (s for s in vocabularies.subjects(RDF.type, cls) if isinstance(s, URIRef)), key=_choice_order(vocabularies)
    )


def _members(vocabularies: Graph, scheme: URIRef) -> list[URIRef]:
    return sorted(
        (s for s in vocabularies.subjects(SKOS.inScheme, scheme) if isinstance(s, URIRef)),
        key=_choice_order(vocabularies),
    )


def _choice_order(vocabularies: Graph) -> Callable[[URIRef], tuple[bool, str, bool, str]]:
    """The hand-written values first (persons, percent, euro), by IRI, then the code lists' (every currency).

    A code list's values go by namespace (NACE Rev. 2 before Rev. 2.1), then letters before digits
    (the NACE sections A to V before the divisions, groups and classes, which follow each other).
    """

    def key(node: URIRef) -> tuple[bool, str, bool, str]:
        if (node, PROV.wasDerivedFrom, None) not in vocabularies:
            return (False, str(node), False, "")
        namespace, _, local = str(node).rpartition("/")
        return (True, namespace, not local.isalpha(), local)

    return key


def _ordered_datatypes(datatypes: Iterable[URIRef]) -> tuple[URIRef, ...]:
    listed = list(datatypes)
    return tuple(sorted(listed, key=lambda d: (d not in _NARROWER_FIRST, listed.index(d))))


def _local(path: URIRef) -> str:
    curie = prefixed_name(path)
    return curie.split(":", 1)[1] if ":" in curie and "://" not in curie else curie


def _text_columns(path: URIRef, info: _PathInfo | None, languages: tuple[str, ...]) -> list[Column]:
    name = info.names[0] if info and info.names else _local(path)
    texts = " ".join(info.texts) if info else ""
    single = bool(info and info.single) or path == RDFS.label
    columns: list[Column] = []
    for language in languages:
        needed = bool(info and info.required_for and language == "en")
        required = _RECOMMENDED_TEXT if needed else "Optional"
        comment = (
            f"{prefixed_name(path)} in language '{language}' ({name}). {texts}\n"
            f"{required}. Text in this language; {_cardinality(single)}"
        ).strip()
        columns.append(
            Column(
                f"{_local(path)} ({language})",
                ColumnKind.TEXT,
                path=path,
                language=language,
                required_for=tuple(info.required_for) if info and language == "en" else (),
                single=single,
                comment=comment,
                requirement="recommended" if needed else None,
            )
        )
    return columns


def _in_language(column: Column, language: str) -> Column:
    """The text column ``column`` in another language (never required: only English is)."""
    name = column.header.rsplit(" (", 1)[0]
    comment = column.comment.replace(f"in language '{column.language}'", f"in language '{language}'", 1)
    return dataclasses.replace(
        column,
        header=f"{name} ({language})",
        language=language,
        required_for=(),
        requirement=None,
        comment=comment.replace(f"\n{_RECOMMENDED_TEXT}.", "\nOptional.", 1),
    )


def _passage_columns(languages: tuple[str, ...], *, subject: bool) -> tuple[Column, ...]:
    first = (
        [Column(SUBJECT_HEADER, ColumnKind.SUBJECT, comment="The thing the passage is a source for: its id.")]
        if subject
        else []
    )
    return (
        *first,
        Column(
            DOCUMENT_HEADER,
            ColumnKind.DOCUMENT,
            path=PROV.wasQuotedFrom,
            comment="The source document the passage is quoted from: its id on the Sources sheet. Required (a "
            "violation when empty) together with 'source quote'.",
            requirement="required",
        ),
        Column(
            QUOTE_HEADER,
            ColumnKind.QUOTE,
            path=PROV.value,
            comment="The passage this row rests on, copied word for word from the document, short "
            "(10 to 600 characters), in the document's language. Required. Further passages for the "
            f"same thing go on the {PASSAGES_SHEET} sheet.",
            requirement="required",
        ),
        Column(
            QUOTE_LANGUAGE_HEADER,
            ColumnKind.QUOTE_LANGUAGE,
            allowed=(),
            comment=f"The language of the quote, the document's language: its tag ({', '.join(languages)}, or another "
            "language of the drop-down list).",
        ),
    )


def _cardinality(single: bool) -> str:
    return "one value." if single else f"several values are separated by '{SEPARATOR.strip()}'."


def _id_comment() -> str:
    return (
        "The thing's IRI: a CURIE with a prefix from the Prefixes sheet (actor:ltu, blekinge:action-1-1; declare "
        "your strategy's prefix there) or a full https:// IRI. Required; lower case with hyphens, unique. Other "
        "cells refer to it by this id."
    )


def _type_comment(classes: tuple[URIRef, ...], labels: dict[URIRef, str]) -> str:
    listed = ", ".join(f"{prefixed_name(c)} ({labels.get(c, '')})" for c in classes[:12])
    more = ", ..." if len(classes) > 12 else ""
    blank = f" May be left empty: it is then {prefixed_name(classes[0])}." if len(classes) == 1 else " Required."
    return f"The kind of thing (rdf:type), from the drop-down list: {listed}{more}.{blank}"


def _comment(
    path: URIRef,
    info: _PathInfo,
    kind: ColumnKind,
    datatypes: tuple[URIRef, ...],
    labels: dict[URIRef, str],
    *,
    named: bool = False,
) -> str:
    name = info.names[0] if info.names else _local(path)
    lines = [f"{prefixed_name(path)} ({name}). {' '.join(info.texts)}".strip()]
    if info.required_for:
        lines.append(
            "Required (a violation when empty) for "
            + ", ".join(labels.get(c, prefixed_name(c)) for c in info.required_for)
            + "."
        )
    elif info.warned_for:
        lines.append(
            "Recommended (a warning when empty) for "
            + ", ".join(labels.get(c, prefixed_name(c)) for c in info.warned_for)
            + "."
        )
    else:
        lines.append("Optional.")
    if kind is ColumnKind.LITERAL:
        what = describe_datatypes(datatypes)
        if len(datatypes) > 1:
            what += f" (another of these datatypes: value^^{prefixed_name(datatypes[-1])})"
    elif info.allowed:
        what = "one of the drop-down list"
        if len(info.allowed) <= 8:
            what += ": " + ", ".join(prefixed_name(v) for v in info.allowed)
        elif named:
            what += f" (e.g. {prefixed_name(info.allowed[0])}; the name after the code may be kept or left out)"
    elif info.suggested:
        kinds = ", ".join(labels.get(c, prefixed_name(c)) for c in dict.fromkeys(info.classes or info.ranges))
        example = f"e.g. {prefixed_name(max(info.suggested[:20], key=len))}; "
        what = (
            f"a code from the drop-down list ({example}the name after the code may be kept or left out), "
            f"or the id of another {kinds or 'thing'} described in the template"
        )
    else:
        kinds = ", ".join(labels.get(c, prefixed_name(c)) for c in dict.fromkeys(info.classes or info.ranges))
        what = "the id (CURIE or IRI) of " + (kinds if kinds else "a thing")
    lines.append(f"Value: {what}; {_cardinality(info.single)}")
    return "\n".join(lines)
