"""The parts of the ris3kg dataset: which file goes into which named graph.

The ontology and the vocabularies, the NUTS reference data, and one named graph per source
strategy. Adding a strategy means adding its Turtle file to ``graph/data`` and a line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rdflib import Graph, URIRef

from ris3kg.ontology.namespaces import GRAPH
from ris3kg.ontology.resources import IMPORTS, ONTOLOGY, VOCABULARIES, DataFileError, TurtleResource, parse_resource


class PartKind(Enum):
    """What a dataset part holds."""

    ONTOLOGY = "ontology"
    IMPORTED = "imported"
    """Axioms of the vocabularies the ontology reuses: for entailment only, not mixed into validation."""
    VOCABULARY = "vocabulary"
    REFERENCE = "reference"
    CODELIST = "codelist"
    STRATEGY = "strategy"


@dataclass(frozen=True)
class DatasetPart:
    """One named graph of the dataset and the packaged file it is loaded from.

    Attributes:
        key: Short name used on the command line (``blekinge``).
        title: Human-readable name.
        kind: What the graph holds.
        graph: The named graph's IRI.
        resource: The Turtle file.
        extra: Further Turtle files loaded into the same graph (a strategy's annex, say).
        seed_file: For a strategy, the source text's file name in ``shared/seeds``.
        language: For a strategy, the BCP 47 tag of the source text's language.
    """

    key: str
    title: str
    kind: PartKind
    graph: URIRef
    resource: TurtleResource
    seed_file: str | None = None
    language: str | None = None
    extra: tuple[TurtleResource, ...] = ()

    @property
    def resources(self) -> tuple[TurtleResource, ...]:
        """Every file of the part, the main one first."""
        return (self.resource, *self.extra)

    def load(self) -> Graph:
        """Parse the part's files into one graph.

        Raises:
            DataFileError: A file is missing or not valid Turtle.
        """
        graph = parse_resource(self.resource)
        for resource in self.extra:
            graph += parse_resource(resource)
        return graph

    def ntriples(self) -> bytes:
        """The part's triples as N-Triples: a generated file as it is, Turtle through rdflib.

        Raises:
            DataFileError: A file is missing or not valid Turtle.
        """
        if all(resource.ntriples for resource in self.resources):
            try:
                return b"".join(resource.read_bytes() for resource in self.resources)
            except (FileNotFoundError, ModuleNotFoundError) as exc:
                raise DataFileError(self.resource.label, "file not found in the installed package") from exc
        return self.load().serialize(format="nt", encoding="utf-8")


def _data(name: str) -> TurtleResource:
    return TurtleResource("ris3kg.graph", f"data/{name}")


PARTS: tuple[DatasetPart, ...] = (
    DatasetPart("ontology", "ris3kg ontology", PartKind.ONTOLOGY, GRAPH.ontology, ONTOLOGY),
    DatasetPart(
        "vocabularies", "ris3kg vocabularies and themes", PartKind.VOCABULARY, GRAPH.vocabularies, VOCABULARIES
    ),
    DatasetPart("regions", "NUTS regions", PartKind.REFERENCE, GRAPH.regions, _data("regions.ttl")),
    DatasetPart(
        "imports",
        "Hierarchy axioms of the reused vocabularies (ORG, SKOS, DCTERMS, PROV-O, FOAF)",
        PartKind.IMPORTED,
        GRAPH.imports,
        IMPORTS,
    ),
    DatasetPart(
        "nuts",
        "NUTS 2021 and 2024, statistical regions, typologies",
        PartKind.CODELIST,
        GRAPH.nuts,
        _data("codelists/nuts.nt.gz"),
    ),
    DatasetPart("languages", "Languages", PartKind.CODELIST, GRAPH.languages, _data("codelists/languages.nt.gz")),
    DatasetPart(
        "currencies", "Currencies (ISO 4217)", PartKind.CODELIST, GRAPH.currencies, _data("codelists/currencies.nt.gz")
    ),
    DatasetPart("nace", "NACE Rev. 2 and Rev. 2.1", PartKind.CODELIST, GRAPH.nace, _data("codelists/nace.nt.gz")),
    DatasetPart(
        "eurovoc",
        "EuroVoc concepts the themes match",
        PartKind.CODELIST,
        GRAPH.eurovoc,
        _data("codelists/eurovoc.nt.gz"),
    ),
    DatasetPart(
        "blekinge",
        "Blekinge's strategy for smart specialisation",
        PartKind.STRATEGY,
        GRAPH.blekinge,
        _data("blekinge.ttl"),
        seed_file="000_4b8ca6846ccfd746.txt",
        language="en",
    ),
    DatasetPart(
        "norrbotten",
        "Norrbottens smart specialiseringsstrategi (kortversion)",
        PartKind.STRATEGY,
        GRAPH.norrbotten,
        _data("norrbotten.ttl"),
        seed_file="001_d28ca491b358aa3f.txt",
        language="sv",
    ),
    DatasetPart(
        "nms",
        "Strategi för industriell omvandling i Norra Mellansverige",
        PartKind.STRATEGY,
        GRAPH["norra-mellansverige"],
        _data("nms.ttl"),
        seed_file="002_7db6d85fb5e1a937.txt",
        language="sv",
        extra=(_data("nms-swot.ttl"),),
    ),
    DatasetPart(
        "s3norge",
        "Smart spesialisering – hva nå? (Nordlandsforskning for KMD)",
        PartKind.STRATEGY,
        GRAPH["smart-spesialisering-hva-na"],
        _data("s3norge.ttl"),
        seed_file="003_ff106b6cf3f4d654.txt",
        language="nb",
    ),
    DatasetPart(
        "vasternorrland",
        "S3-kartläggning regioner, kluster, nätverk mm (WSP for Region Västernorrland)",
        PartKind.STRATEGY,
        GRAPH.vasternorrland,
        _data("vasternorrland.ttl"),
        seed_file="004_75cee61bf3133f99.txt",
        language="sv",
    ),
)
"""Every part of the dataset, in load order."""


def strategy_parts() -> tuple[DatasetPart, ...]:
    """Return the parts that are source strategies."""
    return tuple(part for part in PARTS if part.kind is PartKind.STRATEGY)


def reference_parts() -> tuple[DatasetPart, ...]:
    """Return the parts every strategy is validated and reasoned against (ontology, vocabularies, regions)."""
    return tuple(part for part in PARTS if part.kind in (PartKind.ONTOLOGY, PartKind.VOCABULARY, PartKind.REFERENCE))


def codelist_parts() -> tuple[DatasetPart, ...]:
    """Return the generated code lists (NUTS, languages, currencies, NACE).

    They are too large to reason over or to mix whole into every validation: validation mixes in
    the part of them a strategy uses (:meth:`ris3kg.graph.codelists.lookup.CodeLists.describe`).
    """
    return tuple(part for part in PARTS if part.kind is PartKind.CODELIST)


def part_by_key(key: str) -> DatasetPart:
    """Return the part with this key.

    Raises:
        KeyError: No part has that key; the message lists the keys there are.
    """
    for part in PARTS:
        if part.key == key:
            return part
    known = ", ".join(part.key for part in PARTS)
    raise KeyError(f"no dataset part {key!r}; known parts: {known}")


def reference_graph() -> Graph:
    """Return the ontology, vocabularies and regions merged into one graph."""
    merged = Graph(bind_namespaces="none")
    for part in reference_parts():
        merged += part.load()
    return merged
