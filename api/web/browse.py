"""Browsing without SPARQL: ``/browse`` (the classes), ``/class/<name>``, ``/strategy/<key>``, ``/theme/<name>``."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("browse", __name__, template_folder="templates")


@bp.route("/browse")
def index() -> str:
    """Placeholder: replaced by the real page."""
    return "not yet"
