"""The ``ris3kg`` commands for regional submissions: accept, submissions list/get, template."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ris3kg.api.cli.reading import reading_store, settings, store_failure
from ris3kg.graph.catalogue import part_by_key
from ris3kg.graph.store.generations import StoreLockedError
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.versions import AcceptanceError, InvalidNamespaceError, archived_version, versions
from ris3kg.shapes.report import changes_csv, format_text
from ris3kg.shapes.spreadsheet.template import TemplateOptionError, write_csv_folder, write_template
from ris3kg.shapes.submission.changes import DEFAULT_LIMIT, version_changes
from ris3kg.shapes.submission.check import accept_submission, check_submission
from ris3kg.shapes.submission.read import SubmissionError, read_submission_file


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--by", "submitted_by", required=True, help="Who takes the submission in (recorded with the version).")
@click.pass_obj
def accept(store_path: Path, file: Path, submitted_by: str) -> None:
    """Validate FILE and, if it has no violations, take it into the store as its strategy's new version.

    The earlier version, if any, stays retrievable (`ris3kg submissions get`). Nothing is changed
    when the file has violations or when anything fails on the way.
    """
    with reading_store(store_path) as store:
        try:
            checked = check_submission(read_submission_file(file, limits=settings().submission_limits()), store=store)
        except SubmissionError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(format_text(checked.report))
    try:
        version = accept_submission(
            checked,
            store_path=store_path,
            submitted_by=submitted_by,
            on_step=lambda step: click.echo(f"  {step} ...", err=True),
        )
    except AcceptanceError as exc:
        raise click.ClickException(str(exc)) from exc
    except (StoreError, StoreLockedError, OSError) as exc:
        raise store_failure(store_path, exc, writing=True) from exc
    click.echo(
        f"Accepted {file.name} as version {version.version} of <{version.strategy}> "
        f"in <{version.graph}> ({version.triples} triples, {version.checksum})"
    )


@click.group()
def submissions() -> None:
    """List accepted submissions and retrieve any version of them."""


@submissions.command("list")
@click.argument("namespace", required=False)
@click.pass_obj
def list_versions(store_path: Path, namespace: str | None) -> None:
    """List accepted versions (of the strategy with IRIs under id/NAMESPACE/, or of all)."""
    with reading_store(store_path) as store:
        try:
            found = versions(store, namespace=namespace)
        except InvalidNamespaceError as exc:
            raise click.BadParameter(str(exc), param_hint="NAMESPACE") from exc
    if not found:
        click.echo("No submissions accepted yet." if namespace is None else f"No submissions for {namespace!r}.")
        return
    for v in found:
        state = "current" if v.current else "replaced"
        click.echo(
            f"{v.namespace} v{v.version}  {state:<8}  {v.submitted_at}  by {v.submitted_by}  "
            f"{v.file_name}  {v.triples} triples  {v.checksum}"
        )


@submissions.command("get")
@click.argument("namespace")
@click.argument("version", type=click.IntRange(min=1))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
@click.pass_obj
def get_version(store_path: Path, namespace: str, version: int, output: Path | None) -> None:
    """Print (or write) VERSION of the strategy under id/NAMESPACE/ as N-Quads."""
    with reading_store(store_path) as store:
        try:
            data = archived_version(store_path, namespace, version, store=store)
        except InvalidNamespaceError as exc:
            raise click.BadParameter(str(exc), param_hint="NAMESPACE") from exc
        except KeyError as exc:
            raise click.ClickException(str(exc.args[0])) from exc
        except StoreError as exc:
            raise store_failure(store_path, exc) from exc
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc}") from exc


@submissions.command("changes")
@click.argument("namespace")
@click.argument("version", type=click.IntRange(min=1))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIMIT, show_default=True, help="Elements listed.")
@click.pass_obj
def version_changes_command(store_path: Path, namespace: str, version: int, output_format: str, limit: int) -> None:
    """Print what VERSION of the strategy under id/NAMESPACE/ changed against the version before it."""
    with reading_store(store_path) as store:
        try:
            comparison = version_changes(store_path, namespace, version, store=store, limit=limit)
        except InvalidNamespaceError as exc:
            raise click.BadParameter(str(exc), param_hint="NAMESPACE") from exc
        except KeyError as exc:
            raise click.ClickException(str(exc.args[0])) from exc
        except StoreError as exc:
            raise store_failure(store_path, exc) from exc
    if comparison is None:
        click.echo(f"Version {version} of {namespace!r} is its first version: nothing to compare it with.")
    elif output_format == "json":
        click.echo(json.dumps(comparison.as_json(), ensure_ascii=False, indent=2))
    elif output_format == "csv":
        click.echo(changes_csv(comparison), nl=False)
    else:
        click.echo("\n".join(comparison.text_lines()))


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The .xlsx file to write (with --csv: a folder of CSV files).",
)
@click.option("--strategy", "strategy_key", help="Fill the template with a packaged strategy (blekinge, nms, ...).")
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="TAG",
    help="Text columns in this language besides English: an ISO 639-1 tag of the code lists (fi, pl, de, el, is, "
    "nn, cnr, ...). Repeat it, or separate tags by commas, for several. Default: en, nb and sv (and a filled "
    "strategy's own languages).",
)
@click.option(
    "--country",
    metavar="CODE",
    help="Offer only this country's regions in the region drop-down lists: a NUTS country code (PL, FI, EL, ...). "
    "Default: every country's, or the country of a filled strategy's region.",
)
@click.option("--csv", "as_csv", is_flag=True, help="Write one CSV file per sheet instead of a workbook.")
def template(
    output: Path, strategy_key: str | None, languages: tuple[str, ...], country: str | None, as_csv: bool
) -> None:
    """Write the spreadsheet submission template (empty, or filled with a packaged strategy)."""
    graph = None
    if strategy_key is not None:
        try:
            graph = part_by_key(strategy_key).load()
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0]), param_hint="--strategy") from exc
    tags = [tag for given in languages for tag in given.split(",") if tag.strip()]
    write = write_csv_folder if as_csv else write_template
    try:
        info = write(output, graph=graph, languages=tags or None, country=country)
    except TemplateOptionError as exc:
        raise click.BadParameter(str(exc), param_hint="--lang" if exc.option == "languages" else "--country") from exc
    regions = f"regions of {info.country}" if info.country else "regions of every country"
    click.echo(f"Wrote {info.path} ({len(info.sheets)} sheets; text in {', '.join(info.languages)}; {regions})")
