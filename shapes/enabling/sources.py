"""Which strategies a report can be made for: the packaged ones, and the accepted submissions in a store.

A key a client sends is only ever compared with the keys there are; the named graph it stands for
is the one the catalogue or the version records name, and its triples are read by pattern, with no
query text made from anything the client sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from ris3kg.graph.catalogue import strategy_parts
from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.graph.terms import to_rdflib
from ris3kg.graph.versions import valid_namespace, versions
from ris3kg.ontology.resources import new_graph


class UnknownStrategyError(KeyError):
    """No strategy has the key; the message lists the keys there are (a ``KeyError``)."""

    def __init__(self, key: str, known: tuple[str, ...]) -> None:
        self.key = key
        self.known = known
        shown = repr(key)[:80]
        super().__init__(
            f"no strategy {shown}: use one of {', '.join(known)} "
            "(a packaged strategy's key or an accepted submission's namespace), or send the strategy as a file"
        )

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class StrategySource:
    """A strategy the report can be made for.

    Attributes:
        key: Its key (``blekinge``) or namespace (an accepted submission's).
        title: Its name (for an accepted submission, the name of the file it was taken in from).
        graph: The named graph that holds its current data.
        packaged: Whether it is a packaged strategy (else an accepted submission of a new one).
    """

    key: str
    title: str
    graph: str
    packaged: bool = True

    @property
    def report_title(self) -> str | None:
        """The title for its report: a packaged strategy's name; None (the strategy's label) for a submission."""
        return self.title if self.packaged else None


def known_strategies(store: OxigraphStore | None) -> tuple[StrategySource, ...]:
    """Return the packaged strategies and, with a store, the accepted submissions of new strategies."""
    found = [StrategySource(part.key, part.title, str(part.graph)) for part in strategy_parts()]
    graphs = {s.graph for s in found}
    if store is not None:
        for version in versions(store):
            if version.current and version.graph not in graphs:
                found.append(StrategySource(version.namespace, version.file_name, version.graph, packaged=False))
                graphs.add(version.graph)
    return tuple(found)


def find_strategy(key: str, store: OxigraphStore | None) -> StrategySource:
    """Return the strategy with this key.

    Raises:
        UnknownStrategyError: No strategy has it; the message lists the keys.
    """
    known = known_strategies(store) if valid_namespace(key) else known_strategies(None)
    for source in known:
        if source.key == key:
            return source
    raise UnknownStrategyError(key, tuple(s.key for s in known))


def strategy_graph(source: StrategySource, store: OxigraphStore) -> Graph:
    """Return the strategy's current data from the store (its named graph, read by pattern)."""
    graph = new_graph()
    for quad in store.graph_quads(source.graph):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
