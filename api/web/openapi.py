"""The OpenAPI 3.1 description of the submissions API, served at ``/api/openapi.json``.

The operations are written as YAML after a ``---`` line in the docstrings of the routes in
:mod:`ris3kg.api.web.submissions`; apispec collects them from the application's URL map. The
component schemas, and what depends on the submission and report formats, are data here.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from apispec import APISpec, BasePlugin, yaml_utils
from apispec.exceptions import APISpecError
from apispec_webframeworks.flask import FlaskPlugin
from flask import Blueprint, Flask, current_app, has_app_context

from ris3kg.shapes.report import CSV_COLUMNS, ReportFormat
from ris3kg.shapes.submission.read import SubmissionFormat

TITLE = "ris3kg submissions API"
"""The document's title."""

VERSION = "1.0.0"
"""The version of the API (not of ris3kg)."""

DESCRIPTION = (
    "Validate a regional smart-specialisation strategy's data against the ris3kg shapes and the "
    "strategies already in the graph, and (with a token) take it in as the strategy's new version."
)
"""The document's description."""

API_PREFIX = "/api/"
"""The blueprint's rules under this prefix are the API and are described."""

ALSO_DESCRIBED = frozenset({"template_download"})
"""The blueprint's endpoints outside :data:`API_PREFIX` that are described too (API clients use them)."""

ALSO_DESCRIBED_BLUEPRINTS = frozenset({"enabling"})
"""Other blueprints whose API rules are described too (the enabling-condition report, api/web/enabling.py)."""

_RESULT = {
    "type": "object",
    "properties": {
        "severity": {"type": "string", "enum": ["Violation", "Warning", "Info"]},
        "location": {
            "type": ["string", "null"],
            "description": "Where in the file: 'name.ttl, line 12' or 'name.xlsx, sheet 'Actions', row 4'.",
        },
        "focus": {"type": ["string", "null"], "description": "The IRI (or blank-node id) of the entity."},
        "focus_label": {"type": ["string", "null"], "description": "The entity's name, English first."},
        "path": {"type": ["string", "null"], "description": "The property, as a prefixed name."},
        "value": {"type": ["string", "null"], "description": "The offending value."},
        "message": {"type": "string", "description": "What is wrong and what to do."},
        "shape": {"type": ["string", "null"], "description": "The rule that found it."},
    },
    "required": ["severity", "message"],
}

_REPORT = {
    "type": "object",
    "properties": {
        "source": {"type": "string"},
        "conforms": {"type": "boolean", "description": "True when there is no violation (warnings are allowed)."},
        "violations": {"type": "integer"},
        "warnings": {"type": "integer"},
        "format": {"type": "string"},
        "checksum": {"type": "string", "description": "sha256:<hex> of the file."},
        "triples": {"type": "string"},
        "strategy": {"type": "string"},
        "graph": {"type": "string"},
        "version": {"type": "string", "description": "'first version' when the store has no version of the strategy."},
        "replaces": {"type": "string", "description": "The version a resubmission replaces ('version 2', ...)."},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
        "changes": {"$ref": "#/components/schemas/Changes"},
    },
    "required": ["source", "conforms", "violations", "warnings", "results"],
}

_CHANGES = {
    "type": "object",
    "description": (
        "What a new version changes against the one it replaces: elements added, removed and changed, by kind; "
        "blank nodes (passages) are compared by content. The counts are complete; items are capped (truncated: "
        "how many are not listed)."
    ),
    "properties": {
        "against": {"type": "string", "description": "The version compared with ('version 2', 'the packaged data')."},
        "version": {"type": ["integer", "null"]},
        "graph": {"type": ["string", "null"]},
        "total": {"type": "integer"},
        "counts": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string"},
                    "kind_label": {"type": "string"},
                    "added": {"type": "integer"},
                    "removed": {"type": "integer"},
                    "changed": {"type": "integer"},
                },
            },
        },
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string"},
                    "kind_label": {"type": "string"},
                    "iri": {"type": "string"},
                    "label": {"type": ["string", "null"]},
                    "source_label": {"type": ["string", "null"]},
                    "source_language": {"type": ["string", "null"]},
                    "change": {"type": "string", "enum": ["added", "removed", "changed"]},
                    "properties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "property": {"type": "string"},
                                "property_label": {"type": ["string", "null"]},
                                "old": {"type": "array", "items": {"type": "string"}},
                                "new": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
        "truncated": {"type": "integer"},
    },
    "required": ["against", "counts", "items", "truncated"],
}

_VERSION = {
    "type": "object",
    "properties": {
        "iri": {"type": "string"},
        "namespace": {"type": "string", "description": "The strategy's segment under https://w3id.org/ris3kg/id/."},
        "strategy": {"type": "string"},
        "graph": {"type": "string", "description": "The named graph of the strategy's current data."},
        "version": {"type": "integer", "minimum": 1},
        "current": {"type": "boolean"},
        "submitted_by": {"type": "string"},
        "submitted_at": {"type": "string", "format": "date-time"},
        "checksum": {"type": "string"},
        "file_name": {"type": "string"},
        "triples": {"type": "integer"},
        "data": {"type": "string", "description": "Where to get this version's data (N-Quads)."},
    },
}

_ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "file": {"type": "string"},
        "line": {"type": ["integer", "null"]},
        "column": {"type": ["integer", "null"]},
        "details": {"type": "array", "items": {"type": "string"}, "description": "Each cell that cannot be read."},
    },
    "required": ["error"],
}


def _report_content() -> dict[str, object]:
    return {
        ReportFormat.JSON.media_type: {"schema": {"$ref": "#/components/schemas/Report"}},
        ReportFormat.HTML.media_type: {"schema": {"type": "string"}},
        ReportFormat.TURTLE.media_type: {
            "schema": {"type": "string", "description": "The SHACL validation report (sh:ValidationReport)."}
        },
        ReportFormat.CSV.media_type: {
            "schema": {"type": "string", "description": "One row per result; columns " + ", ".join(CSV_COLUMNS)}
        },
    }


def _submission_body() -> dict[str, object]:
    """The submitted file: the body with one of the formats' media types, or a multipart form."""
    content: dict[str, object] = {fmt.media_type: {"schema": {"type": "string"}} for fmt in SubmissionFormat}
    content["multipart/form-data"] = {
        "schema": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                "format": {"type": "string", "enum": [fmt.key for fmt in SubmissionFormat]},
            },
            "required": ["file"],
        }
    }
    return {"required": True, "content": content}


_ENABLING_REPORT = {
    "type": "object",
    "description": (
        "How a strategy's data evidences the seven criteria of enabling condition 1.1 (Regulation (EU) 2021/1060, "
        "Annex IV): per criterion the verdict, the elements that evidence it and what is missing."
    ),
    "properties": {
        "source": {"type": "string", "description": "The strategy's key or the file's name."},
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "criteria": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "criterion": {"type": "string", "description": "The criterion's IRI (voc:ec-...)."},
                    "notation": {"type": "string"},
                    "label": {"type": "string"},
                    "definition": {"type": "string", "description": "The regulation's wording."},
                    "reading": {"type": "string", "description": "How it is read from the graph."},
                    "query": {"type": "string", "description": "The query file that reads it."},
                    "verdict": {"type": "string", "enum": ["evidenced", "partly", "no evidence found"]},
                    "found": {"type": "array", "items": {"type": "string"}},
                    "missing": {"type": "array", "items": {"type": "string"}},
                    "count": {"type": "integer", "description": "How many elements evidence it, listed or not."},
                    "omitted": {"type": "integer", "description": "Elements not listed (past the cap of an upload)."},
                    "evidence": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "iri": {"type": "string"},
                                "label": {"type": "string"},
                                "source_label": {"type": ["string", "null"]},
                                "source_language": {"type": ["string", "null"]},
                                "kinds": {"type": "array", "items": {"type": "string"}},
                                "pieces": {"type": "array", "items": {"type": "string"}},
                                "location": {"type": ["string", "null"]},
                                "quotes": {"type": "array", "items": {"type": "object"}},
                            },
                        },
                    },
                },
            },
        },
    },
    "required": ["source", "title", "criteria"],
}

SCHEMAS: Mapping[str, dict[str, Any]] = {
    "Result": _RESULT,
    "EnablingReport": _ENABLING_REPORT,
    "Report": _REPORT,
    "Version": _VERSION,
    "Changes": _CHANGES,
    "Error": _ERROR,
}
"""The component schemas; an operation names one as ``schema: Report``."""


def _responses() -> dict[str, dict[str, Any]]:
    """The component responses; an operation names one as ``200: ValidationReport``."""
    return {
        "ValidationReport": {"description": "The validation report.", "content": _report_content()},
        "EnablingConditionReport": {
            "description": "The enabling-condition report (JSON; HTML, CSV or text by format or Accept).",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/EnablingReport"}},
                "text/html": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
        },
        "NotTakenIn": {
            "description": "accept=true, but the submission has violations: not taken in.",
            "content": _report_content(),
        },
    }


def _request_bodies() -> dict[str, dict[str, Any]]:
    """The request bodies an operation may name (``requestBody: Submission``)."""
    return {"Submission": _submission_body()}


SERVERS = [{"url": "/"}]
"""The document's servers: relative, the host the document was fetched from (never a Host header)."""


class NamedRequestBodies(BasePlugin):
    """Let an operation name its request body (``requestBody: Submission``), which is copied in.

    apispec turns a named schema, response or parameter into a ``$ref``, but it has no request body
    components (and cannot resolve a ``$ref`` request body), so a named one is written in place.
    """

    def __init__(self, bodies: Mapping[str, dict[str, Any]]) -> None:
        """Take the request bodies by name.

        Args:
            bodies: Each request body object by the name an operation gives it.
        """
        self._bodies = bodies

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        """Replace each named request body of ``operations`` with a copy of the body.

        Raises:
            APISpecError: An operation names a request body there is none of.
        """
        for method, operation in (operations or {}).items():
            name = operation.get("requestBody") if isinstance(operation, dict) else None
            if isinstance(name, str):
                if name not in self._bodies:
                    raise APISpecError(f"{method.upper()} {path}: no request body named {name!r}")
                operation["requestBody"] = copy.deepcopy(self._bodies[name])


def _described_views(app: Flask, blueprint: Blueprint) -> Iterator[Any]:
    """The view functions of the submissions blueprint's API rules that have operations, in the URL map's order."""
    seen: set[str] = set()
    for rule in app.url_map.iter_rules():
        owner, _, name = rule.endpoint.rpartition(".")
        if owner not in (blueprint.name, *ALSO_DESCRIBED_BLUEPRINTS) or rule.endpoint in seen:
            continue
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith(API_PREFIX) or name in ALSO_DESCRIBED:
            seen.add(rule.endpoint)
            if yaml_utils.load_operations_from_docstring(view.__doc__ or ""):
                yield view


def _app(blueprint: Blueprint) -> Flask:
    """The current application, or (outside one) an application of the blueprint alone."""
    if has_app_context():
        return current_app
    app = Flask(__name__)
    app.register_blueprint(blueprint)
    return app


def openapi_document(blueprint: Blueprint) -> dict[str, object]:
    """Return the OpenAPI 3.1 document of a blueprint's API routes.

    Its paths are the operations in the docstrings of the blueprint's API routes (of the current
    application; outside one, of an application with that blueprint alone); a route whose
    docstring has none is left out.

    Its server URL is relative (``/``): OpenAPI resolves it against where the document was
    fetched from, so nothing of the request (a forged ``Host`` header, say) is written into it.

    Args:
        blueprint: The submissions blueprint (passed in: that module imports this one).
    """
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version="3.1.0",
        plugins=[FlaskPlugin(), NamedRequestBodies(_request_bodies())],
        info={"description": DESCRIPTION},
        servers=[dict(entry) for entry in SERVERS],
    )
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, copy.deepcopy(schema))
    for name, response in _responses().items():
        spec.components.response(name, response)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    app = _app(blueprint)
    for view in _described_views(app, blueprint):
        spec.path(view=view, app=app)
    return spec.to_dict()
