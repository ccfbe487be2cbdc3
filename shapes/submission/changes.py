"""What a resubmission changes: its elements added, removed and changed against the current version.

Elements are the IRI subjects of a strategy's graph, grouped by kind (their ``rdf:type``). Two
versions are compared statement by statement per element, with blank nodes (the source passages,
``prov:wasDerivedFrom [ a ris3:Passage ; prov:value "…" ; prov:wasQuotedFrom <doc> ]``) compared by
their content: a blank node stands for the sorted tuple of its own statements, recursively, so a
spreadsheet read again with fresh blank nodes shows no change when nothing changed. Blank nodes that
no IRI subject reaches are not compared.

The comparison is one pass over each graph (linear in its triples); the number of listed elements
is capped, and the counts are always complete.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal as Kind

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from ris3kg.graph.catalogue import strategy_parts
from ris3kg.graph.store.interface import GraphStore
from ris3kg.graph.terms import to_rdflib
from ris3kg.graph.versions import archived_graph, check_namespace, versions
from ris3kg.ontology.namespaces import prefixed_name
from ris3kg.ontology.resources import ontology_graph
from ris3kg.shapes.submission.graph_checks import SubmittedStrategy

DEFAULT_LIMIT = 500
"""How many changed elements a comparison lists (the counts cover them all)."""

Change = Kind["added", "removed", "changed"]
CHANGES: tuple[Change, ...] = ("added", "removed", "changed")

UNTYPED = "(untyped)"
"""The kind of an element without ``rdf:type``."""

_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title)
_MAX_DEPTH = 8
_MAX_VALUE = 300
_MAX_VALUES = 20


@dataclass(frozen=True)
class PropertyChange:
    """One property of a changed element, with the values it lost and gained.

    Attributes:
        property: The property's IRI.
        property_label: Its label (English), when known.
        old: The values only the current version has, as readable text (labels shown for IRIs).
        new: The values only the new version has.
    """

    property: str
    property_label: str | None
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class ElementChange:
    """One element added, removed or changed.

    Attributes:
        kind: Its class's IRI (:data:`UNTYPED` when it has none).
        kind_label: The class's label, capitalised (``Bottleneck``).
        iri: The element's IRI.
        label: Its English label, when it has one.
        source_label: Its label in the source language (not English), when it has one.
        source_language: That label's language tag (``sv``).
        change: ``added``, ``removed`` or ``changed``.
        properties: For a changed element, each property whose values changed.
    """

    kind: str
    kind_label: str
    iri: str
    label: str | None
    source_label: str | None
    source_language: str | None
    change: Change
    properties: tuple[PropertyChange, ...] = ()


@dataclass(frozen=True)
class KindCount:
    """How many elements of one kind were added, removed and changed.

    Attributes:
        kind: The class's IRI.
        kind_label: Its label.
        added: Elements only the new version has.
        removed: Elements only the current version has.
        changed: Elements both have, with different statements.
    """

    kind: str
    kind_label: str
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class VersionComparison:
    """A new version compared with the one it would replace.

    Attributes:
        against: The version compared with, in words (``version 2``, ``the packaged data``).
        version: Its version number, when it is an accepted version.
        graph: The named graph it is in.
        counts: Per kind, how many elements were added, removed and changed (complete).
        items: The changed elements, by kind, at most the comparison's limit.
        truncated: How many changed elements are not listed.
    """

    against: str
    version: int | None
    graph: str | None
    counts: tuple[KindCount, ...]
    items: tuple[ElementChange, ...]
    truncated: int = 0

    @property
    def total(self) -> int:
        """Return how many elements changed in all."""
        return sum(c.added + c.removed + c.changed for c in self.counts)

    @property
    def unchanged(self) -> bool:
        """Return whether nothing changed."""
        return self.total == 0

    def text_lines(self) -> list[str]:
        """Return the comparison as lines of text (see :func:`changes_text`)."""
        return changes_text(self)

    def as_json(self) -> dict[str, object]:
        """Return the comparison as a JSON-ready object (against, counts, items, truncated)."""
        return {
            "against": self.against,
            "version": self.version,
            "graph": self.graph,
            "total": self.total,
            "counts": [
                {
                    "kind": c.kind,
                    "kind_label": c.kind_label,
                    "added": c.added,
                    "removed": c.removed,
                    "changed": c.changed,
                }
                for c in self.counts
            ],
            "items": [
                {
                    "kind": i.kind,
                    "kind_label": i.kind_label,
                    "iri": i.iri,
                    "label": i.label,
                    "source_label": i.source_label,
                    "source_language": i.source_language,
                    "change": i.change,
                    "properties": [
                        {
                            "property": p.property,
                            "property_label": p.property_label,
                            "old": list(p.old),
                            "new": list(p.new),
                        }
                        for p in i.properties
                    ],
                }
                for i in self.items
            ],
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class CurrentVersion:
    """A strategy's current version in the store.

    Attributes:
        graph: Its statements.
        graph_iri: The named graph that holds it.
        against: It in words (``version 2``, or ``the packaged data``).
        version: Its number, when it was accepted as a submission.
    """

    graph: Graph
    graph_iri: str
    against: str
    version: int | None


_GRAPH_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
"""A named graph's statements; the graph is bound as a term (``?g``), never pasted in."""


def current_version(store: GraphStore, key: SubmittedStrategy) -> CurrentVersion | None:
    """Read the current version of the strategy a submission is for (None: it has none yet).

    Args:
        store: The store (read only).
        key: The strategy, as :func:`~ris3kg.shapes.submission.graph_checks.submitted_strategy` found it.
    """
    graph_iri = str(key.graph)
    if graph_iri not in store.named_graphs():
        return None
    graph = Graph(bind_namespaces="none")
    result = store.query(_GRAPH_QUERY, bindings={"g": graph_iri})
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("a CONSTRUCT query gave no triples")
    for triple in result:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    if not len(graph):
        return None
    current = next((v for v in versions(store, namespace=key.namespace) if v.current), None)
    if current is None:
        return CurrentVersion(graph, graph_iri, "the packaged data", None)
    return CurrentVersion(graph, graph_iri, f"version {current.version}", current.version)


def version_changes(
    store_path: Path, namespace: str, version: int, *, store: GraphStore, limit: int = DEFAULT_LIMIT
) -> VersionComparison | None:
    """Compare an accepted version with the one it replaced, both read from the submission archive.

    Version 1 of a packaged strategy is compared with the packaged data; version 1 of a new strategy
    has nothing before it.

    Args:
        store_path: The store (its archive is beside it).
        namespace: The strategy's segment under ``id/`` (checked: never part of any query).
        version: The version number (from 1).
        store: The store generation whose version records are trusted (the archive serves only
            recorded versions).
        limit: How many changed elements to list.

    Returns:
        The comparison, or None for the first version of a new strategy.

    Raises:
        KeyError: No such version was accepted, or ``namespace`` or ``version`` is not valid (the
            message says which and names no path).
        StoreError: The store or the archive cannot be read.
    """
    check_namespace(namespace)
    recorded = {v.version: v for v in versions(store, namespace=namespace)}
    if isinstance(version, bool) or not isinstance(version, int) or version not in recorded:
        raise KeyError(f"no version {version} of {namespace!r} was accepted")
    new = archived_graph(store_path, namespace, version, store=store)
    graph_iri = recorded[version].graph
    if version - 1 in recorded:
        previous = archived_graph(store_path, namespace, version - 1, store=store)
        against, number = f"version {version - 1}", version - 1
    else:
        part = next((p for p in strategy_parts() if str(p.graph) == graph_iri), None)
        if part is None:
            return None
        previous, against, number = part.load(), "the packaged data", None
    return compare_versions(
        new, previous, labels_from=labels_graph(), limit=limit, against=against, version=number, graph=graph_iri
    )


_Key = tuple[object, ...]


class _Side:
    """One version's elements: per IRI subject, per property, the content keys of its values."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.elements: dict[URIRef, dict[URIRef, dict[_Key, Node]]] = {}
        self._blank: dict[BNode, _Key] = {}
        for s, p, o in graph:
            if isinstance(s, URIRef) and isinstance(p, URIRef):
                self.elements.setdefault(s, {}).setdefault(p, {})[self.key(o)] = o

    def key(self, term: Node, depth: int = 0, seen: frozenset[BNode] = frozenset()) -> _Key:
        if isinstance(term, URIRef):
            return ("i", str(term))
        if isinstance(term, Literal):
            return ("l", _lexical(term), term.language or "", str(term.datatype or ""))
        if isinstance(term, BNode):
            if term in self._blank:
                return self._blank[term]
            if term in seen or depth >= _MAX_DEPTH:
                return ("b",)
            inner = seen | {term}
            content = tuple(
                sorted((str(p), self.key(o, depth + 1, inner)) for p, o in self.graph.predicate_objects(term))
            )
            key: _Key = ("b", content)
            if not seen:  # a key found inside a cycle depends on where it was entered
                self._blank[term] = key
            return key
        return ("?", str(term))


def _lexical(term: Literal) -> str:
    """A literal's canonical form: numbers by value (``1.0`` and ``1`` as decimals are the same), else as written."""
    value = term.value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(term)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    return repr(value)


class _Labels:
    def __init__(self, graphs: Iterable[Graph]) -> None:
        self.graphs = tuple(graphs)

    def both(self, iri: Node) -> tuple[str | None, Literal | None]:
        english: str | None = None
        other: Literal | None = None
        for graph in self.graphs:
            for predicate in _LABELS:
                for value in sorted(graph.objects(iri, predicate), key=str):
                    if not isinstance(value, Literal):
                        continue
                    if english is None and (value.language or "en").lower().startswith("en"):
                        english = str(value)
                    elif other is None and value.language and not value.language.lower().startswith("en"):
                        other = value
            if english is not None and other is not None:
                break
        return english, other

    def english(self, iri: Node) -> str | None:
        english, other = self.both(iri)
        return english or (str(other) if other is not None else None)


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


def _short(text: str) -> str:
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _shown(term: Node, graph: Graph, labels: _Labels, depth: int = 0) -> str:
    """A value as text: an IRI with its label, a literal with its language, a blank node by its content."""
    if isinstance(term, URIRef):
        label = labels.english(term)
        name = prefixed_name(str(term))
        return f"“{_short(label)}” {name if name != str(term) else f'<{term}>'}" if label else f"<{term}>"
    if isinstance(term, Literal):
        if term.language:
            return f"“{_short(str(term))}”@{term.language}"
        return _short(str(term))
    if isinstance(term, BNode):
        if depth >= 2:
            return "[…]"
        parts = []
        for p, o in sorted(graph.predicate_objects(term), key=lambda po: (str(po[0]), str(po[1]))):
            if p == RDF.type:
                parts.append(f"a {labels.english(o) or prefixed_name(str(o))}")
            else:
                parts.append(f"{prefixed_name(str(p))} {_shown(o, graph, labels, depth + 1)}")
        return _short("[ " + " ; ".join(parts) + " ]")
    return _short(str(term))


def _kind(types: Iterable[Node]) -> str:
    iris = sorted(str(t) for t in types if isinstance(t, URIRef))
    if not iris:
        return UNTYPED
    ris3 = [t for t in iris if t.startswith("https://w3id.org/ris3kg/")]
    return (ris3 or iris)[0]


def _kind_label(kind: str, labels: _Labels) -> str:
    if kind == UNTYPED:
        return "Untyped"
    label = labels.english(URIRef(kind)) or _local(kind)
    return label[:1].upper() + label[1:]


def _values(keys: Iterable[_Key], terms: Mapping[_Key, Node], graph: Graph, labels: _Labels) -> tuple[str, ...]:
    shown = sorted(_shown(terms[k], graph, labels) for k in keys)
    if len(shown) > _MAX_VALUES:
        shown = [*shown[:_MAX_VALUES], f"and {len(shown) - _MAX_VALUES} more"]
    return tuple(shown)


def compare_versions(
    new: Graph,
    current: Graph,
    *,
    labels_from: Graph | None = None,
    limit: int = DEFAULT_LIMIT,
    against: str = "the current version",
    version: int | None = None,
    graph: str | None = None,
) -> VersionComparison:
    """Compare a new version of a strategy with its current one, element by element.

    Args:
        new: The new version's statements.
        current: The current version's statements.
        labels_from: Where to find labels of classes, properties and values beside the two versions
            (the ontology and vocabularies, say).
        limit: How many changed elements to list (at least 0); the counts are always complete.
        against: The current version in words, for the report.
        version: The current version's number, when it is an accepted version.
        graph: The named graph the current version is in.

    Returns:
        The comparison: counts per kind, and the first ``limit`` changed elements, by kind label,
        change and IRI.
    """
    limit = max(0, limit)
    old_side, new_side = _Side(current), _Side(new)
    labels = _Labels(g for g in (new, current, labels_from) if g is not None)
    found: list[tuple[str, Change, URIRef, Graph]] = []
    for iri in new_side.elements.keys() - old_side.elements.keys():
        found.append((_kind(new.objects(iri, RDF.type)), "added", iri, new))
    for iri in old_side.elements.keys() - new_side.elements.keys():
        found.append((_kind(current.objects(iri, RDF.type)), "removed", iri, current))
    changed: dict[URIRef, list[URIRef]] = {}
    for iri in new_side.elements.keys() & old_side.elements.keys():
        before, after = old_side.elements[iri], new_side.elements[iri]
        differing = sorted(
            p for p in before.keys() | after.keys() if before.get(p, {}).keys() != after.get(p, {}).keys()
        )
        if differing:
            changed[iri] = differing
            found.append((_kind(new.objects(iri, RDF.type)), "changed", iri, new))
    kind_labels = {kind: _kind_label(kind, labels) for kind in {f[0] for f in found}}
    tally: dict[str, dict[Change, int]] = defaultdict(lambda: dict.fromkeys(CHANGES, 0))
    for kind, change, _iri, _graph in found:
        tally[kind][change] += 1
    counts = tuple(
        KindCount(kind, kind_labels[kind], t["added"], t["removed"], t["changed"])
        for kind, t in sorted(tally.items(), key=lambda item: (kind_labels[item[0]], item[0]))
    )
    found.sort(key=lambda f: (kind_labels[f[0]], f[0], CHANGES.index(f[1]), str(f[2])))
    items = []
    for kind, change, iri, source in found[:limit]:
        english, other = _Labels((source, *(g for g in (labels_from,) if g is not None))).both(iri)
        properties: tuple[PropertyChange, ...] = ()
        if change == "changed":
            before, after = old_side.elements[iri], new_side.elements[iri]
            properties = tuple(
                PropertyChange(
                    str(p),
                    labels.english(p),
                    _values(before.get(p, {}).keys() - after.get(p, {}).keys(), before.get(p, {}), current, labels),
                    _values(after.get(p, {}).keys() - before.get(p, {}).keys(), after.get(p, {}), new, labels),
                )
                for p in changed[iri]
            )
        source_label, source_language = (str(other), other.language) if other is not None else (None, None)
        items.append(
            ElementChange(kind, kind_labels[kind], str(iri), english, source_label, source_language, change, properties)
        )
    return VersionComparison(against, version, graph, counts, tuple(items), truncated=max(0, len(found) - limit))


def changes_text(comparison: VersionComparison) -> list[str]:
    """Return the comparison as lines of text (a ``Changes since …`` block)."""
    lines = [f"Changes since {comparison.against}:"]
    if comparison.unchanged:
        return [*lines, "  none: the new version has the same statements"]
    for c in comparison.counts:
        parts = [f"{n} {word}" for n, word in ((c.added, "added"), (c.removed, "removed"), (c.changed, "changed")) if n]
        lines.append(f"  {c.kind_label}: {', '.join(parts)}")
    for item in comparison.items:
        names = " / ".join(
            n
            for n in (
                f"“{item.label}”" if item.label else "",
                f"“{item.source_label}”@{item.source_language}" if item.source_label else "",
            )
            if n
        )
        lines.append(f"  {item.change.upper()} {item.kind_label}: {names + ' ' if names else ''}<{item.iri}>")
        for p in item.properties:
            name = (
                f"{p.property_label} ({prefixed_name(p.property)})" if p.property_label else prefixed_name(p.property)
            )
            old = " | ".join(p.old) or "(none)"
            new = " | ".join(p.new) or "(none)"
            lines.append(f"    {name}: {old} → {new}")
    if comparison.truncated:
        lines.append(f"  and {comparison.truncated} more")
    return lines


@lru_cache(maxsize=1)
def labels_graph() -> Graph:
    """Return the ontology and vocabularies, read once, for the labels of kinds, properties and values."""
    return ontology_graph()
