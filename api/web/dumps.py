"""Downloads of the whole dataset: ``/dumps`` lists them, ``/dumps/<file>`` sends one.

The files are those of :mod:`ris3kg.graph.export.dumps`: ``ris3kg.nq.gz`` (every named graph as
N-Quads) and ``<graph>.ttl.gz`` (one named graph as Turtle), gzip files of the request's generation
of the store, written once per generation into a folder beside the store (or, when that folder
cannot be written, in the user's cache folder). A request waits at most ``PAGE_WAIT`` seconds for
dumps being written, then is told to come back (503 with ``Retry-After``).

They are sent as what they are, ``application/gzip`` files named ``*.nq.gz`` / ``*.ttl.gz``, not as
``text/turtle`` with ``Content-Encoding: gzip``: with that encoding, browsers, ``wget`` and
``curl --compressed`` would unpack them and ``curl`` without it would not, so a file called
``.ttl.gz`` would be gzip for one client and plain Turtle for another. As gzip files they are the
same bytes for every client, ``Content-Length`` is the file's size, ``Range`` requests resume a
download, and the tools read them as they are (``riot``, Oxigraph, ``gzip.open`` for rdflib). The
``ETag`` is the file's SHA-256, so it changes with the generation only where the content does.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request, send_file, url_for
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.state import artefact_root, dataset, settings, state
from ris3kg.graph.export.dumps import DumpCache, DumpError, DumpSet, DumpSpec, dump_specs
from ris3kg.ontology.formats import RdfSyntax

bp = Blueprint("dumps", __name__, template_folder="templates")

EXTENSION = "ris3kg-dumps"
"""Where the application keeps its :class:`~ris3kg.graph.export.dumps.DumpCache`."""
RETRY_AFTER = 5
"""Seconds after which a client told that the dumps are being written should try again."""
GZIP = "application/gzip"


@bp.record_once
def _make_cache(setup: BlueprintSetupState) -> None:
    app = setup.app
    assert isinstance(app, Flask)
    app_state = state(app)
    app.extensions[EXTENSION] = DumpCache(
        artefact_root(app_state.store_path, "dumps"), max_memory=app_state.settings.page_max_memory
    )


def _cache() -> DumpCache:
    cache = current_app.extensions[EXTENSION]
    assert isinstance(cache, DumpCache)
    return cache


def _dumps() -> DumpSet | None:
    """The dumps of the request's generation, waiting at most ``PAGE_WAIT`` seconds; None: not ready yet.

    Raises:
        HTTPException: 503 when writing them failed.
    """
    try:
        return _cache().get(dataset().generation, wait=settings().page_wait)
    except DumpError as exc:
        abort(503, description=f"{exc}; try again later")


def _label(spec: DumpSpec) -> str:
    syntax = "N-Quads" if spec.syntax is RdfSyntax.N_QUADS else "Turtle"
    return f"every named graph, {syntax}" if spec.graph is None else f"{spec.graph}, {syntax}"


@bp.route("/dumps")
def listing() -> BaseResponse:
    """The downloads of the current generation: an HTML page, or JSON for a client that prefers it."""
    specs = dump_specs(dataset().graphs)
    written = _dumps()
    files = []
    for spec in specs:
        found = written.file(spec.name) if written is not None else None
        files.append(
            {
                "name": spec.name,
                "url": url_for("dumps.download", name=spec.name, _external=True),
                "graph": spec.graph,
                "format": spec.syntax.key,
                "media_type": spec.media_type,
                "compression": "gzip",
                "label": _label(spec),
                "size": found.size if found else None,
                "statements": found.statements if found else None,
                "sha256": found.sha256 if found else None,
            }
        )
    ready = written is not None
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        response = jsonify({"generation": dataset().generation.name, "ready": ready, "files": files})
    else:
        page = render_template("dumps.html", files=files, ready=ready, void=url_for("sparql.void"))
        response = Response(page, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    if not ready:
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


@bp.route("/dumps/<name>")
def download(name: str) -> BaseResponse:
    """One dump file, as a gzip file (``application/gzip``), with its length, ETag and Range support."""
    known = {spec.name for spec in dump_specs(dataset().graphs)}
    if name not in known:  # only names derived from the graphs; the client's text never reaches the disk
        abort(404, description="no such dump: /dumps lists them")
    written = _dumps()
    if written is None:
        return Response(
            "Error 503: the dumps of the current data are being written; try again in a few seconds\n",
            status=503,
            mimetype="text/plain",
            headers={"Retry-After": str(RETRY_AFTER)},
        )
    found = written.file(name)
    if found is None:
        abort(404, description="no such dump: /dumps lists them")
    return send_file(
        found.path,
        mimetype=GZIP,
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=found.sha256,
        max_age=60,
    )
