"""A :class:`~ris3kg.graph.store.oxigraph.GraphStore` whose every query runs under the query workers' limits.

The server's own queries (the ontology page, VoID, the Gephi views, submission versions) are
fixed texts, but their cost grows with the data, and a query of the server's is as able to hold a
request thread as a user's. Through this store they run in a worker pool of their own
(:class:`~ris3kg.graph.sparql.executor.QueryExecutor`), with its time, memory, row and byte limits, the
same policy checks (no SERVICE, no foreign graphs), and the proven-query shortcut for the ones
that are quick.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pyoxigraph as ox

from ris3kg.graph.sparql.executor import QueryExecutor, QueryJob
from ris3kg.graph.store.interface import QueryResult, SelectResult, select_result
from ris3kg.ontology.formats import ResultFormat


class BoundedStore:
    """Run ``query`` / ``select`` on a query executor and read the answers back.

    Args:
        executor: The worker pool.
        graphs: The store's named graphs.
        max_rows: The most rows (or triples) a query may return.
        max_bytes: The largest serialized answer.
    """

    def __init__(self, executor: QueryExecutor, *, graphs: Collection[str], max_rows: int, max_bytes: int) -> None:
        self._executor = executor
        self._graphs = tuple(sorted(graphs))
        self._max_rows = max_rows
        self._max_bytes = max_bytes

    def query(self, query: str, *, bindings: Mapping[str, str] | None = None) -> QueryResult:
        """Run a query over the merge of the asserted graphs (no entailment: the server's pages show what was stated).

        Args:
            query: The query text (the server's own: fixed text, never a client's value).
            bindings: Variables bound to IRIs before the query runs.

        Raises:
            QueryError: The query failed or passed a limit (see :meth:`QueryExecutor.run`).
        """
        outcome = self._executor.run(
            QueryJob(
                query=query,
                result_format=ResultFormat.JSON,
                graph_media_type="application/n-triples",
                max_rows=self._max_rows,
                max_bytes=self._max_bytes,
                bindings=tuple(sorted((bindings or {}).items())),
                infer=False,
            )
        )
        if outcome.form == "graph":
            return _triples(outcome.body)
        return ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.JSON)

    def select(self, query: str, *, bindings: Mapping[str, str] | None = None) -> SelectResult:
        """Run a SELECT query over the merge of the asserted graphs; every term as its plain string value."""
        return select_result(self.query(query, bindings=bindings))

    def named_graphs(self) -> tuple[str, ...]:
        """Return the IRIs of the named graphs, sorted."""
        return self._graphs

    def mentions(self, iri: str) -> bool:
        """Whether any statement has the IRI as subject or object."""
        answer = self.query("ASK { { ?this ?p ?o } UNION { ?s ?p ?this } }", bindings={"this": iri})
        return bool(answer)


def _triples(body: bytes) -> QueryResult:
    return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))  # type: ignore[return-value]
