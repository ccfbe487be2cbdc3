"""The checks against the code lists: regions valid in their period's NUTS version, and "did you mean"."""

from __future__ import annotations

from rdflib import Graph

from ris3kg.shapes.codes import versions_in_force
from ris3kg.shapes.validation import validate_graph

PREFIXES = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .
@prefix ris3: <https://w3id.org/ris3kg/ontology#> .
@prefix voc: <https://w3id.org/ris3kg/id/vocab/> .
"""


def _strategy(region: str, period: str, *, language: str = "NOB", issued: str = "2022") -> Graph:
    ns = "https://w3id.org/ris3kg/id/test-codes/"
    text = f"""{PREFIXES}
<{ns}document> a ris3:SourceDocument ;
    rdfs:label "Strategi (test)"@nb , "Strategy (test)"@en ;
    dcterms:title "Strategi (test)"@nb ;
    dcterms:language lang:{language} ;
    dcterms:issued "{issued}"^^xsd:gYear ;
    ris3:fileName "test.pdf" .

<{ns}strategy> a ris3:Strategy ;
    rdfs:label "Strategi (test)"@nb , "Strategy (test)"@en ;
    ris3:documentedIn <{ns}document> ;
    dcterms:spatial nuts:{region} ;
    dcterms:temporal {period} ;
    prov:wasDerivedFrom [ a ris3:Passage ; prov:wasQuotedFrom <{ns}document> ; prov:value "Strategien."@nb ] .
"""
    return Graph().parse(data=text, format="turtle")


def _messages(graph: Graph) -> list[str]:
    return [r.message for r in validate_graph(graph, source="test.ttl").violations]


def _years(first: int, last: int) -> str:
    return f"[ a dcterms:PeriodOfTime ; ris3:startYear {first} ; ris3:endYear {last} ]"


def test_the_versions_in_force() -> None:
    assert versions_in_force(range(2021, 2028)) == {"2021", "2024"}
    assert versions_in_force([2019]) == {"2016"}
    assert versions_in_force([2010]) == frozenset()


def test_a_reused_code_resolves_by_version() -> None:
    # NO072 is Troms in NUTS 2016 and again in 2024; in NUTS 2021 Troms was part of NO074.
    assert not _messages(_strategy("NO072", _years(2024, 2027), issued="2024"))
    (message,) = _messages(_strategy("NO072", _years(2021, 2023), issued="2021"))
    assert "NUTS 2016 and 2024" in message and "NUTS 2021" in message and "nuts:NO074" in message
    (message,) = _messages(_strategy("NO074", _years(2024, 2028), issued="2024"))
    assert "nuts:NO072" in message and "nuts:NO073" in message


def test_a_period_that_spans_two_versions_takes_a_code_of_either() -> None:
    assert not _messages(_strategy("NO074", "voc:period-2021-2027", issued="2021"))
    assert not _messages(_strategy("NO072", "voc:period-2021-2027", issued="2021"))


def test_before_2021_a_code_of_2016_or_of_2021_is_taken() -> None:
    # ris3kg holds NUTS 2016 only for the hand-made Nordic codes, so a 2014-2020 strategy may use
    # the 2021 code of its region (the earliest version ris3kg knows in full).
    assert not _messages(_strategy("NO011", "voc:period-2014-2020", issued="2015"))
    assert not _messages(_strategy("SE322", "voc:period-2014-2020", issued="2015"))
    (message,) = _messages(_strategy("NO083", "voc:period-2014-2020", issued="2015"))
    assert "NUTS 2024" in message


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    messages = _messages(_strategy("SE322", _years(2030, 2022)))
    assert any("ends (2022) before it starts (2030)" in m for m in messages)


def test_unknown_codes_name_the_closest() -> None:
    (message,) = _messages(_strategy("SE322", "voc:period-2021-2027", language="NOR"))
    assert "lang:NOB" in message or "lang:NNO" in message
    messages = _messages(_strategy("SE3222", "voc:period-2021-2027"))
    assert any("nuts:SE322" in m for m in messages)


def test_a_priority_is_coded_by_economic_domain_and_policy_objective() -> None:
    from rdflib import URIRef

    from ris3kg.shapes.spreadsheet.layout import template_layout

    graph = _strategy("SE322", "voc:period-2021-2027")
    ns = "https://w3id.org/ris3kg/id/test-codes/"
    area = f"""{PREFIXES}
<{ns}area> a ris3:SpecialisationArea ;
    rdfs:label "Rymd (test)"@nb , "Space (test)"@en ;
    ris3:inStrategy <{ns}strategy> ;
    ris3:areaKind voc:kind-specialisation ;
    ris3:sector <http://data.europa.eu/ux2/nace2.1/5110> ;
    ris3:policyObjective voc:rso-1-1 ;
    prov:wasDerivedFrom [ a ris3:Passage ; prov:wasQuotedFrom <{ns}document> ; prov:value "Rymd."@nb ] .
"""
    graph.parse(data=area, format="turtle")
    assert not _messages(graph)
    graph.remove((None, URIRef("https://w3id.org/ris3kg/ontology#policyObjective"), None))
    graph.add(
        (
            URIRef(ns + "area"),
            URIRef("https://w3id.org/ris3kg/ontology#policyObjective"),
            URIRef("https://w3id.org/ris3kg/id/vocab/po-9"),
        )
    )
    assert any("policy objective must be one of" in m for m in _messages(graph))
    layout = template_layout()
    for sheet_name in ("Areas", "Priorities"):
        sheet = layout.sheet(sheet_name)
        assert sheet is not None
        headers = {column.header: column for column in sheet.columns}
        objective = headers["policyObjective"]
        assert URIRef("https://w3id.org/ris3kg/id/vocab/rso-1-1") in objective.allowed


def test_a_text_in_a_language_ris3kg_does_not_take_is_a_warning() -> None:
    from rdflib import RDFS, Literal, URIRef

    graph = _strategy("SE322", "voc:period-2021-2027")
    graph.add((URIRef("https://w3id.org/ris3kg/id/test-codes/strategy"), RDFS.label, Literal("Strategie", lang="xx")))
    report = validate_graph(graph, source="test.ttl")
    assert report.conforms
    (warning,) = [r for r in report.warnings if "@xx" in r.message]
    assert "not one of the languages ris3kg takes" in warning.message
