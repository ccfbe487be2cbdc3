"""The theme scheme links every strategy, so that strategies compare across Swedish, Norwegian and English."""

from __future__ import annotations

from rdflib import RDF, Graph

from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.ontology.namespaces import RIS3

LINKED = (RIS3.SpecialisationArea, RIS3.Challenge, RIS3.Bottleneck, RIS3.Action)


def test_every_area_challenge_and_action_has_a_theme(strategy_graphs: dict[str, Graph]) -> None:
    for key, graph in strategy_graphs.items():
        for cls in LINKED:
            for subject in graph.subjects(RDF.type, cls):
                assert graph.value(subject, RIS3.theme) is not None, (key, subject)


def test_themes_compare_strategies_across_languages(store: OxigraphStore) -> None:
    rows = store.select(
        """
        PREFIX ris3: <https://w3id.org/ris3kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?theme (COUNT(DISTINCT ?lang) AS ?languages) (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
          ?x ris3:theme ?theme ; (ris3:inStrategy|ris3:inStudy)/ris3:documentedIn ?doc .
          ?doc dcterms:language/skos:notation ?lang .
        } GROUP BY ?theme HAVING (COUNT(DISTINCT ?doc) >= 4) ORDER BY DESC(?documents)
        """
    ).rows
    themes = {row["theme"].rsplit("/", 1)[-1]: int(row["languages"] or 0) for row in rows}  # type: ignore[union-attr]
    assert {"skills-supply", "collaboration", "research-innovation"} <= set(themes)
    assert max(themes.values()) == 3, "a theme joins Swedish, Norwegian and English texts"
