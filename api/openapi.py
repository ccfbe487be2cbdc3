"""The OpenAPI 3.1 description of the submissions API, served at ``/api/openapi.json``."""

from __future__ import annotations

from ris3kg.shapes.intake import SubmissionFormat
from ris3kg.shapes.report import CSV_COLUMNS, ReportFormat

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
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
    },
    "required": ["source", "conforms", "violations", "warnings", "results"],
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


def _error_response(description: str) -> dict[str, object]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
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


SERVERS = [{"url": "/"}]
"""The document's servers: relative, the host the document was fetched from (never a Host header)."""


def openapi_document() -> dict[str, object]:
    """Return the OpenAPI 3.1 document.

    Its server URL is relative (``/``): OpenAPI resolves it against where the document was
    fetched from, so nothing of the request (a forged ``Host`` header, say) is written into it.
    """
    body_types: dict[str, object] = {fmt.media_type: {"schema": {"type": "string"}} for fmt in SubmissionFormat}
    body_types["multipart/form-data"] = {
        "schema": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                "format": {"type": "string", "enum": [fmt.key for fmt in SubmissionFormat]},
            },
            "required": ["file"],
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ris3kg submissions API",
            "version": "1.0.0",
            "description": (
                "Validate a regional smart-specialisation strategy's data against the ris3kg shapes and the "
                "strategies already in the graph, and (with a token) take it in as the strategy's new version."
            ),
        },
        "servers": [dict(entry) for entry in SERVERS],
        "components": {
            "schemas": {"Result": _RESULT, "Report": _REPORT, "Version": _VERSION, "Error": _ERROR},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/api/submissions": {
                "post": {
                    "operationId": "submit",
                    "summary": "Validate a submission (and, with accept=true and a token, take it in)",
                    "parameters": [
                        {
                            "name": "accept",
                            "in": "query",
                            "schema": {"type": "boolean", "default": False},
                            "description": "Take the submission in if it has no violations (needs a token).",
                        },
                        {
                            "name": "report",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["json", "html", "turtle", "csv"]},
                            "description": "Report format (else by the Accept header; JSON by default).",
                        },
                        {
                            "name": "name",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": "The file's name, for the report, when the body is the file itself.",
                        },
                    ],
                    "requestBody": {"required": True, "content": body_types},
                    "security": [{}, {"bearer": []}],
                    "responses": {
                        "200": {"description": "The validation report.", "content": _report_content()},
                        "201": {
                            "description": "Taken in: the new version (Location: its data) and the report.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "accepted": {"$ref": "#/components/schemas/Version"},
                                            "report": {"$ref": "#/components/schemas/Report"},
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error_response("The file cannot be read: the error names the line and column."),
                        "401": _error_response("accept=true without a valid bearer token."),
                        "403": _error_response(
                            "The token may not replace this strategy (its scopes), or the request came from "
                            "another web site's page."
                        ),
                        "413": _error_response(
                            "The file is over a limit: size, triples, sheets, rows, columns, zip members, "
                            "inflated size or nesting depth."
                        ),
                        "415": _error_response("The media type is not one of the submission formats."),
                        "422": {
                            "description": "accept=true, but the submission has violations: not taken in.",
                            "content": _report_content(),
                        },
                        "429": _error_response(
                            "Too many failed token attempts from this client; retry after the Retry-After seconds."
                        ),
                        "503": _error_response(
                            "The validation workers are busy (retry after the Retry-After seconds), the validation "
                            "passed its time or memory limit, or another submission is being taken in."
                        ),
                    },
                },
                "get": {
                    "operationId": "listVersions",
                    "summary": "Every accepted version",
                    "responses": {
                        "200": {
                            "description": "Versions, oldest first.",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}}
                                }
                            },
                        }
                    },
                },
            },
            "/api/submissions/{namespace}": {
                "get": {
                    "operationId": "strategyVersions",
                    "summary": "The versions of one strategy",
                    "parameters": [{"name": "namespace", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "Versions, oldest first.",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}}
                                }
                            },
                        },
                        "404": _error_response("No accepted submissions for this strategy."),
                    },
                }
            },
            "/api/submissions/{namespace}/versions/{version}": {
                "get": {
                    "operationId": "versionData",
                    "summary": "One version's data, current or earlier",
                    "parameters": [
                        {"name": "namespace", "in": "path", "required": True, "schema": {"type": "string"}},
                        {
                            "name": "version",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The data as accepted.",
                            "content": {"application/n-quads": {"schema": {"type": "string"}}},
                        },
                        "404": _error_response("No such version."),
                    },
                }
            },
            "/submissions/template.xlsx": {
                "get": {
                    "operationId": "template",
                    "summary": "The spreadsheet submission template",
                    "parameters": [
                        {
                            "name": "strategy",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": "Fill it with a packaged strategy, as an example.",
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The workbook.",
                            "content": {SubmissionFormat.XLSX.media_type: {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
        },
    }
