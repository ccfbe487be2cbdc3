"""Write the Turtle submissions of ``tests/data/europe``: strategies from regions outside the seeds.

These are not real strategies. They are written for the tests, one per case the issue "Open to
every European region" asks for: a NUTS 1, a NUTS 2 and a NUTS 3 region, an EFTA statistical
region, a code that exists only in NUTS 2024, each in its country's language and currency, and
one whose region code is no longer valid in its period. The region codes, names and languages
are real (from the code lists); the strategies, quotes and figures are made up and say so in
their file's header. Run ``python tests/data/europe/make_europe.py`` to rewrite the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    """One made-up strategy."""

    key: str
    region: str
    level: str
    lang: str
    lang_code: str
    currency: str
    period: str
    issued: str
    title: str
    title_en: str
    area: str
    area_en: str
    theme: str
    quote: str
    figure: str
    figure_en: str
    amount: int
    figure_quote: str
    expect: str = "valid"
    coding: str = ""


CASES = (
    Case(
        key="test-pohjois-pohjanmaa",
        region="FI1D9",
        level="NUTS 3",
        lang="fi",
        lang_code="FIN",
        currency="eur",
        period="voc:period-2021-2027",
        issued="2021-03",
        title="Pohjois-Pohjanmaan älykkään erikoistumisen strategia (testiaineisto)",
        title_en="Smart specialisation strategy of North Ostrobothnia (test data)",
        area="Digitalisaatio ja älykkäät palvelut",
        area_en="Digitalisation and smart services",
        theme="digitalisation",
        quote="Digitalisaatio ja älykkäät palvelut ovat strategian ensimmäinen painopiste.",
        figure="Innovaatiorahoitus vuonna 2021",
        figure_en="Innovation funding in 2021",
        amount=12000000,
        figure_quote="Innovaatiotoimintaan ohjattiin 12 miljoonaa euroa.",
    ),
    Case(
        key="test-malopolska",
        region="PL21",
        level="NUTS 2",
        lang="pl",
        lang_code="POL",
        currency="pln",
        period="voc:period-2021-2027",
        issued="2020-12-15",
        title="Regionalna strategia inteligentnej specjalizacji Małopolski (dane testowe)",
        title_en="Regional smart specialisation strategy of Małopolska (test data)",
        area="Nauki o życiu",
        area_en="Life sciences",
        theme="health-care",
        quote="Nauki o życiu są pierwszą inteligentną specjalizacją regionu.",
        figure="Nakłady na badania i rozwój",
        figure_en="Expenditure on research and development",
        amount=450000000,
        figure_quote="Nakłady na badania i rozwój wyniosły 450 milionów złotych.",
        # coded as the EU's S3 platforms code priorities: economic domain and policy objective
        coding="\n    ris3:sector <http://data.europa.eu/ux2/nace2/2120> , <http://data.europa.eu/ux2/nace2.1/72> ;"
        "\n    ris3:policyObjective voc:rso-1-1 ;",
    ),
    Case(
        key="test-baden-wuerttemberg",
        region="DE1",
        level="NUTS 1",
        lang="de",
        lang_code="DEU",
        currency="eur",
        period="voc:period-2021-2027",
        issued="2020-11",
        title="Innovationsstrategie Baden-Württemberg (Testdaten)",
        title_en="Innovation strategy of Baden-Württemberg (test data)",
        area="Nachhaltige Mobilität",
        area_en="Sustainable mobility",
        theme="mobility-transport",
        quote="Nachhaltige Mobilität ist ein Schwerpunkt der Innovationsstrategie.",
        figure="Fördermittel für Mobilitätsprojekte",
        figure_en="Funding for mobility projects",
        amount=80000000,
        figure_quote="Für Mobilitätsprojekte stehen 80 Millionen Euro bereit.",
    ),
    Case(
        key="test-hofudborgarsvaedi",
        region="IS001",
        level="EFTA statistical region, level 3",
        lang="is",
        lang_code="ISL",
        currency="isk",
        period="[ a dcterms:PeriodOfTime ; ris3:startYear 2022 ; ris3:endYear 2030 ]",
        issued="2022",
        title="Nýsköpunarstefna höfuðborgarsvæðisins (prófunargögn)",
        title_en="Innovation strategy of the capital region (test data)",
        area="Orka og loftslag",
        area_en="Energy and climate",
        theme="energy",
        quote="Orka og loftslag eru fyrsta áherslusvið stefnunnar.",
        figure="Fjárfesting í grænni orku",
        figure_en="Investment in green energy",
        amount=2000000000,
        figure_quote="Fjárfest verður fyrir tvo milljarða króna í grænni orku.",
    ),
    Case(
        key="test-grande-lisboa",
        region="PT1A",
        level="NUTS 2, a code of NUTS 2024 only",
        lang="pt",
        lang_code="POR",
        currency="eur",
        period="[ a dcterms:PeriodOfTime ; ris3:startYear 2024 ; ris3:endYear 2030 ]",
        issued="2024-06-01",
        title="Estratégia de especialização inteligente da Grande Lisboa (dados de teste)",
        title_en="Smart specialisation strategy of Greater Lisbon (test data)",
        area="Economia do mar",
        area_en="Blue economy",
        theme="marine",
        quote="A economia do mar é a primeira prioridade da estratégia.",
        figure="Investimento na economia do mar",
        figure_en="Investment in the blue economy",
        amount=30000000,
        figure_quote="Serão investidos 30 milhões de euros na economia do mar.",
    ),
    Case(
        key="test-jihovychod",
        region="CZ06",
        level="NUTS 2",
        lang="cs",
        lang_code="CES",
        currency="czk",
        period="voc:period-2021-2027",
        issued="2021",
        title="Regionální inovační strategie Jihovýchodu (testovací data)",
        title_en="Regional innovation strategy of Southeast Czechia (test data)",
        area="Pokročilá výroba",
        area_en="Advanced manufacturing",
        theme="manufacturing",
        quote="Pokročilá výroba je první doménou specializace regionu.",
        figure="Podpora inovačních projektů",
        figure_en="Support for innovation projects",
        amount=600000000,
        figure_quote="Na inovační projekty je vyčleněno 600 milionů korun.",
    ),
    Case(
        key="test-lisboa-outdated",
        region="PT17",
        level="NUTS 2 of 2021, split into PT1A and PT1B in NUTS 2024",
        lang="pt",
        lang_code="POR",
        currency="eur",
        period="[ a dcterms:PeriodOfTime ; ris3:startYear 2025 ; ris3:endYear 2030 ]",
        issued="2025-02",
        title="Estratégia regional de inovação de Lisboa (dados de teste)",
        title_en="Regional innovation strategy of Lisbon (test data)",
        area="Turismo sustentável",
        area_en="Sustainable tourism",
        theme="tourism",
        quote="O turismo sustentável é uma prioridade da estratégia.",
        figure="Investimento no turismo",
        figure_en="Investment in tourism",
        amount=10000000,
        figure_quote="Serão investidos 10 milhões de euros no turismo.",
        expect="refused: PT17 was split into PT1A and PT1B in NUTS 2024",
    ),
)


def turtle(case: Case) -> str:
    """The submission of one case, as Turtle."""
    ns = f"https://w3id.org/ris3kg/id/{case.key}/"
    quote = '[ a ris3:Passage ; prov:wasQuotedFrom <{ns}document> ;\n        prov:value "{text}"@{lang} ]'

    def passage(text: str) -> str:
        return quote.format(ns=ns, text=text, lang=case.lang)

    return f"""# A made-up strategy for the tests (see make_europe.py): {case.level}, {case.region}.
# Expected: {case.expect}. Written by make_europe.py; do not edit by hand.

@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .
@prefix ris3: <https://w3id.org/ris3kg/ontology#> .
@prefix voc: <https://w3id.org/ris3kg/id/vocab/> .
@prefix theme: <https://w3id.org/ris3kg/id/theme/> .

<{ns}document> a ris3:SourceDocument ;
    rdfs:label "{case.title}"@{case.lang} , "{case.title_en}"@en ;
    dcterms:title "{case.title}"@{case.lang} ;
    dcterms:language lang:{case.lang_code} ;
    dcterms:issued "{case.issued}"^^xsd:{_issued_type(case.issued)} ;
    ris3:fileName "{case.key}.pdf" ;
    ris3:documentType voc:doc-strategy .

<{ns}strategy> a ris3:Strategy ;
    rdfs:label "{case.title}"@{case.lang} , "{case.title_en}"@en ;
    ris3:documentedIn <{ns}document> ;
    dcterms:spatial nuts:{case.region} ;
    dcterms:temporal {case.period} ;
    prov:wasDerivedFrom {passage(case.quote)} .

<{ns}area-1> a ris3:SpecialisationArea ;
    rdfs:label "{case.area}"@{case.lang} , "{case.area_en}"@en ;
    ris3:inStrategy <{ns}strategy> ;
    ris3:ordinal 1 ;
    ris3:areaKind voc:kind-specialisation ;
    ris3:theme theme:{case.theme} ;{case.coding}
    prov:wasDerivedFrom {passage(case.quote)} .

<{ns}figure-1> a ris3:Figure ;
    rdfs:label "{case.figure}"@{case.lang} , "{case.figure_en}"@en ;
    ris3:inStrategy <{ns}strategy> ;
    ris3:value {case.amount} ;
    ris3:unit voc:unit-{case.currency} ;
    ris3:measure voc:measure-investment ;
    ris3:valueQualifier voc:value-exact ;
    ris3:about nuts:{case.region} ;
    prov:wasDerivedFrom {passage(case.figure_quote)} .
"""


def _issued_type(issued: str) -> str:
    return {4: "gYear", 7: "gYearMonth"}.get(len(issued), "date")


def main() -> None:
    """Rewrite every case's Turtle file."""
    for case in CASES:
        (HERE / f"{case.key}.ttl").write_text(turtle(case), encoding="utf-8")


if __name__ == "__main__":
    main()
