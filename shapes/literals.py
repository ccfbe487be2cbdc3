"""Typed values that are not valid for their datatype: a right datatype with an impossible value.

SHACL's ``sh:datatype`` asks only that a literal carries the datatype; rdflib gives ``ill_typed``
for some datatypes and none for others (``"2021-13"^^xsd:gYearMonth`` passes as it is). This
check reads the lexical form of every literal with an XSD datatype the shapes use, as XML Schema
1.1 Part 2 defines it (whitespace collapsed), and then its value: a date that exists, a month from
1 to 12, a time zone within ±14:00. Each problem is a violation: the value means nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from ris3kg.shapes.results import Severity, ValidationResult, short_name

_SHAPE = "ris3sh:literal-valid"
_ZONE = r"(?P<zone>Z|[+-](?P<zh>[0-9]{2}):(?P<zm>[0-9]{2}))?"

LEXICAL: dict[URIRef, re.Pattern[str]] = {
    XSD.integer: re.compile(r"^[+-]?[0-9]+$"),
    XSD.nonNegativeInteger: re.compile(r"^(\+?[0-9]+|-0+)$"),
    XSD.positiveInteger: re.compile(r"^\+?0*[1-9][0-9]*$"),
    XSD.decimal: re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"),
    XSD.double: re.compile(r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN)$"),
    XSD.float: re.compile(r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN)$"),
    XSD.boolean: re.compile(r"^(true|false|1|0)$"),
    XSD.date: re.compile(rf"^(?P<year>-?[0-9]{{4,}})-(?P<month>[0-9]{{2}})-(?P<day>[0-9]{{2}}){_ZONE}$"),
    XSD.dateTime: re.compile(
        rf"^(?P<year>-?[0-9]{{4,}})-(?P<month>[0-9]{{2}})-(?P<day>[0-9]{{2}})"
        rf"T(?P<hour>[0-9]{{2}}):(?P<minute>[0-9]{{2}}):(?P<second>[0-9]{{2}}(\.[0-9]+)?){_ZONE}$"
    ),
    XSD.gYearMonth: re.compile(rf"^(?P<year>-?[0-9]{{4,}})-(?P<month>[0-9]{{2}}){_ZONE}$"),
    XSD.gYear: re.compile(rf"^(?P<year>-?[0-9]{{4,}}){_ZONE}$"),
    XSD.anyURI: re.compile(r"^\S*$"),
}
"""The lexical forms of the XSD datatypes ris3kg uses (XSD 1.1 Part 2, §3.3), after whitespace collapse."""

_NAMES = {
    XSD.integer: ("a whole number", "2021"),
    XSD.nonNegativeInteger: ("a whole number from 0 up", "12"),
    XSD.positiveInteger: ("a whole number from 1 up", "3"),
    XSD.decimal: ("a number written with digits and a point (no comma, spaces or exponent)", "12.5"),
    XSD.double: ("a number", "1.5E6"),
    XSD.float: ("a number", "1.5E6"),
    XSD.boolean: ("true or false", "true"),
    XSD.date: ("a date", "2021-02-28"),
    XSD.dateTime: ("a date and time", "2021-02-28T12:00:00"),
    XSD.gYearMonth: ("a year and month", "2021-02"),
    XSD.gYear: ("a year of four digits", "2021"),
    XSD.anyURI: ("an address without spaces", "https://example.org/"),
}


@dataclass(frozen=True)
class LiteralProblem:
    """Why a typed value is not valid, and what to write instead.

    Attributes:
        reason: What is wrong with it, e.g. "'2021-02-30' is not a date that exists: there is no
            30 February 2021".
        name: What a value of the datatype is, in words ("a date").
        example: A valid value ("2021-02-28").
        datatype: The datatype.
    """

    reason: str
    name: str
    example: str
    datatype: URIRef

    @property
    def advice(self) -> str:
        """What to write instead, in RDF terms: ``write a date, e.g. "2021-02-28"^^xsd:date``."""
        return f'write {self.name}, e.g. "{self.example}"^^{short_name(self.datatype)}'


def literal_problem(lexical: str, datatype: URIRef) -> LiteralProblem | None:
    """Return why ``lexical`` is not a valid value of ``datatype``, or None when it is (or is not checked).

    Args:
        lexical: The literal's lexical form as written.
        datatype: Its datatype IRI.
    """
    pattern = LEXICAL.get(datatype)
    if pattern is None:
        return None
    text = " ".join(lexical.split())
    name, example = _NAMES[datatype]

    def problem(reason: str) -> LiteralProblem:
        return LiteralProblem(reason, name, example, datatype)

    match = pattern.match(text)
    if match is None:
        return problem(f"{lexical!r} is not written as {name}")
    groups = match.groupdict()
    hours, minutes = groups.get("zh"), groups.get("zm")
    if hours is not None and minutes is not None and (int(hours) * 60 + int(minutes) > 14 * 60 or int(minutes) > 59):
        return problem(f"{lexical!r} has a time zone beyond ±14:00")
    if "year" in groups and int(groups["year"]) == 0:
        return problem(f"{lexical!r}: there is no year 0")
    if "month" not in groups:
        return None
    year, month = int(groups["year"]), int(groups["month"])
    if not 1 <= month <= 12:
        return problem(f"{lexical!r} has month {month:02d}; months run from 01 to 12")
    if "day" in groups:
        day = int(groups["day"])
        try:
            dt.date(year if 1 <= year <= 9999 else 2000, month, day)
        except ValueError:
            when = f"{day} {dt.date(2000, month, 1):%B}"
            return problem(f"{lexical!r} is not a date that exists: there is no {when} {year}")
    if "hour" in groups:
        hour, minute, second = int(groups["hour"]), int(groups["minute"]), float(groups["second"])
        if not (hour < 24 and minute < 60 and second < 60) and not (hour == 24 and minute == 0 and second == 0):
            return problem(f"{lexical!r} is not a time of day that exists")
    return None


def check_literals(data: Graph) -> tuple[tuple[ValidationResult, ...], frozenset[tuple[str, str]]]:
    """Check the lexical form and value of every typed literal in a strategy's own triples.

    Args:
        data: The strategy's own triples.

    Returns:
        The results (violations), and the (focus, value) pairs they are about, whose generic
        ``sh:datatype`` results from SHACL they replace.
    """
    results = tuple(_problems(data))
    return results, frozenset((r.focus, r.value or "") for r in results)


def _problems(data: Graph) -> Iterator[ValidationResult]:
    for subject, predicate, value in sorted(data, key=lambda t: tuple(str(x) for x in t)):
        if not isinstance(value, Literal) or value.datatype is None or not isinstance(predicate, URIRef):
            continue
        problem = literal_problem(str(value), value.datatype)
        if problem is None:
            continue
        yield ValidationResult(
            severity=Severity.VIOLATION,
            focus=_focus(subject),
            focus_label=None,
            path=short_name(predicate),
            value=short_name(value),
            message=f"The value of {short_name(predicate)} is not valid: {problem.reason}. Instead, {problem.advice}.",
            shape=_SHAPE,
        )


def _focus(node: Node) -> str:
    return str(node)
