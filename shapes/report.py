"""Writing validation reports for people: plain text for the terminal."""

from __future__ import annotations

from ris3kg.shapes.validation import Severity, ValidationReport


def format_text(report: ValidationReport, *, show_warnings: bool = True) -> str:
    """Return the report as readable text: a verdict line, then one block per result.

    Args:
        report: The validation report.
        show_warnings: Include warnings and infos, not only violations.
    """
    verdict = "conforms" if report.conforms else "does NOT conform"
    counts = f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)"
    lines = [f"{report.source}: {verdict} ({counts})"]
    for result in report.results:
        if result.severity is not Severity.VIOLATION and not show_warnings:
            continue
        name = f"“{result.focus_label}” " if result.focus_label else ""
        lines.append(f"  {result.severity.value.upper()}: {name}<{result.focus}>")
        lines.append(f"    {result.message}")
        details = []
        if result.path:
            details.append(f"property {result.path}")
        if result.value:
            details.append(f"value {result.value}")
        if result.shape and not result.shape.startswith("_:"):
            details.append(f"rule {result.shape}")
        if details:
            lines.append(f"    ({'; '.join(details)})")
    return "\n".join(lines)
