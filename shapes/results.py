"""The results of validation, in terms a strategy officer can act on (shared by every check)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rdflib import Literal, Node, URIRef
from rdflib.namespace import SH

from ris3kg.ontology.namespaces import PREFIXES, prefixed_name


class Severity(Enum):
    """SHACL severities, most serious first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def of(cls, node: Node | None) -> Severity:
        """Return the severity for a ``sh:Violation`` / ``sh:Warning`` / ``sh:Info`` IRI."""
        if node == SH.Warning:
            return cls.WARNING
        if node == SH.Info:
            return cls.INFO
        return cls.VIOLATION


@dataclass(frozen=True)
class ValidationResult:
    """One problem found, in terms a strategy officer can act on.

    Attributes:
        severity: How serious it is.
        focus: The IRI (or blank-node id) of the entity with the problem.
        focus_label: The entity's name, English first, when it has one.
        path: The property concerned, as a prefixed name where possible.
        value: The offending value, where there is one.
        message: What is wrong and what to do.
        shape: The shape that found it, as a prefixed name where possible.
        location: Where the focus entity is in the submission (file and line, or sheet and row).
        cell: For a spreadsheet, the cell concerned: sheet, row, column letter (None when the
            file has no such column) and column header.
    """

    severity: Severity
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str | None
    location: str | None = None
    cell: tuple[str, int, str | None, str | None] | None = None


def short_name(node: Node | None) -> str:
    """Return a term as a prefixed name where a house prefix fits, else as it is (``_:id`` for a blank node)."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return prefixed_name(str(node))
    if isinstance(node, Literal):
        return str(node)
    return f"_:{node}"


def iri_of(name: str | None) -> URIRef | None:
    """Return the IRI a :func:`short_name` stands for: a house prefixed name or a full http(s) IRI; else None."""
    if not name:
        return None
    if name.startswith(("http://", "https://")) and " " not in name:
        return URIRef(name)
    prefix, colon, local = name.partition(":")
    return URIRef(PREFIXES[prefix] + local) if colon and prefix in PREFIXES and " " not in local else None
