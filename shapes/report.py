"""Writing validation reports: text for the terminal, HTML for people, JSON and CSV for tools, Turtle for SHACL.

Every format carries the same facts for each result: severity, the focus entity and its label,
the property, the value, the message, and where it is in the submission.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from enum import Enum
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from ris3kg.graph.export.tabular import spreadsheet_safe
from ris3kg.ontology.formats import UnknownFormatError
from ris3kg.ontology.namespaces import PREFIXES
from ris3kg.shapes.validation import Severity, ValidationReport, ValidationResult


class ReportFormat(Enum):
    """The report formats, with their media types and file extensions."""

    TEXT = ("text", "text/plain", ".txt")
    HTML = ("html", "text/html", ".html")
    JSON = ("json", "application/json", ".json")
    TURTLE = ("turtle", "text/turtle", ".ttl")
    CSV = ("csv", "text/csv", ".csv")

    def __init__(self, key: str, media_type: str, extension: str) -> None:
        self.key = key
        self.media_type = media_type
        self.extension = extension

    @classmethod
    def for_key(cls, key: str) -> ReportFormat:
        """Return the format named ``key`` (``json``) or with that media type.

        Raises:
            UnknownFormatError: No format has that name; the message lists them (a ``ValueError``).
        """
        for fmt in cls:
            if key.lower() in (fmt.key, fmt.media_type):
                return fmt
        raise UnknownFormatError(f"unknown report format {key!r}; use one of {', '.join(f.key for f in cls)}")


CSV_COLUMNS = ("severity", "location", "focus", "focus_label", "path", "value", "message", "shape")


def render(
    report: ValidationReport,
    fmt: ReportFormat,
    *,
    details: Mapping[str, str] | None = None,
    show_warnings: bool = True,
    stylesheet: str | None = None,
) -> str:
    """Return the report in a format.

    Args:
        report: The validation report.
        fmt: The format.
        details: Facts about the submission to show with the verdict (format, checksum, strategy ...).
        show_warnings: Include warnings and notes, not only violations.
        stylesheet: HTML only: the URL of the report's stylesheet, linked from the page (the web
            application serves it as ``static/report.css``); a page served under a
            Content-Security-Policy that allows no inline style needs it. Without it the HTML is a
            standalone file, its styles in a ``<style>`` element.
    """
    results = tuple(r for r in report.results if show_warnings or r.severity is Severity.VIOLATION)
    details = dict(details or {})
    if fmt is ReportFormat.TEXT:
        return format_text(report, show_warnings=show_warnings)
    if fmt is ReportFormat.JSON:
        return _json(report, results, details)
    if fmt is ReportFormat.CSV:
        return _csv(results)
    if fmt is ReportFormat.TURTLE:
        graph = report.report_graph
        for prefix in ("sh", "rdf", "xsd", "ris3", "ris3sh", "voc", "id"):
            graph.bind(prefix, PREFIXES[prefix], override=True)
        return graph.serialize(format="turtle")
    return (
        _environment()
        .get_template("report.html")
        .render(report=report, results=results, details=details, verdict=verdict(report), stylesheet=stylesheet)
    )


def verdict(report: ValidationReport) -> str:
    """Return the one-line verdict: conforms or not, with the counts."""
    word = "conforms" if report.conforms else "does NOT conform"
    counts = f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)"
    return f"{report.source}: {word} ({counts})"


def format_text(report: ValidationReport, *, show_warnings: bool = True) -> str:
    """Return the report as readable text: a verdict line, then one block per result.

    Args:
        report: The validation report.
        show_warnings: Include warnings and notes, not only violations.
    """
    lines = [verdict(report)]
    for result in report.results:
        if result.severity is not Severity.VIOLATION and not show_warnings:
            continue
        name = f"“{result.focus_label}” " if result.focus_label else ""
        focus = f"<{result.focus}>" if result.focus else "(the submission)"
        lines.append(f"  {result.severity.value.upper()}: {name}{focus}")
        if result.location:
            lines.append(f"    at {result.location}")
        lines.append(f"    {result.message}")
        facts = []
        if result.path:
            facts.append(f"property {result.path}")
        if result.value:
            facts.append(f"value {result.value}")
        if result.shape and not result.shape.startswith("_:"):
            facts.append(f"rule {result.shape}")
        if facts:
            lines.append(f"    ({'; '.join(facts)})")
    return "\n".join(lines)


def _row(result: ValidationResult) -> dict[str, str | None]:
    return {
        "severity": result.severity.value,
        "location": result.location,
        "focus": result.focus or None,
        "focus_label": result.focus_label,
        "path": result.path,
        "value": result.value,
        "message": result.message,
        "shape": result.shape,
    }


def _json(report: ValidationReport, results: tuple[ValidationResult, ...], details: Mapping[str, str]) -> str:
    body = {
        "source": report.source,
        "conforms": report.conforms,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        **details,
        "results": [_row(r) for r in results],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def _csv(results: tuple[ValidationResult, ...]) -> str:
    """Return the results as CSV, one row each, with the columns :data:`CSV_COLUMNS`.

    Every column is text from the data (IRIs, labels, values, messages), so every cell goes
    through :func:`~ris3kg.graph.export.tabular.spreadsheet_safe`: one starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading ``'`` and cannot run as a formula.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for result in results:
        writer.writerow({k: spreadsheet_safe(v or "") for k, v in _row(result).items()})
    return out.getvalue()


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("ris3kg.shapes", "templates"), autoescape=select_autoescape(["html"]))
