"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (queries only; read-only) and the VoID description."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.datastructures import MIMEAccept, MultiDict
from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.errors import HttpError, answer_for
from ris3kg.api.web.state import dataset, settings
from ris3kg.api.web.void import RDF_MEDIA_TYPES, negotiate_rdf, service_body, void_body
from ris3kg.graph.entailment import ASSERTED_GRAPH
from ris3kg.graph.sparql.executor import Cut, QueryError, QueryJob, QueryOutcome
from ris3kg.graph.sparql.policy import RefusedQueryError, check_graphs, check_length
from ris3kg.graph.workers import WorkError
from ris3kg.ontology.formats import GRAPH_RESULT_SYNTAXES, ResultFormat

bp = Blueprint("sparql", __name__)

RESULT_TYPES: dict[str, ResultFormat] = {
    media_type: fmt for fmt in ResultFormat for media_type in (fmt.media_type, *fmt.aliases)
}
"""Media types of SELECT / ASK results a client may ask for, with the format of each."""
GRAPH_TYPES: dict[str, str] = {
    media_type: syntax.media_type
    for syntax in GRAPH_RESULT_SYNTAXES
    for media_type in (syntax.media_type, *syntax.aliases)
}
"""Media types of CONSTRUCT / DESCRIBE results a client may ask for, with the one answered."""

FORMAT_NAMES: dict[str, tuple[ResultFormat | None, str | None]] = {
    # What clients put in ?format= (Virtuoso), ?output= (Joseki, Fuseki) or ?results=, and what
    # SPARQLWrapper sends for each of its return formats: one name for both query forms, so that
    # "xml" is SPARQL XML results for a SELECT and RDF/XML for a CONSTRUCT. A form the name
    # does not fit (CSV for a CONSTRUCT) is negotiated from Accept instead.
    "json": (ResultFormat.JSON, "application/ld+json"),
    "xml": (ResultFormat.XML, "application/rdf+xml"),
    "csv": (ResultFormat.CSV, None),
    "tsv": (ResultFormat.TSV, None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "n3": (None, "text/n3"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
    "rdf+xml": (None, "application/rdf+xml"),
    "rdf": (None, "application/rdf+xml"),
    "text/javascript": (ResultFormat.JSON, None),
    "application/javascript": (ResultFormat.JSON, None),
    **{media_type: (fmt, None) for media_type, fmt in RESULT_TYPES.items()},
    **{media_type: (None, answered) for media_type, answered in GRAPH_TYPES.items()},
}
"""The values of ``?format=`` (and ``output=``, ``results=``): the results format and the graph syntax each names."""
FORMAT_PARAMETERS = ("format", "output", "results")
EXTENSIONS = {fmt.key: fmt.extension for fmt in ResultFormat} | {
    syntax.key: syntax.extension for syntax in GRAPH_RESULT_SYNTAXES
}
"""The format names the query page's download links use, with the file extension of each."""


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
            # A browser at the endpoint's address gets the endpoint's description as a page.
            return redirect(url_for("void.service_page"), code=303)
        media_type = negotiate_rdf(request.accept_mimetypes)
        if media_type is None:
            return error_response(406, f"the service description is available as {', '.join(RDF_MEDIA_TYPES)}")
        return Response(service_body(media_type), mimetype=media_type)
    outcome = run_query(query, params)
    response = Response(outcome.body, mimetype=outcome.media_type)
    if outcome.cut is not None:
        response.headers.update(cut_headers(outcome.cut))
    chosen = params.get("format")
    if chosen in EXTENSIONS:
        response.headers["Content-Disposition"] = f'attachment; filename="ris3kg-results.{EXTENSIONS[chosen]}"'
    return response


def cut_headers(cut: Cut) -> dict[str, str]:
    """The headers that say a result was cut at a limit, and where the whole data is.

    ``X-SPARQL-MaxRows`` is Virtuoso's name for its row cap, which clients of public endpoints
    already look for; ``X-SPARQL-Truncated`` says which limit cut it and how many rows were kept.
    """
    return {
        "X-SPARQL-MaxRows": str(cut.limit if cut.unit != "bytes" else cut.kept),
        "X-SPARQL-Truncated": f"{cut.unit}; limit={cut.limit}; kept={cut.kept}",
        "Link": f'<{url_for("sparql.void", _external=True)}>; rel="describedby"',
    }


def _infer(params: MultiDict[str, str]) -> bool:
    values = params.getlist("infer")
    if not values:
        return True
    if len(values) > 1 or values[0].strip().lower() not in ("true", "false"):
        raise HttpError(
            400, "infer= must be true (the default: entailed answers too) or false (asserted triples only), once"
        )
    return values[0].strip().lower() == "true"


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
        params: The protocol parameters (``default-graph-uri``, ``named-graph-uri``, ``format``,
            ``infer``).
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
            params.getlist("default-graph-uri"),
            known_graphs={*current.graphs, ASSERTED_GRAPH},
            parameter="default-graph-uri",
        )
        named = check_graphs(
            params.getlist("named-graph-uri"), known_graphs=current.graphs, parameter="named-graph-uri"
        )
    except RefusedQueryError as exc:
        raise HttpError(400, str(exc)) from exc
    infer = _infer(params)
    if table:
        result_format, graph_type = ResultFormat.JSON, "application/n-triples"
    else:
        result_format, graph_type = _negotiate(params)
    job = QueryJob(
        query=query,
        default_graphs=defaults,
        named_graphs=named,
        protocol_dataset=bool(defaults or named),
        result_format=result_format,
        graph_media_type=graph_type,
        max_rows=settings().max_result_rows,
        max_bytes=settings().max_result_bytes,
        infer=infer,
        cut=True,
    )
    try:
        return current.executor.run(job)
    except (QueryError, RefusedQueryError, WorkError) as exc:
        answer = answer_for(exc)
        assert answer is not None
        raise HttpError(answer.status, answer.message, headers=answer.headers) from exc


def _negotiate(params: MultiDict[str, str]) -> tuple[ResultFormat, str]:
    names = tuple(value for key in FORMAT_PARAMETERS for value in params.getlist(key))
    return _negotiate_cached(names, request.headers.get("Accept", ""))


@lru_cache(maxsize=256)
def _negotiate_cached(names: tuple[str, ...], accept_header: str) -> tuple[ResultFormat, str]:
    """Choose the result formats from ``format=`` (or ``output=``, ``results=``) or the Accept header.

    A format parameter wins over Accept for the query forms it names; of several, the first known
    one does (SPARQLWrapper sends a name and then the media types: ``format=json-ld`` and
    ``format=application/ld+json,application/x-json+ld``).
    """
    chosen_results: ResultFormat | None = None
    chosen_graph: str | None = None
    known = False
    for name in names:
        for value in name.split(","):
            found = FORMAT_NAMES.get(value.strip().lower().split(";", 1)[0].strip())
            if found is None:
                continue
            known = True
            chosen_results = chosen_results or found[0]
            chosen_graph = chosen_graph or found[1]
    if names and not known:
        short = ", ".join(sorted(n for n in FORMAT_NAMES if "/" not in n))
        raise HttpError(
            400,
            f"unknown format {names[0]!r}: give format= one of {short} or a media type, "
            "or leave it out and send an Accept header",
        )
    accept = parse_accept_header(accept_header, MIMEAccept)
    if chosen_results is None:
        result_type = accept.best_match(list(RESULT_TYPES))
        chosen_results = RESULT_TYPES.get(result_type or "")
    if chosen_graph is None:
        graph_type = accept.best_match(list(GRAPH_TYPES))
        chosen_graph = GRAPH_TYPES.get(graph_type or "")
    if chosen_results is None and chosen_graph is None and accept_header.strip() and "*/*" not in accept_header:
        served = ", ".join(dict.fromkeys([*RESULT_TYPES, *GRAPH_TYPES]))
        raise HttpError(406, f"none of the accepted types is served; results come as {served}")
    return chosen_results or ResultFormat.JSON, chosen_graph or "text/turtle"


@bp.route("/void")
@bp.route("/.well-known/void")
def void() -> BaseResponse:
    """The VoID description of the dataset: triples per named graph, classes, properties."""
    media_type = negotiate_rdf(request.accept_mimetypes)
    if media_type is None:
        return error_response(406, f"the VoID description is available as {', '.join(RDF_MEDIA_TYPES)}")
    return Response(void_body(media_type), mimetype=media_type)
