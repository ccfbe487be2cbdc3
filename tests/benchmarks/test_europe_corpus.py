"""The Europe-sized corpus generator, on a small corpus: size, regions, languages, kinds, sharing, shapes."""

from __future__ import annotations

import gzip
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ris3kg.graph.codelists.lookup import codelists
from ris3kg.shapes.results import Severity
from ris3kg.shapes.validation import validate_graph

sys.path.insert(0, str(Path(__file__).resolve().parent))

import europe_corpus

TARGET = 30_000
RIS3 = "https://w3id.org/ris3kg/ontology#"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[europe_corpus.CorpusReport, ox.Store]:
    """A corpus of about 30k triples, loaded into an in-memory store."""
    out = tmp_path_factory.mktemp("europe")
    report = europe_corpus.generate(out, triples=TARGET, seed=7)
    store = ox.Store()
    for path in report.files:
        with gzip.open(path, "rb") as handle:
            store.bulk_load(handle.read(), ox.RdfFormat.N_QUADS)
    return report, store


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(str(term.value) if term is not None else "" for term in row) for row in result]


def test_size_and_files(corpus: tuple[europe_corpus.CorpusReport, ox.Store]) -> None:
    report, store = corpus
    assert abs(report.triples - TARGET) <= 0.05 * TARGET
    assert len(store) == report.triples  # every quad loads, none twice
    assert report.files and all(path.name.endswith(".nq.gz") for path in report.files)
    assert report.graphs == report.strategies == len(list(store.named_graphs()))


def test_every_graph_is_a_strategy_of_a_real_region_in_two_languages(
    corpus: tuple[europe_corpus.CorpusReport, ox.Store],
) -> None:
    _, store = corpus
    nuts2021 = {code.iri for code in codelists().regions.values() if "2021" in code.versions and code.level == 2}
    rows = _rows(
        store,
        f"""SELECT ?g ?region (GROUP_CONCAT(DISTINCT LANG(?label)) AS ?langs) WHERE {{
            GRAPH ?g {{ ?s a <{RIS3}Strategy> ; <http://purl.org/dc/terms/spatial> ?region ;
                         <{RIS3}documentedIn> ?doc . ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
        }} GROUP BY ?g ?region""",
    )
    graphs = {str(g.value) for g in store.named_graphs()}
    assert {row[0] for row in rows} == graphs
    for graph, region, langs in rows:
        assert graph.startswith("https://w3id.org/ris3kg/graph/synthetic-")
        assert region in nuts2021, region
        assert "en" in langs.split() and len(set(langs.split())) >= 2, (graph, langs)


def test_every_kind_of_element_of_the_seeds(corpus: tuple[europe_corpus.CorpusReport, ox.Store]) -> None:
    _, store = corpus
    kinds = {row[0] for row in _rows(store, "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?s a ?c } }")}
    wanted = europe_corpus.seeds().classes | {RIS3 + "SourceDocument", RIS3 + "Passage"}
    assert wanted - kinds == set()


def test_actors_and_funds_are_shared(corpus: tuple[europe_corpus.CorpusReport, ox.Store]) -> None:
    _, store = corpus
    graphs_of: dict[str, set[str]] = defaultdict(set)
    for graph, actor in _rows(store, f"SELECT ?g ?a WHERE {{ GRAPH ?g {{ ?a <{RIS3}actorIn> ?s }} }}"):
        graphs_of[actor].add(graph)
    invented = {a: g for a, g in graphs_of.items() if "/actor/synthetic-" in a and "-regional-authority" not in a}
    assert sum(1 for graphs in invented.values() if len(graphs) >= 2) >= 5
    erdf = _rows(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s <{RIS3}refersTo> <{europe_corpus.FUND}erdf> }} }}")
    assert len(erdf) == len(list(store.named_graphs()))


def test_one_strategy_passes_the_shapes(corpus: tuple[europe_corpus.CorpusReport, ox.Store]) -> None:
    _, store = corpus
    graph = sorted((g for g in store.named_graphs()), key=str)[-1]
    assert isinstance(graph, ox.NamedNode)
    triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, graph)]
    data = Graph()
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    report = validate_graph(data, source=graph.value)
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert violations == [], violations[:5]


def test_projects_link_actors_regions_funds_and_themes(tmp_path: Path) -> None:
    report = europe_corpus.generate(tmp_path, triples=20_000, seed=3, projects=True)
    assert report.projects > 0 and abs(report.triples - 20_000) <= 1_000
    store = ox.Store()
    for path in report.files:
        with gzip.open(path, "rb") as handle:
            store.bulk_load(handle.read(), ox.RdfFormat.N_QUADS)
    rows = _rows(
        store,
        f"""SELECT ?p ?region ?fund ?theme ?actor ?area WHERE {{ GRAPH ?g {{
            ?p a <{RIS3}Project> ; <http://purl.org/dc/terms/spatial> ?region ; <{RIS3}fundedBy> ?fund ;
               <{RIS3}theme> ?theme ; <{RIS3}managedBy> ?actor ; <{RIS3}relatedTo> ?area }}
            GRAPH ?s {{ ?area a <{RIS3}SpecialisationArea> }} }} LIMIT 5""",
    )
    assert rows
