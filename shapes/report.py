"""Writing validation reports: text for the terminal, HTML for people, JSON and CSV for tools, Turtle for SHACL.

Every format carries the same facts for each result: severity, the focus entity and its label,
the property, the value, the message, and where it is in the submission.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from enum import Enum
from functools import lru_cache
from typing import Protocol

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

CHANGES_CSV_COLUMNS = (
    "kind",
    "kind_label",
    "change",
    "iri",
    "label",
    "source_label",
    "source_language",
    "property",
    "property_label",
    "old",
    "new",
)
"""The columns of :func:`changes_csv`: one row per changed property (or per added or removed element)."""


class PropertyChangeView(Protocol):
    """What a report reads of a changed property (a :class:`ris3kg.shapes.submission.changes.PropertyChange`)."""

    @property
    def property_label(self) -> str | None: ...  # noqa: D102
    @property
    def old(self) -> Sequence[str]: ...  # noqa: D102
    @property
    def new(self) -> Sequence[str]: ...  # noqa: D102
    @property  # last: below it, ``property`` names this member
    def property(self) -> str: ...  # noqa: D102


class ElementChangeView(Protocol):
    """What a report reads of a changed element (a :class:`ris3kg.shapes.submission.changes.ElementChange`)."""

    @property
    def kind(self) -> str: ...  # noqa: D102
    @property
    def kind_label(self) -> str: ...  # noqa: D102
    @property
    def iri(self) -> str: ...  # noqa: D102
    @property
    def label(self) -> str | None: ...  # noqa: D102
    @property
    def source_label(self) -> str | None: ...  # noqa: D102
    @property
    def source_language(self) -> str | None: ...  # noqa: D102
    @property
    def change(self) -> str: ...  # noqa: D102
    @property
    def properties(self) -> Sequence[PropertyChangeView]: ...  # noqa: D102


class ChangesView(Protocol):
    """What a report reads of a comparison (a :class:`ris3kg.shapes.submission.changes.VersionComparison`).

    A protocol, so that this module needs nothing of :mod:`ris3kg.shapes.submission`, which imports it.
    """

    @property
    def against(self) -> str: ...  # noqa: D102
    @property
    def items(self) -> Sequence[ElementChangeView]: ...  # noqa: D102
    @property
    def truncated(self) -> int: ...  # noqa: D102
    def text_lines(self) -> list[str]: ...  # noqa: D102
    def as_json(self) -> dict[str, object]: ...  # noqa: D102


def render(
    report: ValidationReport,
    fmt: ReportFormat,
    *,
    details: Mapping[str, str] | None = None,
    show_warnings: bool = True,
    stylesheet: str | None = None,
    changes: ChangesView | None = None,
    annotated: str | None = None,
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
        changes: What the submission changes against its strategy's current version
            (:attr:`~ris3kg.shapes.submission.check.SubmissionReport.changes`). Text shows a ``Changes
            since version N`` block, HTML a table per kind, JSON a ``changes`` object; the CSV of
            the results keeps its columns (see :func:`changes_csv`), and Turtle, the SHACL report,
            has no place for it.
        annotated: HTML only: the URL of the submitted workbook with its problems marked, which each
            result located at a cell links to.
    """
    results = tuple(r for r in report.results if show_warnings or r.severity is Severity.VIOLATION)
    details = dict(details or {})
    if fmt is ReportFormat.TEXT:
        text = format_text(report, show_warnings=show_warnings)
        if changes is not None:
            return "\n".join([text, *changes.text_lines()])
        if details.get("version") == "first version":
            return f"{text}\nChanges: none to show, this is the strategy's first version"
        return text
    if fmt is ReportFormat.JSON:
        return _json(report, results, details, changes)
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
        .render(
            report=report,
            results=results,
            details=details,
            verdict=verdict(report),
            stylesheet=stylesheet,
            changes=changes,
            change_groups=_by_kind(changes),
            annotated=annotated,
        )
    )


def _by_kind(changes: ChangesView | None) -> list[tuple[str, list[ElementChangeView]]]:
    """The listed changes grouped by kind label, in their order (for the HTML tables)."""
    groups: dict[str, list[ElementChangeView]] = {}
    for item in changes.items if changes is not None else ():
        groups.setdefault(item.kind_label, []).append(item)
    return list(groups.items())


def changes_csv(changes: ChangesView) -> str:
    """Return a comparison as CSV with the columns :data:`CHANGES_CSV_COLUMNS`.

    A changed element has one row per changed property (old and new values joined with `` | ``),
    an added or removed element one row. Every cell goes through
    :func:`~ris3kg.graph.export.tabular.spreadsheet_safe`. A last row says how many changes are
    not listed, when some are not.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CHANGES_CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in changes.items:
        element = {
            "kind": item.kind,
            "kind_label": item.kind_label,
            "change": item.change,
            "iri": item.iri,
            "label": item.label or "",
            "source_label": item.source_label or "",
            "source_language": item.source_language or "",
        }
        rows = [
            {
                **element,
                "property": p.property,
                "property_label": p.property_label or "",
                "old": " | ".join(p.old),
                "new": " | ".join(p.new),
            }
            for p in item.properties
        ] or [element]
        for row in rows:
            writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    if changes.truncated:
        writer.writerow({"kind_label": spreadsheet_safe(f"and {changes.truncated} more")})
    return out.getvalue()


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


def _cell_json(result: ValidationResult) -> dict[str, object] | None:
    """The cell a spreadsheet result is at: sheet, row, column letter (null without the column) and header."""
    if result.cell is None:
        return None
    sheet, row, letter, header = result.cell
    return {"sheet": sheet, "row": row, "column": letter, "header": header}


def cell_label(result: ValidationResult) -> str | None:
    """Return where a spreadsheet result is, the way a spreadsheet names it: ``Actions!D7 (column 'ordinal')``."""
    if result.cell is None:
        return None
    sheet, row, letter, header = result.cell
    where = f"{sheet}!{letter}{row}" if letter else f"{sheet}, row {row}"
    return f"{where} (column '{header}')" if header else where


def _json(
    report: ValidationReport,
    results: tuple[ValidationResult, ...],
    details: Mapping[str, str],
    changes: ChangesView | None = None,
) -> str:
    body: dict[str, object] = {
        "source": report.source,
        "conforms": report.conforms,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        **details,
        "results": [{**_row(r), "cell": _cell_json(r)} for r in results],
    }
    if changes is not None:
        body["changes"] = changes.as_json()
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
    environment = Environment(
        loader=PackageLoader("ris3kg.shapes", "templates"), autoescape=select_autoescape(["html"])
    )
    environment.globals["cell_label"] = cell_label
    return environment
