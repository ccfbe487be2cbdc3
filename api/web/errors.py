"""One table from errors to HTTP answers: status, headers, and a body in the route's own format.

Routes raise; :func:`register_error_handlers` answers. The SPARQL endpoint and the exports answer
in plain text (``Error <status>: <message>``), the REST API in JSON (``{"error": ...}``), pages
in HTML. Anything not in the table is logged and answered with a 500 that shows no traceback, no
path and no detail of the server.
"""

from __future__ import annotations

import errno
import html
import json
import logging
from dataclasses import dataclass, field

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from ris3kg.api.tokens import AuthError
from ris3kg.graph.export.options import OptionError
from ris3kg.graph.export.views import UnknownViewError, ViewError
from ris3kg.graph.sparql.executor import QueryError, QueryLimitError
from ris3kg.graph.sparql.policy import RefusedQueryError
from ris3kg.graph.store.generations import StoreLockedError
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.versions import AcceptanceError
from ris3kg.graph.workers import PoolBusyError, WorkerDiedError, WorkError
from ris3kg.ontology.formats import UnknownFormatError
from ris3kg.shapes.submission.read import SubmissionError

_log = logging.getLogger(__name__)


class HttpError(Exception):
    """An answer a route chose: a status, a message for the client and any headers."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def wants_json() -> bool:
    """Whether a page's client asked for JSON: ``?format=json`` (or ``html``), else an ``Accept`` that prefers it.

    Raises:
        HttpError: 400 for any other ``format=``, or more than one.
    """
    given = request.args.getlist("format")
    if len(given) > 1 or (given and given[0] not in ("html", "json")):
        raise HttpError(400, "format= must be html or json, given once")
    if given:
        return given[0] == "json"
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def page_number(maximum: int, *, name: str = "page") -> int:
    """The page a client asked for with ``?page=`` (1 when not given).

    Raises:
        HttpError: 400 unless it is one whole number from 1 to ``maximum``.
    """
    given = request.args.getlist(name)
    raw = given[0] if len(given) == 1 else "1" if not given else ""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(maximum)) and 1 <= int(raw) <= maximum):
        raise HttpError(400, f"{name}= must be one whole number from 1 to {maximum}")
    return int(raw)


@dataclass(frozen=True)
class Answer:
    """The HTTP meaning of an error.

    Attributes:
        status: The status code.
        message: What the client is told.
        headers: Extra headers (``Retry-After``, ``WWW-Authenticate``).
    """

    status: int
    message: str
    headers: dict[str, str]
    details: dict[str, object] = field(default_factory=dict)


_SUBMISSION_STATUS = {"invalid": 400, "too_large": 413, "unsupported_format": 415}


def answer_for(exc: BaseException) -> Answer | None:
    """Return what an error means over HTTP, or None for an error that is the server's own bug."""
    message = str(exc)
    if isinstance(exc, HttpError):
        return Answer(exc.status, exc.message, exc.headers)
    if isinstance(exc, AuthError):
        headers = {"WWW-Authenticate": 'Bearer realm="ris3kg submissions"'} if exc.status == 401 else {}
        if exc.retry_after:
            headers["Retry-After"] = str(exc.retry_after)
        return Answer(exc.status, exc.message, headers)
    if isinstance(exc, QueryLimitError | PoolBusyError | WorkError):
        retry = getattr(exc, "retry_after", None)
        if isinstance(exc, WorkerDiedError):
            retry = 1
        return Answer(503, message, {"Retry-After": str(retry)} if retry else {})
    if isinstance(exc, RefusedQueryError | QueryError):
        return Answer(400, message, {})
    if isinstance(exc, SubmissionError):  # where in the file, for the API's JSON
        where: dict[str, object] = {
            "file": exc.source,
            "line": exc.line,
            "column": exc.column,
            "details": list(exc.details),
        }
        return Answer(_SUBMISSION_STATUS.get(exc.kind, 400), message, {}, where)
    if isinstance(exc, UnknownViewError):
        return Answer(404, message, {})
    if isinstance(exc, ViewError | OptionError | UnknownFormatError):
        return Answer(400, message, {})
    if isinstance(exc, AcceptanceError):
        return Answer(422, message, {})
    if isinstance(exc, StoreLockedError):
        return Answer(
            503, "another process is changing the store; try again when it has finished", {"Retry-After": "5"}
        )
    if isinstance(exc, StoreError | OSError):
        return _storage(exc)
    return None


def _storage(exc: BaseException) -> Answer:
    """A store that cannot be read or written: the disk is full, read-only, or the store is damaged."""
    code = getattr(exc, "errno", None)
    cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else None
    code = code or (cause.errno if cause is not None else None)
    if code == errno.ENOSPC:
        return Answer(507, "the server's disk is full; nothing was changed; tell the server's operator", {})
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Answer(503, "the store cannot be written now (read-only); nothing was changed; try again later", {})
    if isinstance(exc, StoreError):
        return Answer(503, f"{exc.public_message}; try again later", {})
    return Answer(503, "the store cannot be read or written now; nothing was changed; try again later", {})


def render(answer: Answer) -> Response:
    """The answer in the format of the route that failed."""
    path = request.path
    if path.startswith("/api/"):
        body = json.dumps({"error": answer.message, **answer.details}, ensure_ascii=False)
        mimetype = "application/json"
    elif path.startswith(("/sparql", "/export/", "/void", "/.well-known/")):
        body, mimetype = f"Error {answer.status}: {answer.message}\n", "text/plain"
    else:
        text = html.escape(answer.message)
        body = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error {answer.status}</title>'
            f'<link rel="stylesheet" href="/static/ris3kg.css"></head><body><main><h1>Error {answer.status}</h1>'
            f'<p class="error">{text}</p><p><a href="/">Back to the query page</a></p></main></body></html>'
        )
        mimetype = "text/html"
    response = Response(body, status=answer.status, mimetype=mimetype)
    for key, value in answer.headers.items():
        response.headers[key] = value
    return response


def handle(exc: Exception) -> Response:
    """Answer any error a route raised."""
    if isinstance(exc, HTTPException):
        description = exc.description or exc.name
        response = render(Answer(exc.code or 500, description, {}))
        for key, value in exc.get_headers():
            if key.lower() not in ("content-type", "content-length"):
                response.headers[key] = value
        return response
    answer = answer_for(exc)
    if answer is None:
        _log.exception("ris3kg: unexpected error on %s %s", request.method, request.path)
        answer = Answer(500, "the server could not answer this request; it has been logged", {})
    return render(answer)


def register_error_handlers(app: Flask) -> None:
    """Answer every error through :func:`handle`."""
    app.register_error_handler(Exception, handle)
