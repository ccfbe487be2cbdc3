"""The whole dataset as files to download: N-Quads of every named graph, Turtle of each one, gzipped.

A generation of the store never changes, so its dumps are written once, into a folder of their
own named after the generation (:class:`DumpCache`, beside the store by default), and served from
there until a newer generation replaces them. Every file of a folder comes from one generation
(one read-only store), so a dump never mixes generations; the folder is written under a temporary
name and renamed when it is complete, with its manifest last, so that readers see all of it or
nothing. A lock file keeps two processes from writing the same dumps at once.

The dumps hold the *named* graphs only, read with ``quads_for_pattern`` graph by graph: whatever
the store's default graph holds (a derived merge of the named graphs, say) is not dumped, so
loading the N-Quads file gives back exactly the store's named graphs.

File names are fixed, derived from the graph IRIs (:func:`dump_specs`): ``ris3kg.nq.gz`` for
everything, ``<name>.ttl.gz`` for the graph ``https://w3id.org/ris3kg/graph/<name>``, and
``graph-<hash>.ttl.gz`` for a graph IRI outside that namespace (or whose name is not a plain
lower-case word). Nothing a client sends ever becomes a file name.

The writing runs in a child process (spawned, so that nothing of the server's open stores is
shared; at a lower priority, killed past :attr:`DumpCache.timeout`), so that a request never does
it itself: it waits a bounded time for the dumps (:meth:`DumpCache.get`) and is told to come back
when they are not ready.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ris3kg.graph.store.generations import (
    ArtefactWriters,
    artefact_temp,
    fsync_dir,
    write_artefact_once,
)
from ris3kg.ontology.formats import RdfSyntax
from ris3kg.ontology.namespaces import GRAPH_BASE, PREFIXES

_log = logging.getLogger(__name__)

ALL_NAME = "ris3kg.nq.gz"
"""The file of every named graph, as N-Quads."""
MANIFEST = "manifest.json"
"""The file that lists a folder's dumps; written last, so that its presence means the folder is complete."""
CHUNK = 20_000
"""Statements serialized at once: what bounds the writer's memory."""
COMPRESSLEVEL = 6
"""gzip's default: 30 % smaller than level 1 for about twice the time, which is small beside reading the store."""
_PLAIN_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class DumpError(RuntimeError):
    """The dumps could not be written; the message says why, without paths."""


@dataclass(frozen=True)
class DumpSpec:
    """One dump file: its fixed name and what it holds.

    Attributes:
        name: The file name (``ris3kg.nq.gz``, ``blekinge.ttl.gz``).
        graph: The named graph it holds, or None for every named graph.
        syntax: The RDF syntax inside the gzip (N-Quads or Turtle).
    """

    name: str
    graph: str | None
    syntax: RdfSyntax

    @property
    def media_type(self) -> str:
        """The media type of the uncompressed content (``application/n-quads``, ``text/turtle``)."""
        return self.syntax.media_type


@dataclass(frozen=True)
class DumpFile:
    """A written dump file.

    Attributes:
        spec: What it is.
        path: Where it is.
        size: Its size in bytes (compressed).
        statements: How many quads or triples it holds.
        sha256: The SHA-256 of the file, in hexadecimal (the gzip header holds no time stamp, so equal
            content gives equal files).
    """

    spec: DumpSpec
    path: Path
    size: int
    statements: int
    sha256: str


@dataclass(frozen=True)
class DumpSet:
    """The dumps of one generation of the store.

    Attributes:
        generation: The generation's folder name.
        folder: The folder of the files.
        files: The files, everything first, then one per named graph by graph IRI.
        seconds: How long writing them took.
    """

    generation: str
    folder: Path
    files: tuple[DumpFile, ...]
    seconds: float

    def file(self, name: str) -> DumpFile | None:
        """Return the file with that name, or None."""
        return next((f for f in self.files if f.spec.name == name), None)


def graph_dump_name(graph: str) -> str:
    """The file name of a named graph's Turtle dump (see the module's description)."""
    local = graph[len(GRAPH_BASE) :] if graph.startswith(GRAPH_BASE) else ""
    if _PLAIN_NAME.fullmatch(local):
        return f"{local}.ttl.gz"
    return f"graph-{hashlib.sha256(graph.encode('utf-8')).hexdigest()[:16]}.ttl.gz"


def dump_specs(graphs: Iterable[str]) -> tuple[DumpSpec, ...]:
    """The dump files of a dataset with these named graphs: everything first, then one per graph, sorted.

    Args:
        graphs: The IRIs of the store's named graphs.
    """
    specs = [DumpSpec(ALL_NAME, None, RdfSyntax.N_QUADS)]
    specs += [DumpSpec(graph_dump_name(graph), graph, RdfSyntax.TURTLE) for graph in sorted(set(graphs))]
    return tuple(specs)


def _named_graphs(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def _chunks(quads: Iterator[ox.Quad]) -> Iterator[list[ox.Quad]]:
    chunk: list[ox.Quad] = []
    for quad in quads:
        chunk.append(quad)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _serialized(
    statements: list[ox.Quad] | list[ox.Triple], fmt: ox.RdfFormat, *, prefixes: dict[str, str] | None = None
) -> bytes:
    data = ox.serialize(statements, None, fmt, prefixes=prefixes)
    assert isinstance(data, bytes)
    return data


def _without_prefixes(turtle: bytes) -> bytes:
    """Turtle without its leading ``@prefix`` lines (declared once, at the top of the file)."""
    start = 0
    while turtle.startswith(b"@prefix ", start):
        start = turtle.index(b"\n", start) + 1
    return turtle[start:]


class _HashingWriter:
    """A binary file that counts and hashes what is written to it (under the gzip stream)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def write_dumps(generation: Path, folder: Path) -> DumpSet:
    """Write the dumps of one generation of the store into a new folder, atomically.

    Each named graph is read once, in chunks of :data:`CHUNK` statements, which go both to the
    N-Quads file and to the graph's Turtle file; memory stays bounded whatever the store's size.

    Args:
        generation: The generation's folder (a complete Oxigraph store, opened read-only).
        folder: The folder to write; it must not exist. The files are written beside it under a
            temporary name, which is renamed to ``folder`` when everything, the manifest last, is
            written and flushed.

    Returns:
        The written dumps.

    Raises:
        OSError: The store cannot be read, the files cannot be written, or ``folder`` is there and
            not empty (call it under the lock that :class:`DumpCache`'s writer takes).
    """
    started = time.perf_counter()
    store = ox.Store.read_only(str(generation))
    graphs = _named_graphs(store)
    specs = dump_specs(graphs)
    temp = artefact_temp(folder)
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    prefixes = dict(PREFIXES)
    header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(prefixes.items())).encode("utf-8")
    records: list[dict[str, object]] = []
    try:
        with (temp / ALL_NAME).open("wb") as all_raw:
            all_hashed = _HashingWriter(all_raw)
            with gzip.GzipFile(fileobj=all_hashed, mode="wb", compresslevel=COMPRESSLEVEL, mtime=0) as all_out:
                total = 0
                for spec in specs[1:]:
                    assert spec.graph is not None
                    with (temp / spec.name).open("wb") as raw:
                        hashed = _HashingWriter(raw)
                        with gzip.GzipFile(fileobj=hashed, mode="wb", compresslevel=COMPRESSLEVEL, mtime=0) as out:
                            out.write(header)
                            count = 0
                            quads = store.quads_for_pattern(None, None, None, ox.NamedNode(spec.graph))
                            for chunk in _chunks(quads):
                                count += len(chunk)
                                all_out.write(_serialized(chunk, ox.RdfFormat.N_QUADS))
                                triples = [ox.Triple(q.subject, q.predicate, q.object) for q in chunk]
                                turtle = _serialized(triples, ox.RdfFormat.TURTLE, prefixes=prefixes)
                                out.write(_without_prefixes(turtle))
                        raw.flush()
                        os.fsync(raw.fileno())
                    total += count
                    records.append(_record(spec, hashed, count))
            all_raw.flush()
            os.fsync(all_raw.fileno())
        records.insert(0, _record(specs[0], all_hashed, total))
        seconds = time.perf_counter() - started
        manifest = {"generation": generation.name, "seconds": round(seconds, 3), "files": records}
        with (temp / MANIFEST).open("w", encoding="utf-8") as listing:
            json.dump(manifest, listing, indent=1)
            listing.flush()
            os.fsync(listing.fileno())
        temp.rename(folder)  # fails if another writer's folder is already there: theirs is kept
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    fsync_dir(folder.parent)
    found = read_dumps(folder)
    assert found is not None
    return found


def _record(spec: DumpSpec, written: _HashingWriter, statements: int) -> dict[str, object]:
    return {
        "name": spec.name,
        "graph": spec.graph,
        "syntax": spec.syntax.key,
        "size": written.size,
        "statements": statements,
        "sha256": written.hash.hexdigest(),
    }


def read_dumps(folder: Path) -> DumpSet | None:
    """Return the dumps of a complete folder, or None when there is none (or it is not readable)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = tuple(
            DumpFile(
                DumpSpec(str(item["name"]), item["graph"], RdfSyntax[_syntax_name(str(item["syntax"]))]),
                folder / str(item["name"]),
                int(item["size"]),
                int(item["statements"]),
                str(item["sha256"]),
            )
            for item in manifest["files"]
        )
        return DumpSet(str(manifest["generation"]), folder, files, float(manifest["seconds"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _syntax_name(key: str) -> str:
    return next(syntax.name for syntax in RdfSyntax if syntax.key == key)


def _write_locked(generation: str, root: str, timeout: float) -> None:
    """The child process: write a generation's folder unless another process has, then tidy up."""
    write_artefact_once(generation, root, timeout, read=read_dumps, write=write_dumps)


class DumpCache:
    """The dumps of each generation, written on first demand in a child process and kept on disk.

    Safe to share between threads: the writing is :class:`~ris3kg.graph.store.generations.ArtefactWriters`'.

    Args:
        root: The folder of the dump folders (made when first needed).
        timeout: Seconds after which a writer is killed (and the next request tries again).
        max_memory: Bytes of resident memory past which a writer is killed (0: no limit).
        retry: Seconds during which a failed generation is not tried again.
    """

    def __init__(self, root: Path, *, timeout: float = 600.0, max_memory: int = 0, retry: float = 60.0) -> None:
        self.root = root
        self._writers = ArtefactWriters(
            root,
            what="the dumps",
            target=_write_locked,
            written=lambda folder: read_dumps(folder) is not None,
            error=DumpError,
            timeout=timeout,
            max_memory=max_memory,
            retry=retry,
        )

    def folder(self, generation: Path) -> Path:
        """The folder of a generation's dumps."""
        return self._writers.folder(generation)

    def get(self, generation: Path, *, wait: float) -> DumpSet | None:
        """Return a generation's dumps, starting to write them if need be.

        Args:
            generation: The generation's folder.
            wait: Seconds to wait for dumps being written.

        Returns:
            The dumps, or None when they are still being written after ``wait`` seconds.

        Raises:
            DumpError: Writing them failed (within the last ``retry`` seconds).
        """
        found = read_dumps(self.folder(generation))
        if found is None and self._writers.ensure(generation, wait=wait):
            found = read_dumps(self.folder(generation))
        return found
