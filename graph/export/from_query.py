"""A user's SPARQL query result as a network.

- CONSTRUCT / DESCRIBE: each triple whose object is an IRI or blank node is an edge named by its
  predicate; ``rdf:type`` gives a node its kind, ``rdfs:label`` its label (in the chosen language,
  else English, else any), and other literal objects become node attributes (lists where a node
  has several values).
- SELECT: two columns are source and target; or columns named ``source``, ``target`` and
  optionally ``weight``, ``relation``, ``sourceLabel``, ``targetLabel``.

A query is checked by the endpoint's policy (:mod:`ris3kg.graph.sparql.policy`: no updates, no
SERVICE, no foreign FROM, a length limit) and run by the
:class:`~ris3kg.graph.sparql.executor.QueryExecutor` with its limits (time, memory, rows, bytes), both
in a worker, through :func:`query_network`; the same path as ``/sparql``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from ris3kg.graph.export.network import Attribute, AttributeType, Edge, Network, Node, with_degrees
from ris3kg.graph.export.views import ViewError
from ris3kg.graph.sparql.executor import QueryExecutor, QueryJob
from ris3kg.ontology.formats import ResultFormat
from ris3kg.ontology.namespaces import PREFIXES, local_name, prefixed_name

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
NAME = "query"
DESCRIPTION = "The result of a SPARQL query, as a network."

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph | None


class QueryShapeError(ViewError):
    """The query's result cannot be read as a network; the message says what shape is needed."""


def network_from_triples(triples: Iterable[ox.Triple | ox.Quad], *, language: str = "en") -> Network:
    """Read CONSTRUCT or DESCRIBE triples as a network (see the module docstring).

    Args:
        triples: The result triples.
        language: The preferred label language.

    Returns:
        The network, directed, with degrees set.

    Raises:
        QueryShapeError: No triple links two resources (there would be no edge).
    """
    kinds: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    literals: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    edges: list[Edge] = []
    order: dict[str, None] = {}
    for triple in triples:
        subject = _node_id(triple.subject)
        order.setdefault(subject)
        predicate = str(triple.predicate.value) if isinstance(triple.predicate, ox.NamedNode) else ""
        obj = triple.object
        if isinstance(obj, ox.Literal):
            if predicate == RDFS_LABEL:
                labels[subject].setdefault(obj.language or "", obj.value)
            else:
                literals[subject][prefixed_name(predicate)].append(obj.value)
        elif predicate == RDF_TYPE:
            kinds.setdefault(subject, local_name(_node_id(obj)))
        else:
            target = _node_id(obj)
            order.setdefault(target)
            edges.append(Edge(subject, target, prefixed_name(predicate)))
    if not edges:
        raise QueryShapeError(
            "the CONSTRUCT result has no triple linking two resources (an IRI or blank node as object), "
            "so the network would have no edges"
        )
    keys = sorted({key for values in literals.values() for key in values})
    attributes = tuple(Attribute(key, key, AttributeType.LIST_STRING) for key in keys)
    nodes = tuple(
        Node(
            node_id,
            _pick_label(labels.get(node_id, {}), language) or local_name(node_id),
            kinds.get(node_id, "resource"),
            {key: tuple(values) for key, values in literals.get(node_id, {}).items()},
        )
        for node_id in order
    )
    return with_degrees(Network(NAME, DESCRIPTION, True, nodes, tuple(edges), attributes))


def network_from_solutions(variables: Sequence[str], rows: Iterable[Sequence[Term]]) -> Network:
    """Read SELECT solutions as a network (see the module docstring).

    Args:
        variables: The projected variable names, in order.
        rows: One sequence of terms per solution, in the order of ``variables``.

    Returns:
        The network, directed, with degrees set.

    Raises:
        QueryShapeError: The columns are not two, nor named source / target; a weight is not a number.
    """
    names = list(variables)
    if "source" in names and "target" in names:
        source, target = names.index("source"), names.index("target")
    elif len(names) == 2:
        source, target = 0, 1
    else:
        raise QueryShapeError(
            f"a SELECT query exports as a network when it has two columns (source, target) or columns named "
            f"?source ?target and optionally ?weight ?relation ?sourceLabel ?targetLabel; this one has "
            f"{len(names)}: {', '.join('?' + name for name in names) or 'none'}"
        )
    optional = ("weight", "relation", "sourceLabel", "targetLabel")
    columns: dict[str, int] = {name: names.index(name) for name in optional if name in names}
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for number, row in enumerate(rows, start=1):
        ends = (row[source], row[target])
        if ends[0] is None or ends[1] is None:
            continue
        ids = [_node_id(term) for term in ends]
        for node_id, term, label_column in zip(ids, ends, ("sourceLabel", "targetLabel"), strict=True):
            if node_id not in nodes:
                label = _cell(row, columns.get(label_column)) or local_name(node_id)
                nodes[node_id] = Node(node_id, label, "literal" if isinstance(term, ox.Literal) else "resource")
        weight = _cell(row, columns.get("weight"))
        try:
            value = float(weight) if weight else 1.0
        except ValueError as exc:
            raise QueryShapeError(f"row {number}: the weight {weight!r} is not a number") from exc
        edges.append(Edge(ids[0], ids[1], _cell(row, columns.get("relation")) or "linked", value))
    return with_degrees(Network(NAME, DESCRIPTION, True, tuple(nodes.values()), tuple(edges)))


def _cell(row: Sequence[Term], index: int | None) -> str | None:
    if index is None:
        return None
    term = row[index]
    return None if term is None else _node_id(term)


def _node_id(term: Term) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _pick_label(labels: dict[str, str], language: str) -> str | None:
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), None)


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
