"""Submissions over the web: the form at ``/submissions`` and the REST API under ``/api/submissions``.

Anyone may validate. Taking a submission in needs a bearer token from the configuration
(``SUBMISSION_TOKENS``: token to the name recorded with the version). The API is described by an
OpenAPI 3.1 document at ``/api/openapi.json``.
"""

from __future__ import annotations

import hmac
import io
import json
import tempfile
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_file, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ris3kg.api.app import state
from ris3kg.api.openapi import openapi_document
from ris3kg.graph.generations import StoreLockedError
from ris3kg.graph.sources import part_by_key, strategy_parts
from ris3kg.graph.store import StoreError
from ris3kg.graph.submissions import AcceptanceError, AcceptedVersion, archived_version, versions
from ris3kg.shapes.intake import Limits, SubmissionError, SubmissionFormat, read_submission
from ris3kg.shapes.report import ReportFormat, render
from ris3kg.shapes.submission import SubmissionReport, accept_submission, check_submission, submission_details
from ris3kg.shapes.template import write_template

bp = Blueprint("submissions", __name__)

_REPORT_TYPES = [
    fmt.media_type for fmt in (ReportFormat.JSON, ReportFormat.HTML, ReportFormat.TURTLE, ReportFormat.CSV)
]


@bp.before_request
def _submission_size() -> None:
    request.max_content_length = int(current_app.config["SUBMISSION_MAX_BYTES"]) + 64 * 1024


def _limits() -> Limits:
    config = current_app.config
    return Limits(max_bytes=int(config["SUBMISSION_MAX_BYTES"]), max_triples=int(config["SUBMISSION_MAX_TRIPLES"]))


def _check(data: bytes, *, name: str, fmt: SubmissionFormat | None) -> SubmissionReport:
    return check_submission(read_submission(data, name=name, fmt=fmt, limits=_limits()), store=state(current_app).store)


def _error(
    status: int, message: str, *, exc: SubmissionError | None = None, headers: dict[str, str] | None = None
) -> Response:
    body: dict[str, object] = {"error": message}
    if exc is not None:
        body.update(file=exc.source, line=exc.line, column=exc.column, details=list(exc.details))
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


# --------------------------------------------------------------------------- the form


def _form_page(error: Exception | None = None) -> str:
    return render_template(
        "submissions.html",
        error=error,
        formats=list(SubmissionFormat),
        report_formats=list(ReportFormat),
        strategies=strategy_parts(),
        max_bytes=int(current_app.config["SUBMISSION_MAX_BYTES"]),
    )


@bp.get("/submissions")
def form() -> str:
    """The upload / paste form."""
    return _form_page()


@bp.post("/submissions")
def form_submit() -> Response | tuple[str, int]:
    """Validate what the form sent and show (or download) the report."""
    upload = request.files.get("file")
    pasted = request.form.get("text", "")
    format_key = request.form.get("format", "") or None
    try:
        report_format = ReportFormat.for_key(request.form.get("report", "html"))
        if upload is not None and upload.filename:
            data, name = upload.read(), upload.filename
        elif pasted.strip():
            pasted_format = SubmissionFormat.for_key(format_key or "turtle", source="pasted text")
            data, name = pasted.encode("utf-8"), "pasted" + pasted_format.extensions[0]
        else:
            raise SubmissionError("form", "choose a file to upload, or paste the data")
        fmt = SubmissionFormat.for_key(format_key, source=name) if format_key else None
        checked = _check(data, name=name, fmt=fmt)
    except ValueError as exc:  # SubmissionError, or an unknown report format
        return _form_page(exc), 400
    return _report_response(checked, report_format, download=report_format is not ReportFormat.HTML)


@bp.get("/submissions/template.xlsx")
def template_download() -> Response:
    """The spreadsheet template, empty or (``?strategy=blekinge``) filled with a packaged strategy."""
    key = request.args.get("strategy")
    graph = None
    if key:
        try:
            graph = part_by_key(key).load()
        except KeyError as exc:
            return _error(404, str(exc.args[0]))
    with tempfile.TemporaryDirectory(prefix="ris3kg-template-") as folder:
        path = Path(folder) / "template.xlsx"
        write_template(path, graph=graph)
        content = path.read_bytes()
    return send_file(
        io.BytesIO(content),
        mimetype=SubmissionFormat.XLSX.media_type,
        as_attachment=True,
        download_name=f"ris3kg-{key or 'submission'}-template.xlsx",
    )


def _report_response(checked: SubmissionReport, fmt: ReportFormat, *, download: bool, status: int = 200) -> Response:
    body = render(checked.report, fmt, details=submission_details(checked))
    response = Response(body, status=status, mimetype=fmt.media_type)
    if fmt is not ReportFormat.JSON and fmt.media_type.startswith("text/"):
        response.headers["Content-Type"] = f"{fmt.media_type}; charset=utf-8"
    if download:
        stem = Path(checked.submission.source).stem or "submission"
        response.headers["Content-Disposition"] = f'attachment; filename="{stem}-report{fmt.extension}"'
    return response


# --------------------------------------------------------------------------- the REST API


def _payload() -> tuple[bytes, str, SubmissionFormat | None]:
    """The submitted file: a multipart ``file`` field, or the request body with its Content-Type."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        fmt_key = request.form.get("format") or request.args.get("format")
        fmt = SubmissionFormat.for_key(fmt_key, source=upload.filename) if fmt_key else None
        return upload.read(), upload.filename, fmt
    content_type = request.mimetype
    if not content_type or content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise SubmissionError(
            "request", "send the file as the body with its media type, or as a multipart field 'file'"
        )
    fmt = SubmissionFormat.for_key(content_type, source="request body")
    name = request.args.get("name") or f"submission{fmt.extensions[0]}"
    return request.get_data(cache=False), name, fmt


def _report_format() -> ReportFormat:
    explicit = request.args.get("report")
    if explicit:
        return ReportFormat.for_key(explicit)
    best = request.accept_mimetypes.best_match(_REPORT_TYPES, default=ReportFormat.JSON.media_type)
    return ReportFormat.for_key(best or ReportFormat.JSON.media_type)


@bp.post("/api/submissions")
def api_submit() -> Response:
    """Validate a submission; with ``?accept=true`` and a token, also take it in."""
    taking_in = request.args.get("accept", "").lower() in ("1", "true", "yes")
    submitter = None
    if taking_in:
        submitter = _authorised()
        if submitter is None:
            return _error(
                401,
                "taking a submission in needs a valid token: send 'Authorization: Bearer <token>'; anyone may validate "
                "without ?accept=true",
                headers={"WWW-Authenticate": 'Bearer realm="ris3kg submissions"'},
            )
    try:
        report_format = _report_format()
        data, name, fmt = _payload()
        checked = _check(data, name=name, fmt=fmt)
    except RequestEntityTooLarge:
        raise
    except SubmissionError as exc:
        status = 413 if "the limit is" in exc.message or "the limit" in exc.message else 400
        if "unknown submission format" in exc.message:
            status = 415
        return _error(status, str(exc), exc=exc)
    except ValueError as exc:
        return _error(400, str(exc))
    if not taking_in:
        return _report_response(checked, report_format, download=False)
    if not checked.conforms:
        return _report_response(checked, report_format, download=False, status=422)
    assert submitter is not None
    try:
        version = accept_submission(checked, store_path=state(current_app).store_path, submitted_by=submitter)
    except AcceptanceError as exc:
        return _error(422, str(exc))
    except StoreLockedError as exc:
        return _error(503, str(exc), headers={"Retry-After": "5"})
    except StoreError as exc:
        return _error(500, str(exc))
    body = {
        "accepted": _version_json(version),
        "report": json.loads(render(checked.report, ReportFormat.JSON, details=submission_details(checked))),
    }
    response = Response(json.dumps(body, ensure_ascii=False, indent=2), status=201, mimetype="application/json")
    response.headers["Location"] = url_for(
        "submissions.api_version", namespace=version.namespace, version=version.version
    )
    return response


def _authorised() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    tokens: dict[str, str] = dict(current_app.config.get("SUBMISSION_TOKENS") or {})
    for known, name in tokens.items():
        if hmac.compare_digest(known.encode(), token.strip().encode()):
            return name
    return None


def _version_json(version: AcceptedVersion) -> dict[str, object]:
    return {
        "iri": version.iri,
        "namespace": version.namespace,
        "strategy": version.strategy,
        "graph": version.graph,
        "version": version.version,
        "current": version.current,
        "submitted_by": version.submitted_by,
        "submitted_at": version.submitted_at,
        "checksum": version.checksum,
        "file_name": version.file_name,
        "triples": version.triples,
        "data": url_for("submissions.api_version", namespace=version.namespace, version=version.version),
    }


@bp.get("/api/submissions")
def api_list() -> Response:
    """Every accepted version, oldest first."""
    found = versions(state(current_app).store)
    return Response(json.dumps([_version_json(v) for v in found], indent=2), mimetype="application/json")


@bp.get("/api/submissions/<namespace>")
def api_history(namespace: str) -> Response:
    """The versions of one strategy."""
    found = versions(state(current_app).store, namespace=namespace)
    if not found:
        return _error(404, f"no accepted submissions for {namespace!r}")
    return Response(json.dumps([_version_json(v) for v in found], indent=2), mimetype="application/json")


@bp.get("/api/submissions/<namespace>/versions/<int:version>")
def api_version(namespace: str, version: int) -> Response:
    """One accepted version's data, as N-Quads."""
    try:
        data = archived_version(state(current_app).store_path, namespace, version)
    except KeyError as exc:
        return _error(404, str(exc.args[0]))
    return Response(data, mimetype="application/n-quads")


@bp.get("/api/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of the submissions API."""
    document = openapi_document(server=request.url_root.rstrip("/"))
    return Response(json.dumps(document, indent=2), mimetype="application/json")
