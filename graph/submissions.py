"""Taking a conforming submission into the store, as a new version of its strategy.

A strategy's current data is in its named graph; every accepted version is recorded in the
``graph/submissions`` graph (who, when, the file's checksum, the version number, what it replaced)
and kept as an N-Triples file in the store's submission archive, so that earlier versions stay
retrievable after a newer one has replaced them as current.

Acceptance is atomic: it writes a new generation of the store and publishes it with one rename
(see :mod:`ris3kg.graph.generations`). A crash, a kill or a full disk before that rename leaves
the store exactly as it was.
"""

from __future__ import annotations

import gc
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ris3kg.graph.generations import StoreLayout
from ris3kg.graph.store import SUBMISSIONS_GRAPH, GraphStore, OxigraphStore, StoreError
from ris3kg.graph.terms import to_oxigraph
from ris3kg.ontology.namespaces import ID_BASE, PREFIXES, RIS3

_XSD = PREFIXES["xsd"]
_PROV = PREFIXES["prov"]
_DCTERMS = PREFIXES["dcterms"]
_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


@dataclass(frozen=True)
class SubmissionTarget:
    """Where a submission goes.

    Attributes:
        namespace: The strategy's segment under ``id/`` (names its archive folder).
        strategy: The strategy's IRI.
        graph: The named graph that holds the strategy's current data.
    """

    namespace: str
    strategy: str
    graph: str


@dataclass(frozen=True)
class AcceptedVersion:
    """One accepted version of a strategy's data.

    Attributes:
        iri: The version's IRI (``id/submission/<namespace>/v<n>``).
        namespace: The strategy's segment under ``id/``.
        strategy: The strategy's IRI.
        graph: The named graph of the strategy's current data.
        version: The version number, from 1.
        submitted_by: Who took it in.
        submitted_at: When (UTC, ISO 8601).
        checksum: ``sha256:`` and the file's digest.
        file_name: The submitted file's name.
        triples: How many triples it holds.
        current: Whether it is the current version.
    """

    iri: str
    namespace: str
    strategy: str
    graph: str
    version: int
    submitted_by: str
    submitted_at: str
    checksum: str
    file_name: str
    triples: int
    current: bool


class AcceptanceError(ValueError):
    """The submission cannot be taken in (say, it does not conform)."""


def accept_graph(
    store_path: Path,
    data: Graph,
    *,
    target: SubmissionTarget,
    checksum: str,
    file_name: str,
    submitted_by: str,
    on_step: Callable[[str], None] | None = None,
    wait: float = 30.0,
) -> AcceptedVersion:
    """Take a validated submission into the store as the strategy's new current version.

    Args:
        store_path: The store (its path, which links to the current generation).
        data: The submission's triples (already validated: the caller checks it conforms).
        target: The strategy and named graph it is for.
        checksum: The file's digest.
        file_name: The file's name as submitted.
        submitted_by: Who takes it in.
        on_step: Called with the name of each step as it starts (``archive``, ``copy``, ``write``,
            ``publish``), for progress display.
        wait: Seconds to wait for another writer to finish.

    Returns:
        The new version's record.

    Raises:
        StoreError: There is no store, or it cannot be written (nothing is changed).
        StoreLockedError: Another process kept the store busy for ``wait`` seconds.
    """
    layout = StoreLayout(store_path)
    step = on_step or (lambda _name: None)
    with layout.writing(wait=wait):
        current = layout.current()
        if current is None:
            raise StoreError(f"no ris3kg store at {store_path}; run `ris3kg build` first")
        source = OxigraphStore.open(current)
        earlier = versions(source, namespace=target.namespace)
        number = max((v.version for v in earlier), default=0) + 1
        accepted = AcceptedVersion(
            iri=f"{ID_BASE}submission/{target.namespace}/v{number}",
            namespace=target.namespace,
            strategy=target.strategy,
            graph=target.graph,
            version=number,
            submitted_by=submitted_by,
            submitted_at=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            checksum=checksum,
            file_name=file_name,
            triples=len(data),
            current=True,
        )
        quads = _quads(data, target.graph)
        try:
            with layout.publishing() as generation:
                step("archive")
                _write_atomically(archive_path(store_path, target.namespace, number), _ntriples(quads))
                step("copy")
                source.raw.backup(str(generation))
                del source
                step("write")
                store = ox.Store(str(generation))
                if store.contains_named_graph(ox.NamedNode(target.graph)):
                    store.remove_graph(ox.NamedNode(target.graph))
                store.extend(quads)
                _record(store, accepted, replaces=next((v for v in earlier if v.current), None))
                store.flush()
                del store
                gc.collect()
                step("publish")
        except OSError as exc:
            raise StoreError(f"cannot write the store at {store_path}: {exc}; it is unchanged") from exc
    return accepted


def versions(store: GraphStore, *, namespace: str | None = None) -> tuple[AcceptedVersion, ...]:
    """Return the accepted versions, oldest first, of one strategy or of all.

    Args:
        store: The store.
        namespace: The strategy's segment under ``id/`` (all strategies when None).
    """
    restrict = f'FILTER(STRSTARTS(STR(?v), "{ID_BASE}submission/{namespace}/"))' if namespace else ""
    rows = store.select(
        f"""SELECT ?v ?strategy ?graph ?n ?by ?at ?sum ?file ?triples ?replacedBy WHERE {{
            GRAPH <{SUBMISSIONS_GRAPH}> {{
                ?v a <{RIS3.SubmissionVersion}> ; <{RIS3.versionOf}> ?strategy ; <{RIS3.versionGraph}> ?graph ;
                   <{RIS3.versionNumber}> ?n ; <{RIS3.submittedBy}> ?by ; <{_PROV}generatedAtTime> ?at ;
                   <{RIS3.checksum}> ?sum ; <{RIS3.fileName}> ?file ; <{RIS3.tripleCount}> ?triples .
                OPTIONAL {{ ?v <{_DCTERMS}isReplacedBy> ?replacedBy }}
                {restrict}
            }} }} ORDER BY ?v"""
    ).rows
    found = [
        AcceptedVersion(
            iri=str(row["v"]),
            namespace=str(row["v"])[len(ID_BASE) + len("submission/") :].rsplit("/", 1)[0],
            strategy=str(row["strategy"]),
            graph=str(row["graph"]),
            version=int(str(row["n"])),
            submitted_by=str(row["by"]),
            submitted_at=str(row["at"]),
            checksum=str(row["sum"]),
            file_name=str(row["file"]),
            triples=int(str(row["triples"])),
            current=row["replacedBy"] is None,
        )
        for row in rows
    ]
    return tuple(sorted(found, key=lambda v: (v.namespace, v.version)))


def archive_path(store_path: Path, namespace: str, version: int) -> Path:
    """Return the archive file of one version: ``<store>.submissions/<namespace>/v<n>.nq``."""
    return StoreLayout(store_path).archive / namespace / f"v{version}.nq"


def archived_version(store_path: Path, namespace: str, version: int) -> bytes:
    """Return one accepted version's data as N-Quads (in the strategy's named graph).

    Raises:
        KeyError: No such version was accepted.
    """
    path = archive_path(store_path, namespace, version)
    if not path.is_file():
        raise KeyError(f"no version {version} of {namespace!r} in the archive at {path.parent}")
    return path.read_bytes()


def _quads(data: Graph, graph: str) -> list[ox.Quad]:
    name = ox.NamedNode(graph)
    return [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in data]  # type: ignore[arg-type]


def _ntriples(quads: list[ox.Quad]) -> bytes:
    output = io.BytesIO()
    ox.serialize(sorted(quads, key=str), output, format=ox.RdfFormat.N_QUADS)
    return output.getvalue()


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + f".partial-{os.getpid()}")
    with partial.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


def _record(store: ox.Store, version: AcceptedVersion, *, replaces: AcceptedVersion | None) -> None:
    graph = ox.NamedNode(SUBMISSIONS_GRAPH)
    node = ox.NamedNode(version.iri)

    def literal(value: str | int, datatype: str) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + datatype))

    label = ox.Literal(f"{version.namespace} v{version.version}", language="en")
    when = literal(version.submitted_at, "dateTime")
    statements: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (_RDF_TYPE, ox.NamedNode(str(RIS3.SubmissionVersion))),
        (ox.NamedNode(str(RIS3.versionOf)), ox.NamedNode(version.strategy)),
        (ox.NamedNode(str(RIS3.versionGraph)), ox.NamedNode(version.graph)),
        (ox.NamedNode(str(RIS3.versionNumber)), literal(version.version, "integer")),
        (ox.NamedNode(str(RIS3.submittedBy)), literal(version.submitted_by, "string")),
        (ox.NamedNode(_PROV + "generatedAtTime"), when),
        (ox.NamedNode(str(RIS3.checksum)), literal(version.checksum, "string")),
        (ox.NamedNode(str(RIS3.fileName)), literal(version.file_name, "string")),
        (ox.NamedNode(str(RIS3.tripleCount)), literal(version.triples, "integer")),
        (ox.NamedNode(PREFIXES["rdfs"] + "label"), label),
    ]
    quads = [ox.Quad(node, predicate, obj, graph) for predicate, obj in statements]
    if replaces is not None:
        earlier = ox.NamedNode(replaces.iri)
        quads += [
            ox.Quad(node, ox.NamedNode(_DCTERMS + "replaces"), earlier, graph),
            ox.Quad(earlier, ox.NamedNode(_DCTERMS + "isReplacedBy"), node, graph),
            ox.Quad(
                earlier, ox.NamedNode(_PROV + "invalidatedAtTime"), literal(version.submitted_at, "dateTime"), graph
            ),
        ]
    store.extend(quads)
