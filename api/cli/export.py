"""``ris3kg export`` and ``ris3kg picture``: views and query results as networks for Gephi and others."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

import click

from ris3kg.api.cli.reading import DEFAULTS, lease, reading_store, settings, store_failure
from ris3kg.graph.export.drawing import ViewDefaults, draw
from ris3kg.graph.export.formats import ExportFormat, write_network
from ris3kg.graph.export.network import Network
from ris3kg.graph.export.options import (
    OPTION_NAMES,
    Backbone,
    ColourBy,
    Isolated,
    OptionError,
    SizeBy,
    Timeline,
    ViewOptions,
    parse_options,
)
from ris3kg.graph.export.tabular import write_csv
from ris3kg.graph.export.views import VIEWS, ViewError, ViewFilter, draw_view, label_languages
from ris3kg.graph.sparql.executor import QueryError, QueryExecutor
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.store.oxigraph import OxigraphStore

F = TypeVar("F", bound=Callable[..., object])
_OUTPUT_HELP = "The file to write (standard output if omitted); for CSV, the prefix of the two files."


def _view_options(command: F) -> F:
    """The options that choose a view's part of the graph, shared by ``export`` and ``picture``.

    ``--strategy KEY``, ``--region CODE`` and ``--theme KEY`` (each repeatable) keep what concerns
    them; ``--lang`` chooses the label language (en, sv, nb, fi, ...; English when a label is missing).
    ``--colour``, ``--size``, ``--isolated``, ``--backbone``, ``--alpha`` and ``--timeline`` choose
    how it is drawn (:mod:`ris3kg.graph.export.options`). They are not passed to the command:
    :func:`_view_filter` and :func:`_view_drawing` read them from the click context.
    """

    def choice(enum: type[ColourBy | SizeBy | Isolated | Backbone | Timeline]) -> click.Choice[str]:
        return click.Choice([str(member.value) for member in enum])

    drawing: tuple[tuple[str, click.Choice[str] | type[float], str | None, str], ...] = (
        ("--colour", choice(ColourBy), "kind", "The attribute that colours the nodes."),
        ("--size", choice(SizeBy), "degree", "The measure that sizes the nodes."),
        (
            "--isolated",
            choice(Isolated),
            None,
            "Keep or drop nodes without edges (default: the view's; actors drops them).",
        ),
        (
            "--backbone",
            choice(Backbone),
            None,
            "Edges of a similarity view: the disparity filter (region-similarity's default) or none.",
        ),
        ("--alpha", float, None, "The disparity filter's significance level (region-similarity: 0.2)."),
        (
            "--timeline",
            choice(Timeline),
            "none",
            "A dynamic GEXF: strategies' programming periods or submission versions.",
        ),
    )
    options = (
        click.option("--strategy", "strategies", multiple=True, expose_value=False, callback=_remember),
        click.option("--region", "regions", multiple=True, expose_value=False, callback=_remember),
        click.option("--theme", "themes", multiple=True, expose_value=False, callback=_remember),
        click.option("--lang", "language", default="en", expose_value=False, callback=_language),
        *(
            click.option(
                name,
                type=kind,
                default=default,
                show_default=default is not None,
                expose_value=False,
                callback=_remember,
                help=text,
            )
            for name, kind, default, text in drawing
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _language(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Check ``--lang`` against the languages of the code lists (read when the option is used)."""
    if value not in label_languages():
        known = ", ".join(label_languages())
        raise click.BadParameter(f"{value!r} is not a language ris3kg knows; use one of {known}", param=param)
    return _remember(ctx, param, value)


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    ctx.meta[f"ris3kg.{param.name}"] = value
    return value


def _view_filter(ctx: click.Context) -> ViewFilter:
    """The :class:`ViewFilter` the ``--strategy``, ``--region``, ``--theme`` and ``--lang`` options give."""
    return ViewFilter(
        strategies=tuple(ctx.meta["ris3kg.strategies"]),
        regions=tuple(ctx.meta["ris3kg.regions"]),
        themes=tuple(ctx.meta["ris3kg.themes"]),
        language=str(ctx.meta["ris3kg.language"]),
    )


def _view_drawing(ctx: click.Context) -> ViewOptions:
    """The :class:`ViewOptions` the drawing options give, read as the web app reads them (:func:`parse_options`)."""
    given = {name: ctx.meta[f"ris3kg.{name}"] for name in OPTION_NAMES}
    try:
        return parse_options({name: str(value) for name, value in given.items() if value is not None})
    except OptionError as exc:
        raise click.UsageError(str(exc)) from exc


def _open_view(store_path: Path, view: str, view_filter: ViewFilter, options: ViewOptions) -> Network:
    with reading_store(store_path) as store:
        try:
            return draw_view(store, view, view_filter=view_filter, options=options)
        except (ViewError, OptionError) as exc:
            raise click.ClickException(str(exc)) from exc


@click.command("export")
@click.argument("view", required=False)
@click.option("--list", "list_views", is_flag=True, help="Print the view names, one a line, and exit.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat]),
    default="gexf",
    show_default=True,
    help="GEXF 1.3, GraphML, or CSV (two files: PREFIX-nodes.csv and PREFIX-edges.csv).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help=_OUTPUT_HELP)
@click.option(
    "--query",
    "query_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Export this CONSTRUCT or SELECT query's result instead of a view.",
)
@click.option(
    "--timeout", default=DEFAULTS.query_timeout, show_default=True, type=float, help="Seconds the query may run."
)
@click.option(
    "--max-rows",
    default=DEFAULTS.max_result_rows,
    show_default=True,
    type=int,
    help="Most rows or triples of the query.",
)
@_view_options
@click.pass_context
def export(
    ctx: click.Context,
    view: str | None,
    list_views: bool,
    fmt: str,
    output: Path | None,
    query_file: Path | None,
    timeout: float,
    max_rows: int,
) -> None:
    """Export a network VIEW of the graph (or a query's result) for Gephi.

    Repeat --strategy, --region and --theme to keep several.
    """
    store_path, view_filter = ctx.obj, _view_filter(ctx)
    if list_views:
        for name in VIEWS:
            click.echo(name)
        return
    if (view is None) == (query_file is None):
        raise click.UsageError(f"give a VIEW ({', '.join(VIEWS)}) or --query FILE, not both or neither")
    chosen = ExportFormat(fmt)
    if chosen is ExportFormat.CSV and output is None:
        raise click.UsageError("CSV is two files: give -o PREFIX to write PREFIX-nodes.csv and PREFIX-edges.csv")
    if query_file is not None:
        network = _query_network(
            store_path, query_file, timeout=timeout, max_rows=max_rows, language=view_filter.language
        )
        try:
            network = draw(network, _view_drawing(ctx), defaults=ViewDefaults())
        except OptionError as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        assert view is not None
        network = _open_view(store_path, view, view_filter, _view_drawing(ctx))
    if chosen is ExportFormat.CSV:
        assert output is not None
        prefix = output.with_suffix("") if output.suffix == ".csv" else output
        nodes, edges = prefix.with_name(prefix.name + "-nodes.csv"), prefix.with_name(prefix.name + "-edges.csv")
        with (
            nodes.open("w", newline="", encoding="utf-8") as node_file,
            edges.open("w", newline="", encoding="utf-8") as edge_file,
        ):
            write_csv(network, node_file, edge_file)
        click.echo(f"{nodes}, {edges}: {len(network.nodes)} nodes, {len(network.edges)} edges", err=True)
    elif output is None:
        write_network(network, chosen, sys.stdout.buffer)
    else:
        with output.open("wb") as sink:
            write_network(network, chosen, sink)
        click.echo(f"{output}: {len(network.nodes)} nodes, {len(network.edges)} edges", err=True)


def _query_network(store_path: Path, query_file: Path, *, timeout: float, max_rows: int, language: str) -> Network:
    from ris3kg.graph.export.from_query import query_network
    from ris3kg.graph.sparql.policy import RefusedQueryError
    from ris3kg.graph.workers import WorkError

    limits = settings()  # read once, and a wrong value said before the store is touched
    try:
        text = query_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read {query_file}: {exc}") from exc
    with ExitStack() as stack:
        held = lease(store_path)
        stack.callback(held.release)  # the query workers read this generation: no build deletes it meanwhile
        try:
            graphs = OxigraphStore.open(held.generation).named_graphs()
        except StoreError as exc:
            raise store_failure(store_path, exc) from exc
        executor = QueryExecutor(
            held.generation,
            known_graphs=graphs,
            workers=1,
            timeout=timeout,
            max_length=limits.max_query_length,
        )
        try:
            return query_network(
                text,
                executor=executor,
                max_rows=max_rows,
                max_bytes=limits.page_max_bytes,
                language=language,
            )
        except (RefusedQueryError, QueryError, ViewError, WorkError) as exc:
            raise click.ClickException(f"{query_file}: {exc}") from exc
        finally:
            executor.close()


@click.command()
@click.argument("view")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The PNG file.")
@_view_options
@click.pass_context
def picture(ctx: click.Context, view: str, output: Path) -> None:
    """Draw a network VIEW to a PNG file as its GEXF holds it: layout, colours, sizes, legend (needs matplotlib)."""
    from ris3kg.graph.export.picture import PictureUnavailableError, read_gexf, render_png

    drawn = _open_view(ctx.obj, view, _view_filter(ctx), _view_drawing(ctx))
    gexf = io.BytesIO()
    write_network(drawn, ExportFormat.GEXF, gexf)
    gexf.seek(0)
    network = read_gexf(gexf, name=view)
    try:
        render_png(network, output, title=VIEWS[view].title)
    except PictureUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{output}: {len(network.nodes)} nodes, {len(network.edges)} edges", err=True)
