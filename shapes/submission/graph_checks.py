"""Checks of a submission against the rest of the graph, which no shape can see on its own.

The shapes see one submission (with the ontology, vocabularies and regions mixed in). What only
the whole graph knows is checked here, with queries on the store: that a submission describes
one strategy, in that strategy's own namespace; that its IRIs do not collide with another
strategy's; that it does not link into another strategy; that it does not redefine ris3kg's own
terms; and that an organisation shared between strategies keeps the name the graph knows it by.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ris3kg.graph.catalogue import strategy_parts
from ris3kg.graph.store.interface import GraphStore
from ris3kg.graph.versions import NAMING_ADVICE, valid_namespace
from ris3kg.ontology.namespaces import GRAPH, ID_BASE, PREFIXES, RIS3
from ris3kg.shapes.validation import Severity, ValidationResult, short_name

SHARED_NAMESPACES = frozenset({"", "actor", "funding", "region"})
"""Segments under ``id/`` that strategies share (``""``: things directly under ``id/``, such as projects)."""

REFERENCE_NAMESPACES = (
    PREFIXES["ris3"],
    PREFIXES["ris3sh"],
    PREFIXES["voc"],
    PREFIXES["theme"],
    PREFIXES["nuts"],
    PREFIXES["nutsscheme"],
    PREFIXES["nace"],
    PREFIXES["lang"],
)
"""Namespaces of the ontology, shapes, vocabularies and reference data: used by submissions, never described."""

LINKS = (RIS3.addresses, RIS3.serves, RIS3.hasStep, RIS3.hasSubArea, RIS3.inStrategy, RIS3.inStudy)
"""Properties that link within one strategy."""

_SHAPE = "ris3kg context check"

_LOCAL_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
"""The part of a strategy's IRI after its namespace, as shapes.ttl asks of every element's IRI."""


@dataclass(frozen=True)
class SubmittedStrategy:
    """Which strategy a submission is for.

    Attributes:
        namespace: The segment of its IRIs under ``id/`` (``blekinge`` for ``id/blekinge/...``).
        strategy: The strategy's (or study's) IRI.
        graph: The named graph it is kept in: a packaged strategy's own graph, else ``graph/submission/<ns>``.
    """

    namespace: str
    strategy: URIRef
    graph: URIRef


def namespace_of(iri: str) -> str | None:
    """Return the segment of an instance IRI under ``id/`` (``""`` directly under it), or None.

    The segment is returned as it is written, valid or not (``..`` for ``id/../x``): use
    :func:`ris3kg.graph.versions.valid_namespace` before it names anything.
    """
    if not iri.startswith(ID_BASE):
        return None
    segment, slash, _rest = iri[len(ID_BASE) :].partition("/")
    return segment if slash else ""


def submitted_strategy(graph: Graph) -> SubmittedStrategy | ValidationResult:
    """Find the one strategy a submission is for, or say why there is not exactly one.

    The strategy's namespace must be a valid name (see :data:`ris3kg.graph.versions.NAMESPACE_PATTERN`)
    and its IRI of the form every element's IRI has, ``https://w3id.org/ris3kg/id/<namespace>/<name>``
    in lower case with hyphens; otherwise the result is a violation saying how to name it.
    """
    candidates = sorted(
        {s for cls in (RIS3.Strategy, RIS3.Study) for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    )
    namespaces = {ns for s in candidates if (ns := namespace_of(str(s))) is not None and ns not in SHARED_NAMESPACES}
    if len(namespaces) != 1:
        found = ", ".join(f"<{s}>" for s in candidates) or "none"
        return _violation(
            URIRef(ID_BASE),
            "A submission describes one strategy, with IRIs under https://w3id.org/ris3kg/id/<strategy>/; "
            f"strategies and studies found: {found}.",
        )
    namespace = namespaces.pop()
    own = [s for s in candidates if namespace_of(str(s)) == namespace]
    if not valid_namespace(namespace):
        return _violation(
            own[0],
            f"The strategy's IRI <{own[0]}> does not name the strategy in a way ris3kg can use: "
            f"{NAMING_ADVICE}. Give the strategy and all its elements IRIs under such a name.",
        )
    for subject in own:
        if not _LOCAL_NAME.fullmatch(str(subject)[len(f"{ID_BASE}{namespace}/") :]):
            return _violation(
                subject,
                f"Give the strategy a stable IRI https://w3id.org/ris3kg/id/{namespace}/<name>, where <name> is "
                f"lower case letters, digits and hyphens, e.g. https://w3id.org/ris3kg/id/{namespace}/strategy.",
            )
    return SubmittedStrategy(namespace, own[0], graph_for(namespace))


def graph_for(namespace: str) -> URIRef:
    """Return the named graph of the strategy with IRIs under ``id/<namespace>/``."""
    for part in strategy_parts():
        if PREFIXES.get(part.key) == f"{ID_BASE}{namespace}/":
            return part.graph
    return GRAPH[f"submission/{namespace}"]


def check_context(
    graph: Graph, *, key: SubmittedStrategy | ValidationResult, store: GraphStore | None
) -> tuple[ValidationResult, ...]:
    """Check a submission against the graph around it.

    Args:
        graph: The submission's triples.
        key: What :func:`submitted_strategy` found for it.
        store: The store with the strategies already taken in (None: check the submission alone).

    Returns:
        Violations and warnings, in the same form as the shapes' results.
    """
    if isinstance(key, ValidationResult):
        return (key,)
    results = list(_namespaces(graph, key))
    if store is not None:
        results += _collisions(graph, key, store)
        results += _foreign_links(graph, key, store)
        results += _shared_names(graph, store)
    return tuple(results)


def _subjects(graph: Graph) -> list[URIRef]:
    return sorted({s for s in graph.subjects() if isinstance(s, URIRef)})


def _namespaces(graph: Graph, key: SubmittedStrategy) -> Iterable[ValidationResult]:
    for subject in _subjects(graph):
        text = str(subject)
        if text.startswith(REFERENCE_NAMESPACES):
            yield _violation(
                subject,
                f"The submission describes {short_name(subject)}, a term of ris3kg's ontology, vocabularies or "
                "reference regions: use these terms, but do not add statements about them.",
            )
            continue
        namespace = namespace_of(text)
        if namespace is not None and namespace not in SHARED_NAMESPACES and namespace != key.namespace:
            yield _violation(
                subject,
                f"This IRI is in the namespace of another strategy (id/{namespace}/), but the submission is for "
                f"{short_name(key.strategy)} (id/{key.namespace}/): mint its IRIs under "
                f"https://w3id.org/ris3kg/id/{key.namespace}/.",
            )


def _values(nodes: Iterable[URIRef]) -> str:
    return " ".join(f"<{n}>" for n in nodes)


def _collisions(graph: Graph, key: SubmittedStrategy, store: GraphStore) -> Iterable[ValidationResult]:
    own = [s for s in _subjects(graph) if namespace_of(str(s)) == key.namespace]
    if not own:
        return
    rows = store.select(
        f"SELECT DISTINCT ?s ?g WHERE {{ VALUES ?s {{ {_values(own)} }} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(?g != <{key.graph}>) }} ORDER BY ?s ?g"
    ).rows
    for row in rows:
        subject = URIRef(str(row["s"]))
        yield _violation(
            subject,
            f"This IRI is already used by another part of the graph ({short_name(URIRef(str(row['g'])))}): "
            "IRIs of one strategy must not collide with another's; choose another IRI.",
        )


def _foreign_links(graph: Graph, key: SubmittedStrategy, store: GraphStore) -> Iterable[ValidationResult]:
    described = set(graph.subjects())
    targets = sorted({o for p in LINKS for o in graph.objects(None, p) if isinstance(o, URIRef) and o not in described})
    if not targets:
        return
    rows = store.select(
        f"SELECT DISTINCT ?o ?g WHERE {{ VALUES ?o {{ {_values(targets)} }} GRAPH ?g {{ ?o ?p ?x }} "
        f"FILTER(?g != <{key.graph}>) }}"
    ).rows
    elsewhere = {URIRef(str(row["o"])): URIRef(str(row["g"])) for row in rows}
    for predicate in LINKS:
        for subject, obj in sorted(graph.subject_objects(predicate)):
            if isinstance(obj, URIRef) and obj in elsewhere and isinstance(subject, URIRef):
                yield _violation(
                    subject,
                    f"It links ({short_name(predicate)}) to {short_name(obj)}, which belongs to another strategy "
                    f"({short_name(elsewhere[obj])}): link only to elements of the same strategy.",
                    path=predicate,
                    value=obj,
                )


def _shared_names(graph: Graph, store: GraphStore) -> Iterable[ValidationResult]:
    shared = [s for s in _subjects(graph) if namespace_of(str(s)) in SHARED_NAMESPACES]
    if not shared:
        return
    rows = store.select(
        f"SELECT DISTINCT ?s ?label (LANG(?label) AS ?lang) WHERE {{ VALUES ?s {{ {_values(shared)} }} "
        f"?s <{RDFS.label}> ?label }}"
    ).rows
    known: dict[URIRef, dict[str, str]] = defaultdict(dict)
    for row in rows:
        if row["label"] is not None:
            known[URIRef(str(row["s"]))].setdefault(row["lang"] or "", row["label"])
    for subject in shared:
        for label in graph.objects(subject, RDFS.label):
            if not isinstance(label, Literal) or subject not in known:
                continue
            theirs = known[subject].get(label.language or "")
            if theirs is not None and theirs != str(label):
                yield ValidationResult(
                    severity=Severity.WARNING,
                    focus=str(subject),
                    focus_label=str(label),
                    path=short_name(RDFS.label),
                    value=str(label),
                    message=(
                        f"{short_name(subject)} is shared with other strategies and is named “{theirs}” "
                        f"(@{label.language}) there: use the same name, or mint an IRI of your own for another "
                        "organisation."
                    ),
                    shape=_SHAPE,
                )


def _violation(
    focus: URIRef, message: str, *, path: URIRef | None = None, value: URIRef | None = None
) -> ValidationResult:
    return ValidationResult(
        severity=Severity.VIOLATION,
        focus=str(focus),
        focus_label=None,
        path=short_name(path) if path is not None else None,
        value=short_name(value) if value is not None else None,
        message=message,
        shape=_SHAPE,
    )
