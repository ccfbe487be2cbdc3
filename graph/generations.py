"""The store's generations: every change is written to a new copy and published atomically.

A store path (``~/.local/share/ris3kg/store``) is a symbolic link to one *generation*, a complete
Oxigraph store in ``.store.generations/``. A build or an accepted submission writes a new
generation (cheaply: Oxigraph's backup hard-links the unchanged files), and only when it is
complete and flushed does the link move to it, with one atomic ``rename``. A crash, a kill or a
full disk at any earlier moment leaves the link where it was: readers never see a half-written
store, and published generations are never written again, which is what Oxigraph's read-only
mode requires of them. Writers take an exclusive lock, so two never interleave.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

KEEP = 2
"""Generations kept: the current one and the one before (still read by slow queries)."""


class StoreLockedError(RuntimeError):
    """Another process is changing the store."""


@dataclass(frozen=True)
class StoreLayout:
    """Where a store's generations, lock and submission archive live.

    Attributes:
        path: The store path users name: a symbolic link to the current generation.
    """

    path: Path

    @property
    def generations(self) -> Path:
        """The folder of generations, beside the link."""
        return self.path.parent / f".{self.path.name}.generations"

    @property
    def lock_file(self) -> Path:
        """The file writers lock."""
        return self.path.parent / f".{self.path.name}.lock"

    @property
    def archive(self) -> Path:
        """The folder where every accepted submission version is kept as a file."""
        return self.path.parent / f"{self.path.name}.submissions"

    def current(self) -> Path | None:
        """Return the current generation's folder, or None when there is no store yet."""
        if self.path.is_symlink():
            return (self.path.parent / self.path.readlink()).resolve()
        if (self.path / "CURRENT").exists():  # a store written before generations existed
            return self.path
        return None

    def new_generation(self) -> Path:
        """Return a fresh, not yet existing folder name for a generation being written."""
        self.generations.mkdir(parents=True, exist_ok=True)
        return self.generations / f"{time.time_ns():020d}-{os.getpid()}"

    @property
    def _published_list(self) -> Path:
        return self.generations / "published"

    def published(self) -> tuple[str, ...]:
        """Return the names of the generations published so far, oldest first."""
        if not self._published_list.exists():
            return ()
        return tuple(line for line in self._published_list.read_text(encoding="utf-8").split() if line)

    def publish(self, generation: Path) -> None:
        """Make a complete generation the current one, atomically, and drop old ones.

        Call it while holding :meth:`writing`.

        Args:
            generation: A folder made by :meth:`new_generation`, fully written and closed.
        """
        _fsync_tree(generation)
        with self._published_list.open("a", encoding="utf-8") as listing:
            listing.write(generation.name + "\n")
            listing.flush()
            os.fsync(listing.fileno())
        link = self.path.parent / f".{self.path.name}.link-{os.getpid()}"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.path.relpath(generation, self.path.parent))
        if self.path.exists() and not self.path.is_symlink():  # a store written before generations existed
            self.path.replace(self.generations / f"legacy-{os.getpid()}")
        link.replace(self.path)  # the one atomic step
        _fsync_dir(self.path.parent)
        self._prune()

    @contextmanager
    def publishing(self) -> Iterator[Path]:
        """Yield a fresh generation folder to write; publish it when the block ends, discard it if it fails.

        Use it while holding :meth:`writing`, and close the store written in the folder before the
        block ends. A failure anywhere, publishing included, removes the folder and leaves the current
        generation as it was.
        """
        generation = self.new_generation()
        try:
            yield generation
            self.publish(generation)
        except BaseException:
            self.discard(generation)
            raise

    def discard(self, generation: Path) -> None:
        """Remove an unpublished generation (after a failure)."""
        shutil.rmtree(generation, ignore_errors=True)

    def _prune(self) -> None:
        """Keep the current generation and the one published before it; remove every other folder.

        Folders never published were left by writers that died; the caller holds the lock, so no
        writer is working on one now.
        """
        current = self.current()
        if current is None or not self.generations.is_dir():
            return
        published = [name for name in self.published() if (self.generations / name).is_dir()]
        keep = {current.name, *published[-KEEP:]}
        for folder in self.generations.iterdir():
            if folder.is_dir() and folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
        listing = self._published_list.with_suffix(".tmp")
        listing.write_text("".join(f"{name}\n" for name in published[-KEEP:]), encoding="utf-8")
        listing.replace(self._published_list)

    @contextmanager
    def writing(self, *, wait: float = 30.0) -> Iterator[None]:
        """Hold the writers' lock for the duration of the block.

        Args:
            wait: Seconds to wait for another writer to finish.

        Raises:
            StoreLockedError: The lock was not free within ``wait`` seconds.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock_file.open("a") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreLockedError(
                            f"another process is changing the store at {self.path}; try again when it has finished"
                        ) from None
                    time.sleep(0.05)
            try:
                self._prune()
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
