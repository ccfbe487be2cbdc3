"""Store generations: atomic publication, pruning, the writers' lock, the older layout."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pyoxigraph as ox
import pytest

from ris3kg.graph.generations import StoreLayout, StoreLockedError


def _write(layout: StoreLayout, value: str) -> Path:
    generation = layout.new_generation()
    store = ox.Store(str(generation))
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal(value)))
    store.flush()
    del store
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
