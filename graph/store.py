"""The persistent on-disk store: Oxigraph, behind one small interface.

``ris3kg build`` writes the store; everything else opens it. The interface (:class:`GraphStore`)
is what the rest of ris3kg uses, so that a remote SPARQL 1.1 store can stand in later.
Building is all-or-nothing: a new store is written beside the old one and swapped in only when
complete, so a failed build leaves the previous store as it was.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph

from ris3kg.graph.generations import StoreLayout
from ris3kg.graph.sources import PARTS, DatasetPart
from ris3kg.ontology.namespaces import GRAPH_BASE, PREFIXES

STORE_ENV = "RIS3KG_STORE"

SUBMISSIONS_GRAPH = GRAPH_BASE + "submissions"
"""The named graph of the records of accepted submissions (see :mod:`ris3kg.graph.submissions`)."""
VERSION_GRAPH = PREFIXES["ris3"] + "versionGraph"
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])/[^\s:'\"]*")


def default_store_path() -> Path:
    """Return where the store lives unless told otherwise.

    ``$RIS3KG_STORE`` if set, else ``$XDG_DATA_HOME/ris3kg/store`` (``~/.local/share/ris3kg/store``).

    Raises:
        StoreError: Neither is set and there is no home folder to put the store in.
    """
    explicit = os.environ.get(STORE_ENV)
    if explicit:
        try:
            return Path(explicit).expanduser()
        except RuntimeError as exc:  # "~user" of an unknown user
            raise StoreError(f"${STORE_ENV} is {explicit!r}, which names no folder: {exc}") from exc
    data_home = os.environ.get("XDG_DATA_HOME")
    if not data_home:
        try:
            data_home = str(Path.home() / ".local" / "share")
        except (RuntimeError, KeyError) as exc:
            raise StoreError(
                f"there is no home folder to keep the store in ({exc}): set ${STORE_ENV} or give --store DIR"
            ) from exc
    return Path(data_home) / "ris3kg" / "store"


class StoreError(RuntimeError):
    """The store is missing, locked or unreadable; the message says which path and what to do.

    Attributes:
        public_message: The message without absolute paths (it names the store by its folder name
            only), for users who must not see the server's file system, such as HTTP clients. It is
            the message itself when the raiser gave none.
    """

    def __init__(self, message: str, *, public_message: str | None = None) -> None:
        super().__init__(message)
        self.public_message = message if public_message is None else public_message


Row = dict[str, str | None]


@dataclass(frozen=True)
class SelectResult:
    """The answer to a SELECT query, with every term as its plain string value.

    Attributes:
        variables: The projected variable names, in order.
        rows: One mapping per solution; unbound variables are ``None``.
    """

    variables: tuple[str, ...]
    rows: tuple[Row, ...]


QueryResult = ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean


class GraphStore(Protocol):
    """What ris3kg needs from a quad store.

    Results are pyoxigraph's result types, which a remote store can produce too
    (``pyoxigraph.parse_query_results`` reads a SPARQL endpoint's answer).
    """

    def query(self, query: str) -> QueryResult:
        """Run a query over the union of all graphs."""
        ...

    def select(self, query: str) -> SelectResult:
        """Run a SELECT query over the union of all graphs."""
        ...

    def named_graphs(self) -> tuple[str, ...]:
        """Return the IRIs of the named graphs."""
        ...


class OxigraphStore:
    """A :class:`GraphStore` over an on-disk pyoxigraph store."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    @classmethod
    def open(cls, path: Path, *, read_only: bool = True) -> OxigraphStore:
        """Open an existing store.

        Raises:
            StoreError: There is no store at ``path`` or it cannot be opened.
        """
        try:
            exists = (path / "CURRENT").is_file()
        except OSError as exc:
            raise StoreError(
                f"cannot read the store at {path}: {exc.strerror or exc}; check that you may read it",
                public_message=f"cannot read the store {path.name!r}: {exc.strerror or exc}",
            ) from exc
        if not exists:
            raise StoreError(
                f"no ris3kg store at {path}; run `ris3kg build` first",
                public_message=f"no ris3kg store {path.name!r}; run `ris3kg build` first",
            )
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except (OSError, RuntimeError) as exc:  # pyoxigraph: OSError for I/O, RuntimeError for corruption
            raise StoreError(
                f"cannot open the store at {path}: {exc}; check that you may read it and that it is a ris3kg store",
                public_message=f"cannot open the store {path.name!r}: {public_reason(exc)}",
            ) from exc
        return cls(store)

    def query(self, query: str) -> QueryResult:
        """Run a query; the default graph is the union of all named graphs."""
        return self._store.query(query, use_default_graph_as_union=True)

    def select(self, query: str) -> SelectResult:
        """Run a SELECT query; the default graph is the union of all named graphs."""
        solutions = self.query(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("select() takes a SELECT query")
        variables = tuple(v.value for v in solutions.variables)
        rows = tuple(
            {name: (None if solution[name] is None else _value(solution[name])) for name in variables}
            for solution in solutions
        )
        return SelectResult(variables, rows)

    def named_graphs(self) -> tuple[str, ...]:
        """Return the IRIs of the named graphs, sorted."""
        return tuple(sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)))

    def triple_count(self, graph: str) -> int:
        """Return the number of triples in one named graph."""
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store, for callers that need Oxigraph itself."""
        return self._store


def _value(term: object) -> str:
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


@dataclass(frozen=True)
class LoadedPart:
    """One dataset part as loaded into the store.

    Attributes:
        part: The part.
        triples: How many triples its graph holds.
    """

    part: DatasetPart
    triples: int


@dataclass(frozen=True)
class BuildReport:
    """What ``build_store`` did.

    Attributes:
        path: Where the store now is.
        loaded: Each part with its triple count, in load order.
    """

    path: Path
    loaded: tuple[LoadedPart, ...]

    @property
    def triples(self) -> int:
        """Total triples over all graphs."""
        return sum(item.triples for item in self.loaded)


def build_store(
    path: Path,
    *,
    parts: Sequence[DatasetPart] = PARTS,
    on_part: Callable[[DatasetPart], None] | None = None,
) -> BuildReport:
    """Parse every dataset part and write them, one named graph each, to a new store at ``path``.

    Submissions accepted into the previous store are kept: each current version replaces the
    packaged data of its graph, and the records of all versions are carried over.
    Every file is parsed before anything is written; the new store is written as a new generation
    and published at the end (see :mod:`ris3kg.graph.generations`), so a bad file, a crash or a
    full disk leaves the previous store untouched.

    Args:
        path: Where the store should be.
        parts: The parts to load (all of them by default).
        on_part: Called after each part is loaded, for progress display.

    Returns:
        The per-part triple counts.

    Raises:
        DataFileError: A file is not valid Turtle (nothing is written).
        StoreError: The store cannot be written (it is left as it was).
        StoreLockedError: Another process kept the store busy for longer than the wait.
    """
    graphs = [(part, part.load()) for part in parts]
    layout = StoreLayout(path)
    loaded: list[LoadedPart] = []
    try:
        with layout.writing():
            kept = _accepted_submissions(layout)
            with layout.publishing() as generation:
                store = ox.Store(str(generation))
                for part, graph in graphs:
                    _load_graph(store, graph, part.graph)
                    loaded.append(LoadedPart(part, len(graph)))
                    if on_part is not None:
                        on_part(part)
                for name, quads in kept.items():  # accepted submissions replace the packaged data of their graph
                    if store.contains_named_graph(name):
                        store.remove_graph(name)
                    store.extend(quads)
                store.flush()
                store.optimize()
                del store
                gc.collect()
    except OSError as exc:
        raise StoreError(
            f"cannot write the store at {path}: {exc}; it is unchanged. Check that you may write to "
            f"{path.parent} and that the disk is not full",
            public_message=f"cannot write the store {path.name!r}: {public_reason(exc)}; it is unchanged",
        ) from exc
    return BuildReport(path, tuple(loaded))


def public_reason(exc: Exception) -> str:
    """Say what went wrong without the absolute paths an error's message may carry (for HTTP clients)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return _ABSOLUTE_PATH.sub("…", str(exc)) or type(exc).__name__


def _accepted_submissions(layout: StoreLayout) -> dict[ox.NamedNode, list[ox.Quad]]:
    """Read what submissions put in the current store: the version records and each current version's graph."""
    current = layout.current()
    if current is None:
        return {}
    try:
        old = ox.Store.read_only(str(current))
    except (OSError, RuntimeError) as exc:
        raise StoreError(
            f"cannot read the accepted submissions in the current store at {layout.path}: {exc}; nothing is "
            f"changed. Check that you may read it; if it is damaged, move {layout.path} aside and build again "
            "(its accepted versions stay in the submission archive)",
            public_message=f"cannot read the store {layout.path.name!r}: {public_reason(exc)}; nothing is changed",
        ) from exc
    records = ox.NamedNode(SUBMISSIONS_GRAPH)
    if not old.contains_named_graph(records):
        return {}
    names = {
        q.object
        for q in old.quads_for_pattern(None, ox.NamedNode(VERSION_GRAPH), None, records)
        if isinstance(q.object, ox.NamedNode)
    }
    return {name: list(old.quads_for_pattern(None, None, None, name)) for name in (records, *names)}


def _load_graph(store: ox.Store, graph: Graph, graph_iri: str) -> None:
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))
