"""Deprecated: the web app's factory is ``ris3kg.api.web.app:create_app``.

This module keeps deployments started as ``ris3kg.api.app:create_app`` (the name before the web
app had a package of its own) working; it will go in a later release.
"""

import warnings

from ris3kg.api.web.app import create_app

warnings.warn(
    "ris3kg.api.app is deprecated: serve 'ris3kg.api.web.app:create_app' instead", FutureWarning, stacklevel=2
)

__all__ = ["create_app"]
