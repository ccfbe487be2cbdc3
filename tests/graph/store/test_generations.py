"""Store generations: atomic publication, pruning, the writers' lock, the older layout."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from ris3kg.graph.store.generations import StoreLayout, StoreLockedError


def _write(layout: StoreLayout, value: str) -> Path:
    generation = layout.new_generation()
    _write_into(generation, value)
    return generation


def _value(path: Path) -> str:
    store = ox.Store.read_only(str(path))
    return next(iter(store)).object.value  # type: ignore[union-attr]


def test_publish_moves_the_link_and_keeps_one_previous_generation(tmp_path: Path) -> None:
    layout = StoreLayout(tmp_path / "store")
    assert layout.current() is None
    names = []
    for value in ("one", "two", "three"):
        with layout.writing():
            generation = _write(layout, value)
            layout.publish(generation)
        names.append(generation.name)
        assert layout.path.is_symlink()
        assert layout.current() == generation.resolve()
        assert _value(layout.path) == value
    remaining = {p.name for p in layout.generations.iterdir() if p.is_dir()}
    assert remaining == set(names[-2:])
    assert layout.published() == tuple(names[-2:])


def test_a_failure_after_the_link_moved_keeps_the_new_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ris3kg.graph.store import generations

    layout = StoreLayout(tmp_path / "store")
    with layout.writing(), layout.publishing() as first:
        _write_into(first, "one")

    fsync_dir = generations.fsync_dir

    def full_disk(folder: Path) -> None:  # the store's folder, synced after the rename
        if folder == layout.path.parent:
            raise OSError(28, "No space left on device")
        fsync_dir(folder)

    monkeypatch.setattr(generations, "fsync_dir", full_disk)
    with layout.writing(), layout.publishing() as second:
        _write_into(second, "two")
    assert layout.current() == second.resolve() and _value(layout.path) == "two"  # published, and kept

    monkeypatch.undo()

    publish = StoreLayout.publish

    def interrupted(self: StoreLayout, generation: Path) -> None:
        publish(self, generation)
        raise KeyboardInterrupt  # after the rename: the generation is current and must stay

    monkeypatch.setattr(StoreLayout, "publish", interrupted)
    with pytest.raises(KeyboardInterrupt), layout.writing(), layout.publishing() as third:
        _write_into(third, "three")
    assert layout.current() == third.resolve() and _value(layout.path) == "three"


def _write_into(generation: Path, value: str) -> None:
    store = ox.Store(str(generation))
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal(value)))
    store.flush()
    del store


def test_an_unpublished_generation_is_invisible_and_removed_by_the_next_writer(tmp_path: Path) -> None:
    layout = StoreLayout(tmp_path / "store")
    with layout.writing():
        layout.publish(_write(layout, "kept"))
    with layout.writing():
        abandoned = _write(layout, "never published")  # as if the writer had been killed here
    assert _value(layout.path) == "kept"
    assert abandoned.is_dir()
    with layout.writing():
        pass
    assert not abandoned.exists()
    assert _value(layout.path) == "kept"


def test_a_store_of_the_older_layout_is_replaced_by_a_link(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.flush()
    del store
    layout = StoreLayout(path)
    assert layout.current() == path
    with layout.writing():
        layout.publish(_write(layout, "new"))
    assert path.is_symlink()
    assert _value(path) == "new"


def _hold_lock(path: str, ready: multiprocessing.synchronize.Event, done: multiprocessing.synchronize.Event) -> None:
    with StoreLayout(Path(path)).writing():
        ready.set()
        done.wait(10)


def test_a_second_writer_waits_then_gives_up_with_a_clear_error(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(tmp_path / "store"), ready, done))
    holder.start()
    try:
        assert ready.wait(20)
        with (
            pytest.raises(StoreLockedError, match="another process is changing the store"),
            StoreLayout(tmp_path / "store").writing(wait=0.3),
        ):
            pass
    finally:
        done.set()
        holder.join(10)
    with StoreLayout(tmp_path / "store").writing(wait=1):
        pass


def test_a_leased_generation_survives_two_builds_and_is_pruned_after_release(tmp_path: Path) -> None:
    layout = StoreLayout(tmp_path / "store")
    with layout.writing():
        layout.publish(_write(layout, "read for long"))
    lease = layout.lease()
    leased = lease.generation
    assert lease.held and leased == layout.current()
    for value in ("two", "three", "four"):  # without the lease, "read for long" would go at the second
        with layout.writing():
            layout.publish(_write(layout, value))
    assert leased.is_dir() and _value(leased) == "read for long"
    assert _value(layout.path) == "four"
    lease.release()
    lease.release()  # harmless
    assert not lease.held
    assert leased.is_dir(), "pruned only by the next writer"
    with layout.writing():
        pass
    assert not leased.exists()
    remaining = {p.name for p in layout.generations.iterdir() if p.is_dir()}
    assert remaining == set(layout.published()) and len(remaining) == 2


def test_a_lease_is_a_context_manager_and_refuses_a_generation_that_is_gone(tmp_path: Path) -> None:
    from ris3kg.graph.store.generations import GenerationGoneError

    layout = StoreLayout(tmp_path / "store")
    with pytest.raises(GenerationGoneError, match="run `ris3kg build` first"):
        layout.lease()
    with layout.writing():
        first = _write(layout, "one")
        layout.publish(first)
    with layout.lease(first) as lease:
        assert lease.held and lease.generation == first
    assert not lease.held
    for value in ("two", "three"):
        with layout.writing():
            layout.publish(_write(layout, value))
    assert not first.exists()
    with pytest.raises(GenerationGoneError):
        layout.lease(first)
    with layout.lease() as current:
        assert _value(current.generation) == "three"


def _lease_and_wait(
    path: str, ready: multiprocessing.synchronize.Event, done: multiprocessing.synchronize.Event
) -> None:
    with StoreLayout(Path(path)).lease():
        ready.set()
        done.wait(20)


def test_a_lease_held_by_another_process_keeps_its_generation(tmp_path: Path) -> None:
    layout = StoreLayout(tmp_path / "store")
    with layout.writing():
        layout.publish(_write(layout, "theirs"))
    theirs = layout.current()
    assert theirs is not None
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    reader = context.Process(target=_lease_and_wait, args=(str(layout.path), ready, done))
    reader.start()
    try:
        assert ready.wait(20)
        for value in ("two", "three"):
            with layout.writing():
                layout.publish(_write(layout, value))
        assert theirs.is_dir() and _value(theirs) == "theirs"
    finally:
        done.set()
        reader.join(20)
    assert reader.exitcode == 0
    with layout.writing():
        pass
    assert not theirs.exists()


def test_the_lock_message_for_http_names_no_path(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(tmp_path / "store"), ready, done))
    holder.start()
    try:
        assert ready.wait(20)
        with pytest.raises(StoreLockedError) as caught, StoreLayout(tmp_path / "store").writing(wait=0.2):
            pass
    finally:
        done.set()
        holder.join(10)
    assert str(tmp_path) in str(caught.value)
    assert str(tmp_path) not in caught.value.public_message and "'store'" in caught.value.public_message


# -- a store that cannot be written or read: every command says what to do, never a traceback ----

_COMMANDS = {
    "build": ["build"],
    "accept": ["accept", "{valid}", "--by", "Ann"],
    "stats": ["stats"],
    "list": ["submissions", "list"],
    "get": ["submissions", "get", "blekinge", "1"],
    "validate": ["validate", "{valid}"],
    "export": ["export", "region-similarity", "-o", "{out}"],
}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ris3kg.graph.build import build_store

    from conftest import BLEKINGE_ONLY

    path = tmp_path_factory.mktemp("small") / "store"
    build_store(path, parts=BLEKINGE_ONLY)
    return path


def _run(store: Path, name: str, tmp_path: Path) -> tuple[int, str, BaseException | None]:
    from click.testing import CliRunner

    from ris3kg.api.cli.main import main

    from conftest import DATA

    args = [a.format(valid=DATA / "valid" / "blekinge-excerpt.ttl", out=tmp_path / "out.gexf") for a in _COMMANDS[name]]
    result = CliRunner().invoke(main, ["--store", str(store), *args])
    return result.exit_code, result.output, result.exception


def _copy_store(source: Path, target: Path) -> Path:
    """A store of its own: the small store's current generation copied, behind a link."""
    import shutil

    layout = StoreLayout(target)
    current = StoreLayout(source).current()
    assert current is not None
    generation = layout.new_generation()
    shutil.copytree(current, generation)
    with layout.writing():
        layout.publish(generation)
    return target


@pytest.mark.parametrize("name", ["build", "accept"])
def test_a_store_that_refuses_writes_gives_a_message_not_a_traceback(
    small_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    import errno
    import io
    import os

    store = _copy_store(small_store, tmp_path / "store")
    folder = tmp_path.absolute()
    real_open = io.open

    def read_only_open(file: str | os.PathLike[str] | int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if not isinstance(file, int) and any(c in mode for c in "wax+"):
            name = os.fspath(file)
            if Path(name).absolute().is_relative_to(folder):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(io, "open", read_only_open)
    status, output, exception = _run(store, name, tmp_path)
    assert status == 1 and isinstance(exception, SystemExit), output
    assert "Traceback" not in output
    assert f"Error: cannot write the store at {store}" in output and "Permission denied" in output
    assert "that you may write to" in output


@pytest.mark.parametrize("name", list(_COMMANDS))
def test_a_damaged_store_gives_a_message_not_a_traceback(small_store: Path, tmp_path: Path, name: str) -> None:
    store = _copy_store(small_store, tmp_path / "store")
    current = StoreLayout(store).current()
    assert current is not None
    (current / "CURRENT").write_text("garbage\n", encoding="utf-8")
    status, output, exception = _run(store, name, tmp_path)
    assert status == 1 and isinstance(exception, SystemExit), output
    assert "Traceback" not in output and "Error: cannot " in output and "Corruption" in output, output


@pytest.mark.parametrize("name", [n for n in _COMMANDS if n not in ("build", "validate")])
def test_a_missing_store_says_to_build(tmp_path: Path, name: str) -> None:
    store = tmp_path / "store"
    store.symlink_to(".store.generations/gone")  # a link to a generation that is not there
    status, output, exception = _run(store, name, tmp_path)
    assert status == 1 and isinstance(exception, SystemExit), output
    assert "run `ris3kg build` first" in output and "Traceback" not in output


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only folders")
@pytest.mark.parametrize("name", list(_COMMANDS))
def test_a_read_only_store_gives_a_message_not_a_traceback(small_store: Path, tmp_path: Path, name: str) -> None:
    store = _copy_store(small_store, tmp_path / "ro" / "store")
    folders = [store.parent, *store.parent.rglob("*")]
    for path in folders:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    try:
        status, output, exception = _run(store, name, tmp_path)
    finally:
        for path in folders:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)
    assert "Traceback" not in output
    assert exception is None or isinstance(exception, SystemExit), output
    if name in ("build", "accept"):
        assert status == 1 and "cannot write the store" in output, output
