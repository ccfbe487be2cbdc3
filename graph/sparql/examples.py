"""The ready example queries shipped in ``graph/queries``: research questions the graph answers.

Each file opens with ``# title:`` and ``# description:`` lines, and optionally ``# network:``, the
name of the network view (:data:`ris3kg.graph.export.views.VIEWS`) nearest to what it asks: what
the query page offers when its result is not a network.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class ExampleQuery:
    """One example query.

    Attributes:
        key: The file name without ``.rq`` (``04-themes-across-languages``).
        title: A short title.
        description: One line saying what it answers.
        query: The SPARQL text.
        network: The name of the nearest network view (``region-areas``), or None.
    """

    key: str
    title: str
    description: str
    query: str
    network: str | None = None


@cache
def example_queries() -> tuple[ExampleQuery, ...]:
    """Return the packaged example queries, in file-name order.

    Raises:
        ValueError: A file lacks its ``# title:`` or ``# description:`` header.
    """
    folder = files("ris3kg.graph").joinpath("queries")
    examples = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        header: dict[str, str] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            name, _, value = line.lstrip("# ").partition(":")
            header[name.strip()] = value.strip()
        if not header.get("title") or not header.get("description"):
            raise ValueError(f"graph/queries/{entry.name}: needs '# title:' and '# description:' lines at the top")
        key = entry.name[: -len(".rq")]
        examples.append(ExampleQuery(key, header["title"], header["description"], text, header.get("network") or None))
    return tuple(examples)


def example_by_key(key: str) -> ExampleQuery | None:
    """Return the example with this key, or None."""
    return next((e for e in example_queries() if e.key == key), None)


def example_by_query(query: str) -> ExampleQuery | None:
    """Return the example whose text this query is (line endings and surrounding space aside), or None."""
    wanted = _normalised(query)
    return next((e for e in example_queries() if _normalised(e.query) == wanted), None)


def _normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
