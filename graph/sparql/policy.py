"""What this read-only endpoint accepts: queries are parsed before they run.

A query is parsed with rdflib's SPARQL 1.1 grammar. It is refused when it is not a query (an
update), when it calls SERVICE (the server would open a URL), or when FROM / FROM NAMED name a
graph that is not in this dataset.

rdflib's grammar (pyparsing) keeps state in module-level objects and is not safe to use from two
threads at once, and a hostile query can keep it busy for long in pure Python. So the parse runs
only inside the query workers (:mod:`ris3kg.graph.sparql.executor`), one query at a time per process and
under the query's time limit; the server process checks nothing but the length here.
"""

from __future__ import annotations

import re
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
        deterministic: Whether the query does the same work every time on the same data: it calls
            none of ``NOW``, ``RAND``, ``UUID``, ``STRUUID`` and ``BNODE`` (whose values change
            from one run to the next, and with them what a FILTER lets through).
    """

    form: str
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    deterministic: bool = True

    @property
    def has_dataset(self) -> bool:
        """Whether FROM / FROM NAMED give the query its own dataset."""
        return bool(self.from_graphs or self.from_named_graphs)


NONDETERMINISTIC = ("NOW", "RAND", "UUID", "STRUUID", "BNODE")
"""The SPARQL 1.1 functions whose value is not fixed by the data."""
_NONDETERMINISTIC_NAMES = {f"Builtin_{name}" for name in NONDETERMINISTIC}
_NONDETERMINISTIC_WORDS = re.compile(r"\b(?:" + "|".join(NONDETERMINISTIC) + r")\b", re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def check_length(query: str, *, max_length: int) -> None:
    """Refuse a query longer than ``max_length`` characters (cheap: the server process runs it).

    Raises:
        RefusedQueryError: Too long.
    """
    if len(query) > max_length:
        raise RefusedQueryError(
            f"the query is {len(query)} characters long; this endpoint accepts at most {max_length} "
            "(setting MAX_QUERY_LENGTH)"
        )


def check_query(query: str, *, known_graphs: Collection[str], max_length: int) -> CheckedQuery:
    """Parse a query and apply the endpoint's rules (call it in a query worker, not a server thread).

    Args:
        query: The query text.
        known_graphs: The named graphs of the dataset.
        max_length: The longest query accepted, in characters.

    Returns:
        The query's form, dataset clauses and whether it is deterministic.

    Raises:
        RefusedQueryError: Too long, malformed, an update, SERVICE, or FROM an unknown graph.
    """
    check_length(query, max_length=max_length)
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


def _unescape(query: str) -> str:
    r"""Apply SPARQL's codepoint escapes (``\u0041``), which engines apply before parsing."""

    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(character, query)


@lru_cache(maxsize=1024)
def _parse(query: str) -> CheckedQuery:
    try:
        parsed = translateQuery(parseQuery(query))
    except Exception as exc:  # pyparsing and rdflib raise several kinds (RecursionError too); all mean "malformed"
        message = " ".join(str(exc).split())[:500]
        if any(word in query.upper() for word in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE")):
            message += " (this endpoint is read-only: SPARQL Update is not accepted)"
        raise RefusedQueryError(f"malformed query: {message}") from None
    algebra = parsed.algebra
    names = _names(algebra)
    if "ServiceGraphPattern" in names:
        raise RefusedQueryError("SERVICE is not allowed: this endpoint does not query other endpoints")
    defaults, named = [], []
    for clause in algebra.get("datasetClause") or ():
        if "default" in clause:
            defaults.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    # Both the parse tree and the text (after codepoint escapes): a word in a string or IRI only
    # costs the query its shortcut, never its correctness.
    deterministic = not (names & _NONDETERMINISTIC_NAMES) and not _NONDETERMINISTIC_WORDS.search(_unescape(query))
    return CheckedQuery(algebra.name, tuple(defaults), tuple(named), deterministic)


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
