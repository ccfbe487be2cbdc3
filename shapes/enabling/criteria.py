"""The seven fulfilment criteria of enabling condition 1.1, read from the vocabulary, and what evidences each.

The criteria themselves (notation, labels, the regulation's wording, the reading rule) are the
``ris3:Criterion`` concepts of ``voc:EnablingConditionCriteria`` in ``ontology/vocabularies.ttl``.
What this module adds is the table of *pieces*: the kinds of element that the criterion's query
(``queries/criterion-<notation>.rq``) finds, which of them a criterion needs to be evidenced, and
what a strategy office should add to its data when one is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from rdflib import RDF, SKOS, Graph, Literal, URIRef

from ris3kg.graph.catalogue import reference_graph
from ris3kg.ontology.namespaces import RIS3, VOC


class CriteriaError(RuntimeError):
    """The vocabulary and the table of pieces disagree (a packaging error, not a user's)."""


@dataclass(frozen=True)
class Piece:
    """One kind of evidence for a criterion, as its query labels rows (``?piece``).

    Attributes:
        key: The value of ``?piece`` in the query's rows.
        label: What it is, in plain words.
        required: Whether the criterion needs it to be evidenced.
        missing: What to add to the data when it is absent.
    """

    key: str
    label: str
    required: bool
    missing: str


@dataclass(frozen=True)
class Criterion:
    """One fulfilment criterion of enabling condition 1.1.

    Attributes:
        iri: The concept's IRI (``voc:ec-analysis``).
        notation: Its number, ``"1"`` to ``"7"``.
        label: Its English label.
        labels: Its labels by language tag (``en``, ``sv``, ``nb``).
        definition: The regulation's wording.
        reading: How ris3kg reads it from the graph (the concept's ``skos:scopeNote``).
        query_file: The query's file name under ``shapes/enabling/queries``.
        pieces: The kinds of evidence the query finds, the required ones first.
    """

    iri: str
    notation: str
    label: str
    labels: tuple[tuple[str, str], ...]
    definition: str
    reading: str
    query_file: str
    pieces: tuple[Piece, ...]

    @property
    def where_relevant(self) -> bool:
        """Whether the regulation asks for this criterion only where relevant (5 and 6)."""
        return "where relevant" in self.definition.lower()

    def piece(self, key: str) -> Piece:
        """Return the piece with this key.

        Raises:
            KeyError: The criterion has no such piece.
        """
        for piece in self.pieces:
            if piece.key == key:
                return piece
        raise KeyError(key)

    def query(self) -> str:
        """Return the text of the criterion's query (a packaged file)."""
        return files("ris3kg.shapes.enabling").joinpath("queries", self.query_file).read_text(encoding="utf-8")


def _p(key: str, label: str, missing: str, *, required: bool = True) -> Piece:
    return Piece(key, label, required, missing)


PIECES: dict[str, tuple[Piece, ...]] = {
    "1": (
        _p(
            "challenge",
            "challenges and bottlenecks for innovation",
            "Add the challenges or bottlenecks for innovation diffusion the strategy's analysis names "
            "(ris3:Challenge or ris3:Bottleneck, each with its passage).",
        ),
        _p(
            "analysis",
            "analysis of the region (SWOT, figures)",
            "Add the analysis the challenges rest on: a SWOT analysis (ris3:SwotAnalysis with its ris3:SwotEntry "
            "items) or the figures on the region's situation (ris3:Figure with value, unit, measure and year).",
        ),
        _p(
            "digitalisation",
            "challenges for digitalisation",
            "Add the challenges for digitalisation: a challenge or SWOT entry with ris3:theme theme:digitalisation.",
        ),
    ),
    "2": (
        _p(
            "owner",
            "owner of the strategy",
            "Name the institution that owns the strategy and answers for it (ris3:owner of the ris3:Strategy).",
        ),
        _p(
            "governance-body",
            "governance bodies",
            "Add the body that manages the strategy (ris3:GovernanceBody with its ris3:governanceLevel and what it "
            "is ris3:responsibleFor).",
        ),
        _p("responsible", "actors responsible for parts of the strategy", "", required=False),
        _p("reports-to", "governance bodies reporting to another body (org:reportsTo)", "", required=False),
    ),
    "3": (
        _p(
            "milestone",
            "milestones of follow-up",
            "Add the dated follow-ups of the strategy (ris3:Milestone with ris3:year): when activities and results "
            "are monitored and the strategy is evaluated.",
        ),
        _p(
            "indicator",
            "indicators (figures with a year, goals with a target year)",
            "Add the indicators the strategy is measured by: figures with a baseline year (ris3:Figure with "
            "ris3:year) or goals with a target year (ris3:Goal with ris3:endYear).",
        ),
        _p("follow-up", "elements about monitoring, evaluation or follow-up", "", required=False),
    ),
    "4": (
        _p(
            "edp",
            "entrepreneurial discovery process and discoveries",
            "Describe the entrepreneurial discovery process: a ris3:EntrepreneurialDiscoveryProcess, or the "
            "ris3:Discovery items it led to, with their passages.",
        ),
        _p(
            "helix-academia",
            "actors from academia",
            "Add the universities and research organisations taking part, with ris3:helixRole voc:helix-academia.",
        ),
        _p(
            "helix-business",
            "actors from business",
            "Add the companies and business organisations taking part, with ris3:helixRole voc:helix-business.",
        ),
        _p(
            "helix-public-sector",
            "actors from the public sector",
            "Add the public bodies taking part, with ris3:helixRole voc:helix-public-sector.",
        ),
        _p(
            "cooperation",
            "cooperation (memberships, clusters, networks)",
            "Add how the stakeholders cooperate: clusters and networks (ris3:Cluster, ris3:Network), memberships "
            "(org:Membership), ris3:collaboratesWith or ris3:participatesIn.",
        ),
        _p("helix-civil-society", "actors from civil society", "", required=False),
    ),
    "5": (
        _p(
            "addresses-challenge",
            "actions addressing a challenge",
            "Link the actions to the challenges or bottlenecks they address (ris3:addresses from a ris3:Action, "
            "ris3:Initiative or ris3:Step).",
        ),
        _p(
            "serves-area",
            "actions serving an area or priority",
            "Link the actions to the areas or priorities they serve (ris3:serves from a ris3:Action, "
            "ris3:Initiative or ris3:Step).",
        ),
        _p("ri-theme", "actions on research, innovation, skills, test beds or collaboration", "", required=False),
        _p("facility", "research and innovation facilities", "", required=False),
    ),
    "6": (
        _p(
            "transition-action",
            "actions on industrial transition",
            "Add the actions that support industrial transition (a ris3:Action, ris3:Initiative, ris3:Step or "
            "ris3:Priority with ris3:theme theme:industrial-transition); where industrial transition is not relevant "
            "to the region, say so in the strategy.",
        ),
        _p(
            "transition-context",
            "challenges, SWOT entries, areas or goals on industrial transition",
            "",
            required=False,
        ),
    ),
    "7": (
        _p(
            "international-action",
            "actions on international cooperation",
            "Add the measures for cooperation with partners outside the Member State (a ris3:Action, ris3:Initiative, "
            "ris3:Step or ris3:Priority with ris3:theme theme:internationalisation), linked with ris3:serves to the "
            "priority areas they support.",
        ),
        _p(
            "partner-abroad",
            "partners outside the Member State",
            "Name the partners outside the Member State: international organisations (ris3:InternationalOrganisation) "
            "or regions of other countries whose priorities overlap the strategy's areas (ris3:PriorityOverlap).",
        ),
        _p("in-priority-area", "international actions serving a priority area", "", required=False),
        _p("interregional", "priority overlaps with other regions", "", required=False),
    ),
}
"""The pieces of each criterion, by notation; the required ones first."""


def _text(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    english = [o for o in values if o.language == "en"]
    return str((english or values)[0]) if values else ""


def read_criteria(vocabulary: Graph) -> tuple[Criterion, ...]:
    """Read the criteria from a graph holding the vocabularies, ordered by notation.

    Raises:
        CriteriaError: The scheme does not have exactly the seven criteria of :data:`PIECES`.
    """
    scheme = VOC.EnablingConditionCriteria
    found = []
    for concept in vocabulary.subjects(SKOS.inScheme, scheme):
        if not isinstance(concept, URIRef) or (concept, RDF.type, RIS3.Criterion) not in vocabulary:
            continue
        notation = _text(vocabulary, concept, SKOS.notation)
        if notation not in PIECES:
            raise CriteriaError(f"{concept} has notation {notation!r}; the enabling condition has criteria 1 to 7")
        labels = tuple(
            sorted(
                (o.language or "", str(o))
                for o in vocabulary.objects(concept, SKOS.prefLabel)
                if isinstance(o, Literal)
            )
        )
        found.append(
            Criterion(
                iri=str(concept),
                notation=notation,
                label=_text(vocabulary, concept, SKOS.prefLabel),
                labels=labels,
                definition=_text(vocabulary, concept, SKOS.definition),
                reading=_text(vocabulary, concept, SKOS.scopeNote),
                query_file=f"criterion-{notation}.rq",
                pieces=PIECES[notation],
            )
        )
    found.sort(key=lambda c: int(c.notation))
    if [c.notation for c in found] != list(PIECES):
        raise CriteriaError(
            f"{scheme} has the criteria {[c.notation for c in found]}; expected one each of {list(PIECES)}"
        )
    return tuple(found)


@lru_cache(maxsize=1)
def criteria() -> tuple[Criterion, ...]:
    """Return the seven criteria from the packaged vocabulary (read once)."""
    return read_criteria(reference_graph())
