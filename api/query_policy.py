"""What this read-only endpoint accepts: queries are parsed before they run.

A query is parsed with rdflib's SPARQL 1.1 grammar. It is refused when it is not a query (an
update), when it calls SERVICE (the server would open a URL), or when FROM / FROM NAMED name a
graph that is not in this dataset. Parsed checks are cached by query text.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue


class RefusedQueryError(ValueError):
    """The query is malformed or not allowed here; the message says why."""


@dataclass(frozen=True)
class CheckedQuery:
    """What the checks learned about a query.

    Attributes:
        form: ``SelectQuery``, ``ConstructQuery``, ``DescribeQuery`` or ``AskQuery``.
        from_graphs: The graphs named by FROM.
        from_named_graphs: The graphs named by FROM NAMED.
    """

    form: str
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]


def check_query(query: str, *, known_graphs: Collection[str], max_length: int) -> CheckedQuery:
    """Parse a query and apply the endpoint's rules.

    Args:
        query: The query text.
        known_graphs: The named graphs of the dataset.
        max_length: The longest query accepted, in characters.

    Returns:
        The query's form and dataset clauses.

    Raises:
        RefusedQueryError: Too long, malformed, an update, SERVICE, or FROM an unknown graph.
    """
    if len(query) > max_length:
        raise RefusedQueryError(
            f"the query is {len(query)} characters long; this endpoint accepts at most {max_length}"
        )
    checked = _parse(query)
    unknown = [g for g in (*checked.from_graphs, *checked.from_named_graphs) if g not in known_graphs]
    if unknown:
        raise RefusedQueryError(f"FROM / FROM NAMED name graphs that are not in this dataset: {', '.join(unknown)}")
    return checked


def check_graphs(graphs: Iterable[str], *, known_graphs: Collection[str], parameter: str) -> tuple[str, ...]:
    """Check protocol dataset parameters (``default-graph-uri``, ``named-graph-uri``).

    Raises:
        RefusedQueryError: A graph is not in the dataset.
    """
    given = tuple(graphs)
    unknown = [g for g in given if g not in known_graphs]
    if unknown:
        raise RefusedQueryError(f"{parameter} names graphs that are not in this dataset: {', '.join(unknown)}")
    return given


@lru_cache(maxsize=1024)
def _parse(query: str) -> CheckedQuery:
    try:
        parsed = translateQuery(parseQuery(query))
    except Exception as exc:  # pyparsing and rdflib raise several kinds; all mean "malformed"
        message = " ".join(str(exc).split())
        if any(word in query.upper() for word in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE")):
            message += " (this endpoint is read-only: SPARQL Update is not accepted)"
        raise RefusedQueryError(f"malformed query: {message}") from exc
    algebra = parsed.algebra
    if "ServiceGraphPattern" in _names(algebra):
        raise RefusedQueryError("SERVICE is not allowed: this endpoint does not query other endpoints")
    defaults, named = [], []
    for clause in algebra.get("datasetClause") or ():
        if "default" in clause:
            defaults.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    return CheckedQuery(algebra.name, tuple(defaults), tuple(named))


def _names(node: object) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found
