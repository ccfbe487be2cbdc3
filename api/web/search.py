"""Search: ``/search?q=...`` over labels, descriptions and quoted passages (HTML, or JSON by ``Accept``).

The search runs on the index of the request's generation of the store
(:mod:`ris3kg.graph.search.index`), written once per generation into a folder beside the store
(``.store.search/<generation>``; the user's cache folder when the store's folder may not be
written), by the first search of that generation, in a child process; a search waits at most
``PAGE_WAIT`` seconds for it and is otherwise told to come back (503 with ``Retry-After``).

Parameters: ``q`` (at most 200 characters; empty: the empty search page), ``page`` (1 to 50), one
value for each facet (``kind``, ``strategy``, ``region``, ``country``, ``theme``, ``period``: an
IRI the index holds, compared with its values and used as an exact term, never as query text),
``format`` (``html`` or ``json``; by default the ``Accept`` header decides). Bad parameters are a
400 with a message saying which and why.
"""

from __future__ import annotations

import contextlib
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.errors import HttpError, page_number, wants_json
from ris3kg.api.web.pages import link_for
from ris3kg.api.web.state import artefact_root, dataset, settings, state
from ris3kg.graph.search.index import FACETS, IndexCache, SearchIndex, SearchIndexError
from ris3kg.graph.search.query import (
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    Hit,
    SearchError,
    SearchResult,
    check_query,
)
from ris3kg.graph.search.query import search as run_search

bp = Blueprint("search", __name__, template_folder="templates")

EXTENSION = "ris3kg-search"
"""Where the application keeps its :class:`~ris3kg.graph.search.index.IndexCache`."""
RETRY_AFTER = 5
"""Seconds after which a client told that the index is being built should try again."""
INDEX_WAIT = 5.0
"""Seconds a search waits for the index being built (at most ``PAGE_WAIT``), holding its request thread."""
FACET_NAMES = {
    "kind": "Kind",
    "strategy": "Strategy or study",
    "region": "Region",
    "country": "Country",
    "theme": "Theme",
    "period": "Period",
}


@bp.record_once
def _make_cache(setup: BlueprintSetupState) -> None:
    app = setup.app
    assert isinstance(app, Flask)
    app_state = state(app)
    app.extensions[EXTENSION] = IndexCache(
        artefact_root(app_state.store_path, "search"), max_memory=app_state.settings.page_max_memory
    )


def _cache() -> IndexCache:
    cache = current_app.extensions[EXTENSION]
    assert isinstance(cache, IndexCache)
    return cache


WARMING_PAGES = frozenset({"pages", "browse", "explore", "regions", "search"})
"""The blueprints whose pages start building a new generation's index, so that it is ready by the first search."""


@bp.before_app_request
def _warm_index() -> None:
    """Start writing the current generation's index at the first page a person opens (not static files or the API).

    It is written in a child process of its own (see :class:`IndexCache`): the page does not wait.
    """
    if request.blueprint not in WARMING_PAGES or request.endpoint == "pages.static":
        return
    with contextlib.suppress(SearchIndexError, OSError):
        _cache().get(dataset().generation, wait=0)


def _index() -> SearchIndex:
    try:
        found = _cache().get(dataset().generation, wait=min(settings().page_wait, INDEX_WAIT))
    except SearchIndexError as exc:
        raise HttpError(503, f"{exc}; try again later", headers={"Retry-After": str(RETRY_AFTER * 6)}) from exc
    if found is None:
        raise HttpError(
            503,
            "the search index of the current data is being built; try again in a few seconds",
            headers={"Retry-After": str(RETRY_AFTER)},
        )
    return found


def _page() -> int:
    try:
        return page_number(MAX_PAGE)
    except HttpError as exc:
        raise SearchError(exc.message) from exc


def _filters() -> dict[str, str]:
    chosen = {}
    for facet in FACETS:
        values = [v for v in request.args.getlist(facet) if v]
        if len(values) > 1:
            raise SearchError(f"give one {facet} at most")
        if values:
            if len(values[0]) > 1000:
                raise SearchError(f"unknown {facet}: the value is not one the search index holds")
            chosen[facet] = values[0]
    return chosen


def _url(q: str, filters: dict[str, str], **changes: str | int | None) -> str:
    args: dict[str, Any] = {"q": q, **filters}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    if args.get("page") == 1:
        args.pop("page")
    return url_for("search.search", **args)


def _hit_json(hit: Hit) -> dict[str, object]:
    return {
        "iri": hit.iri,
        "url": link_for(hit.iri),
        "title": hit.title,
        "score": round(hit.score, 4),
        "kind": None if hit.kind is None else {"iri": hit.kind.value, "label": hit.kind.label},
        "strategy": None if hit.strategy is None else {"iri": hit.strategy.value, "label": hit.strategy.label},
        "language": hit.language,
        "via_theme": hit.via_theme,
        "themes": [{"iri": t.value, "label": t.label} for t in hit.themes],
        "snippet": None
        if hit.snippet is None
        else {
            "text": hit.snippet.text,
            "html": hit.snippet.html,
            "highlights": [list(h) for h in hit.snippet.highlights],
            "kind": hit.snippet.kind,
        },
    }


def _json(result: SearchResult) -> dict[str, object]:
    return {
        "query": result.query,
        "filters": result.filters,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "hits": [_hit_json(hit) for hit in result.hits],
        "facets": {
            facet.name: [
                {
                    "value": v.value,
                    "label": v.label,
                    "count": v.count,
                    "selected": v.selected,
                    "url": _url(result.query, result.filters, **{facet.name: None if v.selected else v.value}),
                }
                for v in facet.values
            ]
            for facet in result.facets
        },
        "notes": list(result.notes),
    }


def _answer(
    wants_json: bool, q: str, *, result: SearchResult | None = None, error: str | None = None, status: int = 200
) -> BaseResponse:
    if wants_json:
        body: dict[str, object] = {"error": error} if error is not None else {}
        if result is not None:
            body = _json(result)
        elif error is None:
            body = {"query": q, "filters": {}, "total": 0, "page": 1, "hits": [], "facets": {}, "notes": []}
        response = jsonify(body)
        response.status_code = status
    else:
        page = render_template(
            "search.html",
            search_query=q,
            result=result,
            error=error,
            facet_names=FACET_NAMES,
            snippet=lambda hit: Markup(hit.snippet.html) if hit.snippet is not None else "",  # escaped in Snippet.html
            url=_url,
            max_length=MAX_QUERY_LENGTH,
        )
        response = Response(page, status=status, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/search")
def search() -> BaseResponse:
    """Search the graph: ranked hits with snippets, facet counts to narrow by, as a page or JSON."""
    q = request.args.get("q", "")
    try:
        as_json = wants_json()
    except HttpError as refused:
        return _answer(False, q[:MAX_QUERY_LENGTH], error=refused.message, status=refused.status)
    shown = q[:MAX_QUERY_LENGTH]
    try:
        q = check_query(q)
        page = _page()
        filters = _filters()
        if not q:
            return _answer(as_json, "")
        result = run_search(_index(), q, filters=filters, page=page)
    except SearchError as exc:
        return _answer(as_json, shown, error=str(exc), status=400)
    except HttpError as refused:
        response = _answer(as_json, shown, error=refused.message, status=refused.status)
        response.headers.update(refused.headers)
        return response
    return _answer(as_json, q, result=result)
