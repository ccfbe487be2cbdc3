"""Taking a conforming submission into the store, as a new version of its strategy.

A strategy's current data is in its named graph; every accepted version is recorded in the
``graph/submissions`` graph (who, when, the file's checksum, the version number, what it replaced)
and kept as an N-Triples file in the store's submission archive, so that earlier versions stay
retrievable after a newer one has replaced them as current.

Acceptance is atomic: it writes a new generation of the store and publishes it with one rename
(see :mod:`ris3kg.graph.store.generations`). A crash, a kill or a full disk before that rename leaves
the store exactly as it was. An archived version is served only once its record is in the
current generation: an archive file left by an acceptance that failed (killed, disk full) before
publishing is never served, and the next acceptance removes it.

A strategy's *namespace* (``blekinge`` in ``https://w3id.org/ris3kg/id/blekinge/...``) names its
archive folder, so it is checked wherever it comes in (:func:`check_namespace`).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ris3kg.graph.entailment import ENTAILMENT, EntailmentTooLargeError
from ris3kg.graph.store.generations import GenerationGoneError, StoreLayout
from ris3kg.graph.store.interface import GraphStore, StoreChange, StoreError, public_reason
from ris3kg.graph.store.oxigraph import OxigraphStore, OxigraphWriter
from ris3kg.graph.terms import to_oxigraph, to_rdflib
from ris3kg.ontology.namespaces import GRAPH_BASE, ID_BASE, PREFIXES, RIS3

SUBMISSIONS_GRAPH = GRAPH_BASE + "submissions"
"""The named graph of the records of accepted submissions."""

_XSD = PREFIXES["xsd"]
_PROV = PREFIXES["prov"]
_DCTERMS = PREFIXES["dcterms"]
_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_VERSION_BASE = f"{ID_BASE}submission/"

NAMESPACE_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
"""What a strategy's namespace may be (matched whole): 1 to 63 lower-case letters, digits and
hyphens, starting with a letter or digit; so never ``..``, a separator, a dot or a percent escape."""

NAMING_ADVICE = (
    "the part after https://w3id.org/ris3kg/id/ names the strategy: 1 to 63 lower-case letters (a-z), "
    "digits and hyphens, starting with a letter or digit, with no dots, slashes or percent signs, "
    "e.g. https://w3id.org/ris3kg/id/blekinge/strategy"
)
"""How to name a strategy's IRIs, for messages to strategy officers."""

_ARCHIVE_FILE = re.compile(r"v([1-9][0-9]*)\.nq")
_PARTIAL_FILE = re.compile(r"v[0-9]+\.nq\.partial-[0-9]+")


class InvalidNamespaceError(ValueError, KeyError):
    """A strategy namespace that is not a valid name (a ``ValueError``, and a ``KeyError`` for look-ups)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def valid_namespace(namespace: object) -> bool:
    """Return whether a strategy namespace is a valid name (see :data:`NAMESPACE_PATTERN`)."""
    return isinstance(namespace, str) and NAMESPACE_PATTERN.fullmatch(namespace) is not None


def check_namespace(namespace: object) -> str:
    """Return a strategy namespace if it is a valid name.

    Raises:
        InvalidNamespaceError: It is not (the message quotes it, truncated, and says how to name one).
    """
    if not valid_namespace(namespace):
        shown = repr(namespace)[:80]
        raise InvalidNamespaceError(f"{shown} is not a strategy namespace: {NAMING_ADVICE}")
    assert isinstance(namespace, str)
    return namespace


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
        AcceptanceError: The target's namespace is not a valid name, or the data would entail more
            triples than a store holds (nothing is changed).
        StoreError: There is no store, or it cannot be written (nothing is changed); its
            ``public_message`` names no absolute path.
        StoreLockedError: Another process kept the store busy for ``wait`` seconds.
    """
    if not valid_namespace(target.namespace):
        raise AcceptanceError(f"{target.namespace!r} is not a strategy namespace: {NAMING_ADVICE}")
    writer = OxigraphWriter(store_path, derivations=(ENTAILMENT,))
    layout = StoreLayout(store_path)
    step = on_step or (lambda _name: None)
    try:
        with writer.change(wait=wait, on_step=step) as change:
            return _accept_into(change, store_path, layout, target, data, submitted_by, checksum, file_name, step)
    except EntailmentTooLargeError as exc:
        raise AcceptanceError(f"{file_name or 'the submission'} is not taken in: {exc}") from exc


def _accept_into(
    change: StoreChange,
    store_path: Path,
    layout: StoreLayout,
    target: SubmissionTarget,
    data: Graph,
    submitted_by: str,
    checksum: str,
    file_name: str,
    step: Callable[[str], None],
) -> AcceptedVersion:
    """Prepare the change that takes a submission in as its strategy's next version."""
    recorded = versions(change.current)
    _clean_archive(layout, recorded)
    earlier = tuple(v for v in recorded if v.namespace == target.namespace)
    number = max((v.version for v in earlier), default=0) + 1
    accepted = AcceptedVersion(
        iri=f"{_VERSION_BASE}{target.namespace}/v{number}",
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
    step("archive")
    _write_atomically(archive_path(store_path, target.namespace, number), _nquads(quads))
    change.replace_graph(target.graph, quads)
    change.add(_record(accepted, replaces=next((v for v in earlier if v.current), None)))
    return accepted


_VERSIONS_QUERY = f"""SELECT ?v ?strategy ?graph ?n ?by ?at ?sum ?file ?triples ?replacedBy WHERE {{
    GRAPH <{SUBMISSIONS_GRAPH}> {{
        ?v a <{RIS3.SubmissionVersion}> ; <{RIS3.versionOf}> ?strategy ; <{RIS3.versionGraph}> ?graph ;
           <{RIS3.versionNumber}> ?n ; <{RIS3.submittedBy}> ?by ; <{_PROV}generatedAtTime> ?at ;
           <{RIS3.checksum}> ?sum ; <{RIS3.fileName}> ?file ; <{RIS3.tripleCount}> ?triples .
        OPTIONAL {{ ?v <{_DCTERMS}isReplacedBy> ?replacedBy }}
    }} }} ORDER BY ?v"""
"""All version records; a fixed text: no argument ever becomes part of the query."""


def versions(store: GraphStore, *, namespace: str | None = None) -> tuple[AcceptedVersion, ...]:
    """Return the accepted versions, oldest first, of one strategy or of all.

    The records are read with one fixed query and chosen here, so that nothing a client sends
    becomes query text (the records graph is small).

    Args:
        store: The store.
        namespace: The strategy's segment under ``id/`` (all strategies when None).

    Raises:
        InvalidNamespaceError: ``namespace`` is not a valid name (a ``ValueError``).
    """
    if namespace is not None:
        check_namespace(namespace)
    found = []
    for row in store.select(_VERSIONS_QUERY).rows:
        iri = str(row["v"])
        version_namespace = iri[len(_VERSION_BASE) :].rsplit("/", 1)[0] if iri.startswith(_VERSION_BASE) else ""
        if namespace is not None and version_namespace != namespace:
            continue
        found.append(
            AcceptedVersion(
                iri=iri,
                namespace=version_namespace,
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
        )
    return tuple(sorted(found, key=lambda v: (v.namespace, v.version)))


def archive_path(store_path: Path, namespace: str, version: int) -> Path:
    """Return the archive file of one version: ``<store>.submissions/<namespace>/v<n>.nq``.

    Raises:
        InvalidNamespaceError: ``namespace`` is not a valid name, ``version`` is not a positive
            integer, or the file would not be inside the archive folder (a ``ValueError``).
    """
    check_namespace(namespace)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidNamespaceError(f"{version!r} is not a version number (1, 2, ...)")
    archive = StoreLayout(store_path).archive
    path = archive / namespace / f"v{version}.nq"
    if not path.resolve().is_relative_to(archive.resolve()):
        raise InvalidNamespaceError(f"the archive of {namespace!r} is not inside the submission archive")
    return path


def archived_version(store_path: Path, namespace: str, version: int, *, store: GraphStore | None = None) -> bytes:
    """Return one accepted version's data as N-Quads (in the strategy's named graph).

    A version is served only when its record is in the store: an archive file that a failed
    acceptance left behind is not.

    Args:
        store_path: The store (its path, which links to the current generation).
        namespace: The strategy's segment under ``id/``.
        version: The version number.
        store: The generation to check the record in (the web app's current one, say); when None,
            the current generation is leased and opened for the look-up.

    Raises:
        KeyError: No such version was accepted, or ``namespace`` is not a valid name
            (:class:`InvalidNamespaceError`, which is also a ``ValueError``). The message names no path.
        StoreError: There is no store, or the store or the archive cannot be read.
    """
    path = archive_path(store_path, namespace, version)
    if store is None:
        layout = StoreLayout(store_path)
        try:
            with layout.lease() as lease:
                recorded = _is_recorded(OxigraphStore.open(lease.generation), namespace, version)
        except GenerationGoneError as exc:
            raise StoreError(
                f"no ris3kg store at {store_path}; run `ris3kg build` first",
                public_message=f"no ris3kg store {store_path.name!r}; run `ris3kg build` first",
            ) from exc
        except OSError as exc:
            raise StoreError(
                f"cannot read the store at {store_path}: {exc}",
                public_message=f"cannot read the store {store_path.name!r}: {public_reason(exc)}",
            ) from exc
    else:
        recorded = _is_recorded(store, namespace, version)
    if not recorded:
        raise KeyError(f"no version {version} of {namespace!r} was accepted")
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise KeyError(f"version {version} of {namespace!r} is recorded, but its archived data is missing") from exc
    except OSError as exc:
        raise StoreError(
            f"cannot read {path}: {exc}",
            public_message=f"cannot read version {version} of {namespace!r}: {public_reason(exc)}",
        ) from exc


def _is_recorded(store: GraphStore, namespace: str, version: int) -> bool:
    return any(v.version == version for v in versions(store, namespace=namespace))


def _clean_archive(layout: StoreLayout, recorded: Iterable[AcceptedVersion]) -> None:
    """Remove what failed acceptances left in the archive: partial files, and files of unrecorded versions.

    Call it holding the writers' lock, with the current generation's records. Only names this
    module writes are touched (``<namespace>/v<n>.nq`` and their ``.partial-<pid>`` files).
    """
    if not layout.archive.is_dir():
        return
    kept = {(v.namespace, v.version) for v in recorded}
    for folder in layout.archive.iterdir():
        if not valid_namespace(folder.name) or folder.is_symlink() or not folder.is_dir():
            continue
        for file in folder.iterdir():
            match = _ARCHIVE_FILE.fullmatch(file.name)
            stale = _PARTIAL_FILE.fullmatch(file.name) is not None or (
                match is not None and (folder.name, int(match.group(1))) not in kept
            )
            if stale and (file.is_file() or file.is_symlink()):
                file.unlink()


def _quads(data: Graph, graph: str) -> list[ox.Quad]:
    name = ox.NamedNode(graph)
    return [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in data]  # type: ignore[arg-type]


def _nquads(quads: list[ox.Quad]) -> bytes:
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


def _record(version: AcceptedVersion, *, replaces: AcceptedVersion | None) -> list[ox.Quad]:
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
    return quads


def kept_graphs(store: GraphStore) -> tuple[str, ...]:
    """Name what a rebuild keeps of ``store``: the version records and each current version's graph."""
    if SUBMISSIONS_GRAPH not in store.named_graphs():
        return ()
    pattern = f"?v <{RIS3.versionGraph}> ?g FILTER(isIRI(?g))"
    query = f"SELECT DISTINCT ?g WHERE {{ GRAPH <{SUBMISSIONS_GRAPH}> {{ {pattern} }} }}"
    rows = store.select(query).rows
    return (SUBMISSIONS_GRAPH, *sorted(str(row["g"]) for row in rows if row["g"]))


def archived_graph(store_path: Path, namespace: str, version: int, *, store: GraphStore | None = None) -> Graph:
    """Return one accepted version's statements as a graph (read from the archive, see :func:`archived_version`).

    Raises:
        KeyError: No such version was accepted, or ``namespace`` is not a valid name.
        StoreError: There is no store, or the store or the archive cannot be read.
    """
    data = archived_version(store_path, namespace, version, store=store)
    graph = Graph(bind_namespaces="none")
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
