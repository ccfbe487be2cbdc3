"""The guide for researchers at ``/guide``: how to query ris3kg, with ready queries for common questions.

The text is ``templates/guide.html``, the same as ``docs/querying.md``; the queries are the packaged
files ``graph/queries/guide/NN-slug.rq``, each opening with ``# title:``, ``# question:``,
``# description:`` and ``# entailment:`` lines (the header convention of the example queries, with
the research question and whether the answer needs entailment added).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

bp = Blueprint("guide", __name__, template_folder="templates")

HEADER_FIELDS = ("title", "question", "description", "entailment")
"""The header lines every guide query opens with, in this order."""


@dataclass(frozen=True)
class GuideQuery:
    """One query of the guide.

    Attributes:
        key: The file name without ``.rq`` (``03-bottlenecks-no-action-addresses``).
        title: A short title.
        question: The research question it answers.
        description: How it answers it: the path through the graph it follows.
        entailment: Whether its answer needs entailment (``needed ...`` or ``not needed ...``).
        query: The SPARQL text, header included.
    """

    key: str
    title: str
    question: str
    description: str
    entailment: str
    query: str

    @property
    def needs_entailment(self) -> bool:
        """Whether the answer differs with ``infer=false``."""
        return self.entailment.startswith("needed")


def parse_guide_query(key: str, text: str) -> GuideQuery:
    """Read a guide query's header.

    Args:
        key: The file name without ``.rq``.
        text: The file's text.

    Raises:
        ValueError: A header line is missing or empty.
    """
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        name, _, value = line.lstrip("# ").partition(":")
        header.setdefault(name.strip(), value.strip())
    missing = [name for name in HEADER_FIELDS if not header.get(name)]
    if missing:
        lines = ", ".join(f"'# {name}:'" for name in missing)
        raise ValueError(f"graph/queries/guide/{key}.rq: needs {lines} at the top")
    return GuideQuery(key, header["title"], header["question"], header["description"], header["entailment"], text)


@cache
def guide_queries() -> tuple[GuideQuery, ...]:
    """The packaged guide queries, in file-name order.

    Raises:
        ValueError: A file lacks one of its header lines.
    """
    folder = files("ris3kg.graph").joinpath("queries").joinpath("guide")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".rq")), key=lambda e: e.name)
    return tuple(parse_guide_query(e.name[: -len(".rq")], e.read_text(encoding="utf-8")) for e in entries)


def _links(query: GuideQuery) -> dict[str, str]:
    """Where the page links a query to: the query page (editor and results), and the endpoint's results."""
    endpoint = url_for("sparql.endpoint")
    return {
        "open": url_for("pages.query_page") + "?" + urlencode({"query": query.query}),
        "json": endpoint + "?" + urlencode({"query": query.query, "format": "json"}),
        "csv": endpoint + "?" + urlencode({"query": query.query, "format": "csv"}),
        "asserted": endpoint + "?" + urlencode({"query": query.query, "format": "csv", "infer": "false"}),
    }


@bp.route("/guide")
def guide() -> BaseResponse:
    """The guide: how the graph is laid out and queried, and each guide query with links to run it."""
    queries = [(query, _links(query)) for query in guide_queries()]
    return Response(render_template("guide.html", queries=queries), mimetype="text/html")
