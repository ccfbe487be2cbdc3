"""The store's generations: every change is written to a new copy and published atomically.

A store path (``~/.local/share/ris3kg/store``) is a symbolic link to one *generation*, a complete
Oxigraph store in ``.store.generations/``. A build or an accepted submission writes a new
generation (cheaply: Oxigraph's backup hard-links the unchanged files), and only when it is
complete and flushed does the link move to it, with one atomic ``rename``. A crash, a kill or a
full disk at any earlier moment leaves the link where it was: readers never see a half-written
store, and published generations are never written again, which is what Oxigraph's read-only
mode requires of them. Writers take an exclusive lock, so two never interleave.

Readers that keep a generation open for long (a server, a long export) take a *lease* on it
(:meth:`StoreLayout.lease`): a shared ``flock`` on the generation's folder. Pruning takes an
exclusive lock on each old generation before it deletes it, without waiting, and skips one that
is leased; a later writer deletes it once its readers have released it::

    with StoreLayout(path).lease() as lease:  # the current generation
        store = OxigraphStore.open(lease.generation)
        ...
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from ris3kg.graph.workers import resident_memory

KEEP = 2
"""Generations kept unleased: the current one and the one before (still read by slow queries)."""

_LEASE_ATTEMPTS = 20


_log = logging.getLogger(__name__)


class StoreLockedError(RuntimeError):
    """Another process is changing the store.

    Attributes:
        public_message: The message without absolute paths (it names the store by its folder
            name), for users who must not see the server's file system, such as HTTP clients.
    """

    def __init__(self, message: str, *, public_message: str | None = None) -> None:
        super().__init__(message)
        self.public_message = message if public_message is None else public_message


class GenerationGoneError(FileNotFoundError):
    """The generation to lease is not there (any more): it was pruned, or there is no store."""


class GenerationLease:
    """A reader's hold on one generation: while it is held, no writer deletes the generation.

    Made by :meth:`StoreLayout.lease`. It is a shared ``flock`` on the generation's folder, held
    through an open file descriptor; :meth:`release` (or leaving the ``with`` block, or the
    process ending) gives it up. Releasing twice is harmless.
    """

    def __init__(self, generation: Path, fd: int) -> None:
        self._generation = generation
        self._fd: int | None = fd

    @property
    def generation(self) -> Path:
        """The leased generation's folder (open the store here, not through the store link)."""
        return self._generation

    @property
    def held(self) -> bool:
        """Whether the lease is still held."""
        return self._fd is not None

    def release(self) -> None:
        """Give the lease up; a later writer may then delete the generation."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the last descriptor releases the flock

    def __enter__(self) -> GenerationLease:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"GenerationLease({str(self._generation)!r}, held={self.held})"


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

    def lease(self, generation: Path | None = None) -> GenerationLease:
        """Take a reader's lease on a generation, so that no writer deletes it while it is read.

        Take it before opening the generation's store and release it after closing the store (when
        moving to a newer generation, say). Leasing never waits: a generation being deleted counts
        as gone.

        Args:
            generation: The generation's folder; the current one when None (if a writer prunes it
                between reading the link and leasing it, the then current one is leased).

        Returns:
            The lease; use it as a context manager or call :meth:`GenerationLease.release`.

        Raises:
            GenerationGoneError: The generation is not there (or, for the current one, there is
                no store). A ``FileNotFoundError``.
            OSError: The folder cannot be opened (permissions, say).
        """
        if generation is not None:
            return _take_lease(generation)
        for _ in range(_LEASE_ATTEMPTS):
            current = self.current()
            if current is None:
                raise GenerationGoneError(f"no ris3kg store at {self.path}; run `ris3kg build` first")
            try:
                return _take_lease(current)
            except GenerationGoneError as exc:
                if self.current() == current:  # the link names a generation that is not there
                    raise GenerationGoneError(
                        f"no ris3kg store at {self.path} (its generation {current.name} is missing); "
                        "run `ris3kg build` first"
                    ) from exc
                time.sleep(0.01)  # published over and pruned meanwhile: lease the new current one
        raise GenerationGoneError(f"the store at {self.path} kept changing; try again")

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
        link.replace(self.path)  # the one atomic step: from here on the generation is the current one
        try:  # what follows is housekeeping: failing at it must not undo, or deny, the publication
            fsync_dir(self.path.parent)
            self._prune()
        except OSError as exc:
            _log.warning(
                "ris3kg: published %s, but tidying up after it failed (%s); the next writer tidies up",
                generation.name,
                exc,
            )

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
            if self.current() != generation.resolve():  # never the generation the link already names
                self.discard(generation)
            raise

    def discard(self, generation: Path) -> None:
        """Remove an unpublished generation (after a failure)."""
        shutil.rmtree(generation, ignore_errors=True)

    def _prune(self) -> None:
        """Keep the current generation and the one published before it; remove every other folder.

        Folders never published were left by writers that died; the caller holds the lock, so no
        writer is working on one now. A leased generation is kept, and removed by a later prune
        once its readers have released it.
        """
        current = self.current()
        if current is None or not self.generations.is_dir():
            return
        published = [name for name in self.published() if (self.generations / name).is_dir()]
        keep = {current.name, *published[-KEEP:]}
        for folder in sorted(self.generations.iterdir()):
            if folder.is_dir() and not folder.is_symlink() and folder.name not in keep:
                _remove_unless_leased(folder)
        remaining = [name for name in published if (self.generations / name).is_dir()]
        listing = self._published_list.with_suffix(".tmp")
        listing.write_text("".join(f"{name}\n" for name in remaining), encoding="utf-8")
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
        # filelock's FileLock is an exclusive flock(2) on the file. The file is kept: unlinking it
        # while another writer waits would let two writers hold locks on two different files.
        lock = FileLock(self.lock_file, timeout=wait, preserve_lock_file=True, fallback_to_soft=False)
        try:
            lock.acquire()
        except Timeout:
            advice = "try again when it has finished"
            raise StoreLockedError(
                f"another process is changing the store at {self.path}; {advice}",
                public_message=f"another process is changing the store {self.path.name!r}; {advice}",
            ) from None
        try:
            self._prune()
            yield
        finally:
            lock.release()


def _take_lease(generation: Path) -> GenerationLease:
    try:
        fd = os.open(generation, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError as exc:
        raise GenerationGoneError(f"the store generation {generation} is gone") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        opened, there = os.fstat(fd), generation.stat()
        if (opened.st_dev, opened.st_ino) != (there.st_dev, there.st_ino):
            raise FileNotFoundError(generation)
    except (BlockingIOError, FileNotFoundError) as exc:  # being deleted, or deleted before the lock was taken
        os.close(fd)
        raise GenerationGoneError(f"the store generation {generation} is gone") from exc
    except BaseException:
        os.close(fd)
        raise
    return GenerationLease(generation, fd)


def _remove_unless_leased(folder: Path) -> bool:
    """Delete a generation's folder unless a reader leases it; return whether it was deleted."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return True
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (a rename, a new file) durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- what is written once per generation

ARTEFACT_LOCK = ".lock"
"""The lock file in a folder of per-generation artefacts (dumps, search indexes)."""
ARTEFACT_TEMP_PREFIX = ".writing-"
"""How a writer names an artefact's folder until it is complete."""


def artefact_temp(folder: Path) -> Path:
    """Where a writer puts an artefact's folder until it is complete (then renamed to ``folder``)."""
    return folder.parent / f"{ARTEFACT_TEMP_PREFIX}{folder.name}-{os.getpid()}-{threading.get_ident()}"


def prune_artefacts(root: Path, keep: Sequence[str], generations: Path) -> None:
    """Remove the artefacts of generations that are gone, and writers' leftovers.

    Args:
        root: The folder of the artefact folders (one per generation, named after it).
        keep: Folder names to keep whatever happens (the generation just written).
        generations: The folder of the store's generations: the artefacts of a generation still there
            are kept (a server may still serve it for the requests that started on it).
    """
    for entry in root.iterdir():
        if entry.name == ARTEFACT_LOCK or entry.name in keep or not entry.is_dir():
            continue
        if entry.name.startswith(ARTEFACT_TEMP_PREFIX) or not (generations / entry.name).is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def write_artefact_once(
    generation: str,
    root: str,
    timeout: float,
    *,
    read: Callable[[Path], object | None],
    write: Callable[[Path, Path], object],
) -> None:
    """In a writer's child process: write a generation's artefact unless another process has, then tidy up.

    Args:
        generation: The generation's folder.
        root: The folder of the artefact folders.
        timeout: Seconds to wait for another process's writer (the lock file).
        read: Opens a complete artefact folder, or returns None (no manifest: no artefact).
        write: Writes the artefact of a generation (its folder) into a folder, atomically.
    """
    with contextlib.suppress(OSError):
        os.nice(19)  # the lowest priority: pages and users' queries (at 10) first
    folder = Path(root) / Path(generation).name
    lock = FileLock(Path(root) / ARTEFACT_LOCK, timeout=timeout, preserve_lock_file=True, fallback_to_soft=False)
    with lock:
        if read(folder) is None:
            shutil.rmtree(folder, ignore_errors=True)  # a folder without a manifest is no artefact
            write(Path(generation), folder)
        prune_artefacts(Path(root), [folder.name], Path(generation).parent)


class ArtefactWriters:
    """Writes each generation's artefact once, on first demand, in a child process killed at its limits.

    Safe to share between threads: one writer per generation at a time in this process (the others
    wait for it), and the lock file of :func:`write_artefact_once` makes other processes wait for it
    and reuse its folder. A failure is remembered for ``retry`` seconds, so that requests do not
    start a failing writer again and again.

    Args:
        root: The folder of the artefact folders (made when first needed).
        what: What is written, for messages (``the search index``, ``the dumps``).
        target: The child process's function, ``target(generation, root, timeout)``: a module-level
            function (it is spawned) that calls :func:`write_artefact_once`.
        written: Whether a folder holds a complete artefact.
        error: Makes the exception a failure is raised as (its message says why, without paths).
        timeout: Seconds after which a writer is killed (and a later request tries again).
        max_memory: Bytes of resident memory past which a writer is killed (0: no limit).
        retry: Seconds during which a failed generation is not tried again.
    """

    def __init__(
        self,
        root: Path,
        *,
        what: str,
        target: Callable[[str, str, float], None],
        written: Callable[[Path], bool],
        error: Callable[[str], Exception],
        timeout: float = 600.0,
        max_memory: int = 0,
        retry: float = 30.0,
    ) -> None:
        self.root = root
        self.what = what
        self.target = target
        self.written = written
        self.error = error
        self.timeout = timeout
        self.max_memory = max_memory
        self.retry = retry
        self._lock = threading.Lock()
        self._running: dict[str, threading.Event] = {}
        self._failed: dict[str, tuple[float, str]] = {}

    def folder(self, generation: Path) -> Path:
        """The folder of a generation's artefact."""
        return self.root / generation.name

    def ensure(self, generation: Path, *, wait: float) -> bool:
        """Start writing a generation's artefact unless it is being written, and wait for it.

        Args:
            generation: The generation's folder.
            wait: Seconds to wait (0: start it and return at once).

        Returns:
            Whether the artefact is complete now.

        Raises:
            Exception: Made by ``error``: writing it failed (within the last ``retry`` seconds).
        """
        with self._lock:
            failed = self._failed.get(generation.name)
            if failed is not None and time.monotonic() - failed[0] < self.retry:
                raise self.error(failed[1])
            done = self._running.get(generation.name)
            if done is None:
                done = self._running[generation.name] = threading.Event()
                thread = threading.Thread(
                    target=self._write, args=(generation, done), name=f"artefact-{generation.name}", daemon=True
                )
                thread.start()
        done.wait(wait)
        if self.written(self.folder(generation)):
            return True
        with self._lock:
            failed = self._failed.get(generation.name)
        if failed is not None:
            raise self.error(failed[1])
        return False

    def _write(self, generation: Path, done: threading.Event) -> None:
        """Run the writer in a child process and wait for it, at most :attr:`timeout` seconds and :attr:`max_memory`."""
        error: str | None = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            process = multiprocessing.get_context("spawn").Process(
                target=self.target,
                args=(str(generation), str(self.root), self.timeout),
                name=f"ris3kg {self.what} {generation.name}",
                daemon=True,
            )
            process.start()
            deadline = time.monotonic() + self.timeout
            while process.is_alive() and time.monotonic() < deadline and error is None:
                process.join(0.2)
                used = resident_memory(process.pid) if self.max_memory and process.pid else None
                if used is not None and used > self.max_memory:
                    error = f"writing {self.what} took more than {self.max_memory // 2**20} MiB of memory"
            if process.is_alive():
                process.kill()
                process.join()
                error = error or f"writing {self.what} took more than {self.timeout:g} seconds"
            elif not self.written(self.folder(generation)):
                error = f"writing {self.what} failed (the writer ended with code {process.exitcode})"
        except OSError as exc:
            error = f"writing {self.what} failed: {exc.strerror or exc}"
        except Exception:  # a thread of its own: nobody above to tell but the requests waiting for it
            _log.exception("ris3kg: writing %s of %s failed", self.what, generation.name)
            error = f"writing {self.what} failed"
        finally:
            with self._lock:
                if error is not None:
                    _log.warning("ris3kg: %s of %s: %s", self.what, generation.name, error)
                    self._failed[generation.name] = (time.monotonic(), error)
                else:
                    self._failed.pop(generation.name, None)
                self._running.pop(generation.name, None)
            done.set()
