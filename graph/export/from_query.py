"""A user's SPARQL query result as a network.

**CONSTRUCT / DESCRIBE**: each triple whose object is an IRI or blank node is an edge named by its
predicate; ``rdf:type`` gives a node its kind, ``rdfs:label`` its label (in the chosen language,
else English, else any), and other literal objects become node attributes (lists where a node has
several values).

**SELECT**: the columns are read from the solutions. A column *holds resources* when it has a value
in some row and every value it has is an IRI or a blank node; it is *numeric* when every value it
has is a number. The two ends of each edge are, in this order of preference:

1. the columns named ``?source`` and ``?target`` (of any kind: a literal becomes a node named by
   its text);
2. else the first two columns, by position, that hold resources, leaving aside a relation column
   (``?relation``, ``?p``, ``?predicate``, ``?property``);
3. else, when no column holds resources, two label columns whose names say they are a pair: names
   that differ only in their last character (``?a ?b``, ``?sa ?sb``, ``?region1 ?region2``) or
   ``?from ?to``; each text is one node (the same label in two rows is the same node).

Anything else is not a network (a list of things with one resource column, a count table, an ASK)
and raises :class:`QueryShapeError`, saying why and which shape would export. The other columns:

- ``?xLabel`` or ``?xName`` labels the node of the end column ``?x`` (``?sourceLabel``,
  ``?strategyLabel``); ``?label`` or ``?name`` labels the first end when it has no such column; a
  node keeps the first label a row gives it, else an IRI's prefixed name (``blekinge:strategy``);
- ``?relation`` (or ``?p`` / ``?predicate`` / ``?property``) names the edge (an IRI as a prefixed
  name), else it is ``linked``;
- ``?weight`` is the edge's weight; without it, the one other column that is numeric, when there
  is exactly one (a count such as ``?sharedThemes``); else 1;
- every other column is an edge attribute.

A node's kind is the name of the column it was first found in (``strategy``, ``region``), or
``resource`` / ``literal`` for ``?source`` / ``?target``. Rows with the same two ends and relation
give one edge: its weight is the first row's, each attribute gathers the distinct values of those
rows (joined with ``; ``). A row without its first end is skipped; a row without its second end
adds the first end as a node without an edge.

A query is checked by the endpoint's policy (:mod:`ris3kg.graph.sparql.policy`: no updates, no
SERVICE, no foreign FROM, a length limit) and run by the
:class:`~ris3kg.graph.sparql.executor.QueryExecutor` with its limits (time, memory, rows, bytes), both
in a worker, through :func:`query_network`; the same path as ``/sparql``.
"""

from __future__ import annotations

import math
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
    """The query's result cannot be read as a network; the message says why and what shape is needed.

    Attributes:
        reason: Why, in one short clause (``only one column, ?theme, holds resources``), for a list
            of queries; the message adds which shapes export.
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


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
            "so the network would have no edges",
            reason="no triple of the result links two resources",
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


SHAPES = (
    "A SELECT query exports as a network when it has two columns (source, target) that hold resources "
    "(IRIs or blank nodes) in every row, or columns named ?source and ?target, or, with no resource column, "
    "two label columns named as a pair (?a ?b, ?from ?to); a CONSTRUCT query exports each triple that links "
    "two resources."
)
"""The shapes that export, as the explanations of :class:`QueryShapeError` end."""

RELATION_COLUMNS = ("relation", "p", "predicate", "property")
"""Columns that name the edge rather than give one of its ends (the first one projected wins)."""

_NUMERIC = frozenset(
    PREFIXES["xsd"] + name
    for name in (
        *("integer", "decimal", "double", "float", "long", "int", "short", "byte"),
        *("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger"),
        *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
    )
)
"""The XSD datatypes of numbers."""


def network_from_solutions(variables: Sequence[str], rows: Iterable[Sequence[Term]]) -> Network:
    """Read SELECT solutions as a network (the rules are in the module docstring).

    Args:
        variables: The projected variable names, in order.
        rows: One sequence of terms per solution, in the order of ``variables``.

    Returns:
        The network, directed, with degrees set.

    Raises:
        QueryShapeError: No two columns can be the ends of edges (see the module docstring); a
            weight is not a number.
    """
    names = list(variables)
    table = [list(row) for row in rows]
    source, target, kinds = _ends(names, table)
    relation = next((names.index(name) for name in RELATION_COLUMNS if name in names), None)
    if relation in (source, target):
        relation = None
    labels = {source: _label_column(names, source, first=True), target: _label_column(names, target, first=False)}
    weight = _weight_column(names, table, used={source, target, relation, *labels.values()})
    used = {source, target, relation, weight, *labels.values()}
    extra = [index for index in range(len(names)) if index not in used]
    numeric = {index for index in extra if _is_numeric(table, index)}
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str, str], tuple[float, dict[int, list[str]]]] = {}
    for number, row in enumerate(table, start=1):
        first = row[source]
        if first is None:
            continue
        for end in (source, target):
            term = row[end]
            if term is None:
                continue
            node_id = _node_id(term)
            label = _cell(row, labels[end])
            known = nodes.get(node_id)
            if known is None:
                kind = kinds[end] or ("literal" if isinstance(term, ox.Literal) else "resource")
                nodes[node_id] = Node(node_id, label or _default_label(term), kind)
            elif label and known.label == _default_label(term) and label != known.label:
                nodes[node_id] = Node(node_id, label, known.kind)
        second = row[target]
        if second is None:
            continue
        key = (_node_id(first), _node_id(second), _relation(row, relation))
        values = edges.get(key)
        if values is None:
            values = edges[key] = (_weight(row, weight, number), {})
        for index in extra:
            cell = _cell(row, index)
            if cell is not None and cell not in values[1].setdefault(index, []):
                values[1][index].append(cell)
    attributes = tuple(
        Attribute(names[index], names[index], AttributeType.DOUBLE if index in numeric else AttributeType.STRING)
        for index in extra
    )
    built = tuple(
        Edge(
            ends[0],
            ends[1],
            ends[2],
            weight_value,
            {names[i]: _value(cells, i in numeric) for i, cells in found.items()},
        )
        for ends, (weight_value, found) in edges.items()
    )
    return with_degrees(Network(NAME, DESCRIPTION, True, tuple(nodes.values()), built, edge_attributes=attributes))


def _ends(names: list[str], table: list[list[Term]]) -> tuple[int, int, dict[int, str]]:
    """The indexes of the two end columns and the node kind each gives (see the module docstring)."""
    if "source" in names and "target" in names:
        source, target = names.index("source"), names.index("target")
        return source, target, {source: "", target: ""}
    listed = ", ".join("?" + name for name in names) or "none"
    if not table:
        raise QueryShapeError(
            f"the query has no results, so it is not known which of its columns ({listed}) hold resources: "
            f"there is nothing to export. {SHAPES}",
            reason="the query has no results",
        )
    resources = [
        index for index, name in enumerate(names) if name not in RELATION_COLUMNS and _holds_resources(table, index)
    ]
    if len(resources) >= 2:
        return resources[0], resources[1], {resources[0]: names[resources[0]], resources[1]: names[resources[1]]}
    mixed = [
        "?" + name
        for index, name in enumerate(names)
        if index not in resources
        and name not in RELATION_COLUMNS
        and any(isinstance(row[index], ox.NamedNode | ox.BlankNode) for row in table)
    ]
    hint = (
        f" ({', '.join(mixed)} {'holds' if len(mixed) == 1 else 'hold'} literals in some rows and resources in "
        f"others: keep only the resources, with FILTER(isIRI(...)), to use {'it' if len(mixed) == 1 else 'them'})"
        if mixed
        else ""
    )
    if len(resources) == 1:
        raise QueryShapeError(
            f"only one column, ?{names[resources[0]]}, holds resources (IRIs or blank nodes) in every row{hint}: "
            f"each row describes one thing rather than a link between two, so the result is a table, not a "
            f"network. {SHAPES} Select the IRI of the second thing each row links to as well.",
            reason=f"only one column, ?{names[resources[0]]}, holds resources (IRIs): each row is one thing, "
            "not a link between two",
        )
    pair = _label_pair(names)
    if pair is not None and not mixed:
        return pair[0], pair[1], {pair[0]: names[pair[0]], pair[1]: names[pair[1]]}
    raise QueryShapeError(
        f"no column holds resources (IRIs or blank nodes) in every row{hint}, and no two columns are named as a "
        f"pair: the result ({listed}) is a table of values, not a network. {SHAPES}",
        reason="no column holds resources (IRIs): it is a table of values",
    )


def _holds_resources(table: list[list[Term]], index: int) -> bool:
    values = [row[index] for row in table if row[index] is not None]
    return bool(values) and all(isinstance(value, ox.NamedNode | ox.BlankNode) for value in values)


def _is_numeric(table: list[list[Term]], index: int) -> bool:
    values = [row[index] for row in table if row[index] is not None]
    return bool(values) and all(isinstance(v, ox.Literal) and v.datatype.value in _NUMERIC for v in values)


def _label_pair(names: list[str]) -> tuple[int, int] | None:
    """The first two columns, by position, named as a pair (``?a ?b``, ``?region1 ?region2``, ``?from ?to``)."""
    for first, name in enumerate(names):
        for second in range(first + 1, len(names)):
            other = names[second]
            if (name, other) == ("from", "to") or (len(name) == len(other) and name[:-1] == other[:-1]):
                return first, second
    return None


def _label_column(names: list[str], end: int, *, first: bool) -> int | None:
    """The column that labels an end's nodes: ``?xLabel``, ``?xName``; for the first end ``?label``, ``?name``."""
    candidates = [names[end] + "Label", names[end] + "Name"] + (["label", "name"] if first else [])
    return next((names.index(name) for name in candidates if name in names), None)


def _weight_column(names: list[str], table: list[list[Term]], *, used: set[int | None]) -> int | None:
    if "weight" in names:
        return names.index("weight")
    numeric = [index for index in range(len(names)) if index not in used and _is_numeric(table, index)]
    return numeric[0] if len(numeric) == 1 else None


def _weight(row: Sequence[Term], index: int | None, number: int) -> float:
    weight = _cell(row, index)
    try:
        value = float(weight) if weight else 1.0
    except ValueError as exc:
        raise QueryShapeError(f"row {number}: the weight {weight!r} is not a number") from exc
    if not math.isfinite(value):
        raise QueryShapeError(f"row {number}: the weight {weight!r} is not a finite number; give a number such as 1.5")
    return value


def _relation(row: Sequence[Term], index: int | None) -> str:
    term = None if index is None else row[index]
    if isinstance(term, ox.NamedNode):
        return prefixed_name(term.value)
    return _cell(row, index) or "linked"


def _value(cells: list[str], numeric: bool) -> str | float:
    if numeric:
        try:
            number = float(cells[0])
        except ValueError:
            return cells[0]
        return number if math.isfinite(number) else cells[0]  # INF, NaN: kept as the text they are
    return "; ".join(cells)


def _default_label(term: Term) -> str:
    """A node's label when no column gives one: an IRI's prefixed name, a literal's text."""
    if isinstance(term, ox.NamedNode):
        return prefixed_name(term.value)
    return _node_id(term)


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
        raise QueryShapeError(
            "an ASK query answers yes or no; export a CONSTRUCT or SELECT query as a network",
            reason="an ASK query answers yes or no",
        )
    if outcome.form == "graph":
        return network_from_triples(ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES), language=language)
    solutions = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [variable.value for variable in solutions.variables]
    return network_from_solutions(variables, ([solution[v] for v in variables] for solution in solutions))
