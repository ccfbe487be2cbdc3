"""Comparing strategies and finding partner regions: ``/compare``, ``/partners/<key>``, ``/api/partners/<key>``."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("explore", __name__, template_folder="templates")


@bp.route("/compare")
def compare() -> str:
    """Placeholder: replaced by the real page."""
    return "not yet"
