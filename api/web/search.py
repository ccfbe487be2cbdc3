"""Search: ``/search?q=...`` over labels, descriptions and quoted passages (HTML, or JSON by ``Accept``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("search", __name__, template_folder="templates")


@bp.route("/search")
def search() -> str:
    """Placeholder: replaced by the real page."""
    return "not yet"
