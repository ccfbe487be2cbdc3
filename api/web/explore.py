"""Comparing strategies and finding partner regions: ``/compare``, ``/partners/<key>``, ``/api/partners/<key>``.

``/compare?strategy=blekinge&strategy=norrbotten`` puts two to :data:`MAX_COMPARED` strategies side by
side (what :func:`~ris3kg.graph.linked_data.compare.compare_profiles` finds); without two strategies it
offers a form to choose them. ``/partners/<key>`` ranks the regions whose priorities are most like a
strategy's (:mod:`ris3kg.graph.linked_data.partners`, where the measure is explained), and
``/api/partners/<key>`` gives the same as JSON. A strategy is a packaged strategy's key or an accepted
submission's namespace: a key a client sends is only compared with the keys there are, and only the
named graph of the one it matches is bound into the pages' fixed queries, which run in the page workers.
Each page is computed once per store generation (the most recent ones are kept).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.errors import HttpError, wants_json
from ris3kg.api.web.state import cached, dataset, strategies, strategy
from ris3kg.graph.catalogue import strategy_parts
from ris3kg.graph.linked_data.compare import (
    FACETS,
    KINDS,
    Comparison,
    StrategyProfile,
    Text,
    compare_profiles,
    comparison_json,
    strategy_profile,
)
from ris3kg.graph.linked_data.partners import (
    PartnerRanking,
    evidence_graphs,
    graph_passages,
    rank_partners,
    ranking_json,
    read_candidates,
    with_passages,
)
from ris3kg.shapes.enabling.sources import StrategySource, UnknownStrategyError

bp = Blueprint("explore", __name__, template_folder="templates")

MAX_COMPARED = 6
"""The most strategies one comparison puts side by side."""

EVIDENCE_TOP = 15
"""How many of the best partners show the passages of their evidence."""

_MAX_KEY = 200


def _json(data: object, status: int = 200) -> Response:
    return _json_text(json.dumps(data, ensure_ascii=False, indent=1), status)


def _json_text(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Vary"] = "Accept"
    return response


def _find(key: str) -> StrategySource:
    """The strategy with this key; a 404 that lists the keys when there is none."""
    if len(key) > _MAX_KEY:
        raise HttpError(404, f"no strategy has a key that long; use one of {', '.join(_keys())}")
    try:
        return strategy(key)
    except UnknownStrategyError as exc:
        raise HttpError(
            404,
            f"no strategy {key!r:.80}: use one of {', '.join(exc.known)} "
            "(a packaged strategy's key or an accepted submission's namespace)",
        ) from exc


def _keys() -> tuple[str, ...]:
    return tuple(source.key for source in strategies())


def _profile(source: StrategySource) -> StrategyProfile:
    title = source.title
    return cached(
        f"explore profile {source.graph}",
        lambda: strategy_profile(dataset().bounded, source.key, title, source.graph),
        recent="entities",
    )


# --------------------------------------------------------------------------- compare


@bp.route("/compare")
def compare() -> BaseResponse:
    """Strategies side by side (HTML, or JSON with ``Accept: application/json`` or ``?format=json``)."""
    keys = [value.strip() for given in request.args.getlist("strategy") for value in given.split(",") if value.strip()]
    as_json = wants_json()
    if len(keys) > MAX_COMPARED:
        return _refuse(400, f"compare at most {MAX_COMPARED} strategies at a time ({len(keys)} were given)", keys)
    seen: set[str] = set()
    twice = [key for key in keys if key in seen or seen.add(key)]  # type: ignore[func-returns-value]
    if twice:
        return _refuse(400, f"each strategy may be given once; given twice: {', '.join(sorted(set(twice)))}", keys)
    try:
        sources = [_find(key) for key in keys]
    except HttpError as exc:
        return _refuse(exc.status, exc.message, keys)
    if len(sources) < 2:
        if not keys:
            return _refuse(200, "", keys)
        return _refuse(400, "choose at least two strategies to compare", keys)
    fmt = "json" if as_json else "html"
    # One page per set of strategies, in the order of their keys: orderings of one set cannot fill the cache.
    sources.sort(key=lambda source: source.key)
    key = " ".join(source.key for source in sources)
    body = cached(f"explore compare {fmt} {key}", lambda: _compare_body(sources, fmt), recent="entities")
    if as_json:
        return _json_text(body)
    response = Response(body, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


def _compare_body(sources: Sequence[StrategySource], fmt: str) -> str:
    comparison = compare_profiles([_profile(source) for source in sources])
    if fmt == "json":
        return json.dumps(comparison_json(comparison), ensure_ascii=False)
    return _render_compare(comparison, sources, message="", chosen=[s.key for s in sources])


def _render_compare(
    comparison: Comparison | None, sources: Sequence[StrategySource], *, message: str, chosen: Sequence[str]
) -> str:
    return render_template(
        "compare.html",
        comparison=comparison,
        kinds=KINDS,
        facets=FACETS,
        strategies=strategies(),
        chosen=list(chosen),
        message=message,
        max_compared=MAX_COMPARED,
        packaged={part.key for part in strategy_parts()},
    )


def _refuse(status: int, message: str, keys: Sequence[str]) -> Response:
    """The picker form with a message (HTML), or the message (JSON), with the status."""
    if wants_json():
        error = message or f"give two to {MAX_COMPARED} strategy= keys"
        return _json({"error": error, "strategies": list(_keys())}, 400 if status == 200 else status)
    body = _render_compare(None, (), message=message, chosen=[key[:_MAX_KEY] for key in keys])
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


# --------------------------------------------------------------------------- partners


def _ranking(source: StrategySource) -> PartnerRanking:
    def compute() -> PartnerRanking:
        current = dataset()
        candidates = cached("explore partner candidates", lambda: read_candidates(current.bounded))
        ranking = rank_partners(candidates, source.graph)
        passages: dict[str, tuple[Text, ...]] = {}
        for graph in evidence_graphs(ranking, top=EVIDENCE_TOP):

            def read(g: str = graph) -> dict[str, tuple[Text, ...]]:
                return graph_passages(current.bounded, g)

            passages.update(cached(f"explore passages {graph}", read, recent="entities"))
        return with_passages(ranking, passages, top=EVIDENCE_TOP)

    return cached(f"explore partners {source.graph}", compute, recent="entities")


def _region_urls(ranking: PartnerRanking) -> dict[str, str]:
    codes = (
        {p.region.code for p in ranking.partners}
        | {r.code for r in ranking.regions}
        | {r.code for r in ranking.unmatched}
    )
    return {code: url_for("regions.region", code=code) for code in codes if code}


def _partners_json(source: StrategySource) -> str:
    ranking = _ranking(source)
    data: dict[str, object] = {"strategy": {"key": source.key, "title": source.title, "graph": source.graph}}
    data.update(ranking_json(ranking, region_url=_region_urls(ranking)))
    data["sources"] = {s.graph: s.key for s in strategies()}
    return json.dumps(data, ensure_ascii=False)


@bp.route("/partners/")
def partners_index() -> BaseResponse:
    """The strategies whose partners can be searched for."""
    if wants_json():
        listed = [{"key": s.key, "title": s.title, "url": url_for(".api_partners", key=s.key)} for s in strategies()]
        return _json(listed)
    return Response(render_template("partners.html", ranking=None, source=None, strategies=strategies()))


@bp.route("/partners/<path:key>")
def partners(key: str) -> BaseResponse:
    """The ranked partner regions of a strategy (HTML, or JSON with ``Accept: application/json``)."""
    source = _find(key)
    if wants_json():
        return _json_text(
            cached(f"explore partners json {source.graph}", lambda: _partners_json(source), recent="entities")
        )
    body = cached(f"explore partners html {source.graph}", lambda: _partners_page(source), recent="entities")
    response = Response(body, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/api/partners/<path:key>")
def api_partners(key: str) -> BaseResponse:
    """The ranked partner regions of a strategy as JSON (an unknown key: a 404 that lists the keys)."""
    source = _find(key)
    return _json_text(
        cached(f"explore partners json {source.graph}", lambda: _partners_json(source), recent="entities")
    )


def _partners_page(source: StrategySource) -> str:
    ranking = _ranking(source)
    by_graph = {s.graph: s for s in strategies()}
    packaged = {part.key for part in strategy_parts()}
    return render_template(
        "partners.html",
        ranking=ranking,
        source=source,
        strategies=strategies(),
        by_graph=by_graph,
        region_urls=_region_urls(ranking),
        evidence_top=EVIDENCE_TOP,
        gephi=url_for("export.view", name="partners", fmt="gexf", strategy=source.key)
        if source.key in packaged
        else None,
    )
