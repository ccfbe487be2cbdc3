"""The enabling-condition report over the web: the page at ``/enabling-condition``, the API under ``/api/``.

A strategy of the graph is chosen by its key, which is only compared with the keys there are
(:func:`ris3kg.shapes.enabling.sources.find_strategy`): nothing a client sends becomes query
text. Its report is computed from the request's store generation and kept for that generation.
An uploaded file is read and reported on in a worker process under the validation limits (time,
memory), with the submissions' size limits; a file that cannot be read is answered with the
error table's status (400, 413, 415) naming the file, line or cell.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.errors import HttpError, answer_for
from ris3kg.api.web.state import cached, dataset, settings
from ris3kg.graph.workers import WorkerPool
from ris3kg.ontology.formats import UnknownFormatError
from ris3kg.shapes.enabling.evidence import enabling_report
from ris3kg.shapes.enabling.job import EnablingJob, EnablingOutcome, enabling_handler
from ris3kg.shapes.enabling.render import ENABLING_FORMATS, enabling_format, render
from ris3kg.shapes.enabling.sources import (
    StrategySource,
    UnknownStrategyError,
    find_strategy,
    known_strategies,
    strategy_graph,
)
from ris3kg.shapes.report import ReportFormat
from ris3kg.shapes.submission.read import SubmissionError, SubmissionFormat

bp = Blueprint("enabling", __name__)

_EXTENSION = "ris3kg.enabling"
_POOL_LOCK = threading.Lock()
_NEGOTIATED = [ReportFormat.HTML, ReportFormat.JSON, ReportFormat.CSV, ReportFormat.TEXT]


@bp.before_request
def _upload_size() -> None:
    request.max_content_length = settings().submission_max_bytes + 64 * 1024


def _pool(app: Flask) -> WorkerPool:
    """The worker that reads uploads (started at the first upload), under the validation limits."""
    with _POOL_LOCK:
        pool = app.extensions.get(_EXTENSION)
        if pool is None:
            pool = WorkerPool(
                enabling_handler, (), workers=1, limits=settings().validation_limits(), name="enabling-condition"
            )
            app.extensions[_EXTENSION] = pool
            atexit.register(pool.close)
    assert isinstance(pool, WorkerPool)
    return pool


def _format(default: ReportFormat) -> ReportFormat:
    """The report format: ``?format=``, else the Accept header, else the default."""
    explicit = request.args.get("format") or request.form.get("report")
    if explicit:
        return enabling_format(explicit)
    types = [default.media_type, *(f.media_type for f in _NEGOTIATED if f is not default)]
    best = request.accept_mimetypes.best_match(types, default=default.media_type)
    return enabling_format(best or default.media_type)


def _response(body: str | bytes, fmt: ReportFormat, *, stem: str, download: bool) -> Response:
    response = Response(body, mimetype=fmt.media_type)
    if fmt is not ReportFormat.JSON:
        response.headers["Content-Type"] = f"{fmt.media_type}; charset=utf-8"
    if download:
        safe = "".join(c for c in Path(stem).stem if c.isalnum() or c in "-_.")[:80] or "strategy"
        response.headers["Content-Disposition"] = f'attachment; filename="{safe}-enabling-condition{fmt.extension}"'
    response.headers["Vary"] = "Accept"
    return response


def _strategy(key: str) -> StrategySource:
    try:
        return find_strategy(key, dataset().store)
    except UnknownStrategyError as exc:
        raise HttpError(404, str(exc)) from exc


def _strategy_report(source: StrategySource, fmt: ReportFormat) -> str:
    """The report of a strategy of the graph, computed once per store generation and format."""

    def compute() -> str:
        graph = strategy_graph(source, dataset().store)
        report = enabling_report(graph, source=source.key, title=source.report_title)
        return render(report, fmt, stylesheet=url_for("submissions.report_stylesheet"))

    return cached(f"enabling-condition:{source.key}:{fmt.key}", compute, recent="entities")


def _upload() -> tuple[bytes, str, SubmissionFormat | None]:
    """The uploaded file: a multipart ``file`` field, or the request body with its media type."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        key = request.form.get("format") or None
        return upload.read(), upload.filename, SubmissionFormat.for_key(key, source=upload.filename) if key else None
    content_type = request.mimetype
    if not content_type or content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise SubmissionError(
            "request", "send the file as a multipart field 'file', or as the body with its media type"
        )
    fmt = SubmissionFormat.for_key(content_type, source="request body")
    name = request.args.get("name") or f"submission{fmt.extensions[0]}"
    return request.get_data(cache=False), name, fmt


def _file_report(data: bytes, name: str, fmt: SubmissionFormat | None, report_format: ReportFormat) -> EnablingOutcome:
    job = EnablingJob(
        data=data,
        name=name,
        fmt=fmt,
        limits=settings().submission_limits(),
        report_format=report_format,
        stylesheet=url_for("submissions.report_stylesheet"),
    )
    outcome = _pool(current_app).run(job)
    assert isinstance(outcome, EnablingOutcome)
    return outcome


# --------------------------------------------------------------------------- the page


def _form_page(error: Exception | None = None) -> str:
    return render_template(
        "enabling.html",
        error=error,
        strategies=known_strategies(dataset().store),
        formats=list(SubmissionFormat),
        report_formats=[f for f in ENABLING_FORMATS if f is not ReportFormat.TEXT],
        max_bytes=settings().submission_max_bytes,
    )


@bp.get("/enabling-condition")
def form() -> BaseResponse:
    """The page: choose a strategy of the graph, or upload a file (``?strategy=`` goes to its report)."""
    key = request.args.get("strategy")
    if key:
        return redirect(url_for("enabling.strategy_report", key=_strategy(key).key))
    return Response(_form_page(), mimetype="text/html")


@bp.post("/enabling-condition")
def form_submit() -> Response | tuple[str, int]:
    """Report on the uploaded file and show (or download) the report."""
    try:
        report_format = _format(ReportFormat.HTML)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise SubmissionError("form", "choose a file to upload, or choose a strategy of the graph")
        data, name, fmt = _upload()
        outcome = _file_report(data, name, fmt, report_format)
    except (SubmissionError, UnknownFormatError) as exc:  # shown on the form, with the table's status
        answer = answer_for(exc)
        return _form_page(exc), answer.status if answer is not None else 400
    return _response(outcome.report, report_format, stem=name, download=report_format is not ReportFormat.HTML)


@bp.get("/enabling-condition/<key>")
def strategy_report(key: str) -> Response:
    """A strategy's report: HTML, JSON, CSV or text by ``?format=`` or the Accept header."""
    source = _strategy(key)
    fmt = _format(ReportFormat.HTML)
    return _response(_strategy_report(source, fmt), fmt, stem=source.key, download=fmt is ReportFormat.CSV)


# --------------------------------------------------------------------------- the API


@bp.get("/api/enabling-condition/<key>")
def api_strategy_report(key: str) -> Response:
    """The enabling-condition report of a strategy of the graph.

    ---
    get:
      operationId: enablingConditionOfStrategy
      summary: How a strategy of the graph evidences the seven criteria of enabling condition 1.1
      parameters:
        - name: key
          in: path
          required: true
          schema: {type: string}
          description: A packaged strategy's key (blekinge, ...) or an accepted submission's namespace.
        - name: format
          in: query
          schema: {type: string, enum: [json, html, csv, text]}
          description: Report format (else by the Accept header; JSON by default).
      responses:
        200: EnablingConditionReport
        404:
          description: No strategy has that key; the message lists the keys.
          content: {application/json: {schema: Error}}
    """
    source = _strategy(key)
    fmt = _format(ReportFormat.JSON)
    return _response(_strategy_report(source, fmt), fmt, stem=source.key, download=False)


@bp.post("/api/enabling-condition")
def api_file_report() -> Response:
    """The enabling-condition report of a submission file.

    ---
    post:
      operationId: enablingConditionOfFile
      summary: How a submission file evidences the seven criteria of enabling condition 1.1
      parameters:
        - name: format
          in: query
          schema: {type: string, enum: [json, html, csv, text]}
          description: Report format (else by the Accept header; JSON by default).
        - name: name
          in: query
          schema: {type: string}
          description: The file's name, for the report, when the body is the file itself.
      requestBody: Submission
      responses:
        200: EnablingConditionReport
        400:
          description: "The file cannot be read: the error names the line and column, or the cells."
          content: {application/json: {schema: Error}}
        413:
          description: The file is over a limit (size, triples, sheets, rows, ...).
          content: {application/json: {schema: Error}}
        415:
          description: The media type is not one of the submission formats.
          content: {application/json: {schema: Error}}
    """
    fmt = _format(ReportFormat.JSON)
    data, name, file_format = _upload()
    outcome = _file_report(data, name, file_format, fmt)
    return _response(outcome.report, fmt, stem=name, download=False)
