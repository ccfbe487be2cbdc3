"""Export a user's SPARQL query as a network, through the same safety path as ``/sparql``.

The query is checked by the endpoint's policy (:mod:`ris3kg.graph.query_policy`: no updates, no
SERVICE, no foreign FROM, a length limit) and run by the :class:`~ris3kg.graph.executor.QueryExecutor`
with its limits (time, memory, rows, bytes), both in a worker; the result is then read as a network
(:mod:`ris3kg.graph.query_network`).
"""

from __future__ import annotations

import pyoxigraph as ox

from ris3kg.graph.executor import QueryExecutor, QueryJob, ResultFormat
from ris3kg.graph.network import Network
from ris3kg.graph.query_network import QueryShapeError, network_from_solutions, network_from_triples


def query_network(
    query: str,
    *,
    executor: QueryExecutor,
    max_rows: int,
    max_bytes: int,
    language: str = "en",
) -> Network:
    """Check and run a CONSTRUCT, DESCRIBE or SELECT query and return its result as a network.

    Args:
        query: The SPARQL query.
        executor: The worker pool that checks and runs it with its limits.
        max_rows: The most rows or triples the result may have.
        max_bytes: The largest result, in bytes.
        language: The preferred label language (CONSTRUCT labels).

    Returns:
        The network.

    Raises:
        RefusedQueryError: The policy refuses the query (malformed, update, SERVICE, too long, ...).
        QueryError: The engine failed, passed a limit or the result was over the row cap.
        QueryShapeError: An ASK query, or a result that is not a network.
    """
    job = QueryJob(
        query=query,
        result_format=ResultFormat.TSV,
        graph_media_type="application/n-triples",
        max_rows=max_rows,
        max_bytes=max_bytes,
    )
    outcome = executor.run(job)
    if outcome.form == "ask":
        raise QueryShapeError("an ASK query answers yes or no; export a CONSTRUCT or SELECT query as a network")
    if outcome.form == "graph":
        return network_from_triples(ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES), language=language)
    solutions = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [variable.value for variable in solutions.variables]
    return network_from_solutions(variables, ([solution[v] for v in variables] for solution in solutions))
