"""Network downloads for Gephi: ``/export/`` lists the views, ``/export/<view>.<format>`` exports one.

Formats: ``gexf`` (GEXF 1.3), ``graphml``, ``csv`` (a zip of a node and an edge table). Views take
the filters ``strategy``, ``region``, ``theme`` (repeated or comma-separated) and ``lang``, and the
drawing options ``colour``, ``size``, ``isolated``, ``backbone``, ``alpha`` and ``timeline``
(:mod:`ris3kg.graph.export.options`); every view comes laid out and coloured.
``/export/query.<format>?query=...`` (GET or POST) exports a user's CONSTRUCT or SELECT query,
checked and run exactly as ``/sparql`` runs queries; when it cannot, a browser gets a page saying why
(with the nearest view, for an example query), other clients the error table's plain text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse
from werkzeug.wsgi import wrap_file

from ris3kg.api.settings import MIB
from ris3kg.api.web.errors import HttpError, answer_for
from ris3kg.api.web.sparql import error_response
from ris3kg.api.web.state import dataset, keep, recall, settings, state
from ris3kg.graph.export.drawing import ViewDefaults
from ris3kg.graph.export.formats import ExportFormat, export_format
from ris3kg.graph.export.from_query import QueryShapeError, query_network
from ris3kg.graph.export.job import ExportJob
from ris3kg.graph.export.options import (
    OPTION_NAMES,
    Backbone,
    ColourBy,
    Isolated,
    SizeBy,
    Timeline,
    ViewOptions,
    parse_options,
)
from ris3kg.graph.export.views import VIEWS, ViewFilter
from ris3kg.graph.sparql.examples import example_by_query
from ris3kg.graph.sparql.executor import QueryError, QueryLimitError
from ris3kg.graph.sparql.policy import RefusedQueryError
from ris3kg.ontology.formats import UnknownFormatError

bp = Blueprint("export", __name__)


@bp.route("/export/")
def index() -> BaseResponse:
    """The views as JSON: name, title, description, a download URL per format, its page, its drawing defaults.

    Each view also lists the drawing options it takes, with their values and its defaults
    (``isolated``; ``backbone`` and ``alpha`` for the views weighted by similarity).
    """
    return jsonify(
        [
            {
                "name": view.name,
                "title": view.title,
                "description": view.description,
                "downloads": {fmt.value: view_url(view.name, fmt) for fmt in ExportFormat},
                "page": url_for("network.view", name=view.name),
                "options": _option_table(view.defaults),
            }
            for view in VIEWS.values()
        ]
    )


def _option_table(defaults: ViewDefaults) -> dict[str, dict[str, object]]:
    """The drawing options a view takes: their values and the view's default."""
    table: dict[str, dict[str, object]] = {
        "colour": {"values": [c.value for c in ColourBy], "default": ColourBy.KIND.value},
        "size": {"values": [s.value for s in SizeBy], "default": SizeBy.DEGREE.value},
        "isolated": {"values": [i.value for i in Isolated], "default": defaults.isolated.value},
        "timeline": {"values": [t.value for t in Timeline], "default": Timeline.NONE.value},
    }
    if defaults.backbone is not None:
        table["backbone"] = {"values": [b.value for b in Backbone], "default": defaults.backbone.value}
        table["alpha"] = {"values": "a number above 0 and at most 1", "default": defaults.alpha}
    return table


def view_url(name: str, fmt: ExportFormat) -> str:
    """The download URL of a view in a format."""
    return url_for("export.view", name=name, fmt=fmt.value)


@bp.route("/export/query.<fmt>", methods=["GET", "POST"])
def query(fmt: str) -> BaseResponse:
    """Export a CONSTRUCT or SELECT query (``query=``, GET or POST form) as a network.

    When it cannot (no query, a refused query, a result that is not a network, an unknown format),
    a browser gets a page saying why (:func:`query_error_page`); other clients the error table's
    plain text.
    """
    params = request.values
    text = params.get("query")
    try:
        if not text:
            raise HttpError(400, "give the SPARQL query to export in the query parameter")
        chosen = export_format(fmt)
        options = _options(params)  # a bad option is a 400 before the query runs
        current = dataset()  # one generation for the checks and the run
        # Policy refusals, engine errors, limits and results that are not networks go to the error
        # table (400, or 503 with Retry-After), or to a page for a browser.
        network = query_network(
            text,
            executor=current.executor,
            max_rows=settings().max_result_rows,
            max_bytes=settings().max_result_bytes,
            language=params.get("lang", "en"),
        )
        # Drawn (layout, communities, measures) and written in the export worker, under its limits.
        job = ExportJob(str(current.generation), "query", ViewFilter(), chosen, "", options=options, network=network)
        return _send(job, None)
    except Exception as exc:
        page = query_error_page(exc, text or "")
        if page is not None:
            return page
        if isinstance(exc, HttpError):
            return error_response(exc.status, exc.message)
        raise


def wants_page() -> bool:
    """Whether the client prefers HTML to plain text (a browser following a link; not ``*/*``, not JSON)."""
    return request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html"


_HEADINGS: tuple[tuple[type[Exception], str], ...] = (
    (QueryShapeError, "This query's result is not a network"),
    (RefusedQueryError, "This query was refused"),
    (UnknownFormatError, "Unknown network format"),
    (QueryLimitError, "The query could not run now"),
    (QueryError, "The query failed"),
)
"""The error page's heading for each kind of error (the first that matches)."""


def query_error_page(exc: Exception, text: str) -> Response | None:
    """The page a browser gets when a query cannot be exported, or None (not a browser, or a server bug).

    It says what went wrong and why (the error table's message, with its status and headers), offers
    the nearest view when the query is one of the examples (its ``# network:`` header), the formats
    when the one asked for is unknown, and a link back to the query page with the query loaded.

    Args:
        exc: What the export raised.
        text: The query ("" when none was given).
    """
    answer = answer_for(exc)
    if answer is None or not wants_page():
        return None
    example = example_by_query(text) if text else None
    view = VIEWS.get(example.network) if example is not None and example.network else None
    heading = next((title for kind, title in _HEADINGS if isinstance(exc, kind)), "The query cannot be exported")
    if not text:
        heading = "No query to export"
    page = render_template(
        "export_error.html",
        heading=heading,
        message=answer.message,
        status=answer.status,
        not_network=isinstance(exc, QueryShapeError),
        example=example,
        view=view,
        view_downloads={fmt.value: view_url(view.name, fmt) for fmt in ExportFormat} if view else {},
        network_page=url_for("network.view", name=view.name) if view else None,
        formats=(
            {
                fmt.value: url_for("export.query", fmt=fmt.value) + "?" + urlencode({"query": text})
                for fmt in ExportFormat
            }
            if isinstance(exc, UnknownFormatError) and text
            else {}
        ),
        editor=url_for("pages.query_page") + ("?" + urlencode({"query": text}) if text else ""),
    )
    response = Response(page, status=answer.status, mimetype="text/html")
    response.headers.update(answer.headers)
    response.headers["Vary"] = "Accept"
    return response


def query_network_problem(text: str) -> str | None:
    """Why a query does not export as a network, run once as ``/export/query`` runs it; None when it does.

    Args:
        text: The query.

    Returns:
        The reason in one short clause (:attr:`QueryShapeError.reason`), the refusal or the engine's
        error; None when the query exports.

    Raises:
        QueryLimitError: A limit of the run (time, memory), which says nothing of the query's shape.
        PoolBusyError: The workers are busy.
    """
    try:
        query_network(
            text,
            executor=dataset().executor,
            max_rows=settings().max_result_rows,
            max_bytes=settings().max_result_bytes,
        )
    except QueryShapeError as exc:
        return exc.reason
    except QueryLimitError:
        raise
    except (RefusedQueryError, QueryError) as exc:
        return str(exc)
    return None


@bp.route("/export/<name>.<fmt>")
def view(name: str, fmt: str) -> BaseResponse:
    """Export a view, narrowed by ``strategy``, ``region``, ``theme`` and labelled in ``lang``."""
    chosen = export_format(fmt)
    view_filter = _filter(request.args)
    options = _options(request.args)
    current = dataset()
    key = f"view:{name}:{view_filter!r}:{options!r}:{chosen.value}"
    body = recall(key, recent="views")
    if isinstance(body, bytes):
        return _attachment(body, chosen, name)
    job = ExportJob(str(current.generation), name, view_filter, chosen, target="", options=options)
    # Built and written in the export worker, under the page queries' time and memory limits; an
    # unknown view (404), a bad filter (400), a limit or a full queue (503) go to the error table.
    return _send(job, key)


def _send(job: ExportJob, key: str | None) -> Response:
    """Export the job in the export worker and send the file (kept among the recent views under ``key``, if small)."""
    exported = state(current_app).export(job)  # open and already unlinked: it goes when closed
    size = os.fstat(exported.fileno()).st_size
    if key is not None and size <= CACHED_EXPORT_BYTES:  # small: kept for the next request
        with exported:
            body = exported.read()
        return _attachment(keep(key, body, recent="views"), job.fmt, job.view)
    return _attachment(wrap_file(request.environ, exported, STREAM_CHUNK), job.fmt, job.view)


CACHED_EXPORT_BYTES = 8 * MIB
"""Exports up to this size are kept in memory (among the recent views); larger ones are streamed from
their file each time."""

STREAM_CHUNK = 256 * 1024


def _filter(args: MultiDict[str, str]) -> ViewFilter:
    return ViewFilter(
        strategies=_values(args, "strategy"),
        regions=_values(args, "region"),
        themes=_values(args, "theme"),
        language=args.get("lang", "en"),
    )


def _options(args: MultiDict[str, str]) -> ViewOptions:
    """The drawing options (``colour``, ``size``, ``isolated``, ``backbone``, ``alpha``, ``timeline``).

    Raises:
        OptionError: An option has a value it does not take (a 400 naming it and its values).
    """
    return parse_options({name: args[name] for name in OPTION_NAMES if args.get(name)})


def _values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    return tuple(value.strip() for given in args.getlist(name) for value in given.split(",") if value.strip())


def _attachment(body: bytes | Iterable[bytes], fmt: ExportFormat, name: str) -> Response:
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="ris3kg-{name}.{fmt.extension}"'
    return response
