"""The entailment the endpoint serves: the ontology's class and property hierarchy, materialised.

A researcher who asks for ``?x a ris3:Challenge`` expects the bottlenecks too, and one who asks for
``?x a org:Organization`` every kind of organisation. So every store generation holds, in a named
graph of its own (:data:`ENTAILED_GRAPH`), the triples that follow from the asserted data under
these rules (numbered as in RDF 1.1 Semantics and OWL 2 RL, where they come from):

* ``rdfs9``: an instance of a class is an instance of its superclasses;
* ``rdfs7``: a statement with a property holds for its superproperties;
* ``rdfs5`` / ``rdfs11``: ``rdfs:subPropertyOf`` and ``rdfs:subClassOf`` are transitive;
* ``prp-inv``: a statement holds reversed for an inverse property (``owl:inverseOf``);
* ``prp-symp``: a statement with a symmetric property holds reversed;
* ``prp-trp``: a transitive property's statements are closed (``skos:broaderTransitive``);
* ``cax-eqc`` / ``prp-eqp``: equivalent classes and properties are subclasses and subproperties
  of each other.

``rdfs:domain`` and ``rdfs:range`` are not applied: here they are constraints that SHACL checks
on every submission, not a way to type things, and applying them would type every string-valued
subject of ``dcterms:title`` as a document. Nor are the axiomatic triples (every resource an
``rdfs:Resource``): they answer no researcher's question.

The axioms are read only from the ontology's own graphs (:data:`AXIOM_GRAPHS`: the ontology, the
vocabularies and the hierarchy of the vocabularies it reuses), never from a submission: a region's
data cannot change what every other region's data entails.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from ris3kg.graph.store.oxigraph import Derivation
from ris3kg.ontology.namespaces import ENTAILED_GRAPH, GRAPH, PREFIXES

ASSERTED_GRAPH = str(GRAPH.asserted)
"""The name by which a query's dataset asks for the asserted merge (the store's default graph),
without the entailed triples (``default-graph-uri``; it is no graph of the store)."""

AXIOM_GRAPHS = (str(GRAPH.ontology), str(GRAPH.vocabularies), str(GRAPH.imports))
"""The graphs whose hierarchy axioms are applied."""

REGIME = "https://w3id.org/ris3kg/entailment/hierarchy"
"""The IRI that names this entailment regime in the Service Description."""

MAX_ENTAILED = 5_000_000
"""The most entailed triples a store may hold (a chain of a transitive property grows quadratically)."""

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_OWL = PREFIXES["owl"]
TYPE = ox.NamedNode(_RDF + "type")
SUBCLASS = ox.NamedNode(_RDFS + "subClassOf")
SUBPROPERTY = ox.NamedNode(_RDFS + "subPropertyOf")
_INVERSE = ox.NamedNode(_OWL + "inverseOf")
_EQUIVALENT_CLASS = ox.NamedNode(_OWL + "equivalentClass")
_EQUIVALENT_PROPERTY = ox.NamedNode(_OWL + "equivalentProperty")
_SYMMETRIC = ox.NamedNode(_OWL + "SymmetricProperty")
_TRANSITIVE = ox.NamedNode(_OWL + "TransitiveProperty")

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


class EntailmentTooLargeError(ValueError):
    """The data entails more triples than a store may hold."""


@dataclass(frozen=True)
class Hierarchy:
    """The axioms the rules apply, each relation closed (a term is never its own super-term).

    Attributes:
        superclasses: Each class's superclasses.
        superproperties: Each property's superproperties.
        inverses: Each property's inverse properties (both ways).
        symmetric: The symmetric properties.
        transitive: The transitive properties (``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` among them).
    """

    superclasses: dict[ox.NamedNode, frozenset[ox.NamedNode]] = field(default_factory=dict)
    superproperties: dict[ox.NamedNode, frozenset[ox.NamedNode]] = field(default_factory=dict)
    inverses: dict[ox.NamedNode, frozenset[ox.NamedNode]] = field(default_factory=dict)
    symmetric: frozenset[ox.NamedNode] = frozenset()
    transitive: frozenset[ox.NamedNode] = frozenset()

    @property
    def properties(self) -> frozenset[ox.NamedNode]:
        """The properties whose statements entail others."""
        return frozenset(self.superproperties) | frozenset(self.inverses) | self.symmetric | self.transitive


def hierarchy_of(axioms: Iterable[ox.Triple | ox.Quad]) -> Hierarchy:
    """Read the hierarchy axioms (other statements are ignored).

    Args:
        axioms: The statements of the ontology's graphs.
    """
    sub_class: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    sub_property: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    inverse: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    symmetric: set[ox.NamedNode] = set()
    transitive: set[ox.NamedNode] = {SUBCLASS, SUBPROPERTY}
    for axiom in axioms:
        s, p, o = axiom.subject, axiom.predicate, axiom.object
        if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.NamedNode):
            continue
        if p == SUBCLASS:
            sub_class[s].add(o)
        elif p == _EQUIVALENT_CLASS:
            sub_class[s].add(o)
            sub_class[o].add(s)
        elif p == SUBPROPERTY:
            sub_property[s].add(o)
        elif p == _EQUIVALENT_PROPERTY:
            sub_property[s].add(o)
            sub_property[o].add(s)
        elif p == _INVERSE:
            inverse[s].add(o)
            inverse[o].add(s)
        elif p == TYPE and o == _SYMMETRIC:
            symmetric.add(s)
        elif p == TYPE and o == _TRANSITIVE:
            transitive.add(s)
    return Hierarchy(
        superclasses=_closed(sub_class),
        superproperties=_closed(sub_property),
        inverses={p: frozenset(q) for p, q in inverse.items()},
        symmetric=frozenset(symmetric),
        transitive=frozenset(transitive),
    )


def _closed(direct: dict[ox.NamedNode, set[ox.NamedNode]]) -> dict[ox.NamedNode, frozenset[ox.NamedNode]]:
    """Each term's super-terms, followed all the way up (cycles allowed, a term never its own)."""
    closed: dict[ox.NamedNode, frozenset[ox.NamedNode]] = {}
    for term in direct:
        seen: set[ox.NamedNode] = set()
        todo = list(direct[term])
        while todo:
            up = todo.pop()
            if up not in seen:
                seen.add(up)
                todo.extend(direct.get(up, ()))
        seen.discard(term)
        if seen:
            closed[term] = frozenset(seen)
    return closed


def entailed(asserted: Iterable[Triple], hierarchy: Hierarchy, *, limit: int = MAX_ENTAILED) -> Iterator[Triple]:
    """The triples the rules derive from ``asserted`` (those also asserted among them included).

    Args:
        asserted: Every asserted statement whose predicate is ``rdf:type`` (of a class with
            superclasses) or one of ``hierarchy.properties``; others may be given and are ignored.
        hierarchy: The axioms.
        limit: The most triples derived.

    Raises:
        EntailmentTooLargeError: More than ``limit`` triples would be derived.
    """
    known: set[Triple] = set()
    queue: deque[Triple] = deque()
    after: dict[ox.NamedNode, dict[object, set[object]]] = defaultdict(lambda: defaultdict(set))
    before: dict[ox.NamedNode, dict[object, set[object]]] = defaultdict(lambda: defaultdict(set))
    properties = hierarchy.properties

    def add(triple: Triple) -> None:
        if triple not in known:
            known.add(triple)
            queue.append(triple)

    for triple in asserted:
        if triple[1] == TYPE or triple[1] in properties:
            add(triple)
    most = len(known) + limit
    while queue:
        if len(known) > most:
            raise EntailmentTooLargeError(
                f"the data entails more than {limit} triples (a long chain of a transitive property, "
                "such as skos:broader, grows with the square of its length): shorten the chain"
            )
        s, p, o = queue.popleft()
        if p == TYPE:
            if isinstance(o, ox.NamedNode):
                for up in hierarchy.superclasses.get(o, ()):
                    add((s, TYPE, up))
            continue
        for up in hierarchy.superproperties.get(p, ()):
            add((s, up, o))
        if isinstance(o, ox.Literal):
            continue
        for inverse in hierarchy.inverses.get(p, ()):
            add((o, inverse, s))
        if p in hierarchy.symmetric:
            add((o, p, s))
        if p in hierarchy.transitive:
            after[p][s].add(o)
            before[p][o].add(s)
            for x in tuple(before[p][s]):
                add((x, p, o))  # type: ignore[arg-type]
            for y in tuple(after[p][o]):
                add((s, p, y))  # type: ignore[arg-type]
    yield from known


def materialise(store: ox.Store, *, limit: int = MAX_ENTAILED) -> int:
    """Write the entailed triples of a store's asserted merge (its default graph) into :data:`ENTAILED_GRAPH`.

    Only the triples that are not asserted are written, so that the default graph and the entailed
    graph together are a set: the dataset the endpoint's queries run on by default.

    Args:
        store: The store, its default graph already the merge of its named graphs.
        limit: The most entailed triples.

    Returns:
        How many triples the entailed graph holds.

    Raises:
        EntailmentTooLargeError: The data entails more than ``limit`` triples (nothing is written).
    """
    graph = ox.NamedNode(ENTAILED_GRAPH)
    default = ox.DefaultGraph()
    hierarchy = hierarchy_of(
        quad for name in AXIOM_GRAPHS for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(name))
    )

    def asserted() -> Iterator[Triple]:
        for cls in hierarchy.superclasses:
            for quad in store.quads_for_pattern(None, TYPE, cls, default):
                yield quad.subject, TYPE, cls  # type: ignore[misc]
        for prop in hierarchy.properties:
            for quad in store.quads_for_pattern(None, prop, None, default):
                yield quad.subject, prop, quad.object  # type: ignore[misc]

    derived = set(entailed(asserted(), hierarchy, limit=limit))
    # What is also asserted is left out: the statements of every class and property a rule
    # concludes, looked up once per class or property (faster than one lookup per triple).
    classes = {o for s, p, o in derived if p == TYPE}
    properties = {p for s, p, o in derived if p != TYPE}
    for cls in classes:
        stated = store.quads_for_pattern(None, TYPE, cls, default)
        derived.difference_update((q.subject, TYPE, cls) for q in stated)
    for prop in properties:
        derived.difference_update(
            (q.subject, prop, q.object) for q in store.quads_for_pattern(None, prop, None, default)
        )
    # Only the difference is written: after a change, most of what was entailed still is.
    before = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
    if not before:
        store.bulk_extend([ox.Quad(s, p, o, graph) for s, p, o in derived])
        return len(derived)
    for s, p, o in before - derived:
        store.remove(ox.Quad(s, p, o, graph))
    store.extend([ox.Quad(s, p, o, graph) for s, p, o in derived - before])
    return len(derived)


ENTAILMENT = Derivation(ENTAILED_GRAPH, materialise)
"""What every store generation derives from its asserted data (given to :class:`OxigraphWriter`)."""
