"""The on-disk store: Oxigraph, behind :mod:`ris3kg.graph.store.interface`.

``ris3kg build`` writes the store; everything else opens it. Every write makes a new generation
of the store beside the current one (Oxigraph's backup hard-links what does not change) and
publishes it with one rename when it is complete (see :mod:`ris3kg.graph.store.generations`),
so a failed write leaves the previous store as it was.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ris3kg.graph.store.generations import StoreLayout
from ris3kg.graph.store.interface import (
    GraphLoad,
    GraphStore,
    QueryResult,
    SelectResult,
    StoreError,
    public_reason,
    select_result,
)
from ris3kg.ontology.namespaces import DERIVED_GRAPHS

STORE_ENV = "RIS3KG_STORE"

STORE_FORMAT = "2"
"""What a generation holds, written in its :data:`FORMAT_FILE`: 2 has the merge as its default graph
and the derived graphs (a generation without the file was written before them and must be rebuilt)."""
FORMAT_FILE = "ris3kg-format"


def store_format(generation: Path) -> str | None:
    """The format a generation was written in (None: before formats were recorded).

    Raises:
        StoreError: The generation cannot be read.
    """
    try:
        return (generation / FORMAT_FILE).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"cannot read the store at {generation}: {exc}; check that you may read it",
            public_message=f"cannot read the store: {public_reason(exc)}",
        ) from exc


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


@dataclass(frozen=True)
class Derivation:
    """A named graph that every generation derives from its asserted data (entailment, say).

    Attributes:
        graph: The derived graph's IRI; it is left out of the merge.
        write: Writes the graph into a store whose default graph is already the merge; returns
            how many triples the graph holds; raises (a ``ValueError``) to refuse the data, and then
            nothing is published.
    """

    graph: str
    write: Callable[[ox.Store], int]


def write_merge(store: ox.Store, *, derived: Collection[str] = ()) -> None:
    """Make the store's default graph the RDF merge (a set) of its named graphs, the derived ones left out.

    SPARQL's union default graph repeats a triple once per graph that states it, which inflates
    counts; the merge holds each triple once, and the named graphs keep who stated what. Written
    with the bulk loader in one call (a transaction per graph is five times slower at 1M triples).
    """
    default = ox.DefaultGraph()
    store.clear_graph(default)
    names = [n for n in store.named_graphs() if not (isinstance(n, ox.NamedNode) and n.value in derived)]
    store.bulk_extend(
        [
            ox.Quad(q.subject, q.predicate, q.object, default)
            for n in names
            for q in store.quads_for_pattern(None, None, None, n)
        ]
    )


def update_merge(
    store: ox.Store, removed: Iterable[ox.Quad], added: Iterable[ox.Quad], *, derived: Collection[str] = ()
) -> None:
    """Keep the merge up to date after a change: what no graph states any more goes, what was added comes.

    Args:
        store: The changed store, whose default graph is the merge from before the change.
        removed: The statements taken out of named graphs.
        added: The statements put into named graphs.
        derived: The derived graphs, which do not count as stating anything.
    """
    default = ox.DefaultGraph()
    for quad in removed:
        triple = (quad.subject, quad.predicate, quad.object)
        still = any(
            isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in derived
            for q in store.quads_for_pattern(*triple, None)
        )
        if not still:
            store.remove(ox.Quad(*triple, default))
    store.extend([ox.Quad(q.subject, q.predicate, q.object, default) for q in added])


def purge_logs(generation: Path) -> None:
    """Leave a written store folder with no log RocksDB no longer needs.

    A store written through transactions keeps its write-ahead log after it is closed (as large as
    all it wrote: half of a freshly built seed store, 47 of 95 MB); RocksDB deletes it when the
    store is next opened for writing, which this does, before any reader sees the folder. The
    informational logs of earlier openings (``LOG.old.*``) go too.

    Only for a rebuilt generation, whose files are all new: an accepted change's generation shares
    its files with the one before (a checkpoint), and opening it for writing again could compact
    away a file that a reader of the generation before still reads through the store's link. Its
    log is as large as the change.
    """
    store = ox.Store(str(generation))
    del store
    gc.collect()
    for old in generation.glob("LOG.old.*"):
        old.unlink(missing_ok=True)


class OxigraphStore:
    """A :class:`~ris3kg.graph.store.interface.GraphStore` over an on-disk pyoxigraph store."""

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

    def query(self, query: str, *, bindings: Mapping[str, str] | None = None) -> QueryResult:
        """Run a query on what was asserted.

        The default graph is the merge of the named graphs, and ``GRAPH ?g`` ranges over them (the
        derived graphs left out of both).
        """
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): ox.NamedNode(iri) for name, iri in (bindings or {}).items()
        }
        return self._store.query(
            query,
            default_graph=[ox.DefaultGraph()],
            named_graphs=[ox.NamedNode(g) for g in self.named_graphs() if g not in DERIVED_GRAPHS],
            substitutions=substitutions or None,
        )

    def select(self, query: str, *, bindings: Mapping[str, str] | None = None) -> SelectResult:
        """Run a SELECT query; the default graph is the merge of the named graphs."""
        return select_result(self.query(query, bindings=bindings))

    def named_graphs(self) -> tuple[str, ...]:
        """Return the IRIs of the named graphs, sorted."""
        return tuple(sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)))

    def mentions(self, iri: str) -> bool:
        """Whether any statement has the IRI as subject or object (one index lookup each way)."""
        node = ox.NamedNode(iri)
        return next(self._store.quads_for_pattern(node, None, None), None) is not None or (
            next(self._store.quads_for_pattern(None, None, node), None) is not None
        )

    def graph_quads(self, graph: str) -> list[ox.Quad]:
        """Return the statements of one named graph."""
        return list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def triple_count(self, graph: str) -> int:
        """Return the number of triples in one named graph."""
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def backup(self, target: Path) -> None:
        """Write a copy of the store to the new folder ``target`` (hard links where the files do not change)."""
        self._store.backup(str(target))


class _OxigraphChange:
    """A change collected in memory and applied to the new generation at once."""

    def __init__(self, current: OxigraphStore) -> None:
        self._current = current
        self.replaced: dict[str, list[ox.Quad]] = {}
        self.added: list[ox.Quad] = []

    @property
    def current(self) -> GraphStore:
        return self._current

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        name = ox.NamedNode(graph)
        kept = list(quads)
        if any(q.graph_name != name for q in kept):
            raise ValueError(f"every statement that replaces <{graph}> must be in that graph")
        self.replaced[graph] = kept

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self.added.extend(quads)


class OxigraphWriter:
    """A :class:`~ris3kg.graph.store.interface.StoreWriter` for the Oxigraph store at a path.

    Every state it publishes has as its default graph the merge of its named graphs
    (:func:`write_merge`), and the derived graphs written from it.

    Args:
        path: The store's path (a link to its current generation).
        derivations: The graphs derived from the asserted data, in the order they are written.
    """

    def __init__(self, path: Path, *, derivations: Sequence[Derivation] = ()) -> None:
        self.path = path
        self._layout = StoreLayout(path)
        self._derivations = tuple(derivations)

    def _derived(self) -> frozenset[str]:
        return frozenset(d.graph for d in self._derivations) | DERIVED_GRAPHS

    def _write_derived(self, store: ox.Store) -> None:
        for derivation in self._derivations:
            derivation.write(store)

    @contextmanager
    def change(self, *, wait: float = 30.0, on_step: Callable[[str], None] | None = None) -> Iterator[_OxigraphChange]:
        """Change the current store; see :meth:`ris3kg.graph.store.interface.StoreWriter.change`."""
        step = on_step or (lambda _name: None)
        with self._writing(), self._layout.writing(wait=wait):
            current = self._layout.current()
            if current is None:
                raise StoreError(
                    f"no ris3kg store at {self.path}; run `ris3kg build` first",
                    public_message=f"no ris3kg store {self.path.name!r}; run `ris3kg build` first",
                )
            source = OxigraphStore.open(current)
            change = _OxigraphChange(source)
            yield change
            with self._layout.publishing() as generation:
                step("copy")
                source.backup(generation)
                del source, change._current
                step("write")
                store = ox.Store(str(generation))
                removed: list[ox.Quad] = []
                for graph, quads in change.replaced.items():
                    if store.contains_named_graph(ox.NamedNode(graph)):
                        removed += store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
                        store.remove_graph(ox.NamedNode(graph))
                    store.extend(quads)
                store.extend(change.added)
                added = [q for quads in change.replaced.values() for q in quads] + change.added
                update_merge(store, removed, added, derived=self._derived())
                self._write_derived(store)
                store.flush()
                del store
                gc.collect()
                (generation / FORMAT_FILE).write_text(STORE_FORMAT + "\n", encoding="ascii")
                step("publish")

    def rebuild(
        self,
        graphs: Sequence[GraphLoad],
        *,
        keep: Callable[[GraphStore], Iterable[str]] = lambda _store: (),
        on_graph: Callable[[GraphLoad], None] | None = None,
    ) -> None:
        """Replace the whole store; see :meth:`ris3kg.graph.store.interface.StoreWriter.rebuild`."""
        with self._writing(), self._layout.writing():
            kept = self._kept(keep)
            with self._layout.publishing() as generation:
                store = ox.Store(str(generation))
                # Not the bulk loader: with it, the acceptance after a build compacts the checkpoint it
                # writes, and a reader that opened the generation before through the store's link
                # then finds a file gone (test_versions fails so); a build from the seeds is parsing
                # time anyway, not loading time.
                for load in graphs:
                    store.load(load.ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(load.graph))
                    if on_graph is not None:
                        on_graph(load)
                for name, quads in kept.items():
                    if store.contains_named_graph(ox.NamedNode(name)):
                        store.remove_graph(ox.NamedNode(name))
                    store.extend(quads)
                write_merge(store, derived=self._derived())
                self._write_derived(store)
                store.flush()
                store.optimize()
                del store
                gc.collect()
                purge_logs(generation)
                (generation / FORMAT_FILE).write_text(STORE_FORMAT + "\n", encoding="ascii")

    def _kept(self, keep: Callable[[GraphStore], Iterable[str]]) -> dict[str, list[ox.Quad]]:
        current = self._layout.current()
        if current is None:
            return {}
        try:
            old = OxigraphStore(ox.Store.read_only(str(current)))
        except (OSError, RuntimeError) as exc:
            raise StoreError(
                f"cannot read the current store at {self.path}: {exc}; nothing is changed. Check that you may "
                f"read it; if it is damaged, move {self.path} aside and build again (its accepted versions stay "
                "in the submission archive)",
                public_message=f"cannot read the store {self.path.name!r}: {public_reason(exc)}; nothing is changed",
            ) from exc
        return {name: old.graph_quads(name) for name in keep(old)}

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn a write's I/O error into a :class:`StoreError` that says the store is unchanged."""
        try:
            yield
        except OSError as exc:
            raise StoreError(
                f"cannot write the store at {self.path}: {exc}; it is unchanged. Check that you may write to "
                f"{self.path.parent} and that the disk is not full",
                public_message=f"cannot write the store {self.path.name!r}: {public_reason(exc)}; it is unchanged",
            ) from exc
