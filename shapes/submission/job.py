"""A submission's whole job, for a worker process: read, validate, report, and take in if asked.

The web app runs this in a :class:`~ris3kg.graph.workers.WorkerPool` with a time and a memory
limit, so that a large or hostile submission holds neither a request thread nor the server's
memory: what it costs is bounded, and past a limit its worker is killed, which is safe at any
moment (acceptance publishes a store generation with one atomic rename, see
:mod:`ris3kg.graph.store.generations`). Acceptance in a freshly spawned process also shares nothing
with the server's own open store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.graph.versions import AcceptedVersion
from ris3kg.shapes.report import ReportFormat, render
from ris3kg.shapes.submission.check import accept_submission, check_submission, submission_details
from ris3kg.shapes.submission.read import Limits, SubmissionFormat, read_submission
from ris3kg.shapes.validation import shapes_graph


@dataclass(frozen=True)
class Acceptance:
    """Who takes a conforming submission in, and what they may replace.

    Attributes:
        store_path: The store's path (the link to its current generation).
        submitted_by: The name recorded with the version.
        scopes: The strategy namespaces the submitter may replace; None for any (an admin).
    """

    store_path: str
    submitted_by: str
    scopes: frozenset[str] | None


@dataclass(frozen=True)
class SubmissionJob:
    """One submission to check (and perhaps take in).

    Attributes:
        data: The file's bytes.
        name: The file's name as submitted (for messages and the record).
        fmt: Its format, when the client said; guessed from the name and content otherwise.
        limits: How much of it is read.
        generation: The store generation to check it against (read-only).
        report_format: The format of the report to render.
        stylesheet: The URL of the HTML report's stylesheet (None: styles inline, for a standalone file).
        acceptance: Take it in when it conforms (None: only validate).
    """

    data: bytes
    name: str
    fmt: SubmissionFormat | None
    limits: Limits
    generation: str
    report_format: ReportFormat
    stylesheet: str | None = None
    acceptance: Acceptance | None = None


@dataclass(frozen=True)
class SubmissionOutcome:
    """What the job found.

    Attributes:
        source: The submission's name.
        conforms: Whether it has no violation.
        report: The rendered report, in the job's report format.
        report_json: The report as JSON (when it was taken in, for the API's answer).
        namespace: The strategy namespace it is for, when it names exactly one.
        accepted: The new version, when it was taken in.
        out_of_scope: The submitter may not replace this strategy (nothing was taken in).
    """

    source: str
    conforms: bool
    report: bytes
    report_json: bytes | None = None
    namespace: str | None = None
    accepted: AcceptedVersion | None = None
    out_of_scope: bool = False


def submission_handler() -> Callable[[SubmissionJob], SubmissionOutcome]:
    """Make a worker's handler (a top-level function, so that a spawned worker can call it).

    The shapes are compiled once, when the worker starts; each job opens its generation read-only.
    """
    shapes_graph()
    opened: dict[str, OxigraphStore] = {}

    def store_for(generation: str) -> OxigraphStore:
        if generation not in opened:
            opened.clear()  # one generation at a time: the newest asked for
            opened[generation] = OxigraphStore.open(Path(generation))
        return opened[generation]

    def handle(job: SubmissionJob) -> SubmissionOutcome:
        submission = read_submission(job.data, name=job.name, fmt=job.fmt, limits=job.limits)
        checked = check_submission(submission, store=store_for(job.generation))
        details = submission_details(checked)
        report = _bytes(
            render(
                checked.report,
                job.report_format,
                details=details,
                stylesheet=job.stylesheet,
                changes=checked.changes,
            )
        )
        namespace = checked.key.namespace if checked.key is not None else None
        outcome = SubmissionOutcome(submission.source, checked.conforms, report, namespace=namespace)
        acceptance = job.acceptance
        if acceptance is None or not checked.conforms:
            return outcome
        if acceptance.scopes is not None and namespace not in acceptance.scopes:
            return SubmissionOutcome(submission.source, True, report, namespace=namespace, out_of_scope=True)
        version = accept_submission(
            checked, store_path=Path(acceptance.store_path), submitted_by=acceptance.submitted_by
        )
        as_json = _bytes(render(checked.report, ReportFormat.JSON, details=details, changes=checked.changes))
        return SubmissionOutcome(submission.source, True, report, as_json, namespace, version)

    return handle


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")
