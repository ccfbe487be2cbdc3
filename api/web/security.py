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
