"""The network views in the browser: ``/network/`` lists them, ``/network/<view>`` draws one.

A view's page is a frame for ``static/network.js``, which fetches the view's GEXF from
``/export/<view>.gexf`` with the page's own parameters and draws it with sigma.js (vendored in
``static/vendor/network/``). The page passes the filters (``strategy``, ``region``, ``theme``,
``lang``) and the drawing options (:data:`~ris3kg.graph.export.options.OPTION_NAMES`) through to
that address and to its download links, never reading them otherwise: the export checks them and
answers a wrong one with a 400, which the script shows. The filter form offers the same values
the export takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from ris3kg.api.web.state import strategies
from ris3kg.graph.export.formats import ExportFormat
from ris3kg.graph.export.options import (
    OPTION_NAMES,
    Backbone,
    ColourBy,
    Isolated,
    SizeBy,
    Timeline,
)
from ris3kg.graph.export.views import LANGUAGES, VIEWS, View

bp = Blueprint("network", __name__, template_folder="templates")

FILTER_NAMES = ("strategy", "region", "theme", "lang")
"""The view filters a page passes through (``strategy``, ``region`` and ``theme`` may repeat)."""

PASSED = (*FILTER_NAMES, *OPTION_NAMES)
"""Every parameter a page passes through to the export, in this order."""

MAX_VALUES = 20
"""The most values of one parameter a page passes on (the rest are dropped)."""

MAX_VALUE_LENGTH = 200
"""The longest value a page passes on (a longer one is cut)."""

OPTION_CHOICES: Mapping[str, tuple[str, ...]] = {
    "colour": tuple(member.value for member in ColourBy),
    "size": tuple(member.value for member in SizeBy),
    "isolated": tuple(member.value for member in Isolated),
    "timeline": tuple(member.value for member in Timeline),
    "backbone": tuple(member.value for member in Backbone),
}
"""The values of each option the form offers as a choice, the export's default first."""


@bp.route("/network/")
def index() -> Response:
    """The views: title, description, a link to each one's page and its downloads."""
    return Response(_render_index(message=""), mimetype="text/html")


@bp.route("/network/<name>")
def view(name: str) -> Response:
    """A view drawn in the browser, with the filters and options of the query string.

    An unknown view is a 404 page that lists the views there are.
    """
    chosen = VIEWS.get(name)
    if chosen is None:
        message = f"There is no network view {name[:80]!r}; choose one of {', '.join(VIEWS)}."
        return Response(_render_index(message=message), status=404, mimetype="text/html")
    params = passed_params(request.args)
    body = render_template(
        "network.html",
        view=chosen,
        params=params,
        chosen={key: set(values) for key, values in params.items()},
        first={key: values[0] for key, values in params.items() if values},
        gexf=_export_url(chosen, ExportFormat.GEXF, params),
        downloads=_downloads(chosen, params),
        strategies=strategies(),
        languages=LANGUAGES,
        choices=OPTION_CHOICES,
        # the views weighted by similarity (a backbone applies): their form offers it, with their alpha
        weighted=chosen.defaults.backbone is not None,
        default_alpha=chosen.defaults.alpha,
        views=VIEWS.values(),
    )
    return Response(body, mimetype="text/html")


def passed_params(args: MultiDict[str, str]) -> dict[str, list[str]]:
    """The parameters a page passes on: the known ones, in a fixed order, comma lists split, empty ones dropped.

    Args:
        args: The page's query string.

    Returns:
        Each given parameter of :data:`PASSED` with its values (at most :data:`MAX_VALUES`, each at
        most :data:`MAX_VALUE_LENGTH` characters), as they were given otherwise.
    """
    params: dict[str, list[str]] = {}
    for key in PASSED:
        values = [
            value.strip()[:MAX_VALUE_LENGTH]
            for given in args.getlist(key)
            for value in (given.split(",") if key in ("strategy", "region", "theme") else (given,))
            if value.strip()
        ]
        if key not in ("strategy", "region", "theme"):
            values = values[:1]
        if values:
            params[key] = values[:MAX_VALUES]
    return params


def _downloads(chosen: View, params: Mapping[str, list[str]]) -> dict[str, str]:
    return {fmt.value: _export_url(chosen, fmt, params) for fmt in ExportFormat}


def _export_url(chosen: View, fmt: ExportFormat, params: Mapping[str, list[str]]) -> str:
    """The export's address of a view with the page's parameters (``url_for`` encodes them)."""
    values: dict[str, Any] = dict(params)
    return url_for("export.view", name=chosen.name, fmt=fmt.value, **values)


def _render_index(*, message: str) -> str:
    return render_template(
        "network_index.html",
        views=[(view, _downloads(view, {})) for view in VIEWS.values()],
        message=message,
    )
