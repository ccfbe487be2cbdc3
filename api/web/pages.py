"""Pages for people: the query page at ``/``, entity pages under ``/id/``, the ontology at ``/ontology``.

The query page's editor (YASGUI, vendored in ``static/vendor/yasgui/``, started by ``static/editor.js``)
completes the ontology's classes and properties from ``/ontology/terms.json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import partial
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.errors import HttpError
from ris3kg.api.web.export import query_network_problem, view_url
from ris3kg.api.web.ontology_doc import Section, ontology_sections
from ris3kg.api.web.security import QUERY_PAGE_CONTENT_SECURITY_POLICY
from ris3kg.api.web.sparql import EXTENSIONS, run_query
from ris3kg.api.web.state import cached, dataset, recall, settings, strategies
from ris3kg.graph.export.formats import ExportFormat
from ris3kg.graph.export.views import VIEWS, View
from ris3kg.graph.linked_data.entity import EntityView, entity_triples, entity_view
from ris3kg.graph.linked_data.region import region_code
from ris3kg.graph.sparql.examples import ExampleQuery, example_by_key, example_queries
from ris3kg.graph.sparql.executor import Cut, QueryLimitError, used_prefixes
from ris3kg.graph.workers import WorkError
from ris3kg.ontology.formats import DESCRIPTION_SYNTAXES
from ris3kg.ontology.namespaces import ID_BASE, ONTOLOGY_IRI, PREFIXES, prefixed_name

bp = Blueprint("pages", __name__, template_folder="templates", static_folder="static", static_url_path="/static")

ENTITY_TYPES = {syntax.media_type: syntax.oxigraph for syntax in DESCRIPTION_SYNTAXES}
"""The RDF media types of an entity's description, with the pyoxigraph format of each."""
ENTITY_FORMATS = {syntax.key: syntax.media_type for syntax in DESCRIPTION_SYNTAXES}
"""The values of ``?format=`` on an entity's or a region's page, with the media type each gives."""
FORMAT_LABELS = {"turtle": "Turtle", "jsonld": "JSON-LD", "ntriples": "N-Triples", "rdfxml": "RDF/XML"}
"""How the pages' links name each format."""


def entity_media_type() -> str:
    """The media type to answer an entity or region page with: ``?format=`` if given, else by ``Accept``.

    ``?format=turtle`` (``jsonld``, ``ntriples``, ``rdfxml``) wins over ``Accept``, so that a link
    gives what it names in a browser too; without it, content negotiation chooses, HTML first.

    Raises:
        HTTPException: 400 for an unknown format.
    """
    chosen = request.args.getlist("format")
    if chosen:
        if len(chosen) > 1 or chosen[0] not in ENTITY_FORMATS:
            abort(400, description=f"format= must be one of {', '.join(ENTITY_FORMATS)}, once")
        return ENTITY_FORMATS[chosen[0]]
    return request.accept_mimetypes.best_match(["text/html", *ENTITY_TYPES], default="text/html") or "text/html"


def rdf_links(endpoint: str, **values: str) -> tuple[tuple[str, str], ...]:
    """The page's links to its own description in each RDF syntax: ``(label, address)``, Turtle first.

    Args:
        endpoint: The page's endpoint (``pages.entity``, ``regions.region``).
        values: The page's URL values.
    """
    links = []
    for key in ENTITY_FORMATS:
        params: dict[str, Any] = {**values, "format": key}
        links.append((FORMAT_LABELS.get(key, key), url_for(endpoint, **params)))
    return tuple(links)


def link_for(iri: str) -> str | None:
    """Where a result's IRI links to, or None when it must not be a link.

    ris3kg instance IRIs link to their local page, ontology terms to the ontology page, and NUTS
    code IRIs (``http://data.europa.eu/nuts/code/<CODE>``, the code matching
    :data:`~ris3kg.graph.linked_data.region.REGION_CODE`) to the region's page ``/region/<CODE>``
    (all relative links of this server); other IRIs link to themselves only when they are web
    addresses, ``http:`` or ``https:`` at the very start. Any other scheme (``javascript:``,
    ``data:``, ``vbscript:``, ``file:`` ...) or a leading space or control character (which a
    browser would strip before reading the scheme) gives None: the templates then show the IRI as
    text. ``static/query.js`` applies the same rule to results it renders itself.

    Args:
        iri: The IRI as it came from the graph or a query result.
    """
    if iri.startswith(ID_BASE):
        return url_for("pages.entity", rest=iri[len(ID_BASE) :])
    if iri.startswith(ONTOLOGY_IRI + "#"):
        return url_for("pages.ontology") + "#" + iri.split("#", 1)[1]
    code = region_code(iri)
    if code is not None:
        return url_for("regions.region", code=code)
    return iri if iri[:6].lower().startswith(("http:", "https:")) else None


@bp.app_context_processor
def helpers() -> dict[str, object]:
    """Functions the templates use: ``link_for`` (None: show as text) and ``short`` (a prefixed name)."""
    return {"link_for": link_for, "short": prefixed_name}


@bp.route("/")
def query_page() -> BaseResponse:
    """The query page: editor, examples, results as a table, downloads. Works without JavaScript.

    The form runs the query here and renders the table; ``static/query.js`` then mounts the SPARQL
    editor (YASGUI) over it, which runs queries against ``/sparql`` itself. The page allows the
    editor's two fixed ``<style>`` elements (:data:`~ris3kg.api.web.security.QUERY_PAGE_CONTENT_SECURITY_POLICY`).
    """
    example = example_by_key(request.args.get("example", ""))
    query = request.args.get("query") or (example.query if example else example_queries()[0].query)
    result: dict[str, object] | None = None
    cut: Cut | None = None
    error: str | None = None
    status = 200
    retry_after: str | None = None
    if "query" in request.args or (example is not None and "run" in request.args):
        try:
            outcome = run_query(query, MultiDict(), table=True)  # one run, whatever the form
            result = _table(outcome.form, outcome.body)
            cut = outcome.cut
        except HttpError as exc:
            error, status = exc.message, exc.status
            retry_after = exc.headers.get("Retry-After")
    downloads = {
        name: url_for("sparql.endpoint") + "?" + urlencode({"query": query, "format": name}) for name in EXTENSIONS
    }
    network_exports = {
        fmt.value: url_for("export.query", fmt=fmt.value) + "?" + urlencode({"query": query}) for fmt in ExportFormat
    }
    views = [(view, {fmt.value: view_url(view.name, fmt) for fmt in ExportFormat}) for view in VIEWS.values()]
    page = render_template(
        "query.html",
        network_exports=network_exports,
        views=views,
        query=query,
        examples=example_queries(),
        example_networks=example_networks(),
        chosen=example.key if example else None,
        result=result,
        cut=cut,
        error=error,
        downloads=downloads,
        graphs=sorted(dataset().graphs),
        timeout=settings().query_timeout,
        max_rows=settings().max_result_rows,
        prefixes=dict(PREFIXES),
        terms_url=url_for("pages.ontology_terms"),
    )
    response = Response(page, status=status, mimetype="text/html")
    if retry_after:
        response.headers["Retry-After"] = retry_after
    # The editor (CodeMirror, DataTables) sets style attributes: this page alone allows them.
    response.headers["Content-Security-Policy"] = QUERY_PAGE_CONTENT_SECURITY_POLICY
    return response


@dataclass(frozen=True)
class ExampleNetwork:
    """What the query page offers to export for one example query.

    Attributes:
        exports: Whether its result exports as a network (True too when that could not be told:
            the export then says why itself).
        reason: Why it is not a network, in one clause ("" when it exports).
        downloads: Its export as a network, a link per format (when it exports).
        view: The nearest network view (its ``# network:`` header), or None.
        view_downloads: The view's download per format.
        view_page: The view's page in the browser (``/network/<view>``), or None.
    """

    exports: bool
    reason: str
    downloads: dict[str, str]
    view: View | None
    view_downloads: dict[str, str]
    view_page: str | None


def example_networks() -> dict[str, ExampleNetwork]:
    """Whether each example query exports as a network, and else why not and its nearest view, by key.

    Each example is run once per store generation, as ``/export/query`` runs it
    (:func:`~ris3kg.api.web.export.query_network_problem`), and the answer kept. A run that passed a
    limit (time, memory) or found the workers busy tells nothing of the shape: nothing is kept, a
    later request tries again, and meanwhile the example shows its export links (the export says
    why itself if it fails); the request then runs no further example.
    """
    found: dict[str, ExampleNetwork] = {}
    stopped = False  # after one run that passed a limit, this request runs no more
    for example in example_queries():
        key = f"example-network:{example.key}"
        try:
            problem = str(recall(key) or "") if stopped else cached(key, partial(_network_problem, example))
        except (QueryLimitError, WorkError):
            problem, stopped = "", True
        view = VIEWS.get(example.network) if example.network else None
        exports = not problem
        found[example.key] = ExampleNetwork(
            exports=exports,
            reason="" if exports else problem,
            downloads=(
                {
                    fmt.value: url_for("export.query", fmt=fmt.value) + "?" + urlencode({"query": example.query})
                    for fmt in ExportFormat
                }
                if exports
                else {}
            ),
            view=view,
            view_downloads={fmt.value: view_url(view.name, fmt) for fmt in ExportFormat} if view else {},
            view_page=url_for("network.view", name=view.name) if view else None,
        )
    return found


def _network_problem(example: ExampleQuery) -> str:
    """Why the example is not a network ("" when it is one)."""
    return query_network_problem(example.query) or ""


def _table(form: str, body: bytes) -> dict[str, object]:
    if form == "ask":
        return {"form": "ask", "boolean": json.loads(body)["boolean"]}
    if form == "select":
        data = json.loads(body)
        variables = data["head"]["vars"]
        rows = [[binding.get(name) for name in variables] for binding in data["results"]["bindings"]]
        return {"form": "select", "variables": variables, "rows": rows}
    rows = []
    for triple in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        rows.append([_cell(triple.subject), _cell(triple.predicate), _cell(triple.object)])
    return {"form": "graph", "variables": ["subject", "predicate", "object"], "rows": rows}


def _cell(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    assert isinstance(term, ox.Literal)
    cell = {"type": "literal", "value": term.value}
    if term.language:
        cell["xml:lang"] = term.language
    return cell


@bp.route("/id/<path:rest>")
def entity(rest: str) -> BaseResponse:
    """An instance IRI ``https://w3id.org/ris3kg/id/...``: HTML, Turtle, JSON-LD, N-Triples or RDF/XML.

    ``?format=`` (``turtle``, ``jsonld``, ``ntriples``, ``rdfxml``) chooses the syntax, which is what
    the page's own links use; without it ``Accept`` does (see :func:`entity_media_type`).
    """
    iri = ID_BASE + rest
    try:
        ox.NamedNode(iri)  # an IRI, or nothing a page can be about
    except ValueError:
        abort(404, description="this is not a ris3kg IRI: check the address")
    media_type = entity_media_type()
    # A generation never changes: each page is made once (the most recent ones are kept); a page
    # about nothing is not kept, so that made-up addresses cannot fill the cache.
    key = f"{media_type} {iri}"
    if not _known(iri):
        abort(404, description=f"nothing is known about {iri}")
    body = cached(key, lambda: _entity_body(iri, media_type, rest) or b"", recent="entities")
    if not body:
        abort(404, description=f"nothing is known about {iri}")
    response = Response(body, mimetype=media_type)
    response.headers["Vary"] = "Accept"
    return response


def _known(iri: str) -> bool:
    """Whether the graph has any statement about the IRI (one index lookup each way)."""
    return dataset().store.mentions(iri)


def _entity_body(iri: str, media_type: str, rest: str) -> bytes | None:
    """The entity's page or RDF, or None when the graph says nothing about it."""
    store = dataset().store
    if media_type in ENTITY_TYPES:
        triples = entity_triples(store, iri)
        if not triples:
            return None
        fmt = ENTITY_TYPES[media_type]
        return ox.serialize(triples, format=fmt, prefixes=used_prefixes(triples, fmt))
    view = entity_view(store, iri)
    if view is None:
        return None
    links = rdf_links("pages.entity", rest=rest)
    page = render_template("entity.html", view=view, rdf_links=links, within=_within(view))
    return page.encode("utf-8")


_PART_OF = {PREFIXES["ris3"] + name for name in ("documentedIn", "inStrategy", "inStudy")}
"""What makes an entity a strategy or study (documented in a source) or one of its elements."""


def _within(view: EntityView) -> str | None:
    """The key of the strategy whose structured page (``/strategy/<key>``) shows this entity, or None."""
    graphs = {link.graph for link in view.outgoing if link.property in _PART_OF}
    if not graphs:
        return None
    keys = {source.graph: source.key for source in strategies()}
    found = sorted(keys[graph] for graph in graphs if graph in keys)
    return found[0] if found else None


@dataclass(frozen=True)
class CompletionTerm:
    """One class or property of the ontology, as the query editor completes it.

    Attributes:
        name: Its prefixed name (``ris3:Bottleneck``).
        iri: Its IRI.
        label: Its English label (its local name when it has none).
        kind: ``class``, ``object-property`` or ``datatype-property``.
    """

    name: str
    iri: str
    label: str
    kind: str


_COMPLETION_KINDS = {
    "classes": "class",
    "object-properties": "object-property",
    "datatype-properties": "datatype-property",
}
"""The ontology page's sections the editor completes from, with the kind each gives its terms."""


def completion_terms(sections: tuple[Section, ...]) -> tuple[CompletionTerm, ...]:
    """The ontology's classes, then its properties, for the query editor's completion.

    Args:
        sections: The ontology page's sections (:func:`~ris3kg.api.web.ontology_doc.ontology_sections`).
    """
    return tuple(
        CompletionTerm(
            name=prefixed_name(term.iri), iri=term.iri, label=term.label, kind=_COMPLETION_KINDS[section.anchor]
        )
        for section in sections
        if section.anchor in _COMPLETION_KINDS
        for term in section.terms
    )


@bp.route("/ontology/terms.json")
def ontology_terms() -> BaseResponse:
    """The ontology's classes and properties with prefixed names and English labels, and the prefixes, as JSON.

    What the query editor completes from (no other host is asked). Computed once per store
    generation; the ontology page's sections are shared with ``/ontology``.
    """

    def compute() -> bytes:
        sections = cached("ontology-sections", lambda: ontology_sections(dataset().bounded))
        terms = completion_terms(sections)
        body = {
            "prefixes": dict(PREFIXES),
            "classes": [asdict(term) for term in terms if term.kind == "class"],
            "properties": [asdict(term) for term in terms if term.kind != "class"],
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")

    return Response(cached("ontology-terms-json", compute), mimetype="application/json")


@bp.route("/ontology")
def ontology() -> BaseResponse:
    """The ontology: HTML documentation, or the hand-written Turtle by content negotiation."""
    media_type = request.accept_mimetypes.best_match(["text/html", "text/turtle"], default="text/html")
    if media_type == "text/turtle" or request.args.get("format") == "turtle":
        text = files("ris3kg.ontology").joinpath("ris3kg.ttl").read_text(encoding="utf-8")
        return Response(text, mimetype="text/turtle")
    sections = cached("ontology-sections", lambda: ontology_sections(dataset().bounded))
    return Response(render_template("ontology.html", sections=sections, iri=ONTOLOGY_IRI), mimetype="text/html")
