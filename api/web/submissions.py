"""Submissions over the web: the form at ``/submissions`` and the REST API under ``/api/submissions``.

Anyone may validate. Taking a submission in needs a bearer token from the configuration
(``SUBMISSION_TOKENS``: token to the name recorded with the version). The API is described by an
OpenAPI 3.1 document at ``/api/openapi.json``.
"""

from __future__ import annotations

import io
import json
import tempfile
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, request, send_file, url_for

from ris3kg.api.web.errors import HttpError, answer_for
from ris3kg.api.web.openapi import openapi_document
from ris3kg.api.web.state import cached, dataset, settings, state
from ris3kg.graph.catalogue import part_by_key, strategy_parts
from ris3kg.graph.versions import (
    AcceptedVersion,
    InvalidNamespaceError,
    archived_version,
    versions,
)
from ris3kg.ontology.formats import UnknownFormatError
from ris3kg.shapes.report import ReportFormat
from ris3kg.shapes.spreadsheet.annotate import AnnotationError, annotate_workbook, results_from_json
from ris3kg.shapes.spreadsheet.template import (
    TemplateOptionError,
    template_countries,
    template_languages,
    write_template,
)
from ris3kg.shapes.submission.changes import DEFAULT_LIMIT, version_changes
from ris3kg.shapes.submission.job import Acceptance, SubmissionJob, SubmissionOutcome
from ris3kg.shapes.submission.read import Limits, SubmissionError, SubmissionFormat

bp = Blueprint("submissions", __name__)

_REPORT_TYPES = [
    fmt.media_type for fmt in (ReportFormat.JSON, ReportFormat.HTML, ReportFormat.TURTLE, ReportFormat.CSV)
]


@bp.before_request
def _submission_size() -> None:
    request.max_content_length = settings().submission_max_bytes + 64 * 1024
    if request.method == "POST":
        _same_origin()


def _same_origin() -> None:
    """Refuse a browser's cross-site POST: another site's page must not make its visitors submit files.

    A multipart form needs no CORS preflight, so the browser would send it; its ``Origin`` (or
    ``Sec-Fetch-Site``) header says where it came from. Clients that are not browsers send neither.
    """
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if site is not None:  # a browser that says where the request came from
        if site not in ("same-origin", "none"):
            raise HttpError(403, "submissions are not taken from other web sites' pages: use this server's own form")
    elif origin is not None and (origin == "null" or urlsplit(origin).netloc != request.host):
        raise HttpError(403, "submissions are not taken from other web sites' pages: use this server's own form")


def _limits() -> Limits:
    return settings().submission_limits()


def _run(
    data: bytes,
    *,
    name: str,
    fmt: SubmissionFormat | None,
    report_format: ReportFormat,
    acceptance: Acceptance | None = None,
) -> SubmissionOutcome:
    """Read, validate (and take in) a submission in the validation worker, under its limits.

    Raises:
        SubmissionError: The file cannot be read (the error table answers 400, 413 or 415).
        PoolBusyError: The validation workers are busy (503 with Retry-After).
        WorkError: The job passed the time or memory limit (503).
    """
    job = SubmissionJob(
        data=data,
        name=name,
        fmt=fmt,
        limits=_limits(),
        generation=str(dataset().generation),
        report_format=report_format,
        stylesheet=url_for("submissions.report_stylesheet"),
        acceptance=acceptance,
    )
    outcome = state(current_app).validation.run(job)
    assert isinstance(outcome, SubmissionOutcome)
    return outcome


def _error(status: int, message: str, *, headers: dict[str, str] | None = None) -> Response:
    body: dict[str, object] = {"error": message}
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
        max_bytes=settings().submission_max_bytes,
        template_languages=template_languages(),
        template_countries=template_countries(),
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
        outcome = _run(data, name=name, fmt=fmt, report_format=report_format)
    except (SubmissionError, UnknownFormatError) as exc:  # shown on the form, with the table's status
        answer = answer_for(exc)
        return _form_page(exc), answer.status if answer is not None else 400
    return _report_response(outcome, report_format, download=report_format is not ReportFormat.HTML)


@bp.post("/submissions/annotated")
def annotated_submit() -> Response | tuple[str, int]:
    """Validate an uploaded filled ``.xlsx`` template and return it with its problems marked.

    The report is not kept on the server, so the workbook is sent again (the form's second button):
    it is read and checked in the validation worker under the submission limits, then each problem
    cell is filled and commented and a Problems sheet links them (at most a few thousand comments).
    """
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise SubmissionError("form", "choose the filled .xlsx template to upload")
        data, name = upload.read(), upload.filename
        if SubmissionFormat.for_name(name) is not SubmissionFormat.XLSX:
            raise SubmissionError(
                name, "the workbook with the problems marked is made from a filled .xlsx template only"
            )
        outcome = _run(data, name=name, fmt=SubmissionFormat.XLSX, report_format=ReportFormat.JSON)
        marked = annotate_workbook(data, results_from_json(outcome.report))
    except (SubmissionError, UnknownFormatError) as exc:
        answer = answer_for(exc)
        return _form_page(exc), answer.status if answer is not None else 400
    except AnnotationError as exc:
        return _form_page(exc), 400
    stem = "".join(c for c in Path(outcome.source).stem if c.isalnum() or c in "-_.")[:80] or "submission"
    return send_file(
        io.BytesIO(marked),
        mimetype=SubmissionFormat.XLSX.media_type,
        as_attachment=True,
        download_name=f"{stem}-problems-marked.xlsx",
    )


@bp.get("/submissions/report.css")
def report_stylesheet() -> Response:
    """The validation report's stylesheet (the same file a standalone report holds inline)."""
    css = files("ris3kg.shapes").joinpath("templates/report.css").read_text(encoding="utf-8")
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/submissions/template.xlsx")
def template_download() -> Response:
    """The spreadsheet template, empty or (``?strategy=blekinge``) filled with a packaged strategy.

    ``?lang=fi`` gives text columns in Finnish besides English, ``?country=PL`` region lists of
    Poland's regions only.

    ---
    get:
      operationId: template
      summary: The spreadsheet submission template
      parameters:
        - name: strategy
          in: query
          schema: {type: string}
          description: Fill it with a packaged strategy, as an example.
        - name: lang
          in: query
          schema: {type: string}
          description: >-
            Text columns in this language besides English, an ISO 639-1 tag of the code lists (fi, pl, de, el, is,
            nn, cnr, ...); several separated by commas. Default en, nb and sv (and a filled strategy's languages).
        - name: country
          in: query
          schema: {type: string}
          description: >-
            Offer only this country's regions in the region lists, a NUTS country code (PL, FI, EL, ...). Default
            every country's, or the country of a filled strategy's region.
      responses:
        200:
          description: The workbook.
          content:
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
              schema: {type: string}
        400:
          description: "An unknown language or country: the message names the closest ones."
          content: {application/json: {schema: Error}}
        404:
          description: No packaged strategy has that key.
          content: {application/json: {schema: Error}}
    """
    key = request.args.get("strategy")
    tags = [tag.strip() for given in request.args.getlist("lang") for tag in given.split(",") if tag.strip()]
    country = request.args.get("country", "").strip() or None
    graph = None
    if key:
        try:
            graph = part_by_key(key).load()
        except KeyError as exc:
            return _error(404, str(exc.args[0]))
    with tempfile.TemporaryDirectory(prefix="ris3kg-template-") as folder:
        path = Path(folder) / "template.xlsx"
        try:
            info = write_template(path, graph=graph, languages=tags or None, country=country)
        except TemplateOptionError as exc:
            return _error(400, f"{'lang' if exc.option == 'languages' else 'country'}: {exc}")
        content = path.read_bytes()
    chosen = [tag for tag in info.languages if tag != "en"] if tags else []
    suffix = "".join(f"-{part}" for part in (*chosen, *([info.country.lower()] if country and info.country else [])))
    return send_file(
        io.BytesIO(content),
        mimetype=SubmissionFormat.XLSX.media_type,
        as_attachment=True,
        download_name=f"ris3kg-{key or 'submission'}-template{suffix}.xlsx",
    )


def _report_response(outcome: SubmissionOutcome, fmt: ReportFormat, *, download: bool, status: int = 200) -> Response:
    response = Response(outcome.report, status=status, mimetype=fmt.media_type)
    if fmt is not ReportFormat.JSON and fmt.media_type.startswith("text/"):
        response.headers["Content-Type"] = f"{fmt.media_type}; charset=utf-8"
    if download:
        stem = "".join(c for c in Path(outcome.source).stem if c.isalnum() or c in "-_.")[:80] or "submission"
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
    """Validate a submission; with ``?accept=true`` and a token, also take it in.

    ---
    post:
      operationId: submit
      summary: Validate a submission (and, with accept=true and a token, take it in)
      parameters:
        - name: accept
          in: query
          schema: {type: boolean, default: false}
          description: Take the submission in if it has no violations (needs a token).
        - name: report
          in: query
          schema: {type: string, enum: [json, html, turtle, csv]}
          description: Report format (else by the Accept header; JSON by default).
        - name: name
          in: query
          schema: {type: string}
          description: The file's name, for the report, when the body is the file itself.
      requestBody: Submission
      security: [{}, {bearer: []}]
      responses:
        200: ValidationReport
        201:
          description: "Taken in: the new version (Location: its data) and the report."
          headers:
            Location:
              description: Where to get the new version's data.
              schema: {type: string}
          content:
            application/json:
              schema:
                type: object
                properties:
                  accepted: Version
                  report: Report
        400:
          description: "The file cannot be read: the error names the line and column."
          content: {application/json: {schema: Error}}
        401:
          description: accept=true without a valid bearer token.
          content: {application/json: {schema: Error}}
        403:
          description: >-
            The token may not replace this strategy (its scopes), or the request came from another web site's page.
          content: {application/json: {schema: Error}}
        413:
          description: >-
            The file is over a limit: size, triples, sheets, rows, columns, zip members, inflated size or nesting
            depth.
          content: {application/json: {schema: Error}}
        415:
          description: The media type is not one of the submission formats.
          content: {application/json: {schema: Error}}
        422: NotTakenIn
        429:
          description: Too many failed token attempts from this client; retry after the Retry-After seconds.
          headers:
            Retry-After:
              description: Seconds to wait.
              schema: {type: integer}
          content: {application/json: {schema: Error}}
        503:
          description: >-
            The validation workers are busy (retry after the Retry-After seconds), the validation passed its time
            or memory limit, or another submission is being taken in.
          content: {application/json: {schema: Error}}
    """
    taking_in = request.args.get("accept", "").lower() in ("1", "true", "yes")
    acceptance = None
    if taking_in:
        guard = state(current_app).tokens
        token = guard.authenticate(request.headers.get("Authorization"), client=request.remote_addr or "")
        scopes = None if token.is_admin else token.scopes
        acceptance = Acceptance(str(state(current_app).store_path), token.name, scopes)
    # An unreadable file (400, 413, 415, with where in it), an unknown report format (400) or a
    # refused acceptance (422) go to the error table.
    report_format = _report_format()
    data, name, fmt = _payload()
    outcome = _run(data, name=name, fmt=fmt, report_format=report_format, acceptance=acceptance)
    if not taking_in:
        return _report_response(outcome, report_format, download=False)
    if not outcome.conforms:
        return _report_response(outcome, report_format, download=False, status=422)
    if outcome.out_of_scope:
        return _error(
            403,
            f"this token may not replace the strategy {outcome.namespace!r}: ask the server's operator for a token "
            "with that strategy in its scopes; nothing was taken in",
        )
    version = outcome.accepted
    assert version is not None and outcome.report_json is not None
    body = {"accepted": _version_json(version), "report": json.loads(outcome.report_json)}
    response = Response(json.dumps(body, ensure_ascii=False, indent=2), status=201, mimetype="application/json")
    response.headers["Location"] = url_for(
        "submissions.api_version", namespace=version.namespace, version=version.version
    )
    return response


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
    """Every accepted version, oldest first.

    ---
    get:
      operationId: listVersions
      summary: Every accepted version
      responses:
        200:
          description: Versions, oldest first.
          content:
            application/json:
              schema: {type: array, items: Version}
    """
    found = versions(dataset().bounded)
    return Response(json.dumps([_version_json(v) for v in found], indent=2), mimetype="application/json")


@bp.get("/api/submissions/<namespace>")
def api_history(namespace: str) -> Response:
    """The versions of one strategy.

    ---
    get:
      operationId: strategyVersions
      summary: The versions of one strategy
      parameters:
        - {name: namespace, in: path, required: true, schema: {type: string}}
      responses:
        200:
          description: Versions, oldest first.
          content:
            application/json:
              schema: {type: array, items: Version}
        404:
          description: No accepted submissions for this strategy.
          content: {application/json: {schema: Error}}
    """
    try:
        found = versions(dataset().bounded, namespace=namespace)
    except InvalidNamespaceError:  # not a namespace at all
        found = ()
    if not found:
        return _error(404, f"no accepted submissions for {namespace!r}")
    return Response(json.dumps([_version_json(v) for v in found], indent=2), mimetype="application/json")


@bp.get("/api/submissions/<namespace>/versions/<int:version>")
def api_version(namespace: str, version: int) -> Response:
    """One accepted version's data, as N-Quads.

    ---
    get:
      operationId: versionData
      summary: One version's data, current or earlier
      parameters:
        - {name: namespace, in: path, required: true, schema: {type: string}}
        - {name: version, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses:
        200:
          description: The data as accepted.
          content:
            application/n-quads:
              schema: {type: string}
        404:
          description: No such version.
          content: {application/json: {schema: Error}}
    """
    try:
        data = archived_version(state(current_app).store_path, namespace, version, store=dataset().bounded)
    except KeyError as exc:
        return _error(404, str(exc.args[0]))
    return Response(data, mimetype="application/n-quads")


@bp.get("/api/submissions/<namespace>/versions/<int:version>/changes")
def api_version_changes(namespace: str, version: int) -> Response:
    """What an accepted version changed against the version before it.

    Both versions are read from the submission archive (version 1 of a packaged strategy is
    compared with the packaged data), so the work is bounded by the submission limits the versions
    were accepted under; the list is capped at ``limit`` elements, the counts are complete.

    ---
    get:
      operationId: versionChanges
      summary: What one version changed against the one before it
      parameters:
        - {name: namespace, in: path, required: true, schema: {type: string}}
        - {name: version, in: path, required: true, schema: {type: integer, minimum: 1}}
        - name: limit
          in: query
          schema: {type: integer, minimum: 0, maximum: 500, default: 500}
          description: How many changed elements to list.
      responses:
        200:
          description: >-
            The comparison (changes), or first_version true and changes null for the first version of a new
            strategy.
          content:
            application/json:
              schema:
                type: object
                properties:
                  namespace: {type: string}
                  version: {type: integer}
                  first_version: {type: boolean}
                  changes: Changes
        400:
          description: limit is not an integer from 0 to 500.
          content: {application/json: {schema: Error}}
        404:
          description: No such strategy or version.
          content: {application/json: {schema: Error}}
    """
    given = request.args.get("limit", str(DEFAULT_LIMIT))
    if not given.isdigit() or int(given) > DEFAULT_LIMIT:
        raise HttpError(400, f"limit must be an integer from 0 to {DEFAULT_LIMIT}")
    store_path = state(current_app).store_path

    def compute() -> bytes:
        try:
            comparison = version_changes(store_path, namespace, version, store=dataset().bounded, limit=int(given))
        except KeyError as exc:  # an unknown or invalid namespace, or no such version
            raise HttpError(404, str(exc.args[0])) from exc
        body = {
            "namespace": namespace,
            "version": version,
            "first_version": comparison is None,
            "changes": comparison.as_json() if comparison is not None else None,
        }
        return json.dumps(body, ensure_ascii=False, indent=2).encode()

    # archived versions never change: each comparison is computed once per generation
    body = cached(f"version-changes:{namespace}:{version}:{int(given)}", compute, recent="entities")
    return Response(body, mimetype="application/json")


@bp.get("/api/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of the submissions API.

    ---
    get:
      operationId: openapi
      summary: This description of the API
      responses:
        200:
          description: The OpenAPI 3.1 document.
          content:
            application/json:
              schema: {type: object}
    """
    document = openapi_document(bp)
    return Response(json.dumps(document, indent=2), mimetype="application/json")
