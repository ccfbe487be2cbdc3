"""A view, or a query's network, drawn and exported in a worker process, under time and memory limits, into a file.

Building a view runs several queries and then Python over their rows, and writing it can take as
long again; neither can be stopped from the thread that asked. The web app therefore runs
:class:`ExportJob` in a :class:`~ris3kg.graph.workers.WorkerPool` (made with
:func:`export_handler`), whose limits stop it like a query. The worker writes the file into a
file the server made for the purpose in a folder of its own (never a name a client chose); the
server streams the file to the client and deletes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from ris3kg.graph.export.drawing import LayoutCache, ViewDefaults, draw
from ris3kg.graph.export.formats import ExportFormat, write_network
from ris3kg.graph.export.network import Network
from ris3kg.graph.export.options import ViewOptions
from ris3kg.graph.export.views import ViewError, ViewFilter, draw_view
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
        max_bytes: The largest file allowed (0: no limit).
        options: How to draw it.
        network: A network to draw and write instead of the view (a query's result); ``view`` then
            only names the file.
    """

    generation: str
    view: str
    view_filter: ViewFilter
    fmt: ExportFormat
    target: str
    max_bytes: int = 0
    options: ViewOptions = field(default_factory=ViewOptions)
    network: Network | None = None


class ExportTooLargeError(ViewError):
    """The export passed its size limit; the message says how to narrow it."""


class _CappedFile:
    """A file whose writes stop with :class:`ExportTooLargeError` once they pass ``limit`` bytes."""

    def __init__(self, file: BinaryIO, limit: int) -> None:
        self._file = file
        self._limit = limit
        self._written = 0

    def write(self, data: bytes) -> int:
        self._written += len(data)
        if self._limit and self._written > self._limit:
            raise ExportTooLargeError(
                f"the export is larger than {self._limit} bytes, the limit of this server; narrow it with "
                "strategy=, region= or theme="
            )
        return self._file.write(data)

    def __getattr__(self, name: str) -> Any:  # tell, seek, flush: what zipfile asks of a file
        return getattr(self._file, name)


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


def export_view(store: OxigraphStore, job: ExportJob, *, layouts: LayoutCache | None = None) -> ExportedFile:
    """Build and draw the job's view from ``store`` and write it to the job's target file.

    Args:
        store: The store (the job's generation).
        job: What to export.
        layouts: Layouts already computed for this generation (see :func:`~ris3kg.graph.export.views.draw_view`).

    Raises:
        UnknownViewError: No view has this name.
        ViewError: The filter names something the graph does not have.
        OptionError: A drawing option does not apply to the view.
        ExportTooLargeError: The file passed ``job.max_bytes`` (a ``ViewError``).
        OSError: The file could not be written.
    """
    if job.network is not None:
        network = draw(job.network, job.options, defaults=ViewDefaults())
    else:
        network = draw_view(
            store,
            job.view,
            view_filter=job.view_filter,
            options=job.options,
            layout_cache=layouts,
            cache_key=job.generation if layouts is not None else None,
        )
    target = Path(job.target)
    with target.open("wb") as sink:
        write_network(network, job.fmt, cast(BinaryIO, _CappedFile(sink, job.max_bytes)))
    return ExportedFile(job.target, len(network.nodes), len(network.edges), target.stat().st_size)


LAYOUTS_KEPT = 64
"""How many layouts a worker keeps (the oldest go first); they are dropped with their generation."""


class _Layouts(dict[object, Any]):
    """A layout cache that forgets its oldest entries past :data:`LAYOUTS_KEPT`."""

    def __setitem__(self, key: object, value: Any) -> None:
        super().__setitem__(key, value)
        while len(self) > LAYOUTS_KEPT:
            del self[next(iter(self))]


def export_handler() -> Callable[[ExportJob], ExportedFile]:
    """Make a worker's handler: it keeps the last generation it read open, and its layouts.

    A view's layout is computed once per generation, filter and backbone in a worker and reused
    whatever the colours, sizes, language, timeline or format asked (they do not move a node).
    """
    opened: dict[str, OxigraphStore] = {}
    layouts = _Layouts()

    def handle(job: ExportJob) -> ExportedFile:
        store = opened.get(job.generation)
        if store is None:
            opened.clear()
            layouts.clear()
            store = opened[job.generation] = OxigraphStore.open(Path(job.generation))
        return export_view(store, job, layouts=layouts)

    return handle
