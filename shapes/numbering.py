"""Numbering that contradicts itself: two elements of one kind with the same number in one list.

A strategy numbers its elements in lists: bottleneck 1, 2, 3; the actions under each opportunity;
the strengths of one SWOT analysis. ``ris3:ordinal`` and ``skos:notation`` keep those numbers. Two
elements of the same class, in the same strategy or study and the same list, with the same number
contradict each other: one of the numbers is wrong, so the order the document gives is lost
(a violation).

What makes a list is read from the data: elements are in the same list when they have the same
class, the same strategy or study, and the same values of the properties that place an element
under another (:data:`LIST_PROPERTIES`: the area, priority or step it belongs to, the opportunity
it serves, the challenge it addresses, the analysis and category of a SWOT entry, the criterion it
restates). The packaged strategies number within such lists (Norrbotten's actions restart at 1
under each opportunity; the Norwegian note has two lists of principles).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from ris3kg.ontology.namespaces import RIS3
from ris3kg.shapes.results import Severity, ValidationResult, short_name

_SHAPE = "ris3sh:numbering-unique"

NUMBERS = (RIS3.ordinal, SKOS.notation)
"""The properties that number an element."""

LIST_PROPERTIES = (RIS3.serves, RIS3.addresses, RIS3.inAnalysis, RIS3.swotCategory, RIS3.criterion)
"""Properties whose values place an element in a list of its own."""

PARENT_PROPERTIES = (RIS3.hasSubArea, RIS3.hasStep)
"""Properties from a parent to the elements it lists."""

_OWNERS = (RIS3.inStrategy, RIS3.inStudy)


def check_numbering(data: Graph) -> tuple[ValidationResult, ...]:
    """Return a violation for each element numbered like another of its list.

    Args:
        data: The strategy's own triples.

    Returns:
        One result per element after the first (by IRI) of each group with the same number,
        naming the first.
    """
    return tuple(_duplicates(data))


def _duplicates(data: Graph) -> Iterator[ValidationResult]:
    groups: dict[tuple[URIRef, str, tuple[object, ...]], list[URIRef]] = defaultdict(list)
    for number in NUMBERS:
        for subject, value in data.subject_objects(number):
            if not isinstance(subject, URIRef) or not isinstance(value, Literal):
                continue
            owners = frozenset(o for p in _OWNERS for o in data.objects(subject, p))
            if not owners:
                continue  # vocabulary concepts and regions carry notations of their own schemes
            context = (
                frozenset(data.objects(subject, RDF.type)),
                owners,
                frozenset((p, o) for p in LIST_PROPERTIES for o in data.objects(subject, p)),
                frozenset((p, s) for p in PARENT_PROPERTIES for s in data.subjects(p, subject)),
            )
            groups[(number, " ".join(str(value).split()).casefold(), context)].append(subject)
    for (number, _, _), members in sorted(groups.items(), key=lambda item: sorted(item[1])[0]):
        if len(members) < 2:
            continue
        first, *others = sorted(set(members))
        for other in others:
            given = data.value(other, number)
            yield ValidationResult(
                severity=Severity.VIOLATION,
                focus=str(other),
                focus_label=None,
                path=short_name(number),
                value=short_name(given),
                message=(
                    f"It has the number {given} ({short_name(number)}), as has {_named(data, first)} in the same "
                    "list of the same strategy: give each element the number the document gives it, "
                    "and check whether one of the two is listed twice."
                ),
                shape=_SHAPE,
            )


def _named(data: Graph, node: Node) -> str:
    labels = [label for label in data.objects(node, RDFS.label) if isinstance(label, Literal)]
    english = [label for label in labels if label.language == "en"]
    names = english or labels
    return f"{short_name(node)} (“{names[0]}”)" if names else short_name(node)
