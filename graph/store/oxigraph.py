"""The on-disk store: Oxigraph, behind :mod:`ris3kg.graph.store.interface`.

``ris3kg build`` writes the store; everything else opens it. Every write makes a new generation
of the store beside the current one (Oxigraph's backup hard-links what does not change) and
publishes it with one rename when it is complete (see :mod:`ris3kg.graph.store.generations`),
so a failed write leaves the previous store as it was.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
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

STORE_ENV = "RIS3KG_STORE"


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
        """Run a query; the default graph is the union of all named graphs."""
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): ox.NamedNode(iri) for name, iri in (bindings or {}).items()
        }
        return self._store.query(query, use_default_graph_as_union=True, substitutions=substitutions or None)

    def select(self, query: str, *, bindings: Mapping[str, str] | None = None) -> SelectResult:
        """Run a SELECT query; the default graph is the union of all named graphs."""
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

    Args:
        path: The store's path (a link to its current generation).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._layout = StoreLayout(path)

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
                for graph, quads in change.replaced.items():
                    if store.contains_named_graph(ox.NamedNode(graph)):
                        store.remove_graph(ox.NamedNode(graph))
                    store.extend(quads)
                store.extend(change.added)
                store.flush()
                del store
                gc.collect()
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
                for load in graphs:
                    store.load(load.ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(load.graph))
                    if on_graph is not None:
                        on_graph(load)
                for name, quads in kept.items():
                    if store.contains_named_graph(ox.NamedNode(name)):
                        store.remove_graph(ox.NamedNode(name))
                    store.extend(quads)
                store.flush()
                store.optimize()
                del store
                gc.collect()

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
