"""A view exported in a worker process, under a time and a memory limit, into a file.

Building a view runs several queries and then Python over their rows, and writing it can take as
long again; neither can be stopped from the thread that asked. The web app therefore runs
:class:`ExportJob` in a :class:`~ris3kg.graph.workers.WorkerPool` (made with
:func:`export_handler`), whose limits stop it like a query. The worker writes the file into a
file the server made for the purpose in a folder of its own (never a name a client chose); the
server streams the file to the client and deletes it.
"""

from __future__ import annotations

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
        target: The file to write (made by the caller, who deletes it whatever happens: a worker
            killed at a limit cannot).
    """

    generation: str
    view: str
    view_filter: ViewFilter
    fmt: ExportFormat
    target: str


@dataclass(frozen=True)
class ExportedFile:
    """A written export.

    Attributes:
        path: The file written (the job's target).
        nodes: How many nodes the network has.
        edges: How many edges.
        size: The file's size in bytes.
    """

    path: str
    nodes: int
    edges: int
    size: int


def export_view(store: OxigraphStore, job: ExportJob) -> ExportedFile:
    """Build the job's view from ``store`` and write it to the job's target file.

    Raises:
        UnknownViewError: No view has this name.
        ViewError: The filter names something the graph does not have.
        OSError: The file could not be written.
    """
    network = build_view(store, job.view, view_filter=job.view_filter)
    target = Path(job.target)
    with target.open("wb") as sink:
        write_network(network, job.fmt, sink)
    return ExportedFile(job.target, len(network.nodes), len(network.edges), target.stat().st_size)


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
