"""The ``ris3kg`` command line: build, validate, check, stats, serve, export, picture."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

import click

from ris3kg.api.app import read_tokens
from ris3kg.api.cli_submissions import (
    accept,
    reading_store,
    reading_store_if_built,
    store_failure,
    submissions,
    template,
)
from ris3kg.graph.executor import QueryError, QueryExecutor
from ris3kg.graph.formats import ExportFormat, write_network
from ris3kg.graph.generations import GenerationLease, StoreLayout, StoreLockedError
from ris3kg.graph.network import Network
from ris3kg.graph.sources import PARTS, part_by_key, reference_graph, strategy_parts
from ris3kg.graph.stats import graph_stats
from ris3kg.graph.store import BuildReport, GraphStore, OxigraphStore, StoreError, build_store, default_store_path
from ris3kg.graph.tabular import write_csv
from ris3kg.graph.views import LANGUAGES, VIEWS, ViewError, ViewFilter, build_view
from ris3kg.ontology.reasoner import ReasonerUnavailableError, check_consistency
from ris3kg.ontology.resources import DataFileError
from ris3kg.shapes.intake import SubmissionError, read_submission_file
from ris3kg.shapes.report import ReportFormat, render, verdict
from ris3kg.shapes.submission import check_submission, submission_details
from ris3kg.shapes.validation import shapes_graph, validate_graph

_SUMMARY_CLASSES = (
    ("areas", "smart specialisation area"),
    ("sub-areas", "sub-area"),
    ("priorities", "priority"),
    ("opportunities", "strategic opportunity"),
    ("bottlenecks", "bottleneck"),
    ("challenges", "challenge"),
    ("actions", "action"),
    ("initiatives", "initiative"),
    ("goals", "goal"),
    ("steps", "step"),
    ("principles", "principle"),
    ("governance bodies", "governance body"),
    ("milestones", "milestone"),
    ("SWOT entries", "SWOT entry"),
    ("overlaps", "priority overlap"),
    ("figures", "figure"),
    ("assessments", "assessment"),
    ("passages", "passage"),
)


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


@main.command()
@click.pass_obj
def build(store_path: Path) -> None:
    """Load the ontology, vocabularies and every strategy into the on-disk store."""
    try:
        with click.progressbar(length=len(PARTS), label="Loading", show_pos=True, file=sys.stderr) as bar:
            report = build_store(store_path, on_part=lambda _part: bar.update(1))
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc
    except (StoreError, StoreLockedError, OSError) as exc:
        raise store_failure(store_path, exc, writing=True) from exc
    _print_build(report)


def _print_build(report: BuildReport) -> None:
    click.echo(f"Store: {report.path} ({report.triples} triples)")
    with reading_store(report.path) as store:
        with_counts = {s.key: s for s in graph_stats(store)}
    for item in report.loaded:
        click.echo(f"  {item.part.key:<14} {item.triples:>6} triples  {item.part.title}")
        stats = with_counts.get(item.part.key)
        if stats is not None and item.part.kind.value == "strategy":
            parts = [f"{stats.count(label)} {name}" for name, label in _SUMMARY_CLASSES if stats.count(label)]
            click.echo(f"  {'':<14} {', '.join(parts)}")


@main.command()
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
@click.pass_obj
def validate(
    store_path: Path,
    files: tuple[Path, ...],
    violations_only: bool,
    report_format: str,
    output: Path | None,
    no_store: bool,
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
        failed = _validate(files, store=store, fmt=fmt, violations_only=violations_only, output=output)
    sys.exit(1 if failed else 0)


def _validate(
    files: tuple[Path, ...],
    *,
    store: GraphStore | None,
    fmt: ReportFormat,
    violations_only: bool,
    output: Path | None,
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
            checked = check_submission(read_submission_file(path), store=store)
        except SubmissionError as exc:
            click.echo(f"{exc}", err=True)
            failed = True
            continue
        text = render(checked.report, fmt, details=submission_details(checked), show_warnings=not violations_only)
        if output is None:
            click.echo(text)
        else:
            target = output if len(files) == 1 else output.with_name(f"{output.stem}-{path.stem}{output.suffix}")
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise click.ClickException(f"cannot write the report to {target}: {exc}") from exc
            click.echo(f"{verdict(checked.report)}; report in {target}", err=True)
        failed = failed or not checked.conforms
    return failed


@main.command()
@click.option("--ontology-only", is_flag=True, help="Reason over the ontology and vocabularies without the strategies.")
def check(ontology_only: bool) -> None:
    """Check with the HermiT OWL reasoner that the ontology (and all data) is consistent."""
    graph = reference_graph()
    if not ontology_only:
        for part in strategy_parts():
            graph += part.load()
    click.echo(f"Reasoning with HermiT over {len(graph)} triples ...", err=True)
    try:
        report = check_consistency(graph)
    except ReasonerUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    scope = "ontology and vocabularies" if ontology_only else "ontology, vocabularies and all strategies"
    if report.ok:
        click.echo(
            f"consistent: the {scope} ({report.classes} classes, {report.individuals} individuals) "
            f"have a model under HermiT ({report.seconds:.1f} s)"
        )
        return
    if not report.consistent:
        click.echo(f"INCONSISTENT: {report.detail}")
    for iri in report.unsatisfiable:
        click.echo(f"UNSATISFIABLE class: {iri}")
    sys.exit(1)


@main.command()
@click.argument("part", required=False)
@click.pass_obj
def stats(store_path: Path, part: str | None) -> None:
    """Print triples and instances per class for each named graph of the store (or one PART)."""
    if part is not None:
        try:
            part_by_key(part)
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0]), param_hint="PART") from exc
    with reading_store(store_path) as store:
        found = graph_stats(store)
    for graph in found:
        if part is not None and graph.key != part:
            continue
        click.echo(f"{graph.key} <{graph.graph}>: {graph.triples} triples, {graph.kind}")
        for cls in graph.classes:
            click.echo(f"  {cls.count:>5}  {cls.label}")


SERVE_THREADS = 48
"""Request threads of ``ris3kg serve`` by default: enough for a shared service whose requests mostly
wait (for query workers, validation, the network), few enough for a small machine."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--threads",
    default=SERVE_THREADS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Request threads (requests served at once).",
)
@click.option("--timeout", default=10.0, show_default=True, type=float, help="Seconds a query may run.")
@click.option("--workers", default=2, show_default=True, type=int, help="Queries that may run at once.")
@click.option("--max-rows", default=10_000, show_default=True, type=int, help="Most rows or triples a result may have.")
@click.option(
    "--tokens",
    "tokens_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help='JSON file of API tokens for taking submissions in: {"<token>": "<name recorded>"}.',
)
@click.pass_obj
def serve(
    store_path: Path,
    host: str,
    port: int,
    threads: int,
    timeout: float,
    workers: int,
    max_rows: int,
    tokens_file: Path | None,
) -> None:
    """Serve the SPARQL endpoint, the query page and linked-data pages (builds the store first if there is none).

    Nothing of the store is opened in this process: the server's worker process opens it (Oxigraph
    does not survive being forked with a store open), and a missing store is built by a child
    process. The server is given the store's link, not the generation it names now, so it follows
    the generations that builds and acceptances publish while it runs.
    """
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    if tokens_file is not None:
        try:
            read_tokens(tokens_file)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--tokens") from exc
    if not _store_exists(store_path):
        click.echo(f"No store at {store_path} yet: building it.", err=True)
        _build_in_child(store_path)
        if not _store_exists(store_path):
            raise click.ClickException(f"building the store at {store_path} left no store; run `ris3kg build`")
    # The server process makes the app with create_app(), which reads these settings.
    settings = {
        "STORE_PATH": str(store_path.absolute()),  # the link itself: never resolved to today's generation
        "QUERY_TIMEOUT": json.dumps(timeout),
        "QUERY_WORKERS": json.dumps(workers),
        "MAX_RESULT_ROWS": json.dumps(max_rows),
        "SUBMISSION_TOKENS_FILE": str(tokens_file.absolute()) if tokens_file is not None else "",
    }
    for name, value in settings.items():
        os.environ[f"RIS3KG_{name}"] = value
    click.echo(f"ris3kg: query page http://{host}:{port}/  SPARQL endpoint http://{host}:{port}/sparql", err=True)
    Granian(
        "ris3kg.api.app:create_app",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        factory=True,
        workers=1,
        blocking_threads=threads,
        log_level=LogLevels.warning,
    ).serve()


def _store_exists(store_path: Path) -> bool:
    """Whether the store's current generation is there: a look at its ``CURRENT`` file, opening nothing."""
    try:
        current = StoreLayout(store_path).current()
        return current is not None and (current / "CURRENT").is_file()
    except OSError as exc:
        raise store_failure(store_path, exc) from exc


def _build_in_child(store_path: Path) -> None:
    """Run ``ris3kg build`` in a child process, its progress streamed to standard error.

    Raises:
        click.ClickException: The build failed; the message is the child's.
    """
    command = [sys.executable, "-m", "ris3kg.api.cli", "--store", str(store_path.absolute()), "build"]
    try:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as exc:
        raise click.ClickException(f"cannot start the build of the store at {store_path}: {exc}") from exc
    pending, errors = "", []
    try:
        assert child.stdout is not None
        while chunk := os.read(child.stdout.fileno(), 4096):
            pending += chunk.decode("utf-8", errors="replace")
            *done, pending = re.split(r"(?<=[\r\n])", pending)
            for line in done:
                if line.startswith("Error: "):  # the child's error becomes this command's, shown once
                    errors.append(line.removeprefix("Error: ").strip())
                else:
                    click.echo(line, nl=False, err=True)
        click.echo(pending, nl=False, err=True)
        status = child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    if status != 0:
        raise click.ClickException(
            errors[-1] if errors else f"building the store at {store_path} failed (exit status {status})"
        )


main.add_command(accept)
main.add_command(submissions)
main.add_command(template)
F = TypeVar("F", bound=Callable[..., object])
_OUTPUT_HELP = "The file to write (standard output if omitted); for CSV, the prefix of the two files."


def _view_options(command: F) -> F:
    """The options that choose a view's part of the graph, shared by ``export`` and ``picture``.

    ``--strategy KEY``, ``--region CODE`` and ``--theme KEY`` (each repeatable) keep what concerns
    them; ``--lang`` chooses the label language (en, sv, nb; English when a label is missing). They
    are not passed to the command: :func:`_view_filter` reads them from the click context.
    """
    options = (
        click.option("--strategy", "strategies", multiple=True, expose_value=False, callback=_remember),
        click.option("--region", "regions", multiple=True, expose_value=False, callback=_remember),
        click.option("--theme", "themes", multiple=True, expose_value=False, callback=_remember),
        click.option(
            "--lang", "language", type=click.Choice(LANGUAGES), default="en", expose_value=False, callback=_remember
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


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


def _open_view(store_path: Path, view: str, view_filter: ViewFilter) -> Network:
    with reading_store(store_path) as store:
        try:
            return build_view(store, view, view_filter=view_filter)
        except ViewError as exc:
            raise click.ClickException(str(exc)) from exc


@main.command("export")
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
@click.option("--timeout", default=10.0, show_default=True, type=float, help="Seconds the query may run.")
@click.option("--max-rows", default=10_000, show_default=True, type=int, help="Most rows or triples of the query.")
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
    else:
        assert view is not None
        network = _open_view(store_path, view, view_filter)
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
    from ris3kg.api.app import DEFAULTS
    from ris3kg.api.query_network import query_network
    from ris3kg.graph.query_policy import RefusedQueryError
    from ris3kg.graph.workers import WorkError

    try:
        text = query_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read {query_file}: {exc}") from exc
    with ExitStack() as stack:
        lease = _lease(store_path)
        stack.callback(lease.release)  # the query workers read this generation: no build deletes it meanwhile
        try:
            graphs = OxigraphStore.open(lease.generation).named_graphs()
        except StoreError as exc:
            raise store_failure(store_path, exc) from exc
        executor = QueryExecutor(
            lease.generation,
            known_graphs=graphs,
            workers=1,
            timeout=timeout,
            max_length=int(str(DEFAULTS["MAX_QUERY_LENGTH"])),
        )
        try:
            return query_network(
                text,
                executor=executor,
                max_rows=max_rows,
                max_bytes=int(str(DEFAULTS["PAGE_MAX_BYTES"])),
                language=language,
            )
        except (RefusedQueryError, QueryError, ViewError, WorkError) as exc:
            raise click.ClickException(f"{query_file}: {exc}") from exc
        finally:
            executor.close()


def _lease(store_path: Path) -> GenerationLease:
    try:
        return StoreLayout(store_path).lease()
    except OSError as exc:
        raise store_failure(store_path, exc) from exc


@main.command()
@click.argument("view")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The PNG file.")
@click.option("--seed", default=7, show_default=True, type=int, help="The layout's random seed.")
@_view_options
@click.pass_context
def picture(
    ctx: click.Context,
    view: str,
    output: Path,
    seed: int,
) -> None:
    """Draw a network VIEW with a force layout to a PNG file (needs matplotlib: the picture extra)."""
    from ris3kg.graph.picture import PictureUnavailableError, render_png

    network = _open_view(ctx.obj, view, _view_filter(ctx))
    try:
        render_png(network, output, title=VIEWS[view].title, seed=seed)
    except PictureUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{output}: {len(network.nodes)} nodes, {len(network.edges)} edges", err=True)


if __name__ == "__main__":
    main()
