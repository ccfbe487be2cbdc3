"""``ris3kg serve``: the web app under granian, on the store's link (building a missing store first)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click

from ris3kg.api.cli.reading import DEFAULTS, store_failure
from ris3kg.api.tokens import read_tokens
from ris3kg.graph.store.generations import StoreLayout
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.store.oxigraph import STORE_FORMAT, store_format

SERVE_THREADS = 48
"""Request threads of ``ris3kg serve`` by default: enough for a shared service whose requests mostly
wait (for query workers, validation, the network), few enough for a small machine."""


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--threads",
    default=SERVE_THREADS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Request threads (requests served at once).",
)
@click.option(
    "--timeout", default=DEFAULTS.query_timeout, show_default=True, type=float, help="Seconds a query may run."
)
@click.option(
    "--workers", default=DEFAULTS.query_workers, show_default=True, type=int, help="Queries that may run at once."
)
@click.option(
    "--max-rows",
    default=DEFAULTS.max_result_rows,
    show_default=True,
    type=int,
    help="Most rows or triples a result may have.",
)
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
    elif not _store_is_current(store_path):
        click.echo(
            f"The store at {store_path} was built by an earlier ris3kg: building it again "
            "(accepted submissions are kept).",
            err=True,
        )
        _build_in_child(store_path)
        if not _store_exists(store_path):
            raise click.ClickException(f"building the store at {store_path} left no store; run `ris3kg build`")
    # The server process makes the app with create_app(), which reads these settings.
    settings = {
        "STORE": str(store_path.absolute()),  # the link itself: never resolved to today's generation
        "QUERY_TIMEOUT": json.dumps(timeout),
        "QUERY_WORKERS": json.dumps(workers),
        "MAX_RESULT_ROWS": json.dumps(max_rows),
        "SUBMISSION_TOKENS_FILE": str(tokens_file.absolute()) if tokens_file is not None else "",
    }
    for name, value in settings.items():
        os.environ[f"RIS3KG_{name}"] = value
    click.echo(f"ris3kg: query page http://{host}:{port}/  SPARQL endpoint http://{host}:{port}/sparql", err=True)
    Granian(
        "ris3kg.api.web.app:create_app",
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


def _store_is_current(store_path: Path) -> bool:
    """Whether the current generation was written in this version's store format (opening nothing)."""
    try:
        current = StoreLayout(store_path).current()
    except OSError as exc:
        raise store_failure(store_path, exc) from exc
    try:
        return current is not None and store_format(current) == STORE_FORMAT
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


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
