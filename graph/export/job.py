"""A view exported in a worker process, under a time and a memory limit, into a file.

Building a view runs several queries and then Python over their rows, and writing it can take as
long again; neither can be stopped from the thread that asked. The web app therefore runs
:class:`ExportJob` in a :class:`~ris3kg.graph.workers.WorkerPool` (made with
:func:`export_handler`), whose limits stop it like a query. The worker writes the file into a
folder the server made for the purpose (never a name a client chose) and answers with its path;
the server streams the file to the client and deletes it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ris3kg.graph.export.formats import ExportFormat, write_network
from ris3kg.graph.export.views import ViewFilter, build_view
from ris3kg.graph.store.oxigraph import OxigraphStore


@dataclass(frozen=True)
class ExportJob:
    """One view to export.

    Attributes:
        generation: The store generation to read (a folder the caller holds a lease on).
        view: The view's name.
        view_filter: What part of the graph it covers.
        fmt: The file format.
        spool: The folder to write the file in.
    """

    generation: str
    view: str
    view_filter: ViewFilter
    fmt: ExportFormat
    spool: str


@dataclass(frozen=True)
class ExportedFile:
    """A written export.

    Attributes:
        path: The file (in the job's spool folder); the caller deletes it.
        nodes: How many nodes the network has.
        edges: How many edges.
        size: The file's size in bytes.
    """

    path: str
    nodes: int
    edges: int
    size: int


def export_view(store: OxigraphStore, job: ExportJob) -> ExportedFile:
    """Build the job's view from ``store`` and write it to a new file in the job's spool folder.

    Raises:
        UnknownViewError: No view has this name.
        ViewError: The filter names something the graph does not have.
        OSError: The file could not be written (nothing is left behind).
    """
    network = build_view(store, job.view, view_filter=job.view_filter)
    fd, name = tempfile.mkstemp(prefix=f"{job.view}-", suffix=f".{job.fmt.extension}", dir=job.spool)
    try:
        with os.fdopen(fd, "wb") as sink:
            write_network(network, job.fmt, sink)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return ExportedFile(name, len(network.nodes), len(network.edges), Path(name).stat().st_size)


def export_handler() -> Callable[[ExportJob], ExportedFile]:
    """Make a worker's handler: it keeps the last generation it read open, and opens a new one when asked."""
    opened: dict[str, OxigraphStore] = {}

    def handle(job: ExportJob) -> ExportedFile:
        store = opened.get(job.generation)
        if store is None:
            opened.clear()
            store = opened[job.generation] = OxigraphStore.open(Path(job.generation))
        return export_view(store, job)

    return handle
