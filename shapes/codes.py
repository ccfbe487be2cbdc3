"""Checks against the reference code lists: codes that exist, in the version in force, or what to write.

The shapes see the part of the code lists that a strategy uses, so a code that does not exist fails
a generic ``sh:class`` or ``sh:node`` check. The checks here say which code it could have been
("did you mean"), and check what SHACL cannot see: that a strategy's region is valid in a NUTS
version in force during its period or at its publication, and, where it is not, which code
replaced it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from ris3kg.graph.codelists.lookup import NUTS_IN_FORCE, CodeLists, RegionCode
from ris3kg.ontology.namespaces import PREFIXES, RIS3
from ris3kg.shapes.results import Severity, ValidationResult, short_name

_SHAPE = "ris3sh:reference-codes"
_DCTERMS = "http://purl.org/dc/terms/"
_SPATIAL = URIRef(_DCTERMS + "spatial")
_TEMPORAL = URIRef(_DCTERMS + "temporal")
_ISSUED = URIRef(_DCTERMS + "issued")
_NUTS = PREFIXES["nuts"]
_LANG = PREFIXES["lang"]
_UNIT = PREFIXES["voc"] + "unit-"
_NOT_CODES = {PREFIXES["nace"] + "nace2", PREFIXES["nace21"] + "nace2.1"}


@dataclass(frozen=True)
class _Unknown:
    focus: Node
    path: URIRef
    value: URIRef
    message: str


def check_codes(
    data: Graph, mixed: Graph, codes: CodeLists
) -> tuple[tuple[ValidationResult, ...], frozenset[tuple[str, str]]]:
    """Check the codes a strategy uses.

    Args:
        data: The strategy's own triples.
        mixed: The same with the reference data mixed in (for periods and publication dates).
        codes: The code lists.

    Returns:
        The results, and the (focus, value) pairs of unknown codes, whose generic SHACL results
        these replace.
    """
    results: list[ValidationResult] = []
    replaced: set[tuple[str, str]] = set()
    for unknown in _unknown_codes(data, codes):
        replaced.add((_focus(unknown.focus), short_name(unknown.value)))
        results.append(_result(unknown.focus, unknown.message, path=unknown.path, value=unknown.value))
    results += _region_versions(data, mixed, codes)
    results += _language_tags(data, codes)
    return tuple(results), frozenset(replaced)


def _language_tags(data: Graph, codes: CodeLists) -> Iterator[ValidationResult]:
    """A warning for each text tagged with a language that none of the code lists' languages is."""
    known = {tag.lower() for tag in codes.language_tags}
    names = {tag: codes.languages[iri].label for tag, iri in codes.language_tags.items()}
    reported: set[tuple[str, str]] = set()
    for subject, predicate, value in sorted(data, key=lambda t: tuple(str(x) for x in t)):
        if not isinstance(value, Literal) or not value.language or not isinstance(predicate, URIRef):
            continue
        primary = value.language.split("-")[0].lower()
        if primary in known or (str(subject), primary) in reported:
            continue
        reported.add((str(subject), primary))
        options = [f"@{tag} ({names[tag]})" for tag in codes.suggest(primary, names)]
        yield ValidationResult(
            severity=Severity.WARNING,
            focus=_focus(subject),
            focus_label=None,
            path=short_name(predicate),
            value=str(value)[:80],
            message=(
                f"The language tag @{value.language} is not one of the languages ris3kg takes (the EU's, EFTA's and "
                f"the candidate countries').{_did_you_mean(options)} Tag the text with its language's ISO 639-1 code."
            ),
            shape=_SHAPE,
        )


def _focus(node: Node) -> str:
    return str(node) if isinstance(node, URIRef) else f"{node}"


def _result(focus: Node, message: str, *, path: URIRef, value: URIRef) -> ValidationResult:
    return ValidationResult(
        severity=Severity.VIOLATION,
        focus=_focus(focus),
        focus_label=None,
        path=short_name(path),
        value=short_name(value),
        message=message,
        shape=_SHAPE,
    )


def _did_you_mean(options: Iterable[str]) -> str:
    listed = list(options)
    if not listed:
        return ""
    return " Did you mean " + (listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]) + "?"


def _named(iri: str, label: str) -> str:
    name = short_name(URIRef(iri))
    return f"{name} ({label})" if label else name


@dataclass(frozen=True)
class _CodeList:
    """One code list as the unknown-code check sees it: its namespace, its codes and what to say."""

    namespace: str
    known: frozenset[str]
    names: dict[str, str]
    problem: str
    advice: str


def _code_lists(codes: CodeLists) -> tuple[_CodeList, ...]:
    def names(items: dict[str, str], namespace: str) -> dict[str, str]:
        return {iri.removeprefix(namespace): label for iri, label in items.items() if iri.startswith(namespace)}

    nace = {iri: code.label for iri, code in codes.nace.items()}
    return (
        _CodeList(
            _NUTS,
            frozenset(codes.regions),
            {code.code: code.label for code in codes.regions.values()},
            "is not a NUTS code (2016, 2021 or 2024) nor a statistical region of an EFTA or candidate country.",
            "Write the region as its code's IRI, e.g. nuts:SE221.",
        ),
        _CodeList(
            _LANG,
            frozenset(codes.languages),
            names({iri: code.label for iri, code in codes.languages.items()}, _LANG),
            "is not a language of the EU's language table that ris3kg takes.",
            "Languages are written with their three-letter code in capitals, e.g. lang:FIN for Finnish.",
        ),
        _CodeList(
            _UNIT,
            frozenset(codes.units),
            names({iri: code.label for iri, code in codes.units.items()}, _UNIT),
            "is not a unit: units are persons, fte, percent, count, years, or an ISO 4217 currency code in "
            "lower case (unit-eur, unit-pln).",
            "",
        ),
        *(
            _CodeList(
                namespace,
                frozenset(codes.nace) | _NOT_CODES,
                names(nace, namespace),
                f"is not a code of {revision} (a section letter, or a division, group or class without dots: "
                "62, 620, 6201).",
                "",
            )
            for namespace, revision in ((PREFIXES["nace21"], "NACE Rev. 2.1"), (PREFIXES["nace"], "NACE Rev. 2"))
        ),
    )


def _unknown_codes(data: Graph, codes: CodeLists) -> Iterator[_Unknown]:
    lists = _code_lists(codes)
    seen: set[tuple[Node, URIRef, URIRef]] = set()
    for subject, predicate, value in sorted(data, key=lambda t: tuple(str(x) for x in t)):
        if not isinstance(value, URIRef) or not isinstance(predicate, URIRef) or predicate == RDF.type:
            continue
        if (subject, predicate, value) in seen:
            continue
        seen.add((subject, predicate, value))
        iri = str(value)
        # nace2.1/ before nace2/: the longer namespace is the one an IRI is in
        found = next((c for c in lists if iri.startswith(c.namespace)), None)
        if found is None or iri in found.known:
            continue
        code = iri.removeprefix(found.namespace)
        options = [_named(found.namespace + c, found.names[c]) for c in codes.suggest(code, found.names)]
        message = f"{code} {found.problem}{_did_you_mean(options)}"
        yield _Unknown(subject, predicate, value, f"{message} {found.advice}".rstrip())


def _years(node: Node, mixed: Graph) -> set[int]:
    """The years a strategy's period spans, and the year its documents were published."""
    years: set[int] = set()
    for period in mixed.objects(node, _TEMPORAL):
        start, end = mixed.value(period, RIS3.startYear), mixed.value(period, RIS3.endYear)
        if isinstance(start, Literal) and isinstance(end, Literal):
            try:
                first, last = int(start), int(end)
            except (TypeError, ValueError):
                continue
            if 1900 < first <= last < 2100:
                years.update(range(first, last + 1))
    for document in mixed.objects(node, RIS3.documentedIn):
        issued = mixed.value(document, _ISSUED)
        if isinstance(issued, Literal) and str(issued)[:4].isdigit():
            years.add(int(str(issued)[:4]))
    return years


def versions_in_force(years: Iterable[int]) -> frozenset[str]:
    """The NUTS versions that apply to any of ``years``."""
    wanted = set(years)
    return frozenset(
        version for version, (first, last) in NUTS_IN_FORCE.items() if any(first <= y <= last for y in wanted)
    )


def _region_versions(data: Graph, mixed: Graph, codes: CodeLists) -> Iterator[ValidationResult]:
    for strategy in sorted(set(data.subjects(RDF.type, RIS3.Strategy)), key=str):
        years = _years(strategy, mixed)
        if not years:
            continue
        required = versions_in_force(years) & codes.complete_versions
        for region in sorted(data.objects(strategy, _SPATIAL), key=str):
            code = codes.regions.get(str(region))
            if code is None or not isinstance(region, URIRef):
                continue  # unknown codes are reported as such; named regions have no version
            # Where no version in force in those years is held in full (NUTS 2016 is, in the packaged
            # data, only the hand-made Nordic codes), a strategy may also use a code of the earliest
            # version held in full.
            earliest = min(codes.complete_versions, default="2021")
            allowed = required or (versions_in_force(years) | {earliest})
            if code.versions & allowed:
                continue
            yield _result(strategy, _version_message(code, years, allowed, codes), path=_SPATIAL, value=region)


def _version_message(code: RegionCode, years: set[int], allowed: frozenset[str], codes: CodeLists) -> str:
    span = f"{min(years)}–{max(years)}" if len(years) > 1 else str(min(years))
    wanted = " or ".join(sorted(allowed))
    message = (
        f"{code.code}{f' ({code.label})' if code.label else ''} is a code of {code.versions_text()}, but the "
        f"strategy's time ({span}) falls under NUTS {wanted}."
    )
    successors = _successors(code, allowed, codes)
    if successors:
        named = [_named(codes.by_notation[c], codes.regions[codes.by_notation[c]].label) for c in successors]
        use = "use that code" if len(named) == 1 else "use the code (or codes) of the part the strategy covers"
        message += f" In NUTS {wanted} it was replaced by {', '.join(named)}: {use}."
    else:
        message += f" Use the region's code of NUTS {wanted}."
    return message


def _successors(code: RegionCode, allowed: frozenset[str], codes: CodeLists) -> list[str]:
    """The codes that replaced ``code``, followed until they are valid in an allowed version."""
    found: list[str] = []
    todo = list(code.replaced_by)
    seen = {code.code}
    while todo:
        current = todo.pop(0)
        if current in seen or current not in codes.by_notation:
            continue
        seen.add(current)
        successor = codes.regions[codes.by_notation[current]]
        if successor.versions & allowed:
            found.append(current)
        else:
            todo.extend(successor.replaced_by)
    return found
