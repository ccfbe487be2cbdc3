"""Worker processes that can really be stopped: a time limit, a memory limit and a bounded queue.

Some work cannot be interrupted from Python: an Oxigraph query, a pyparsing parse, a pySHACL run.
A :class:`WorkerPool` runs such work in a few long-lived worker processes (started with *spawn*,
so that nothing a parent has opened, a RocksDB store above all, is shared across a fork). The
caller waits for the answer with a deadline and watches the worker's resident memory meanwhile;
past either limit the worker is killed (and a fresh one started) and the caller gets an error that
names the limit. Callers that find every worker busy wait in a bounded queue for a bounded time;
when the queue is full they are told at once (:class:`PoolBusyError`, which carries a
``Retry-After``), so that slow work never holds a request thread for long.

A worker's *handler* is made in the worker, once, by a factory function named by its module and
qualified name (a picklable top-level function); it is then called with each job and its return
value, or the exception it raised, is sent back.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_POLL = 0.05
"""Seconds between two looks at a busy worker's memory."""


class WorkError(RuntimeError):
    """Work that the pool could not finish; the message is for the person who asked for it."""


class PoolBusyError(WorkError):
    """Every worker is busy and the queue is full (or stayed so for the longest wait).

    Attributes:
        retry_after: Seconds after which trying again is likely to work.
    """

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_busy, (str(self), self.retry_after))


def _rebuild_busy(message: str, retry_after: int) -> PoolBusyError:
    return PoolBusyError(message, retry_after=retry_after)


class WorkTimeoutError(WorkError):
    """The work ran past its time limit; its worker was killed."""


class WorkMemoryError(WorkError):
    """The work needed more memory than allowed; its worker was killed."""


class WorkerDiedError(WorkError):
    """The worker stopped without answering (the server's fault, not the client's)."""


@dataclass(frozen=True)
class PoolLimits:
    """How long, how large and how many.

    Attributes:
        timeout: Seconds one job may run before its worker is killed.
        max_memory: Bytes of resident memory a worker may use (0: no limit).
        max_waiting: Callers that may wait for a worker at once; more are refused at once.
        wait: Seconds a caller may wait for a worker.
    """

    timeout: float = 10.0
    max_memory: int = 0
    max_waiting: int = 8
    wait: float = 5.0


def resident_memory(pid: int) -> int | None:
    """Return a process's resident memory in bytes, or None where ``/proc`` does not tell."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:  # noqa: PTH123 (one small read, no Path object)
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return None


def _serve(
    factory: Callable[..., Callable[[Any], Any]], args: tuple[object, ...], conn: Connection, niceness: int = 0
) -> None:
    """The worker's loop: make the handler, say so, then answer jobs until the pipe closes."""
    if niceness:
        with contextlib.suppress(OSError):
            os.nice(niceness)
    handler = factory(*args)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, object] = ("ok", handler(job))
        except Exception as exc:  # every failure goes back to the caller, who decides what it means
            answer = ("error", exc)
        try:
            conn.send(answer)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(("error", WorkError(f"the worker's answer could not be sent: {exc}")))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False


class WorkerPool:
    """A fixed number of worker processes with a time limit, a memory limit and a bounded queue.

    Args:
        factory: A top-level function that builds the handler in each worker from ``args``.
        args: Picklable arguments for ``factory``.
        workers: How many jobs may run at once.
        limits: Time, memory and queue limits.
        name: The workers' process name (and what error messages call the work).
        startup: Seconds a new worker may take to start (imports, opening a store); not counted in
            a job's time limit.
        niceness: How much lower the workers' processor priority is than the server's (``nice``):
            slow work in them then leaves the processor to cheap requests first.
    """

    def __init__(
        self,
        factory: Callable[..., Callable[[Any], Any]],
        args: tuple[object, ...],
        *,
        workers: int,
        limits: PoolLimits,
        name: str,
        startup: float = 120.0,
        niceness: int = 0,
    ) -> None:
        self._factory = factory
        self._niceness = niceness
        self._startup = startup
        self._busy: set[_Worker] = set()
        self._busy_lock = threading.Lock()
        self._args = args
        self.limits = limits
        self._name = name
        self._context = multiprocessing.get_context("spawn")
        # Last in, first out: the worker that answered last takes the next job while its caches are warm.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._waiting = 0
        self._waiting_lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, workers)):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(self._factory, self._args, child, self._niceness), daemon=True, name=self._name
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _take(self) -> _Worker:
        if self._closed:  # the store changed: this pool's generation is being retired
            raise PoolBusyError(f"the {self._name} workers are being replaced; try again", retry_after=1)
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._waiting_lock:
            if self._waiting >= self.limits.max_waiting:
                raise PoolBusyError(
                    f"the server is busy: every {self._name} worker is in use and {self._waiting} requests are "
                    "waiting; try again shortly",
                    retry_after=max(1, round(self.limits.timeout / 2)),
                )
            self._waiting += 1
        try:
            return self._idle.get(timeout=self.limits.wait)
        except queue.Empty:
            raise PoolBusyError(
                f"the server is busy: no {self._name} worker became free within {self.limits.wait:g} s; "
                "try again shortly",
                retry_after=max(1, round(self.limits.timeout / 2)),
            ) from None
        finally:
            with self._waiting_lock:
                self._waiting -= 1

    def run(self, job: object, *, timeout: float | None = None) -> object:
        """Run one job in a worker and return what its handler returned.

        Args:
            job: A picklable job for the handler.
            timeout: Seconds this job may run (the pool's limit when None).

        Raises:
            PoolBusyError: No worker became free (the queue was full, or for ``limits.wait`` seconds).
            WorkTimeoutError: The job ran past the time limit.
            WorkMemoryError: The worker passed the memory limit.
            WorkerDiedError: The worker stopped without answering.
            Exception: Whatever the handler raised, re-raised here.
        """
        limit = self.limits.timeout if timeout is None else timeout
        worker = taken = self._take()
        with self._busy_lock:
            self._busy.add(taken)
        try:
            if not worker.ready:
                self._await_ready(worker)
            worker.conn.send(job)
            status, payload = self._answer(worker, limit)
        except (EOFError, OSError) as exc:
            self._kill(worker)
            worker = self._start()
            raise WorkerDiedError(f"the {self._name} worker stopped unexpectedly ({exc}); try again") from exc
        except BaseException:  # a limit, or anything else: the worker may still be busy, so it is replaced
            self._kill(worker)
            worker = self._start()
            raise
        finally:
            with self._busy_lock:
                self._busy.discard(taken)
                if self._closed:  # closed while this job ran: it was allowed to finish
                    self._kill(worker)
                else:
                    self._idle.put(self._recycled(worker))
        if status == "ok":
            return payload
        assert isinstance(payload, BaseException)
        raise payload

    def _recycled(self, worker: _Worker) -> _Worker:
        """Replace a worker that kept more than half its memory limit after a job (Python seldom gives it back)."""
        limit = self.limits.max_memory
        if limit and worker.process.pid is not None and worker.process.is_alive():
            used = resident_memory(worker.process.pid)
            if used is not None and used > limit // 2:
                self._kill(worker)
                return self._start()
        return worker

    def busy(self) -> tuple[int, ...]:
        """Return the process ids of the workers running a job now (for monitoring and tests)."""
        with self._busy_lock:
            return tuple(w.process.pid for w in self._busy if w.process.pid is not None)

    def _await_ready(self, worker: _Worker) -> None:
        """Wait for a new worker to have started (its start-up time is not the job's)."""
        if not worker.conn.poll(self._startup):
            raise WorkerDiedError(f"a {self._name} worker did not start within {self._startup:g} s; try again")
        status, _ = worker.conn.recv()
        if status != "ready":
            raise WorkerDiedError(f"a {self._name} worker did not start; try again")
        worker.ready = True

    def _answer(self, worker: _Worker, limit: float) -> tuple[str, object]:
        deadline = time.monotonic() + limit
        max_memory = self.limits.max_memory
        pid = worker.process.pid
        while True:
            remaining = deadline - time.monotonic()
            if worker.conn.poll(max(0.0, min(_POLL, remaining))):  # poll(): any descriptor number
                try:
                    answer = worker.conn.recv()
                except (EOFError, OSError):
                    raise
                except Exception as exc:  # an answer that does not unpickle here
                    raise WorkError(f"the {self._name} worker's answer could not be read: {exc}") from exc
                assert isinstance(answer, tuple)
                return answer
            if max_memory and pid is not None:
                used = resident_memory(pid)
                if used is not None and used > max_memory:
                    raise WorkMemoryError(
                        f"the {self._name} needed more than {max_memory // 2**20} MiB of memory, the limit of this "
                        "server, and was stopped: narrow it"
                    )
            if not worker.process.is_alive():
                raise WorkerDiedError(f"the {self._name} worker stopped unexpectedly; try again")
            if remaining <= 0:
                raise WorkTimeoutError(
                    f"the {self._name} ran longer than {limit:g} s, the limit of this server, and was stopped"
                )

    @staticmethod
    def _kill(worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def close(self) -> None:
        """Stop every idle worker; a worker running a job stops when its job is answered."""
        with self._busy_lock:  # no job's end puts a worker back between these two steps
            self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            self._kill(worker)
