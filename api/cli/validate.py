"""``ris3kg validate``: submissions (or the packaged strategies) against the shapes and the graph."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click

from ris3kg.api.cli.reading import reading_store_if_built, settings
from ris3kg.graph.catalogue import reference_graph, strategy_parts
from ris3kg.graph.store.interface import GraphStore
from ris3kg.shapes.report import ReportFormat, render, verdict
from ris3kg.shapes.results import ValidationResult
from ris3kg.shapes.spreadsheet.annotate import AnnotationError, annotate_workbook
from ris3kg.shapes.submission.check import check_submission, submission_details
from ris3kg.shapes.submission.read import SubmissionError, read_submission_file
from ris3kg.shapes.validation import shapes_graph, validate_graph


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--violations-only", is_flag=True, help="Hide warnings and notes.")
@click.option(
    "--format",
    "report_format",
    type=click.Choice([f.key for f in ReportFormat]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="Write the report here (with several FILES: FILE's name is added before the extension).",
)
@click.option("--no-store", is_flag=True, help="Check the files alone, not against the strategies in the store.")
@click.option(
    "--annotated",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="For a filled .xlsx template: write the workbook with the problem cells marked and commented, and a "
    "Problems sheet linking each (with several FILES: FILE's name is added before the extension).",
)
@click.pass_obj
def validate(
    store_path: Path,
    files: tuple[Path, ...],
    violations_only: bool,
    report_format: str,
    output: Path | None,
    no_store: bool,
    annotated: Path | None,
) -> None:
    """Validate submission FILES against the shapes and the graph, and report every problem with its place.

    FILES may be Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML, a filled .xlsx template or a
    zip of its sheets as CSV files. Each is checked against the shapes and, unless --no-store is
    given or there is no store, against the strategies already in the store. With no FILES,
    validates every packaged strategy. Exits 1 when any file has a violation or cannot be read.
    """
    fmt = ReportFormat.for_key(report_format)
    with ExitStack() as stack:
        store = None if no_store or not files else stack.enter_context(reading_store_if_built(store_path))
        if store is None and not no_store and files:
            click.echo(f"No store at {store_path}: checking against the shapes only.", err=True)
        failed = _validate(
            files, store=store, fmt=fmt, violations_only=violations_only, output=output, annotated=annotated
        )
    sys.exit(1 if failed else 0)


def _validate(
    files: tuple[Path, ...],
    *,
    store: GraphStore | None,
    fmt: ReportFormat,
    violations_only: bool,
    output: Path | None,
    annotated: Path | None = None,
) -> bool:
    """Validate FILES (every packaged strategy when there are none); return whether any failed."""
    failed = False
    if not files:
        shapes, reference = shapes_graph(), reference_graph()
        for part in strategy_parts():
            report = validate_graph(part.load(), source=part.resource.label, shapes=shapes, reference=reference)
            click.echo(render(report, fmt, show_warnings=not violations_only))
            failed = failed or not report.conforms
        return failed
    for path in files:
        try:
            checked = check_submission(read_submission_file(path, limits=settings().submission_limits()), store=store)
        except SubmissionError as exc:
            click.echo(f"{exc}", err=True)
            failed = True
            continue
        text = render(
            checked.report,
            fmt,
            details=submission_details(checked),
            show_warnings=not violations_only,
            changes=checked.changes,  # what a resubmission changes against the store's current version
        )
        if output is None:
            click.echo(text)
        else:
            target = output if len(files) == 1 else output.with_name(f"{output.stem}-{path.stem}{output.suffix}")
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise click.ClickException(f"cannot write the report to {target}: {exc}") from exc
            click.echo(f"{verdict(checked.report)}; report in {target}", err=True)
        if annotated is not None:
            _write_annotated(path, checked.report.results, annotated, several=len(files) > 1)
        failed = failed or not checked.conforms
    return failed


def _write_annotated(path: Path, results: tuple[ValidationResult, ...], annotated: Path, *, several: bool) -> None:
    """Write the submitted workbook with its problems marked (only a .xlsx submission has cells to mark)."""
    if path.suffix.lower() != ".xlsx":
        click.echo(f"{path}: --annotated is for a filled .xlsx template; no annotated workbook written", err=True)
        return
    target = annotated if not several else annotated.with_name(f"{annotated.stem}-{path.stem}{annotated.suffix}")
    try:
        target.write_bytes(annotate_workbook(path.read_bytes(), results))
    except AnnotationError as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write the annotated workbook to {target}: {exc}") from exc
    click.echo(f"{path}: the problems are marked in {target}", err=True)
