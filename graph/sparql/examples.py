"""The ready example queries shipped in ``graph/queries``: research questions the graph answers."""

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
    """

    key: str
    title: str
    description: str
    query: str


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
        header = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            name, _, value = line.lstrip("# ").partition(":")
            header[name.strip()] = value.strip()
        if not header.get("title") or not header.get("description"):
            raise ValueError(f"graph/queries/{entry.name}: needs '# title:' and '# description:' lines at the top")
        examples.append(ExampleQuery(entry.name[: -len(".rq")], header["title"], header["description"], text))
    return tuple(examples)


def example_by_key(key: str) -> ExampleQuery | None:
    """Return the example with this key, or None."""
    return next((e for e in example_queries() if e.key == key), None)
