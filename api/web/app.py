"""The Flask application factory: the SPARQL endpoint, the query page, linked-data pages, exports and submissions.

The factory reads the settings (:mod:`ris3kg.api.settings`), makes the shared state
(:mod:`ris3kg.api.web.state`), registers one blueprint per module and the error table
(:mod:`ris3kg.api.web.errors`). Blueprints never import this module.
"""

from __future__ import annotations

import atexit
import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response
from flask_cors import CORS

from ris3kg.api.settings import Settings
from ris3kg.api.tokens import TokenGuard, merge, parse_tokens, read_tokens_file
from ris3kg.api.web import (
    browse,
    dumps,
    enabling,
    explore,
    export,
    guide,
    network,
    pages,
    regions,
    search,
    sparql,
    submissions,
    void,
)
from ris3kg.api.web.errors import register_error_handlers
from ris3kg.api.web.security import secure_headers
from ris3kg.api.web.state import EXTENSION, AppState
from ris3kg.graph.store.oxigraph import default_store_path

_log = logging.getLogger(__name__)

CORS_RESOURCES: dict[str | re.Pattern[str], dict[str, Any]] = {
    prefix: {"origins": "*"}
    for prefix in (
        r"/sparql.*",
        r"/void.*",
        r"/\.well-known/void",
        r"/id/.*",
        r"/region/.*",
        r"/ontology.*",
        r"/export/.*",
        r"/dumps.*",
        r"/search.*",
        r"/api/partners/.*",
    )
}
"""The read-only routes other sites may call from a browser; submissions are not among them."""


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Create the ris3kg web application.

    Args:
        config: Settings overriding the environment and the defaults, by upper-case name
            (``STORE``, ``QUERY_TIMEOUT``, ...; see :class:`~ris3kg.api.settings.Settings`).

    Returns:
        The application, with the store opened read-only and the query workers started.

    Raises:
        StoreError: There is no store at ``STORE`` (run ``ris3kg build``).
        ValueError: A setting is wrong, or the tokens are unusable (weak, malformed); the message says which.
    """
    settings = Settings.load(config)
    app = Flask(__name__)
    app.config.from_prefixed_env("RIS3KG")  # Flask's own settings too (TESTING, PREFERRED_URL_SCHEME, ...)
    if config:
        app.config.from_mapping(config)
    app.config.from_mapping(settings.as_config())  # ris3kg's, checked and typed
    configs = [parse_tokens(dict(settings.submission_tokens), source="SUBMISSION_TOKENS")]
    if settings.submission_tokens_file is not None:
        configs.append(read_tokens_file(settings.submission_tokens_file))
    tokens = merge(*configs)
    for warning in tokens.warnings:
        _log.warning("ris3kg: %s", warning)
    store_path = (settings.store or default_store_path()).absolute()
    guard = TokenGuard(tokens, max_failures=settings.auth_max_failures, window=settings.auth_window)
    app_state = AppState(store_path, settings, tokens=guard)
    atexit.register(app_state.close)
    app.extensions[EXTENSION] = app_state

    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(regions.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(submissions.bp)
    app.register_blueprint(enabling.bp)
    app.register_blueprint(guide.bp)
    app.register_blueprint(void.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(explore.bp)
    app.register_blueprint(network.bp)
    register_error_handlers(app)
    CORS(
        app,
        resources=CORS_RESOURCES,
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "Accept"],
        expose_headers=["Content-Type", "Content-Disposition", "X-SPARQL-MaxRows", "X-SPARQL-Truncated", "Link"],
        send_wildcard=True,
    )

    @app.after_request
    def headers(response: Response) -> Response:
        return secure_headers(response)

    return app
