"""Links a researcher follows: actors to strategies and areas, funds classified, one IRI per thing."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from ris3kg.graph.catalogue import strategy_parts
from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.ontology.namespaces import ACTOR, FUND, ID, PREFIXES, RIS3, THEME, VOC

KEYS = [part.key for part in strategy_parts()]
LEVELS = {VOC["funding-eu"], VOC["funding-national"], VOC["funding-regional"]}
# Programmes that belong to one programming period, and that period.
PERIODS = {
    FUND["horizon-2020"]: VOC["period-2014-2020"],
    FUND["horizon-europe"]: VOC["period-2021-2027"],
}
NORRBOTTEN = PREFIXES["norrbotten"]
VASTERNORRLAND = PREFIXES["vasternorrland"]
BLEKINGE = PREFIXES["blekinge"]


def _subclasses(reference: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in reference.transitive_subjects(RDFS.subClassOf, cls) if isinstance(c, URIRef)}


def _typed(graph: Graph, classes: set[URIRef]) -> set[URIRef]:
    return {s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}


def _strategies_reached(graph: Graph, actor: URIRef) -> set[URIRef]:
    """The strategies an actor reaches: directly, or through the study that names it."""
    reached: set[URIRef] = set()
    for target in graph.objects(actor, RIS3.actorIn):
        if (target, RDF.type, RIS3.Strategy) in graph:
            reached.add(target)  # type: ignore[arg-type]
        elif (target, RDF.type, RIS3.Study) in graph:
            reached |= {s for s in graph.objects(target, RIS3.studyOf) if (s, RDF.type, RIS3.Strategy) in graph}  # type: ignore[misc]
    return reached


@pytest.mark.parametrize("key", KEYS)
def test_every_governance_body_and_actor_reaches_its_strategy(
    key: str, strategy_graphs: dict[str, Graph], reference: Graph
) -> None:
    graph = strategy_graphs[key]
    actors = _typed(graph, _subclasses(reference, RIS3.Actor))
    assert actors
    assert RIS3.GovernanceBody in _subclasses(reference, RIS3.Actor)
    for actor in sorted(actors):
        assert _strategies_reached(graph, actor), f"{key}: {actor} reaches no strategy"
    # and back: from each strategy or study to the actors it names
    named = {a for target in set(graph.objects(None, RIS3.actorIn)) for a in graph.subjects(RIS3.actorIn, target)}
    assert named == actors


@pytest.mark.parametrize("key", KEYS)
def test_governance_bodies_of_a_strategy_have_a_level(key: str, strategy_graphs: dict[str, Graph]) -> None:
    graph = strategy_graphs[key]
    for body in graph.subjects(RDF.type, RIS3.GovernanceBody):
        in_strategy = any((t, RDF.type, RIS3.Strategy) in graph for t in graph.objects(body, RIS3.actorIn))
        if in_strategy:
            assert graph.value(body, RIS3.governanceLevel) is not None, f"{key}: {body} has no level"


def test_blekinge_governance_bodies_are_reached_from_the_strategy_in_the_store(store: OxigraphStore) -> None:
    rows = store.select(
        f"""
        PREFIX ris3: <{PREFIXES["ris3"]}>
        SELECT ?body ?level WHERE {{
          ?body ris3:actorIn <{BLEKINGE}strategy> ; a ris3:GovernanceBody ; ris3:governanceLevel ?level .
        }}
        """
    ).rows
    bodies = {str(row["body"]) for row in rows}
    assert len(bodies) == 7
    assert {str(ACTOR["blekinge-innovation-council"]), f"{BLEKINGE}strategy-reference-group"} <= bodies


def test_vasternorrland_working_group_has_no_level(strategy_graphs: dict[str, Graph]) -> None:
    graph = strategy_graphs["vasternorrland"]
    group = URIRef(VASTERNORRLAND + "working-group")
    assert (group, RDF.type, RIS3.GovernanceBody) in graph
    assert graph.value(group, RIS3.governanceLevel) is None
    assert set(graph.objects(group, RIS3.actorIn)) == {URIRef(VASTERNORRLAND + "study")}


def test_norrbotten_space_actors_and_facilities_reach_the_space_area(strategy_graphs: dict[str, Graph]) -> None:
    graph = strategy_graphs["norrbotten"]
    space = URIRef(NORRBOTTEN + "area-space-technology")
    working = set(graph.subjects(RIS3.activeIn, space))
    expected = {
        ACTOR["rymdbolaget"],
        ACTOR["irf"],
        ACTOR["institutionen-for-rymdvetenskap"],
        ACTOR["esa"],
        ACTOR["eiscat"],
        ACTOR["esa-bic"],
        ID["facility-esrange-space-center"],
        ID["facility-salmijarvi"],
        ID["facility-eiscat-kiruna-receiver-station"],
    }
    assert expected <= working
    assert ACTOR["swedish-government"] not in working
    porjus = set(graph.subjects(RIS3.activeIn, URIRef(NORRBOTTEN + "subarea-hydropower")))
    assert porjus == {ID["facility-porjus-test-station"], ID["facility-porjus-old-power-station"]}


@pytest.mark.parametrize("key", KEYS)
def test_active_in_points_to_an_area_or_priority_of_a_strategy_in_the_graph(
    key: str, strategy_graphs: dict[str, Graph], reference: Graph
) -> None:
    graph = strategy_graphs[key]
    kinds = {RIS3.SpecialisationArea, RIS3.SubArea} | _subclasses(reference, RIS3.Priority)
    for subject, target in graph.subject_objects(RIS3.activeIn):
        assert any((target, RDF.type, k) in graph for k in kinds), f"{key}: {subject} -> {target}"
        assert graph.value(subject, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) is not None


@pytest.mark.parametrize("key", KEYS)
def test_every_fund_and_programme_is_classified_and_reached_from_its_strategy(
    key: str, strategy_graphs: dict[str, Graph], reference: Graph
) -> None:
    graph = strategy_graphs[key]
    funds = _typed(graph, _subclasses(reference, RIS3.FundingInstrument))
    owners = _typed(graph, {RIS3.Strategy, RIS3.Study})
    for fund in sorted(funds):
        assert str(fund).startswith(PREFIXES["fund"]), fund
        assert reference.value(fund, RIS3.fundingLevel) in LEVELS, f"{fund} has no funding level"
        assert graph.value(fund, RIS3.fundingLevel) is None, "the level is stated once, in vocabularies.ttl"
        if fund in PERIODS:
            assert set(reference.objects(fund, DCTERMS.temporal)) == {PERIODS[fund]}
        assert any((o, RIS3.refersTo, fund) in graph for o in owners), f"{key}: no strategy or study refers to {fund}"


def test_horizon_europe_replaces_horizon_2020(reference: Graph) -> None:
    assert (FUND["horizon-europe"], DCTERMS.replaces, FUND["horizon-2020"]) in reference
    assert (FUND["horizon-2020"], DCTERMS.isReplacedBy, FUND["horizon-europe"]) in reference


def test_vasternorrland_horizont_is_horizon_2020_only(strategy_graphs: dict[str, Graph]) -> None:
    graph = strategy_graphs["vasternorrland"]
    action = URIRef(VASTERNORRLAND + "action-contact-regional-development-officials")
    refers = set(graph.objects(action, RIS3.refersTo))
    assert FUND["horizon-2020"] in refers and FUND["horizon-europe"] not in refers
    assert (FUND["horizon-europe"], None, None) not in graph


def test_exactly_one_thematic_platforms_iri(strategy_graphs: dict[str, Graph]) -> None:
    iris = {
        s
        for graph in strategy_graphs.values()
        for s in graph.subjects()
        if isinstance(s, URIRef) and "thematic-platforms" in str(s)
    }
    assert iris == {ACTOR["s3-thematic-platforms"]}
    labels = {
        str(label)
        for graph in strategy_graphs.values()
        for label in graph.objects(ACTOR["s3-thematic-platforms"], RDFS.label)
        if isinstance(label, Literal) and label.language == "en"
    }
    assert labels == {"Thematic platforms of the S3 Platform"}


def test_the_demographic_challenge_carries_the_demography_theme(strategy_graphs: dict[str, Graph]) -> None:
    graph = strategy_graphs["norrbotten"]
    assert (URIRef(NORRBOTTEN + "challenge-demographic"), RIS3.theme, THEME.demography) in graph
    for key, g in strategy_graphs.items():
        for challenge in g.subjects(RDF.type, RIS3.Challenge):
            names = " ".join(str(x) for x in g.objects(challenge, RDFS.label)).lower()
            if "demogra" in names:
                assert (challenge, RIS3.theme, THEME.demography) in g, (key, challenge)
