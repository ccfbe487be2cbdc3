"""The store's write interface: a change or a rebuild is published whole, or not at all."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ris3kg.graph.store.interface import GraphLoad, StoreError
from ris3kg.graph.store.oxigraph import OxigraphStore, OxigraphWriter

G1 = "https://w3id.org/ris3kg/graph/one"
G2 = "https://w3id.org/ris3kg/graph/two"


def _nt(subject: str) -> bytes:
    return f'<https://example.org/{subject}> <https://example.org/p> "x" .\n'.encode()


def _quad(subject: str, graph: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(f"https://example.org/{subject}"),
        ox.NamedNode("https://example.org/p"),
        ox.Literal("y"),
        ox.NamedNode(graph),
    )


def test_rebuild_then_change_then_rebuild_keeping_a_graph(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = OxigraphWriter(path)
    writer.rebuild([GraphLoad(G1, _nt("a")), GraphLoad(G2, _nt("b"))])
    steps: list[str] = []
    with writer.change(on_step=steps.append) as change:
        assert set(change.current.named_graphs()) == {G1, G2}
        change.replace_graph(G2, [_quad("c", G2)])
    assert steps == ["copy", "write", "publish"]
    store = OxigraphStore.open(path)
    assert store.mentions("https://example.org/c") and not store.mentions("https://example.org/b")
    del store
    writer.rebuild([GraphLoad(G1, _nt("a2")), GraphLoad(G2, _nt("b2"))], keep=lambda current: [G2])
    store = OxigraphStore.open(path)
    assert store.mentions("https://example.org/a2")
    assert store.mentions("https://example.org/c") and not store.mentions("https://example.org/b2")  # kept


def test_a_change_that_fails_publishes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = OxigraphWriter(path)
    writer.rebuild([GraphLoad(G1, _nt("a"))])
    before = path.readlink()
    with pytest.raises(RuntimeError, match="no"), writer.change() as change:
        change.add([_quad("z", G1)])
        raise RuntimeError("no")
    assert path.readlink() == before
    assert not OxigraphStore.open(path).mentions("https://example.org/z")


def test_a_replacement_must_stay_in_its_graph_and_a_missing_store_is_said(tmp_path: Path) -> None:
    writer = OxigraphWriter(tmp_path / "store")
    with pytest.raises(StoreError, match="run `ris3kg build` first"), writer.change():
        pass
    writer.rebuild([GraphLoad(G1, _nt("a"))])
    with pytest.raises(ValueError, match="must be in that graph"), writer.change() as change:
        change.replace_graph(G1, [_quad("c", G2)])


def test_a_rebuilt_generation_keeps_no_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "store"
    data = b"".join(_nt(f"s{number}") for number in range(20_000))
    OxigraphWriter(path).rebuild([GraphLoad(G1, data)])
    generation = path.resolve()
    logs = {file.name: file.stat().st_size for file in generation.glob("*.log")}
    assert sum(logs.values()) == 0, logs  # the log of the load went when the folder was reopened
    assert not list(generation.glob("LOG.old.*"))
    assert OxigraphStore.open(path).triple_count(G1) == 20_000
