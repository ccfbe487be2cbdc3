"""Security headers on every response: a strict Content-Security-Policy and its companions.

The policy allows scripts, styles and images from the server's own files only (images also as
``data:`` URLs): no inline script, no ``on*=`` handler, no ``style=`` attribute, no ``<style>``
element, no plug-ins, no ``<base>``, forms posted only to the server, and the pages never framed.
The templates are written for it; ``tests/test_safe_output.py`` checks them in a real browser.

Register it in the application factory::

    app.after_request(secure_headers)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from flask import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""The Content-Security-Policy of every response."""

COLUMN_RESIZER_STYLES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
)
"""The hashes of the two ``<style>`` elements YASGUI's results table adds (the column-resizer
package bundled in ``static/vendor/yasgui/yasgui.min.js``): its grips' rules, when a table is
drawn, and ``*{cursor:col-resize!important}`` while a column is dragged. Fixed strings of the
vendored script; ``tests/api/web/test_safe_output.py`` recomputes them from it."""

QUERY_PAGE_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' " + " ".join(COLUMN_RESIZER_STYLES)
)
"""The Content-Security-Policy of the query page (``/``), which the route sets itself.

The page's SPARQL editor (YASGUI) adds two ``<style>`` elements of fixed text, which
:data:`CONTENT_SECURITY_POLICY` would block: this policy allows those two by their hashes, and
nothing else. Scripts stay as strict as everywhere (no ``'unsafe-inline'``, no ``'unsafe-eval'``),
and styles take no ``'unsafe-inline'`` either: the editor sets its element styles from script
(CSSOM), which a policy does not restrict, not with ``style=`` attributes."""

SECURITY_HEADERS: Mapping[str, str] = MappingProxyType(
    {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }
)
"""The headers :func:`secure_headers` sets, by name."""


def secure_headers(response: Response) -> Response:
    """Set the security headers on a response, for ``app.after_request``.

    A header the route has already set (a looser policy for one page, say) is left as it is.

    Args:
        response: The response about to be sent.

    Returns:
        The same response.
    """
    for name, value in SECURITY_HEADERS.items():
        if name not in response.headers:
            response.headers[name] = value
    return response
