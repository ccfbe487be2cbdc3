"""Building the store from the packaged data: every part, one named graph each.

Submissions accepted into the previous store are kept (:func:`ris3kg.graph.versions.kept_graphs`
names them), so a rebuild after a new release of the packaged data does not lose a region's work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ris3kg.graph.catalogue import PARTS, DatasetPart
from ris3kg.graph.entailment import ENTAILMENT
from ris3kg.graph.store.interface import GraphLoad
from ris3kg.graph.store.oxigraph import OxigraphWriter
from ris3kg.graph.versions import kept_graphs


@dataclass(frozen=True)
class LoadedPart:
    """One dataset part as loaded into the store.

    Attributes:
        part: The part.
        triples: How many triples its graph holds.
    """

    part: DatasetPart
    triples: int


@dataclass(frozen=True)
class BuildReport:
    """What ``build_store`` did.

    Attributes:
        path: Where the store now is.
        loaded: Each part with its triple count, in load order.
    """

    path: Path
    loaded: tuple[LoadedPart, ...]

    @property
    def triples(self) -> int:
        """Total triples over all graphs."""
        return sum(item.triples for item in self.loaded)


def build_store(
    path: Path,
    *,
    parts: Sequence[DatasetPart] = PARTS,
    on_part: Callable[[DatasetPart], None] | None = None,
) -> BuildReport:
    """Parse every dataset part and write them, one named graph each, to a new store at ``path``.

    Submissions accepted into the previous store are kept: each current version replaces the
    packaged data of its graph, and the records of all versions are carried over.
    Every file is parsed before anything is written; the new store is written as a new generation
    and published at the end (see :mod:`ris3kg.graph.generations`), so a bad file, a crash or a
    full disk leaves the previous store untouched.

    Args:
        path: Where the store should be.
        parts: The parts to load (all of them by default).
        on_part: Called after each part is loaded, for progress display.

    Returns:
        The per-part triple counts.

    Raises:
        DataFileError: A file is not valid Turtle (nothing is written).
        StoreError: The store cannot be written (it is left as it was).
        StoreLockedError: Another process kept the store busy for longer than the wait.
    """
    # Turtle goes through rdflib (which names the line of a mistake); the generated N-Triples of
    # the code lists go to the store as they are.
    dumps = [(part, part.ntriples()) for part in parts]
    loads = [GraphLoad(str(part.graph), data) for part, data in dumps]
    by_graph = {str(part.graph): part for part, _data in dumps}

    def loaded_one(load: GraphLoad) -> None:
        if on_part is not None:
            on_part(by_graph[load.graph])

    OxigraphWriter(path, derivations=(ENTAILMENT,)).rebuild(loads, keep=kept_graphs, on_graph=loaded_one)
    return BuildReport(path, tuple(LoadedPart(part, data.count(b"\n")) for part, data in dumps))
