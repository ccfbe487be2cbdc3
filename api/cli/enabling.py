"""``ris3kg enabling-condition``: how a strategy or a submission file evidences enabling condition 1.1."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import click

from ris3kg.api.cli.reading import reading_store_if_built, settings
from ris3kg.graph.catalogue import part_by_key
from ris3kg.ontology.resources import DataFileError
from ris3kg.shapes.enabling.evidence import EnablingReport, enabling_report, part_report, submission_report
from ris3kg.shapes.enabling.render import ENABLING_FORMATS, enabling_format, render, summary
from ris3kg.shapes.enabling.sources import UnknownStrategyError, find_strategy, strategy_graph
from ris3kg.shapes.submission.read import SubmissionError, SubmissionFormat, read_submission_file


@click.command("enabling-condition")
@click.argument("strategy_or_file", metavar="STRATEGY|FILE")
@click.option(
    "--format",
    "report_format",
    type=click.Choice([f.key for f in ENABLING_FORMATS]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False, writable=True), help="Write the report here."
)
@click.option("--no-store", is_flag=True, help="Read a strategy from the packaged files, not from the store.")
@click.pass_obj
def enabling_condition(
    store_path: Path, strategy_or_file: str, report_format: str, output: Path | None, no_store: bool
) -> None:
    """Report how STRATEGY or FILE evidences the seven criteria of enabling condition 1.1.

    STRATEGY is a packaged strategy's key (blekinge, norrbotten, nms, s3norge, vasternorrland) or an
    accepted submission's namespace, read from the store (or, without one or with --no-store, from
    the packaged files). FILE is a submission: Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML, a
    filled .xlsx template or a zip of its sheets as CSV files; each element of evidence is located in
    it. For each criterion the report gives the elements that evidence it, the verdict (evidenced,
    partly, no evidence found) and what is missing. Exits 0 when the report is written, 1 when the
    strategy or file cannot be read.
    """
    fmt = enabling_format(report_format)
    report = _report(store_path, strategy_or_file, no_store=no_store)
    text = render(report, fmt)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write the report to {output}: {exc.strerror or exc}") from exc
    click.echo(f"{summary(report)}; report in {output}", err=True)


def _looks_like_file(argument: str) -> bool:
    if "/" in argument or "\\" in argument:
        return True
    try:
        SubmissionFormat.for_name(argument)
    except (SubmissionError, ValueError):
        return False
    return "." in argument


def _report(store_path: Path, argument: str, *, no_store: bool) -> EnablingReport:
    path = Path(argument)
    if path.is_file():
        try:
            submission = read_submission_file(path, limits=settings().submission_limits())
        except SubmissionError as exc:
            raise click.ClickException(f"{exc}\nFix the file and run the command again.") from exc
        return submission_report(submission)
    if _looks_like_file(argument):
        raise click.ClickException(
            f"{argument}: no such file. Give a submission file that exists, or a strategy's key "
            "(blekinge, norrbotten, nms, s3norge, vasternorrland, or an accepted submission's namespace)."
        )
    try:
        with ExitStack() as stack:
            store = None if no_store else stack.enter_context(reading_store_if_built(store_path))
            source = find_strategy(argument, store)
            if store is not None:
                return enabling_report(strategy_graph(source, store), source=source.key, title=source.report_title)
        return part_report(part_by_key(source.key))
    except UnknownStrategyError as exc:
        raise click.ClickException(str(exc)) from exc
    except (KeyError, DataFileError) as exc:
        raise click.ClickException(f"{argument}: {exc}") from exc
