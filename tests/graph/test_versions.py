"""Archived versions: served only once recorded, namespaces checked where they come in, no query text from clients."""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ris3kg.graph.build import build_store
from ris3kg.graph.catalogue import part_by_key
from ris3kg.graph.store.generations import StoreLayout
from ris3kg.graph.store.interface import GraphStore, QueryResult, SelectResult, StoreError
from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.graph.versions import (
    AcceptanceError,
    InvalidNamespaceError,
    SubmissionTarget,
    accept_graph,
    archive_path,
    archived_version,
    check_namespace,
    valid_namespace,
    versions,
)
from ris3kg.ontology.namespaces import ID_BASE, RIS3
from ris3kg.shapes.submission.check import SubmissionReport, accept_submission, check_submission
from ris3kg.shapes.submission.graph_checks import submitted_strategy
from ris3kg.shapes.submission.read import read_submission, read_submission_file
from ris3kg.shapes.validation import ValidationResult

from conftest import BLEKINGE_ONLY, DATA

TESTLANDIA = DATA / "submissions" / "testlandia.xlsx"
STRATEGY = URIRef("https://w3id.org/ris3kg/id/blekinge/strategy")
BAD_NAMESPACES = (
    "..",
    ".",
    "",
    "../x",
    "a/b",
    "a\\b",
    "%2e%2e",
    "a.b",
    "Blekinge",
    "-blekinge",
    "x" * 64,
    'x" ) } SELECT * { ?s ?p ?o',
    "blekinge\n",
    "blek inge",
)


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    return path


def _blekinge(store_path: Path, label: str) -> SubmissionReport:
    graph = part_by_key("blekinge").load()
    graph.remove((STRATEGY, RDFS.label, None))
    graph.add((STRATEGY, RDFS.label, Literal(label, lang="en")))
    data = graph.serialize(format="turtle", encoding="utf-8")
    return check_submission(read_submission(data, name="blekinge.ttl"), store=OxigraphStore.open(store_path))


def _testlandia(store_path: Path) -> SubmissionReport:
    return check_submission(read_submission_file(TESTLANDIA), store=OxigraphStore.open(store_path))


def _testlandia_moved_to(namespace: str) -> bytes:
    turtle = read_submission_file(TESTLANDIA).graph.serialize(format="turtle")
    return turtle.replace(f"{ID_BASE}testlandia/", f"{ID_BASE}{namespace}/").encode()


def _leftovers(store_path: Path) -> set[str]:
    archive = StoreLayout(store_path).archive
    return {str(p.relative_to(archive)) for p in archive.rglob("*") if p.is_file()} if archive.is_dir() else set()


# -- D: namespaces are checked where they come in ------------------------------------------------


@pytest.mark.parametrize("namespace", BAD_NAMESPACES, ids=repr)
def test_an_invalid_namespace_is_refused_everywhere(store_path: Path, namespace: str) -> None:
    assert not valid_namespace(namespace)
    with pytest.raises(InvalidNamespaceError):
        check_namespace(namespace)
    with pytest.raises(ValueError, match="is not a strategy namespace"):
        archive_path(store_path, namespace, 1)
    with pytest.raises(KeyError):
        archived_version(store_path, namespace, 1)
    with pytest.raises(ValueError, match="is not a strategy namespace"):
        versions(OxigraphStore.open(store_path), namespace=namespace)


@pytest.mark.parametrize("namespace", ["blekinge", "norra-mellansverige", "s3", "x" * 63, "0-9"])
def test_a_valid_namespace_is_taken(store_path: Path, namespace: str) -> None:
    assert valid_namespace(namespace) and check_namespace(namespace) == namespace
    assert archive_path(store_path, namespace, 2) == StoreLayout(store_path).archive / namespace / "v2.nq"


def test_the_archive_path_stays_inside_the_archive_even_through_a_link(store_path: Path, tmp_path: Path) -> None:
    archive = StoreLayout(store_path).archive
    archive.mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (archive / "escape").symlink_to(outside)
    with pytest.raises(ValueError, match="not inside the submission archive"):
        archive_path(store_path, "escape", 1)
    for version in (0, -1, True):
        with pytest.raises(ValueError, match="not a version number"):
            archive_path(store_path, "blekinge", version)


@pytest.mark.parametrize("namespace", ["..", "%2e%2e", "Testlandia", "test.landia", "-testlandia"])
def test_a_strategy_outside_a_valid_namespace_is_a_violation(namespace: str) -> None:
    checked = check_submission(read_submission(_testlandia_moved_to(namespace), name="moved.ttl"), store=None)
    assert not checked.conforms and checked.key is None
    messages = [r.message for r in checked.report.violations if r.focus == f"{ID_BASE}{namespace}/strategy"]
    assert any("names the strategy: 1 to 63 lower-case letters" in m for m in messages), messages


def test_the_traversal_strategy_alone_is_a_violation_and_never_taken_in(store_path: Path) -> None:
    graph = Graph()
    strategy = URIRef(f"{ID_BASE}../strategy")
    graph.add((strategy, RDF.type, RIS3.Strategy))
    key = submitted_strategy(graph)
    assert isinstance(key, ValidationResult) and key.focus == str(strategy)
    assert "https://w3id.org/ris3kg/id/blekinge/strategy" in key.message  # says how to name it
    with pytest.raises(AcceptanceError, match="is not a strategy namespace"):
        accept_graph(
            store_path,
            graph,
            target=SubmissionTarget("..", str(strategy), "https://w3id.org/ris3kg/graph/submission/.."),
            checksum="sha256:0",
            file_name="evil.ttl",
            submitted_by="Eve",
        )
    assert _leftovers(store_path) == set()
    assert not (store_path.parent / "strategy").exists() and not (store_path.parent / "v1.nq").exists()


def test_a_strategy_iri_of_the_wrong_form_is_a_violation() -> None:
    turtle = read_submission_file(TESTLANDIA).graph.serialize(format="turtle")
    data = turtle.replace(f"{ID_BASE}testlandia/strategy", f"{ID_BASE}testlandia/Strategy_1").encode()
    checked = check_submission(read_submission(data, name="capitals.ttl"), store=None)
    assert not checked.conforms
    assert any(
        "Give the strategy a stable IRI" in r.message and r.focus.endswith("/Strategy_1")
        for r in checked.report.violations
    ), [r.message for r in checked.report.violations]


# -- E: nothing a client sends becomes query text ------------------------------------------------


class _Recording:
    """A GraphStore that records the query text it is given."""

    def __init__(self, store: GraphStore) -> None:
        self.inner = store
        self.queries: list[str] = []

    def query(self, query: str) -> QueryResult:
        self.queries.append(query)
        return self.inner.query(query)

    def select(self, query: str) -> SelectResult:
        self.queries.append(query)
        return self.inner.select(query)

    def named_graphs(self) -> tuple[str, ...]:
        return self.inner.named_graphs()


def test_versions_never_puts_its_argument_into_the_query(store_path: Path) -> None:
    accept_submission(_blekinge(store_path, "First"), store_path=store_path, submitted_by="Ann")
    recording = _Recording(OxigraphStore.open(store_path))
    assert [v.version for v in versions(recording, namespace="blekinge")] == [1]
    assert versions(recording, namespace="nms") == ()
    assert [v.namespace for v in versions(recording)] == ["blekinge"]
    for hostile in ('blekinge" ) } } SELECT * WHERE { ?s ?p ?o } #', "..", "blek%22inge"):
        with pytest.raises(InvalidNamespaceError):
            versions(recording, namespace=hostile)
    assert len(set(recording.queries)) == 1, "one fixed query text whatever the namespace"
    assert "blekinge" not in recording.queries[0] and "nms" not in recording.queries[0]


# -- C: an archived version is served only once recorded -----------------------------------------


def test_an_archive_left_by_a_failed_acceptance_is_not_served_and_is_cleaned(store_path: Path) -> None:
    def disk_full(step: str) -> None:
        if step == "write":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(store_path / "somewhere"))

    with pytest.raises(StoreError) as caught:
        accept_submission(_blekinge(store_path, "Never"), store_path=store_path, submitted_by="Ann", on_step=disk_full)
    assert "No space left on device" in caught.value.public_message
    assert str(store_path.parent) not in caught.value.public_message, "the message for HTTP names no path"
    assert str(store_path.parent) in str(caught.value), "the CLI's message names the store"
    left = archive_path(store_path, "blekinge", 1)
    assert left.is_file(), "the archive is written before publishing"
    partial = left.with_name("v1.nq.partial-12345")
    partial.write_bytes(b"half")
    with pytest.raises(KeyError, match="no version 1 of 'blekinge' was accepted") as missing:
        archived_version(store_path, "blekinge", 1)
    assert str(store_path.parent) not in str(missing.value)
    with pytest.raises(KeyError):
        archived_version(store_path, "blekinge", 1, store=OxigraphStore.open(store_path))
    accepted = accept_submission(_testlandia(store_path), store_path=store_path, submitted_by="Testlandia office")
    assert _leftovers(store_path) == {f"{accepted.namespace}/v1.nq"}, "the next acceptance cleared the leftovers"
    assert b"testlandia" in archived_version(store_path, accepted.namespace, 1)


def test_a_version_is_served_from_the_generation_it_is_recorded_in(store_path: Path) -> None:
    before = OxigraphStore.open(store_path)
    accept_submission(_blekinge(store_path, "First"), store_path=store_path, submitted_by="Ann")
    assert b"First" in archived_version(store_path, "blekinge", 1)
    assert b"First" in archived_version(store_path, "blekinge", 1, store=OxigraphStore.open(store_path))
    with pytest.raises(KeyError):  # a server still on the generation before sees no version 1 yet
        archived_version(store_path, "blekinge", 1, store=before)


def _accept_and_die(store_path: str, die_at: str) -> None:
    """Child process: accept a Blekinge submission and SIGKILL itself when the named step starts."""

    def step(name: str) -> None:
        if name == die_at:
            os.kill(os.getpid(), signal.SIGKILL)

    accept_submission(_blekinge(Path(store_path), "Never"), store_path=Path(store_path), submitted_by="x", on_step=step)


@pytest.mark.parametrize("die_at", ["archive", "copy", "write", "publish"])
def test_a_kill_during_acceptance_serves_no_version_and_leaves_nothing_after_the_next(
    store_path: Path, die_at: str
) -> None:
    child = multiprocessing.get_context("spawn").Process(target=_accept_and_die, args=(str(store_path), die_at))
    child.start()
    child.join(180)
    assert child.exitcode == -signal.SIGKILL
    assert versions(OxigraphStore.open(store_path)) == ()
    with pytest.raises(KeyError):
        archived_version(store_path, "blekinge", 1)
    accepted = accept_submission(_testlandia(store_path), store_path=store_path, submitted_by="Testlandia office")
    assert _leftovers(store_path) == {f"{accepted.namespace}/v1.nq"}
    with pytest.raises(KeyError):
        archived_version(store_path, "blekinge", 1)
