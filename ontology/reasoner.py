"""Consistency of the ontology and the data under a real OWL 2 reasoner (HermiT via owlready2).

owlready2 reads N-Triples, not Turtle, and follows ``owl:imports`` over the network, so the
graph is written to a private N-Triples file with every ``owl:imports`` removed before owlready2
sees it. HermiT runs on the machine's Java.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef


class ReasonerUnavailableError(RuntimeError):
    """Java (needed by HermiT) is not installed or cannot run."""


@dataclass(frozen=True)
class ConsistencyReport:
    """The reasoner's verdict.

    Attributes:
        consistent: Whether the ontology and data have a model.
        classes: Named classes the reasoner saw.
        individuals: Named individuals the reasoner saw.
        unsatisfiable: Classes inferred equivalent to owl:Nothing (IRIs).
        seconds: Wall time of loading and reasoning.
        detail: The reasoner's explanation when inconsistent, else empty.
    """

    consistent: bool
    classes: int
    individuals: int
    unsatisfiable: tuple[str, ...]
    seconds: float
    detail: str = ""

    @property
    def ok(self) -> bool:
        """Consistent and with no unsatisfiable class."""
        return self.consistent and not self.unsatisfiable


def check_consistency(graph: Graph, *, java: str | None = None) -> ConsistencyReport:
    """Run HermiT over a graph (the ontology, optionally with vocabularies and data).

    Args:
        graph: The triples to reason over.
        java: Path of the ``java`` executable (found on ``PATH`` by default).

    Returns:
        Whether it is consistent, with counts and timing.

    Raises:
        ReasonerUnavailableError: No Java to run HermiT with.
    """
    import owlready2  # slow to import; only the check needs it

    java_exe = shutil.which(java or "java")
    if java_exe is None:
        raise ReasonerUnavailableError("HermiT needs Java: install a JRE (e.g. `apt-get install default-jre-headless`)")
    owlready2.JAVA_EXE = java_exe

    safe = Graph(bind_namespaces="none")
    for triple in graph:
        if triple[1] != OWL.imports:
            safe.add(triple)
    _single_ontology_header(safe)
    classes, individuals = _count_terms(safe)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ris3kg-reasoner-") as tmp:
        source = Path(tmp) / "input.nt"
        safe.serialize(destination=str(source), format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(source.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ConsistencyReport(
                consistent=False,
                classes=classes,
                individuals=individuals,
                unsatisfiable=(),
                seconds=time.perf_counter() - started,
                detail=str(exc).strip() or "HermiT found the ontology inconsistent",
            )
        except (owlready2.OwlReadyJavaError, OSError) as exc:
            raise ReasonerUnavailableError(f"HermiT failed to run on {java_exe}: {exc}") from exc
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()))
        report = ConsistencyReport(
            consistent=True,
            classes=classes,
            individuals=individuals,
            unsatisfiable=unsatisfiable,
            seconds=time.perf_counter() - started,
        )
        world.close()
    return report


_META = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.Ontology,
        OWL.FunctionalProperty,
        OWL.SymmetricProperty,
        OWL.TransitiveProperty,
        OWL.AllDisjointClasses,
        OWL.Restriction,
        RDFS.Class,
        RDF.Property,
    }
)


def _count_terms(graph: Graph) -> tuple[int, int]:
    """Return (named classes, named individuals) as the reasoner will see them."""
    classes = {s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    individuals = {s for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and o not in _META}
    return len(classes), len(individuals - classes)


def _single_ontology_header(graph: Graph) -> None:
    """Keep one owl:Ontology header so owlready2 sees one ontology, not several."""
    headers = sorted(graph.subjects(RDF.type, OWL.Ontology), key=str)
    for extra in headers[1:]:
        for triple in list(graph.triples((extra, None, None))):
            graph.remove(triple)
