"""What ris3kg needs from a quad store, whichever store it is.

:class:`GraphStore` reads; :class:`StoreWriter` changes the store, always as a whole new state
published at once, so that readers never see half a change. :mod:`ris3kg.graph.store.oxigraph`
implements both on an on-disk Oxigraph store; a remote SPARQL 1.1 store can implement them too
(its results are pyoxigraph's result types, which ``pyoxigraph.parse_query_results`` produces from
an endpoint's answer). Nothing here knows what the graphs hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])/[^\s:'\"]*")


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


def select_result(solutions: QueryResult) -> SelectResult:
    """Read SELECT solutions as plain strings (what :meth:`GraphStore.select` returns).

    Raises:
        ValueError: The result is not a SELECT query's.
    """
    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError("select() takes a SELECT query")
    variables = tuple(v.value for v in solutions.variables)
    rows = tuple(
        {name: (None if solution[name] is None else _value(solution[name])) for name in variables}
        for solution in solutions
    )
    return SelectResult(variables, rows)


def _value(term: object) -> str:
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


class GraphStore(Protocol):
    """Reading a quad store: queries over the union of its named graphs."""

    def query(self, query: str, *, bindings: Mapping[str, str] | None = None) -> QueryResult:
        """Run a query over the union of all graphs.

        Args:
            query: The SPARQL query (fixed text: nothing a client sends is pasted in).
            bindings: Variables bound to IRIs before the query runs (``{"this": iri}``).
        """
        ...

    def select(self, query: str, *, bindings: Mapping[str, str] | None = None) -> SelectResult:
        """Run a SELECT query over the union of all graphs, every term as its string value."""
        ...

    def named_graphs(self) -> tuple[str, ...]:
        """Return the IRIs of the named graphs."""
        ...

    def mentions(self, iri: str) -> bool:
        """Whether any statement has the IRI as its subject or object."""
        ...


class StoreChange(Protocol):
    """One change being prepared; the writer publishes it whole when its block ends without error."""

    @property
    def current(self) -> GraphStore:
        """The state the change starts from (the current one, held still by the writers' lock)."""
        ...

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Empty the named graph ``graph`` and put ``quads`` (all in that graph) in it."""
        ...

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add statements, each in its own named graph."""
        ...


@dataclass(frozen=True)
class GraphLoad:
    """One named graph of a rebuilt store.

    Attributes:
        graph: The named graph's IRI.
        ntriples: Its triples, as N-Triples.
    """

    graph: str
    ntriples: bytes


class StoreWriter(Protocol):
    """Changing a store. Each method publishes a complete new state, or leaves the old one as it was."""

    def change(
        self, *, wait: float = 30.0, on_step: Callable[[str], None] | None = None
    ) -> AbstractContextManager[StoreChange]:
        """Change the current state: the block prepares the change, its end publishes it.

        Args:
            wait: Seconds to wait for another writer to finish.
            on_step: Called with the name of each step as it starts (``copy``, ``write``,
                ``publish``), for progress display.

        Raises:
            StoreError: There is no store, or it cannot be written (nothing is changed).
            StoreLockedError: Another writer kept the store busy for ``wait`` seconds.
        """
        ...

    def rebuild(
        self,
        graphs: Sequence[GraphLoad],
        *,
        keep: Callable[[GraphStore], Iterable[str]] = lambda _store: (),
        on_graph: Callable[[GraphLoad], None] | None = None,
    ) -> None:
        """Replace the whole store with ``graphs``, keeping some named graphs of the current state.

        Args:
            graphs: The named graphs to write, in order.
            keep: Given the current state (if there is one), names the graphs to carry over; a kept
                graph replaces a graph of ``graphs`` with the same name.
            on_graph: Called after each graph of ``graphs`` is written, for progress display.

        Raises:
            StoreError: The store cannot be written (it is left as it was).
            StoreLockedError: Another writer kept the store busy too long.
        """
        ...


def public_reason(exc: Exception) -> str:
    """Say what went wrong without the absolute paths an error's message may carry (for HTTP clients)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return _ABSOLUTE_PATH.sub("…", str(exc)) or type(exc).__name__
