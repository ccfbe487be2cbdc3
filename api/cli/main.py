"""The ``ris3kg`` command group: one module per group of commands, joined here."""

from __future__ import annotations

from pathlib import Path

import click

from ris3kg.api.cli import enabling, export, serve, store, submissions, validate
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.store.oxigraph import default_store_path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where the on-disk store lives (default: $RIS3KG_STORE or ~/.local/share/ris3kg/store).",
)
@click.pass_context
def main(ctx: click.Context, store_path: Path | None) -> None:
    """ris3kg: a knowledge graph of regional smart-specialisation strategies."""
    try:
        ctx.obj = store_path or default_store_path()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


for command in (
    store.build,
    validate.validate,
    store.check,
    store.stats,
    serve.serve,
    export.export,
    export.picture,
    submissions.accept,
    submissions.submissions,
    submissions.template,
    enabling.enabling_condition,
):
    main.add_command(command)
