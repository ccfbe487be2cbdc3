"""Taking submissions in: versions, the archive, rebuilds, and atomicity under kill and full disk."""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDFS, Dataset, Graph, Literal, URIRef

from ris3kg.graph.build import build_store
from ris3kg.graph.catalogue import part_by_key
from ris3kg.graph.store.generations import StoreLayout
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.graph.versions import AcceptanceError, archived_version, versions
from ris3kg.shapes.submission.check import SubmissionReport, accept_submission, check_submission
from ris3kg.shapes.submission.read import read_submission, read_submission_file

from conftest import BLEKINGE_ONLY, DATA

BLEKINGE_GRAPH = "https://w3id.org/ris3kg/graph/blekinge"
STRATEGY = URIRef("https://w3id.org/ris3kg/id/blekinge/strategy")


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    return path


def _checked(store_path: Path, graph: Graph, name: str = "blekinge.ttl") -> SubmissionReport:
    data = graph.serialize(format="turtle", encoding="utf-8")
    return check_submission(read_submission(data, name=name), store=OxigraphStore.open(store_path))


def _renamed(label: str) -> Graph:
    graph = part_by_key("blekinge").load()
    graph.remove((STRATEGY, RDFS.label, None))
    graph.add((STRATEGY, RDFS.label, Literal(label, lang="en")))
    return graph


def _snapshot(store_path: Path) -> set[str]:
    return {str(q) for q in ox.Store.read_only(str(store_path))}


def _strategy_labels(store_path: Path) -> set[str]:
    rows = (
        OxigraphStore.open(store_path)
        .select(f"SELECT ?l WHERE {{ GRAPH <{BLEKINGE_GRAPH}> {{ <{STRATEGY}> <{RDFS.label}> ?l }} }}")
        .rows
    )
    return {str(r["l"]) for r in rows}


def test_a_resubmission_replaces_the_current_version_and_keeps_the_earlier(store_path: Path) -> None:
    first = accept_submission(_checked(store_path, _renamed("First")), store_path=store_path, submitted_by="Ann")
    assert first.version == 1 and first.graph == BLEKINGE_GRAPH and first.submitted_by == "Ann"
    assert _strategy_labels(store_path) == {"First"}
    second = accept_submission(_checked(store_path, _renamed("Second")), store_path=store_path, submitted_by="Bo")
    assert second.version == 2
    assert _strategy_labels(store_path) == {"Second"}
    history = versions(OxigraphStore.open(store_path), namespace="blekinge")
    assert [(v.version, v.current, v.submitted_by) for v in history] == [(1, False, "Ann"), (2, True, "Bo")]
    assert history[0].checksum != history[1].checksum and history[0].checksum.startswith("sha256:")
    earlier = Dataset().parse(data=archived_version(store_path, "blekinge", 1), format="nquads")
    assert (STRATEGY, RDFS.label, Literal("First", lang="en")) in earlier.graph(URIRef(BLEKINGE_GRAPH))
    with pytest.raises(KeyError, match="no version 3 of 'blekinge'"):
        archived_version(store_path, "blekinge", 3)


def test_a_new_strategy_goes_into_its_own_graph(store_path: Path) -> None:
    checked = check_submission(read_submission_file(DATA / "submissions" / "testlandia.xlsx"), store=None)
    assert checked.conforms, checked.report.results
    version = accept_submission(checked, store_path=store_path, submitted_by="Testlandia office")
    assert version.graph.startswith("https://w3id.org/ris3kg/graph/submission/")
    assert version.graph in OxigraphStore.open(store_path).named_graphs()
    assert len(_snapshot(store_path)) > 0


def test_a_submission_with_violations_is_never_taken_in(store_path: Path) -> None:
    before = _snapshot(store_path)
    checked = check_submission(
        read_submission_file(DATA / "invalid" / "missing-label.ttl"), store=OxigraphStore.open(store_path)
    )
    with pytest.raises(AcceptanceError, match="has 1 violation"):
        accept_submission(checked, store_path=store_path, submitted_by="Ann")
    assert _snapshot(store_path) == before


def test_a_rebuild_keeps_accepted_submissions(store_path: Path) -> None:
    accept_submission(_checked(store_path, _renamed("Kept")), store_path=store_path, submitted_by="Ann")
    build_store(store_path, parts=BLEKINGE_ONLY)
    assert _strategy_labels(store_path) == {"Kept"}
    assert [v.version for v in versions(OxigraphStore.open(store_path))] == [1]


def _accept_and_die(store_path: str, data: bytes, die_at: str) -> None:
    """Child process: accept a submission and SIGKILL itself when the named step starts."""

    def step(name: str) -> None:
        if name == die_at:
            os.kill(os.getpid(), signal.SIGKILL)

    checked = check_submission(read_submission(data, name="killed.ttl"), store=OxigraphStore.open(Path(store_path)))
    accept_submission(checked, store_path=Path(store_path), submitted_by="killed", on_step=step)


@pytest.mark.parametrize("die_at", ["archive", "copy", "write", "publish"])
def test_a_kill_during_acceptance_leaves_the_store_as_it_was(store_path: Path, die_at: str) -> None:
    before = _snapshot(store_path)
    generation = StoreLayout(store_path).current()
    data = _renamed("Never").serialize(format="turtle", encoding="utf-8")
    child = multiprocessing.get_context("spawn").Process(target=_accept_and_die, args=(str(store_path), data, die_at))
    child.start()
    child.join(120)
    assert child.exitcode == -signal.SIGKILL
    assert StoreLayout(store_path).current() == generation
    assert _snapshot(store_path) == before
    assert versions(OxigraphStore.open(store_path)) == ()
    # The next writer clears what the killed one left, and works.
    version = accept_submission(_checked(store_path, _renamed("After")), store_path=store_path, submitted_by="Bo")
    assert version.version == 1 and _strategy_labels(store_path) == {"After"}
    layout = StoreLayout(store_path)
    assert {p.name for p in layout.generations.iterdir() if p.is_dir()} <= set(layout.published())


def test_a_full_disk_during_acceptance_leaves_the_store_as_it_was(store_path: Path) -> None:
    before = _snapshot(store_path)

    def disk_full(name: str) -> None:
        if name == "write":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(StoreError, match="No space left on device; it is unchanged"):
        accept_submission(
            _checked(store_path, _renamed("Never")), store_path=store_path, submitted_by="Ann", on_step=disk_full
        )
    assert _snapshot(store_path) == before
    layout = StoreLayout(store_path)
    assert {p.name for p in layout.generations.iterdir() if p.is_dir()} == {layout.current().name}  # type: ignore[union-attr]
