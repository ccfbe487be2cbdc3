"""The entailment every store generation holds, and the default graph as the merge of the named graphs."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ris3kg.graph.build import BuildReport
from ris3kg.graph.entailment import (
    EntailmentTooLargeError,
    entailed,
    hierarchy_of,
    materialise,
)
from ris3kg.graph.store.generations import StoreLayout
from ris3kg.graph.store.oxigraph import write_merge
from ris3kg.ontology.namespaces import DERIVED_GRAPHS, ENTAILED_GRAPH, PREFIXES

RIS3 = PREFIXES["ris3"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
SUB_CLASS = ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")
SUB_PROPERTY = ox.NamedNode(PREFIXES["rdfs"] + "subPropertyOf")
OWL = PREFIXES["owl"]


def _n(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"http://example.org/{name}")


def test_the_rules_follow_classes_properties_inverses_symmetry_and_transitivity() -> None:
    axioms = [
        ox.Triple(_n("Bottleneck"), SUB_CLASS, _n("Challenge")),
        ox.Triple(_n("Challenge"), SUB_CLASS, _n("Element")),
        ox.Triple(_n("broader"), SUB_PROPERTY, _n("broaderTransitive")),
        ox.Triple(_n("broaderTransitive"), RDF_TYPE, ox.NamedNode(OWL + "TransitiveProperty")),
        ox.Triple(_n("narrowerTransitive"), ox.NamedNode(OWL + "inverseOf"), _n("broaderTransitive")),
        ox.Triple(_n("related"), RDF_TYPE, ox.NamedNode(OWL + "SymmetricProperty")),
    ]
    hierarchy = hierarchy_of(axioms)
    data = [
        (_n("b1"), RDF_TYPE, _n("Bottleneck")),
        (_n("a"), _n("broader"), _n("b")),
        (_n("b"), _n("broader"), _n("c")),
        (_n("x"), _n("related"), _n("y")),
        (_n("x"), _n("related"), ox.Literal("not a node")),
    ]
    result = set(entailed(data, hierarchy))
    assert (_n("b1"), RDF_TYPE, _n("Challenge")) in result
    assert (_n("b1"), RDF_TYPE, _n("Element")) in result
    assert (_n("a"), _n("broaderTransitive"), _n("c")) in result
    assert (_n("c"), _n("narrowerTransitive"), _n("a")) in result
    assert (_n("y"), _n("related"), _n("x")) in result
    assert not any(isinstance(s, ox.Literal) for s, _p, _o in result)


def test_a_transitive_chain_too_long_is_refused() -> None:
    hierarchy = hierarchy_of([ox.Triple(_n("p"), RDF_TYPE, ox.NamedNode(OWL + "TransitiveProperty"))])
    chain = [(_n(f"n{i}"), _n("p"), _n(f"n{i + 1}")) for i in range(200)]
    with pytest.raises(EntailmentTooLargeError, match="more than 1000 triples"):
        list(entailed(chain, hierarchy, limit=1000))


def test_the_merge_holds_each_triple_once_and_the_entailed_graph_only_what_it_lacks() -> None:
    store = ox.Store()
    ontology = ox.NamedNode("https://w3id.org/ris3kg/graph/ontology")
    store.add(ox.Quad(_n("Bottleneck"), SUB_CLASS, _n("Challenge"), ontology))
    for graph in ("g1", "g2"):
        store.add(ox.Quad(_n("b1"), RDF_TYPE, _n("Bottleneck"), _n(graph)))
    store.add(ox.Quad(_n("b2"), RDF_TYPE, _n("Challenge"), _n("g1")))
    store.add(ox.Quad(_n("b2"), RDF_TYPE, _n("Bottleneck"), _n("g1")))
    write_merge(store, derived=DERIVED_GRAPHS)
    assert materialise(store) == 1  # b1 a Challenge; b2's is asserted
    entailed_graph = ox.NamedNode(ENTAILED_GRAPH)
    assert [q.subject for q in store.quads_for_pattern(None, None, None, entailed_graph)] == [_n("b1")]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(next(iter(store.query(count)))[0].value) == 4  # type: ignore[index, union-attr]


def _solutions(store: ox.Store, query: str, graphs: list[ox.DefaultGraph | ox.NamedNode]) -> int:
    answer = store.query(query, default_graph=graphs)
    assert isinstance(answer, ox.QuerySolutions)
    return int(next(iter(answer))[0].value)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def generation(built: BuildReport) -> ox.Store:
    current = StoreLayout(built.path).current()
    assert current is not None
    return ox.Store.read_only(str(current))


def test_the_default_graph_of_the_packaged_store_is_the_set_of_distinct_triples(generation: ox.Store) -> None:
    distinct = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(?g != <{ENTAILED_GRAPH}>) }} }}"
    )
    plain = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _solutions(generation, plain, [ox.DefaultGraph()]) == _solutions(generation, distinct, [])


def test_the_entailed_graph_shares_no_triple_with_the_merge(generation: ox.Store) -> None:
    query = f"ASK {{ GRAPH <{ENTAILED_GRAPH}> {{ ?s ?p ?o }} ?s ?p ?o }}"
    answer = generation.query(query, default_graph=[ox.DefaultGraph()])
    assert isinstance(answer, ox.QueryBoolean) and not bool(answer)


@pytest.mark.parametrize(
    ("cls", "sub"),
    [
        ("Challenge", "Bottleneck"),
        ("Organisation", "Cluster"),
        ("StrategyElement", "Action"),
    ],
)
def test_a_class_has_the_instances_of_its_subclasses(generation: ox.Store, cls: str, sub: str) -> None:
    query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{RIS3}{cls}> }}"
    subs = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{RIS3}{sub}> }}"
    both = [ox.DefaultGraph(), ox.NamedNode(ENTAILED_GRAPH)]
    assert _solutions(generation, subs, both) > 0
    missing = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x a <{RIS3}{sub}> FILTER NOT EXISTS {{ ?x a <{RIS3}{cls}> }} }}"
    assert _solutions(generation, missing, both) == 0
    assert _solutions(generation, query, both) >= _solutions(generation, subs, both)


def test_the_hierarchy_of_reused_vocabularies_holds(generation: ox.Store) -> None:
    both = [ox.DefaultGraph(), ox.NamedNode(ENTAILED_GRAPH)]
    skos = PREFIXES["skos"]
    broader = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{skos}broader>/<{skos}broader> ?c }}"
    transitive = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{skos}broader>/<{skos}broader> ?c . ?a <{skos}broaderTransitive> ?c }}"
    )
    assert _solutions(generation, broader, both) > 0
    assert _solutions(generation, transitive, both) == _solutions(generation, broader, both)
    org = PREFIXES["org"]
    organisations = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x a <{org}Organization> }}"
    assert _solutions(generation, organisations, both) > _solutions(generation, organisations, [ox.DefaultGraph()])


def test_a_change_keeps_the_merge_and_the_entailment_as_a_rebuild_would_make_them(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from ris3kg.graph.build import build_store
    from ris3kg.graph.entailment import ENTAILMENT
    from ris3kg.graph.store.oxigraph import OxigraphWriter

    from conftest import BLEKINGE_ONLY

    path = tmp_path_factory.mktemp("change") / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    blekinge = "https://w3id.org/ris3kg/graph/blekinge"
    with OxigraphWriter(path, derivations=(ENTAILMENT,)).change() as change:
        current = StoreLayout(path).current()
        assert current is not None
        old = ox.Store.read_only(str(current))
        quads = list(old.quads_for_pattern(None, None, None, ox.NamedNode(blekinge)))
        # Half the strategy goes, and one new bottleneck comes.
        kept = quads[: len(quads) // 2]
        new = ox.Quad(_n("new-bottleneck"), RDF_TYPE, ox.NamedNode(RIS3 + "Bottleneck"), ox.NamedNode(blekinge))
        change.replace_graph(blekinge, [*kept, new])
        del old
    current = StoreLayout(path).current()
    assert current is not None
    changed = ox.Store(str(current))
    default = ox.DefaultGraph()
    merge = {(q.subject, q.predicate, q.object) for q in changed.quads_for_pattern(None, None, None, default)}
    entailed_now = {
        (q.subject, q.predicate, q.object)
        for q in changed.quads_for_pattern(None, None, None, ox.NamedNode(ENTAILED_GRAPH))
    }
    assert (_n("new-bottleneck"), RDF_TYPE, ox.NamedNode(RIS3 + "Challenge")) in entailed_now
    # What a rebuild of the same named graphs gives.
    write_merge(changed, derived=DERIVED_GRAPHS)
    changed.remove_graph(ox.NamedNode(ENTAILED_GRAPH))
    materialise(changed)
    assert merge == {(q.subject, q.predicate, q.object) for q in changed.quads_for_pattern(None, None, None, default)}
    assert entailed_now == {
        (q.subject, q.predicate, q.object)
        for q in changed.quads_for_pattern(None, None, None, ox.NamedNode(ENTAILED_GRAPH))
    }
