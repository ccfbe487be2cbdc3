"""Writing the enabling-condition report: text for the terminal, HTML for people, JSON and CSV for tools.

Every format carries the same facts: for each criterion its verdict, what is missing, and each
element that evidences it with its IRI, labels, kinds, quoted passages and location. HTML is
escaped by Jinja's autoescape and holds no inline script; with a stylesheet URL it links the
stylesheet (for a page under a Content-Security-Policy), without one it is a standalone file with
its styles inline. CSV cells go through :func:`ris3kg.graph.export.tabular.spreadsheet_safe`.
"""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from ris3kg.graph.export.tabular import spreadsheet_safe
from ris3kg.ontology.formats import UnknownFormatError
from ris3kg.shapes.enabling.evidence import CriterionResult, EnablingReport, Evidence, Verdict
from ris3kg.shapes.report import ReportFormat

ENABLING_FORMATS = (ReportFormat.TEXT, ReportFormat.HTML, ReportFormat.JSON, ReportFormat.CSV)
"""The formats of the validation report the enabling-condition report comes in (all but the SHACL Turtle)."""


def enabling_format(key: str) -> ReportFormat:
    """Return the enabling-condition report's format named ``key`` (``json``) or with that media type.

    Raises:
        UnknownFormatError: No format has that name; the message lists them (a ``ValueError``).
    """
    for fmt in ENABLING_FORMATS:
        if key.lower() in (fmt.key, fmt.media_type):
            return fmt
    keys = ", ".join(f.key for f in ENABLING_FORMATS)
    raise UnknownFormatError(f"unknown enabling-condition report format {key!r}; use one of {keys}")


CSV_COLUMNS = (
    "criterion",
    "criterion_label",
    "verdict",
    "evidence",
    "evidence_label",
    "source_label",
    "kinds",
    "pieces",
    "location",
    "quotes",
    "missing",
)
"""The CSV's columns: one row per element of evidence, or one row for a criterion without any."""


def render(report: EnablingReport, fmt: ReportFormat, *, stylesheet: str | None = None) -> str:
    """Return the report in a format.

    Args:
        report: The report.
        fmt: The format.
        stylesheet: HTML only: the URL of the stylesheet to link (the web app's report stylesheet);
            without it the styles are inline, for a standalone file.
    """
    if fmt is ReportFormat.TEXT:
        return format_text(report)
    if fmt is ReportFormat.JSON:
        return json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"
    if fmt is ReportFormat.CSV:
        return _csv(report)
    return _environment().get_template("enabling.html").render(report=report, stylesheet=stylesheet, Verdict=Verdict)


def summary(report: EnablingReport) -> str:
    """Return the one-line summary: how many criteria are evidenced."""
    partly = sum(1 for r in report.results if r.verdict is Verdict.PARTLY)
    return (
        f"{report.source}: {report.evidenced} of {len(report.results)} criteria evidenced, {partly} partly "
        f"(enabling condition 1.1, Regulation (EU) 2021/1060, Annex IV)"
    )


def format_text(report: EnablingReport) -> str:
    """Return the report as plain text, one block per criterion."""
    lines = [summary(report), f"  {report.title}", ""]
    for result in report.results:
        c = result.criterion
        lines.append(f"{c.notation}. {c.label}: {result.verdict.value.upper()} ({result.count} element(s))")
        for evidence in result.evidence:
            where = f" at {evidence.location}" if evidence.location else ""
            lines.append(f"   - {evidence.label} <{evidence.iri}> [{', '.join(evidence.kinds)}]{where}")
        if result.omitted:
            lines.append(f"   ... and {result.omitted} more element(s), not listed")
        for missing in result.missing:
            lines.append(f"   MISSING: {missing}")
        lines.append("")
    return "\n".join(lines)


def _evidence_json(evidence: Evidence) -> dict[str, object]:
    return {
        "iri": evidence.iri,
        "label": evidence.label,
        "source_label": evidence.source_label,
        "source_language": evidence.source_language,
        "kinds": list(evidence.kinds),
        "pieces": list(evidence.pieces),
        "location": evidence.location,
        "quotes": [
            {"text": q.text, "language": q.language, "document": q.document, "file_name": q.file_name}
            for q in evidence.quotes
        ],
    }


def _result_json(result: CriterionResult) -> dict[str, object]:
    c = result.criterion
    return {
        "criterion": c.iri,
        "notation": c.notation,
        "label": c.label,
        "labels": dict(c.labels),
        "definition": c.definition,
        "reading": c.reading,
        "query": c.query_file,
        "verdict": result.verdict.value,
        "found": list(result.found),
        "missing": list(result.missing),
        "count": result.count,
        "omitted": result.omitted,
        "evidence": [_evidence_json(e) for e in result.evidence],
    }


def as_json(report: EnablingReport) -> dict[str, object]:
    """Return the report as a JSON-ready dictionary."""
    return {
        "source": report.source,
        "title": report.title,
        "summary": summary(report),
        "criteria": [_result_json(r) for r in report.results],
    }


def _csv(report: EnablingReport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for result in report.results:
        base = {
            "criterion": result.criterion.notation,
            "criterion_label": result.criterion.label,
            "verdict": result.verdict.value,
            "missing": " | ".join(result.missing),
        }
        rows = [
            {
                **base,
                "evidence": e.iri,
                "evidence_label": e.label,
                "source_label": e.source_label or "",
                "kinds": " | ".join(e.kinds),
                "pieces": " | ".join(e.pieces),
                "location": e.location or "",
                "quotes": " | ".join(q.text for q in e.quotes),
            }
            for e in result.evidence
        ] or [base]
        for row in rows:
            writer.writerow({k: spreadsheet_safe(row.get(k, "")) for k in CSV_COLUMNS})
    return out.getvalue()


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("ris3kg.shapes", "templates"), autoescape=select_autoescape(["html"]))
