"""Running the criteria's queries over a strategy's graph: what evidences each criterion, the verdict, what is missing.

Each criterion's query (a packaged file, fixed text) runs on an in-memory Oxigraph store that
holds the strategy's graph and the ontology, vocabularies and regions. A row names an element of
the strategy and the piece of the criterion it evidences; only elements the strategy's own graph
describes count, and what is said of each (kind, labels, quoted passages, location) is read from
that graph, never made up.

Verdict rules, the same for every criterion: *evidenced* when every required piece of the
criterion (:data:`ris3kg.shapes.enabling.criteria.PIECES`) has at least one element; *partly*
when some evidence was found but a required piece has none; *no evidence found* when the query
found nothing. What is missing is the advice of each required piece without evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, Node, URIRef
from rdflib.namespace import PROV

from ris3kg.graph.catalogue import DatasetPart, reference_graph
from ris3kg.graph.terms import to_oxigraph, to_rdflib
from ris3kg.ontology.namespaces import RIS3, prefixed_name
from ris3kg.shapes.enabling.criteria import Criterion, criteria
from ris3kg.shapes.submission.read import Submission

Locator = Callable[[Node], str | None]
"""Where an element is described (a submission's file and line, sheet and row), or None."""


class Verdict(Enum):
    """Whether the data evidences a criterion."""

    EVIDENCED = "evidenced"
    PARTLY = "partly"
    NONE = "no evidence found"


@dataclass(frozen=True)
class Quote:
    """A passage of a source document an element rests on (``prov:wasDerivedFrom [ a ris3:Passage ]``).

    Attributes:
        text: The passage (``prov:value``), verbatim.
        language: Its language tag, or ``""``.
        document: The document's IRI (``prov:wasQuotedFrom``), where the data names it.
        file_name: The document's file name (``ris3:fileName``), where the data gives it.
    """

    text: str
    language: str
    document: str | None
    file_name: str | None


@dataclass(frozen=True)
class Evidence:
    """One element of the strategy that evidences a criterion.

    Attributes:
        iri: The element's IRI (a blank node's id for an unnamed one).
        label: Its English label, or its only label.
        source_label: Its label in the source's language (not English), where it has one.
        source_language: That label's language tag.
        kinds: Its classes, as prefixed names (``ris3:Bottleneck``).
        pieces: The pieces of the criterion it evidences (keys of the criterion's pieces).
        quotes: The passages it rests on.
        location: Where it is: a submission's file and line, or sheet and row; for a packaged
            strategy the source document's file name.
    """

    iri: str
    label: str
    source_label: str | None
    source_language: str | None
    kinds: tuple[str, ...]
    pieces: tuple[str, ...]
    quotes: tuple[Quote, ...]
    location: str | None


@dataclass(frozen=True)
class CriterionResult:
    """What the data says for one criterion.

    Attributes:
        criterion: The criterion.
        verdict: Evidenced, partly or no evidence found.
        evidence: The elements that evidence it, by piece then label.
        missing: What a strategy office should add, in plain words (empty when evidenced).
        found: The keys of the pieces with evidence.
        omitted: How many further elements evidence it but are not listed (past the report's cap).
    """

    criterion: Criterion
    verdict: Verdict
    evidence: tuple[Evidence, ...]
    missing: tuple[str, ...]
    found: tuple[str, ...]
    omitted: int = 0

    @property
    def count(self) -> int:
        """How many elements evidence the criterion, listed or not."""
        return len(self.evidence) + self.omitted


@dataclass(frozen=True)
class EnablingReport:
    """The enabling-condition report of one strategy or submission.

    Attributes:
        source: The strategy's key or the submission's file name.
        title: The strategy's name.
        results: One result per criterion, 1 to 7.
    """

    source: str
    title: str
    results: tuple[CriterionResult, ...]

    @property
    def evidenced(self) -> int:
        """How many criteria are evidenced."""
        return sum(1 for r in self.results if r.verdict is Verdict.EVIDENCED)


@lru_cache(maxsize=1)
def _reference_quads() -> tuple[ox.Quad, ...]:
    return tuple(_quads(reference_graph()))


def _quads(graph: Iterable[tuple[Node, Node, Node]]) -> Iterable[ox.Quad]:
    for s, p, o in graph:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]


def _store(graph: Graph, reference: Graph | None) -> ox.Store:
    store = ox.Store()
    store.extend(_quads(graph))
    store.extend(_reference_quads() if reference is None else tuple(_quads(reference)))
    return store


def _rows(store: ox.Store, criterion: Criterion) -> list[tuple[Node, str]]:
    solutions = store.query(criterion.query())
    assert isinstance(solutions, ox.QuerySolutions)
    rows = []
    for solution in solutions:
        entity, piece = solution["entity"], solution["piece"]
        if entity is None or piece is None:
            continue
        rows.append((to_rdflib(entity), str(piece.value)))
    return rows


def _labels(graph: Graph, node: Node) -> tuple[str, str | None, str | None]:
    labels = sorted(
        ((o.language or "", str(o)) for o in graph.objects(node, RDFS.label) if isinstance(o, Literal)),
        key=lambda pair: (pair[0] != "en", pair),
    )
    if not labels:
        return (prefixed_name(str(node)) if isinstance(node, URIRef) else str(node)), None, None
    english = next((text for lang, text in labels if lang == "en"), labels[0][1])
    other = next(((lang, text) for lang, text in labels if lang not in ("en", "")), None)
    return english, (other[1] if other else None), (other[0] if other else None)


def _quotes(graph: Graph, node: Node) -> tuple[Quote, ...]:
    found = []
    for passage in graph.objects(node, PROV.wasDerivedFrom):
        document = graph.value(passage, PROV.wasQuotedFrom)
        file_name = graph.value(document, RIS3.fileName) if document is not None else None
        for value in graph.objects(passage, PROV.value):
            if isinstance(value, Literal):
                found.append(
                    Quote(
                        str(value),
                        value.language or "",
                        str(document) if isinstance(document, URIRef) else None,
                        str(file_name) if file_name is not None else None,
                    )
                )
    return tuple(sorted(set(found), key=lambda q: q.text))


def _evidence(graph: Graph, node: Node, pieces: tuple[str, ...], locate: Locator | None) -> Evidence:
    label, source_label, source_language = _labels(graph, node)
    kinds = tuple(sorted(prefixed_name(str(o)) for o in graph.objects(node, RDF.type) if isinstance(o, URIRef)))
    quotes = _quotes(graph, node)
    if locate is not None:
        location = locate(node)
    else:
        names = sorted({q.file_name for q in quotes if q.file_name})
        location = ", ".join(names) or None
    return Evidence(str(node), label, source_label, source_language, kinds, pieces, quotes, location)


def evaluate(
    criterion: Criterion,
    graph: Graph,
    store: ox.Store,
    *,
    locate: Locator | None = None,
    max_evidence: int | None = None,
) -> CriterionResult:
    """Run one criterion's query and judge it.

    Args:
        criterion: The criterion.
        graph: The strategy's own graph (what counts as evidence, and what is said of it).
        store: An in-memory store with ``graph`` and the reference data.
        locate: Where an element is, for a submission; None for a packaged strategy.
        max_evidence: List at most this many elements (the verdict still weighs them all); None: all.
    """
    order = {piece.key: i for i, piece in enumerate(criterion.pieces)}
    by_node: dict[Node, set[str]] = {}
    for node, piece in _rows(store, criterion):
        if piece not in order or (node, None, None) not in graph:
            continue  # only what the strategy's own graph describes
        by_node.setdefault(node, set()).add(piece)
    found = tuple(p.key for p in criterion.pieces if any(p.key in pieces for pieces in by_node.values()))
    evidence = [
        _evidence(graph, node, tuple(sorted(pieces, key=order.__getitem__)), locate) for node, pieces in by_node.items()
    ]
    evidence.sort(key=lambda e: (order[e.pieces[0]], e.label.casefold(), e.iri))
    omitted = 0
    if max_evidence is not None and len(evidence) > max_evidence:
        omitted = len(evidence) - max_evidence
        evidence = evidence[:max_evidence]
    missing = tuple(p.missing for p in criterion.pieces if p.required and p.key not in found)
    if not evidence:
        verdict = Verdict.NONE
    elif missing:
        verdict = Verdict.PARTLY
    else:
        verdict = Verdict.EVIDENCED
    return CriterionResult(criterion, verdict, tuple(evidence), missing, found, omitted)


def _title(graph: Graph, default: str) -> str:
    strategies = sorted(graph.subjects(RDF.type, RIS3.Strategy), key=str)
    documented = [s for s in strategies if graph.value(s, RIS3.documentedIn) is not None]
    chosen = documented or strategies
    return _labels(graph, chosen[0])[0] if chosen else default


def enabling_report(
    graph: Graph,
    *,
    source: str,
    title: str | None = None,
    locate: Locator | None = None,
    reference: Graph | None = None,
    max_evidence: int | None = None,
) -> EnablingReport:
    """Build the enabling-condition report of a strategy's graph.

    Args:
        graph: The strategy's graph (a packaged strategy's named graph, or a submission's triples).
        source: Its key or file name, for the report.
        title: Its name; by default the label of the strategy its documents describe.
        locate: Where an element is (a submission's ``location_of``); None: the source documents' file names.
        reference: The ontology, vocabularies and regions; by default the packaged ones.
        max_evidence: List at most this many elements per criterion (bounds the report of a large
            file; the verdicts and counts weigh them all); None: all.
    """
    store = _store(graph, reference)
    results = tuple(evaluate(c, graph, store, locate=locate, max_evidence=max_evidence) for c in criteria())
    return EnablingReport(source, title or _title(graph, source), results)


def part_report(part: DatasetPart) -> EnablingReport:
    """The report of a packaged strategy, from its packaged files.

    Raises:
        DataFileError: A file of the part is missing or not valid Turtle.
    """
    return enabling_report(part.load(), source=part.key, title=part.title)


def submission_report(submission: Submission, *, max_evidence: int | None = None) -> EnablingReport:
    """The report of a submission as read, each element located in the submitted file.

    Args:
        submission: The submission.
        max_evidence: List at most this many elements per criterion; None: all.
    """

    def locate(node: Node) -> str | None:
        found = submission.location_of(node)
        return str(found) if found is not None else None

    return enabling_report(submission.graph, source=submission.source, locate=locate, max_evidence=max_evidence)
