"""Browsing without SPARQL: ``/browse`` (the classes), ``/class/<name>``, ``/strategy/<key>``, ``/theme/<name>``.

``/browse`` lists the classes of the ontology that have instances, by group, with their counts, the
strategies and the themes. ``/class/<name>`` lists a class's instances, filtered by ``?q=`` (part of a
label, in Python over the fetched list) and ``?strategy=`` (a strategy's key), a page at a time.
``/strategy/<key>`` shows a strategy's graph structured by kind, ``/themes`` the themes and
``/theme/<name>`` what every strategy says under one theme.

Every name or key a client sends is first looked up among the known ones (the class index, the
strategies, the themes, each computed once per generation): an unknown one is a 404 that lists the
known ones, and only a known one is ever bound as a term into the fixed queries of
:mod:`ris3kg.graph.linked_data.browse`, ``.strategy`` and ``.theme``, which run in the page workers.
The values that depend on a client's choice are kept among the most recent ``entities``.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request

from ris3kg.api.web.errors import page_number
from ris3kg.api.web.state import cached, dataset, strategies
from ris3kg.api.web.state import strategy as state_strategy
from ris3kg.graph.linked_data.browse import ClassIndex, Instance, class_index, class_instances, filter_instances
from ris3kg.graph.linked_data.strategy import strategy_view
from ris3kg.graph.linked_data.theme import THEME_BASE, ThemeInfo, theme_index, theme_view
from ris3kg.shapes.enabling.sources import StrategySource, UnknownStrategyError

bp = Blueprint("browse", __name__, template_folder="templates")

PAGE_SIZE = 50
"""Instances per page of a class."""
MAX_QUERY = 200
"""The longest ``?q=`` filter."""
MAX_PAGE = 10_000
"""The highest page number accepted."""


@dataclass(frozen=True)
class Strategies:
    """The strategies of this generation, with the named graph of each.

    Attributes:
        sources: The packaged strategies and accepted submissions.
    """

    sources: tuple[StrategySource, ...]

    def by_graph(self) -> dict[str, StrategySource]:
        """The strategies by named graph."""
        return {source.graph: source for source in self.sources}


def _classes() -> ClassIndex:
    return cached("browse classes", lambda: class_index(dataset().bounded))


def _themes() -> tuple[ThemeInfo, ...]:
    return cached("browse themes", lambda: theme_index(dataset().bounded))


def _strategies() -> Strategies:
    return cached("browse strategies", lambda: Strategies(strategies()))


def _html(body: str) -> Response:
    return Response(body, mimetype="text/html")


@bp.route("/browse")
def index() -> Response:
    """The classes that have instances, by group, the strategies and the themes."""
    body = cached(
        "browse page",
        lambda: render_template(
            "browse.html", groups=_classes().groups(), strategies=_strategies().sources, themes=_themes()
        ),
    )
    return _html(body)


@bp.route("/class/<path:name>")
def class_page(name: str) -> Response:
    """A class: its label, comment, count and a filtered, paged list of its instances."""
    classes = _classes()
    info = classes.find(name)
    if info is None:
        abort(404, description=_unknown("class", name, classes.names))
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY:
        abort(400, description=f"q= is at most {MAX_QUERY} characters")
    page = page_number(MAX_PAGE)
    strategies = _strategies()
    key = request.args.get("strategy", "")
    graphs: frozenset[str] | None = None
    chosen: StrategySource | None = None
    if key:
        chosen = _strategy(key)
        graphs = frozenset({chosen.graph})
    instances = cached(
        f"browse class {info.iri}", lambda: class_instances(dataset().bounded, info.iri), recent="entities"
    )
    found = filter_instances(instances.items, text=text or None, graphs=graphs)
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    if page > pages:
        abort(400, description=f"page= must be between 1 and {pages} for this list")
    shown: tuple[Instance, ...] = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    by_graph = strategies.by_graph()
    counts = {s.key: sum(1 for i in instances.items if s.graph in i.graphs) for s in strategies.sources}
    return _html(
        render_template(
            "class.html",
            info=info,
            classes=classes,
            items=shown,
            total=len(found),
            truncated=instances.truncated,
            page=page,
            pages=pages,
            q=text,
            strategy=chosen,
            strategies=[s for s in strategies.sources if counts[s.key]],
            counts=counts,
            by_graph=by_graph,
        )
    )


def _strategy(key: str) -> StrategySource:
    try:
        return state_strategy(key)
    except UnknownStrategyError as exc:
        abort(404, description=str(exc))


@bp.route("/strategy/<path:key>")
def strategy(key: str) -> Response:
    """A strategy's graph structured by kind: vision and goals, areas, challenges and actions, governance, actors."""
    source = _strategy(key)

    def page() -> str:
        view = strategy_view(dataset().bounded, source.graph)
        if view is None:
            return ""
        others = [s.key for s in _strategies().sources if s.key != source.key]
        return render_template("strategy.html", view=view, source=source, theme_base=THEME_BASE, other_keys=others)

    body = cached(f"browse strategy {source.graph}", page, recent="entities")
    if not body:
        abort(404, description=f"the graph of {source.key} documents no strategy or study")
    return _html(body)


@bp.route("/themes")
def themes() -> Response:
    """The themes of the theme scheme, with how many elements of each strategy name them."""
    body = cached(
        "browse themes page",
        lambda: render_template("themes.html", themes=_themes(), by_graph=_strategies().by_graph()),
    )
    return _html(body)


@bp.route("/theme/<path:name>")
def theme(name: str) -> Response:
    """What every strategy says under one theme, with the passages."""
    found = {t.name: t for t in _themes()}
    info = found.get(name)
    if info is None:
        abort(404, description=_unknown("theme", name, tuple(sorted(found))))

    def page() -> str:
        view = theme_view(dataset().bounded, info)
        return render_template("theme.html", view=view, by_graph=_strategies().by_graph())

    return _html(cached(f"browse theme {info.iri}", page, recent="entities"))


def _unknown(kind: str, name: str, known: tuple[str, ...]) -> str:
    """Say that there is no such class or theme, with the closest names and all of them."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6) if len(name) <= 100 else []
    shown = repr(name[:80])
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    plural = "classes" if kind == "class" else f"{kind}s"
    return f"there is no {kind} {shown}{hint}. Known {plural}: {', '.join(known)}"
