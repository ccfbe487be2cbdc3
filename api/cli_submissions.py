"""The ``ris3kg`` commands for regional submissions: accept, submissions list/get, template.

Also :func:`reading_store`, how every command that reads the store opens it: through a lease on
the current generation, with every failure turned into a message saying what to do.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ris3kg.graph.generations import GenerationGoneError, StoreLayout, StoreLockedError
from ris3kg.graph.sources import part_by_key
from ris3kg.graph.store import OxigraphStore, StoreError
from ris3kg.graph.submissions import AcceptanceError, InvalidNamespaceError, archived_version, versions
from ris3kg.shapes.intake import SubmissionError, read_submission_file
from ris3kg.shapes.report import format_text
from ris3kg.shapes.submission import accept_submission, check_submission
from ris3kg.shapes.template import write_csv_folder, write_template


def store_failure(store_path: Path, exc: Exception, *, writing: bool = False) -> click.ClickException:
    """Return the command-line error for a store that cannot be read or written.

    Args:
        store_path: The store.
        exc: What went wrong: a :class:`StoreError` or :class:`StoreLockedError` (their messages say
            what to do) or an ``OSError``.
        writing: Whether the command was changing the store.
    """
    if isinstance(exc, StoreError | StoreLockedError):
        return click.ClickException(str(exc))
    if isinstance(exc, GenerationGoneError):
        return click.ClickException(f"no ris3kg store at {store_path}; run `ris3kg build` first")
    if writing:
        return click.ClickException(
            f"cannot write the store at {store_path}: {exc}; check that you may write to {store_path.parent} "
            "and that the disk is not full"
        )
    return click.ClickException(f"cannot read the store at {store_path}: {exc}; check that you may read it")


@contextmanager
def reading_store(store_path: Path) -> Iterator[OxigraphStore]:
    """Open the store's current generation read-only, holding a lease on it for the block.

    While the lease is held no build or acceptance deletes the generation, however long the
    command reads it.

    Raises:
        click.ClickException: There is no store, or it cannot be read (the message says what to do).
    """
    with _leased(store_path, optional=False) as store:
        assert store is not None
        yield store


@contextmanager
def reading_store_if_built(store_path: Path) -> Iterator[OxigraphStore | None]:
    """Like :func:`reading_store`, but yield None when there is no store yet."""
    with _leased(store_path, optional=True) as store:
        yield store


@contextmanager
def _leased(store_path: Path, *, optional: bool) -> Iterator[OxigraphStore | None]:
    try:
        lease = StoreLayout(store_path).lease()
    except GenerationGoneError as exc:
        if not optional:
            raise store_failure(store_path, exc) from exc
        lease = None
    except OSError as exc:
        raise store_failure(store_path, exc) from exc
    if lease is None:
        yield None
        return
    with lease:
        try:
            store = OxigraphStore.open(lease.generation)
        except StoreError as exc:
            raise store_failure(store_path, exc) from exc
        try:
            yield store
        except OSError as exc:  # the store failed while it was read (a damaged file, say)
            raise store_failure(store_path, exc) from exc


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
            checked = check_submission(read_submission_file(file), store=store)
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


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The .xlsx file to write (with --csv: a folder of CSV files).",
)
@click.option("--strategy", "strategy_key", help="Fill the template with a packaged strategy (blekinge, nms, ...).")
@click.option("--csv", "as_csv", is_flag=True, help="Write one CSV file per sheet instead of a workbook.")
def template(output: Path, strategy_key: str | None, as_csv: bool) -> None:
    """Write the spreadsheet submission template (empty, or filled with a packaged strategy)."""
    graph = None
    if strategy_key is not None:
        try:
            graph = part_by_key(strategy_key).load()
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0]), param_hint="--strategy") from exc
    info = write_csv_folder(output, graph=graph) if as_csv else write_template(output, graph=graph)
    click.echo(f"Wrote {info.path} ({len(info.sheets)} sheets)")
