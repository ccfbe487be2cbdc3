"""Network downloads for Gephi: ``/export/`` lists the views, ``/export/<view>.<format>`` exports one.

Formats: ``gexf`` (GEXF 1.3), ``graphml``, ``csv`` (a zip of a node and an edge table). Views take
the filters ``strategy``, ``region``, ``theme`` (repeated or comma-separated) and ``lang``.
``/export/query.<format>?query=...`` (GET or POST) exports a user's CONSTRUCT or SELECT query,
checked and run exactly as ``/sparql`` runs queries.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.app import cached, dataset
from ris3kg.api.query_network import query_network
from ris3kg.api.sparql import error_response
from ris3kg.graph.formats import ExportFormat, export_format, to_bytes
from ris3kg.graph.network import Network
from ris3kg.graph.views import VIEWS, UnknownViewError, ViewError, ViewFilter, build_view

bp = Blueprint("export", __name__)


@bp.route("/export/")
def index() -> BaseResponse:
    """The views as JSON: name, title, description and a download URL per format."""
    return jsonify(
        [
            {
                "name": view.name,
                "title": view.title,
                "description": view.description,
                "downloads": {fmt.value: view_url(view.name, fmt) for fmt in ExportFormat},
            }
            for view in VIEWS.values()
        ]
    )


def view_url(name: str, fmt: ExportFormat) -> str:
    """The download URL of a view in a format."""
    return url_for("export.view", name=name, fmt=fmt.value)


@bp.route("/export/query.<fmt>", methods=["GET", "POST"])
def query(fmt: str) -> BaseResponse:
    """Export a CONSTRUCT or SELECT query (``query=``, GET or POST form) as a network."""
    params = request.values
    text = params.get("query")
    if not text:
        return error_response(400, "give the SPARQL query to export in the query parameter")
    current = dataset()  # one generation for the checks and the run
    config = current_app.config
    try:
        chosen = export_format(fmt)
    except ValueError as exc:
        return error_response(400, str(exc))
    # Policy refusals, engine errors and limits go to the error table (400, or 503 with Retry-After).
    try:
        network = query_network(
            text,
            executor=current.executor,
            max_rows=int(config["MAX_RESULT_ROWS"]),
            max_bytes=int(config["MAX_RESULT_BYTES"]),
            language=params.get("lang", "en"),
        )
    except ViewError as exc:  # a result that is not a network
        return error_response(400, str(exc))
    return _download(network, chosen, "query")


@bp.route("/export/<name>.<fmt>")
def view(name: str, fmt: str) -> BaseResponse:
    """Export a view, narrowed by ``strategy``, ``region``, ``theme`` and labelled in ``lang``."""
    try:
        chosen = export_format(fmt)
    except ValueError as exc:
        return error_response(400, str(exc))
    view_filter = _filter(request.args)
    store = dataset().bounded  # the view's queries run under the page workers' limits
    try:
        key = f"view:{name}:{view_filter!r}:{chosen.value}"
        body = cached(key, lambda: to_bytes(build_view(store, name, view_filter=view_filter), chosen), recent="views")
    except UnknownViewError as exc:
        return error_response(404, str(exc))
    except ViewError as exc:
        return error_response(400, str(exc))
    assert isinstance(body, bytes)
    return _attachment(body, chosen, name)


def _filter(args: MultiDict[str, str]) -> ViewFilter:
    return ViewFilter(
        strategies=_values(args, "strategy"),
        regions=_values(args, "region"),
        themes=_values(args, "theme"),
        language=args.get("lang", "en"),
    )


def _values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    return tuple(value.strip() for given in args.getlist(name) for value in given.split(",") if value.strip())


def _download(network: Network, fmt: ExportFormat, name: str) -> Response:
    return _attachment(to_bytes(network, fmt), fmt, name)


def _attachment(body: bytes, fmt: ExportFormat, name: str) -> Response:
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="ris3kg-{name}.{fmt.extension}"'
    return response
