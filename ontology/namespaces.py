"""The project's namespaces, declared once.

Every Turtle file in the project uses exactly these prefixes with exactly these IRIs; a test
checks it. ``RIS3`` and ``VOC`` are closed ``DefinedNamespace`` classes: naming a term that the
ontology or the vocabularies do not define raises ``AttributeError`` instead of minting a typo.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI: Final = "https://w3id.org/ris3kg/ontology"
ID_BASE: Final = "https://w3id.org/ris3kg/id/"
GRAPH_BASE: Final = "https://w3id.org/ris3kg/graph/"
ENTAILED_GRAPH: Final = GRAPH_BASE + "entailed"
"""The named graph of what the ontology's hierarchy entails and the data does not state."""
DERIVED_GRAPHS: Final = frozenset({ENTAILED_GRAPH})
"""The named graphs every store generation derives from the others (not asserted by any source)."""

PREFIXES: Final = MappingProxyType(
    {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "dcterms": "http://purl.org/dc/terms/",
        "prov": "http://www.w3.org/ns/prov#",
        "org": "http://www.w3.org/ns/org#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "sh": "http://www.w3.org/ns/shacl#",
        "nuts": "http://data.europa.eu/nuts/code/",
        "nutsscheme": "http://data.europa.eu/nuts/scheme/",
        "nace": "http://data.europa.eu/ux2/nace2/",
        "nace21": "http://data.europa.eu/ux2/nace2.1/",
        "lang": "http://publications.europa.eu/resource/authority/language/",
        "eurovoc": "http://eurovoc.europa.eu/",
        "ris3": ONTOLOGY_IRI + "#",
        "ris3sh": "https://w3id.org/ris3kg/shapes#",
        "id": ID_BASE,
        "voc": ID_BASE + "vocab/",
        "theme": ID_BASE + "theme/",
        "typology": ID_BASE + "typology/",
        "actor": ID_BASE + "actor/",
        "fund": ID_BASE + "funding/",
        "region": ID_BASE + "region/",
        "blekinge": ID_BASE + "blekinge/",
        "norrbotten": ID_BASE + "norrbotten/",
        "nms": ID_BASE + "norra-mellansverige/",
        "s3norge": ID_BASE + "smart-spesialisering-hva-na/",
        "vasternorrland": ID_BASE + "vasternorrland/",
    }
)
"""Prefix to namespace IRI, for every prefix a Turtle file of the project may declare."""

ID = Namespace(ID_BASE)
THEME = Namespace(PREFIXES["theme"])
ACTOR = Namespace(PREFIXES["actor"])
FUND = Namespace(PREFIXES["fund"])
REGION = Namespace(PREFIXES["region"])
NUTS = Namespace(PREFIXES["nuts"])
NUTS_SCHEME = Namespace(PREFIXES["nutsscheme"])
NACE = Namespace(PREFIXES["nace"])
NACE21 = Namespace(PREFIXES["nace21"])
LANG = Namespace(PREFIXES["lang"])
GRAPH = Namespace(GRAPH_BASE)
SHAPES = Namespace(PREFIXES["ris3sh"])


class RIS3(DefinedNamespace):
    """Terms of the ris3kg ontology (``ontology/ris3kg.ttl``)."""

    _NS = Namespace(PREFIXES["ris3"])
    _fail = True

    # classes
    Action: URIRef
    Actor: URIRef
    Assessment: URIRef
    Bottleneck: URIRef
    Challenge: URIRef
    CivilSocietyOrganisation: URIRef
    Cluster: URIRef
    RegionChange: URIRef
    ClusterOrganisation: URIRef
    Company: URIRef
    Criterion: URIRef
    Discovery: URIRef
    EntrepreneurialDiscoveryProcess: URIRef
    Facility: URIRef
    Figure: URIRef
    Fund: URIRef
    FundingInstrument: URIRef
    Goal: URIRef
    GovernanceBody: URIRef
    Incubator: URIRef
    Initiative: URIRef
    InternationalOrganisation: URIRef
    Investor: URIRef
    Method: URIRef
    Milestone: URIRef
    SubmissionVersion: URIRef
    Network: URIRef
    Organisation: URIRef
    Passage: URIRef
    Person: URIRef
    Principle: URIRef
    PriorityOverlap: URIRef
    Priority: URIRef
    Programme: URIRef
    ProgrammingPeriod: URIRef
    Project: URIRef
    Publication: URIRef
    PublicBody: URIRef
    Region: URIRef
    ResearchInstitute: URIRef
    SciencePark: URIRef
    SourceDocument: URIRef
    SpecialisationArea: URIRef
    Step: URIRef
    StrategicOpportunity: URIRef
    Strategy: URIRef
    Study: URIRef
    StrategyElement: URIRef
    SubArea: URIRef
    SwotAnalysis: URIRef
    SwotEntry: URIRef
    Theme: URIRef
    University: URIRef
    Vision: URIRef
    # properties
    about: URIRef
    activeIn: URIRef
    actorIn: URIRef
    addresses: URIRef
    areaKind: URIRef
    assessedEntity: URIRef
    collaboratesWith: URIRef
    criterion: URIRef
    criterionMet: URIRef
    documentType: URIRef
    documentedIn: URIRef
    endYear: URIRef
    fileName: URIRef
    checksum: URIRef
    submittedBy: URIRef
    tripleCount: URIRef
    versionGraph: URIRef
    versionNumber: URIRef
    versionOf: URIRef
    fundedBy: URIRef
    fundingLevel: URIRef
    governanceLevel: URIRef
    hasActor: URIRef
    hasStep: URIRef
    hasSubArea: URIRef
    helixRole: URIRef
    inAnalysis: URIRef
    inStrategy: URIRef
    inStudy: URIRef
    locatedIn: URIRef
    managedBy: URIRef
    measure: URIRef
    nutsLevel: URIRef
    policyObjective: URIRef
    naceLevel: URIRef
    changeKind: URIRef
    changedFrom: URIRef
    changedTo: URIRef
    country: URIRef
    fromVersion: URIRef
    toVersion: URIRef
    typology: URIRef
    operatedBy: URIRef
    organisationCount: URIRef
    overlapArea: URIRef
    overlapRegion: URIRef
    ordinal: URIRef
    owner: URIRef
    participatesIn: URIRef
    priorityKind: URIRef
    refersTo: URIRef
    regionType: URIRef
    relatedTo: URIRef
    responsibleFor: URIRef
    section: URIRef
    sector: URIRef
    serves: URIRef
    startYear: URIRef
    studyOf: URIRef
    swotCategory: URIRef
    theme: URIRef
    unit: URIRef
    upperValue: URIRef
    value: URIRef
    valueQualifier: URIRef
    year: URIRef


class VOC(DefinedNamespace):
    """Concepts and schemes of the closed value sets (``ontology/vocabularies.ttl``)."""

    _NS = Namespace(PREFIXES["voc"])
    _fail = True
    _underscore_num = True
    _extras = [
        "kind-specialisation",
        "kind-strength",
        "kind-development",
        "kind-diversification",
        "kind-horizontal",
        "kind-method",
        "priority-core",
        "priority-horizontal",
        "helix-academia",
        "helix-business",
        "helix-public-sector",
        "helix-civil-society",
        "level-political",
        "level-strategic",
        "level-coordinating",
        "level-operational",
        "swot-strength",
        "swot-weakness",
        "swot-opportunity",
        "swot-threat",
        "unit-persons",
        "unit-fte",
        "unit-percent",
        "unit-count",
        "unit-eur",
        "unit-sek",
        "unit-nok",
        "unit-years",
        "measure-employment",
        "measure-employment-share",
        "measure-turnover",
        "measure-turnover-growth",
        "measure-grp-share",
        "measure-gdp-per-capita-pps",
        "measure-organisations",
        "measure-workplaces",
        "measure-regions",
        "measure-tax-revenue",
        "measure-export-share",
        "measure-financing",
        "measure-energy-use",
        "measure-emissions",
        "measure-investment",
        "measure-duration",
        "measure-energy-share",
        "measure-countries",
        "measure-search-hits",
        "measure-investors",
        "value-exact",
        "value-approximate",
        "value-more-than",
        "value-at-least",
        "value-less-than",
        "value-range",
        "region-country",
        "region-nuts-region",
        "region-county",
        "region-municipality",
        "region-sub-region",
        "region-macro-region",
        "region-cultural-region",
        "region-statistical-region",
        "doc-strategy",
        "doc-short-version",
        "doc-note",
        "doc-report",
        "period-2014-2020",
        "period-2021-2027",
        "period-2028-2034",
        "funding-eu",
        "funding-national",
        "funding-regional",
        "PolicyObjectives",
        "po-1",
        "po-2",
        "po-3",
        "po-4",
        "po-5",
        "rso-1-1",
        "rso-1-2",
        "rso-1-3",
        "rso-1-4",
        "rso-1-5",
        "Currencies",
        "RegionChangeKinds",
        "change-new",
        "change-merged",
        "change-split",
        "change-boundary-shift",
        "change-recoded",
        "change-discontinued",
        "change-name-change",
        "s3-leadership",
        "s3-analysis",
        "s3-priorities",
        "s3-entrepreneurial-discovery",
        "s3-private-investment",
        "ec-analysis",
        "ec-institution",
        "ec-monitoring",
        "ec-stakeholder-cooperation",
        "ec-ri-system-actions",
        "ec-industrial-transition",
        "ec-international-cooperation",
    ]

    AreaKinds: URIRef
    PriorityKinds: URIRef
    HelixRoles: URIRef
    GovernanceLevels: URIRef
    SwotCategories: URIRef
    Units: URIRef
    Measures: URIRef
    ValueQualifiers: URIRef
    RegionTypes: URIRef
    DocumentTypes: URIRef
    FundingLevels: URIRef
    S3ProgressCriteria: URIRef
    EnablingConditionCriteria: URIRef


def local_name(iri: str) -> str:
    """Return the last segment of an IRI (after the last ``/`` or ``#``), or the IRI if that is empty."""
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return tail or iri


def prefixed_name(iri: str) -> str:
    """Return a prefixed name for an IRI when one of the house prefixes fits, else the IRI itself."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
