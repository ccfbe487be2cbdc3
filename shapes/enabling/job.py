"""The enabling-condition report of an uploaded file, for a worker process.

Reading an untrusted file and querying it costs what the file makes it cost; the web app runs
this job in a :class:`~ris3kg.graph.workers.WorkerPool` with a time and a memory limit, as it
runs validation, so that neither a request thread nor the server's memory is held by it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ris3kg.shapes.enabling.criteria import criteria
from ris3kg.shapes.enabling.evidence import submission_report
from ris3kg.shapes.enabling.render import render
from ris3kg.shapes.report import ReportFormat
from ris3kg.shapes.submission.read import Limits, SubmissionFormat, read_submission


@dataclass(frozen=True)
class EnablingJob:
    """One uploaded file to report on.

    Attributes:
        data: The file's bytes.
        name: The file's name as uploaded.
        fmt: Its format, when the client said; from the name otherwise.
        limits: How much of it is read.
        report_format: The report's format.
        stylesheet: The URL of the HTML report's stylesheet (None: styles inline).
        max_evidence: List at most this many elements per criterion (bounds the report's size).
    """

    data: bytes
    name: str
    fmt: SubmissionFormat | None
    limits: Limits
    report_format: ReportFormat
    stylesheet: str | None = None
    max_evidence: int = 500


@dataclass(frozen=True)
class EnablingOutcome:
    """The rendered report.

    Attributes:
        source: The file's name.
        report: The report in the job's format.
    """

    source: str
    report: bytes


def run_job(job: EnablingJob) -> EnablingOutcome:
    """Read the file and render its report.

    Raises:
        SubmissionError: The file cannot be read (too large, not in its syntax, hostile).
    """
    submission = read_submission(job.data, name=job.name, fmt=job.fmt, limits=job.limits)
    report = submission_report(submission, max_evidence=job.max_evidence)
    return EnablingOutcome(submission.source, render(report, job.report_format, stylesheet=job.stylesheet).encode())


def enabling_handler() -> Callable[[EnablingJob], EnablingOutcome]:
    """Make a worker's handler (a top-level function, so that a spawned worker can call it).

    The criteria and the reference data are read once, when the worker starts.
    """
    criteria()
    return run_job
