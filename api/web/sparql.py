"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (queries only; read-only) and the VoID description."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.datastructures import MIMEAccept, MultiDict
from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.errors import HttpError, answer_for
from ris3kg.api.web.state import cached, dataset, settings
from ris3kg.api.web.void import (
    RDF_MEDIA_TYPES,
    graph_triples,
    negotiate_rdf,
    partitions,
    service_description,
    void_description,
)
from ris3kg.graph.sparql.executor import GRAPH_FORMATS, QueryError, QueryJob, QueryOutcome
from ris3kg.graph.sparql.policy import RefusedQueryError, check_graphs, check_length
from ris3kg.graph.workers import WorkError
from ris3kg.ontology.formats import GRAPH_RESULT_SYNTAXES, ResultFormat

bp = Blueprint("sparql", __name__)

RESULT_TYPES: dict[str, ResultFormat] = {
    media_type: fmt for fmt in ResultFormat for media_type in (fmt.media_type, *fmt.aliases)
}
"""Media types of SELECT / ASK results a client may ask for, with the format of each."""
GRAPH_TYPES = (*GRAPH_FORMATS, "text/plain")
FORMAT_PARAMETER: dict[str, str] = {fmt.key: fmt.media_type for fmt in ResultFormat} | {
    syntax.key: syntax.media_type for syntax in GRAPH_RESULT_SYNTAXES
}
"""The values of ``?format=``, with the media type each stands for."""
EXTENSIONS = {fmt.key: fmt.extension for fmt in ResultFormat} | {
    syntax.key: syntax.extension for syntax in GRAPH_RESULT_SYNTAXES
}


def error_response(status: int, message: str) -> Response:
    """A plain-text error answer: ``Error <status>: <message>``."""
    return Response(f"Error {status}: {message}\n", status=status, mimetype="text/plain")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> BaseResponse:
    """Answer a SPARQL query (GET ``query=``, POST form, POST ``application/sparql-query``).

    Without a query, GET returns the SPARQL 1.1 Service Description.
    """
    try:
        query, params = _read_request()
    except HttpError as exc:
        return error_response(exc.status, exc.message)
    if query is None:
        if request.accept_mimetypes.best_match(["text/html", *RDF_MEDIA_TYPES]) == "text/html":
            return redirect(url_for("pages.query_page"), code=303)
        media_type = negotiate_rdf(request.accept_mimetypes)
        if media_type is None:
            return error_response(406, f"the service description is available as {', '.join(RDF_MEDIA_TYPES)}")
        current = dataset()
        counts = cached("graph-triples", lambda: graph_triples(current.bounded))
        assert isinstance(counts, dict)
        body = service_description(request.base_url, current.graphs, media_type, counts=counts)
        return Response(body, mimetype=media_type)
    outcome = run_query(query, params)
    response = Response(outcome.body, mimetype=outcome.media_type)
    chosen = params.get("format")
    if chosen in EXTENSIONS:
        response.headers["Content-Disposition"] = f'attachment; filename="ris3kg-results.{EXTENSIONS[chosen]}"'
    return response


def _read_request() -> tuple[str | None, MultiDict[str, str]]:
    if request.method == "GET":
        params = request.args
        if "update" in params:
            raise HttpError(400, "this endpoint is read-only: SPARQL Update is not accepted")
        queries = params.getlist("query")
    elif request.mimetype == "application/x-www-form-urlencoded":
        params = MultiDict([*request.args.items(multi=True), *request.form.items(multi=True)])
        if "update" in request.form:
            raise HttpError(400, "this endpoint is read-only: SPARQL Update is not accepted")
        queries = request.form.getlist("query")
        if not queries:
            raise HttpError(400, "the form has no query parameter")
    elif request.mimetype == "application/sparql-query":
        params = request.args
        queries = [request.get_data(as_text=True)]
    elif request.mimetype == "application/sparql-update":
        raise HttpError(415, "this endpoint is read-only: application/sparql-update is not accepted")
    else:
        raise HttpError(
            415,
            f"unsupported content type {request.mimetype or '(none)'}: POST a query as "
            "application/x-www-form-urlencoded (query=...) or as application/sparql-query",
        )
    if len(queries) > 1:
        raise HttpError(400, "give exactly one query parameter")
    return (queries[0] if queries else None), MultiDict(params)


def run_query(query: str, params: MultiDict[str, str], *, table: bool = False) -> QueryOutcome:
    """Check and run a query with the protocol's dataset and the negotiated formats.

    Args:
        query: The query text, as the client sent it.
        params: The protocol parameters (``default-graph-uri``, ``named-graph-uri``, ``format``).
        table: Answer for a table on a page: SELECT / ASK as JSON, CONSTRUCT / DESCRIBE as
            N-Triples, in one run whatever the query's form.

    Raises:
        HttpError: With the status and message to answer (400 refused, 503 with Retry-After at a
            limit of the server).
    """
    current = dataset()  # one generation for the checks and the run
    try:
        check_length(query, max_length=settings().max_query_length)
        defaults = check_graphs(
            params.getlist("default-graph-uri"), known_graphs=current.graphs, parameter="default-graph-uri"
        )
        named = check_graphs(
            params.getlist("named-graph-uri"), known_graphs=current.graphs, parameter="named-graph-uri"
        )
    except RefusedQueryError as exc:
        raise HttpError(400, str(exc)) from exc
    if table:
        result_format, graph_type = ResultFormat.JSON, "application/n-triples"
    else:
        result_format, graph_type = _negotiate(params.get("format"))
    job = QueryJob(
        query=query,
        default_graphs=defaults,
        named_graphs=named,
        protocol_dataset=bool(defaults or named),
        result_format=result_format,
        graph_media_type=graph_type,
        max_rows=settings().max_result_rows,
        max_bytes=settings().max_result_bytes,
    )
    try:
        return current.executor.run(job)
    except (QueryError, RefusedQueryError, WorkError) as exc:
        answer = answer_for(exc)
        assert answer is not None
        raise HttpError(answer.status, answer.message, headers=answer.headers) from exc


def _negotiate(format_param: str | None) -> tuple[ResultFormat, str]:
    return _negotiate_cached(format_param, request.headers.get("Accept", ""))


@lru_cache(maxsize=256)
def _negotiate_cached(format_param: str | None, accept_header: str) -> tuple[ResultFormat, str]:
    """Choose the result formats from ``format=`` or the Accept header (cached per header)."""
    if format_param:
        media_type = FORMAT_PARAMETER.get(format_param)
        if media_type is None:
            raise HttpError(400, f"unknown format {format_param!r}; use one of {', '.join(FORMAT_PARAMETER)}")
        if media_type in GRAPH_FORMATS:
            return ResultFormat.JSON, media_type
        return RESULT_TYPES[media_type], "text/turtle"
    accept = parse_accept_header(accept_header, MIMEAccept)
    result_type = accept.best_match(list(RESULT_TYPES))
    graph_type = accept.best_match(list(GRAPH_TYPES))
    if result_type is None and graph_type is None and accept_header.strip() and "*/*" not in accept_header:
        raise HttpError(
            406, f"none of the accepted types is served; results come as {', '.join([*RESULT_TYPES, *GRAPH_TYPES])}"
        )
    return (
        RESULT_TYPES.get(result_type or "", ResultFormat.JSON),
        "application/n-triples" if graph_type == "text/plain" else (graph_type or "text/turtle"),
    )


@bp.route("/void")
@bp.route("/.well-known/void")
def void() -> BaseResponse:
    """The VoID description of the dataset: triples per named graph, classes, properties."""
    media_type = negotiate_rdf(request.accept_mimetypes)
    if media_type is None:
        return error_response(406, f"the VoID description is available as {', '.join(RDF_MEDIA_TYPES)}")
    store = dataset().bounded
    counts = cached("graph-triples", lambda: graph_triples(store))
    classes = cached("classes", lambda: partitions(store, "class"))
    properties = cached("properties", lambda: partitions(store, "property"))
    assert isinstance(counts, dict) and isinstance(classes, tuple) and isinstance(properties, tuple)
    body = void_description(
        url_for("sparql.endpoint", _external=True), media_type, counts=counts, classes=classes, properties=properties
    )
    return Response(body, mimetype=media_type)
