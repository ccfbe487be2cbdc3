"""How every command that reads the store opens it.

Through a lease on the current generation, with every failure turned into a message saying what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ris3kg.api.settings import Settings
from ris3kg.graph.store.generations import GenerationGoneError, GenerationLease, StoreLayout, StoreLockedError
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.store.oxigraph import OxigraphStore


def store_failure(store_path: Path, exc: Exception, *, writing: bool = False) -> click.ClickException:
    """Return the command-line error for a store that cannot be read or written.

    Args:
        store_path: The store.
        exc: What went wrong: a :class:`StoreError` or :class:`StoreLockedError` (their messages say
            what to do) or an ``OSError``.
        writing: Whether the command was changing the store.
    """
    if isinstance(exc, StoreError | StoreLockedError):
        return click.ClickException(str(exc))
    if isinstance(exc, GenerationGoneError):
        return click.ClickException(f"no ris3kg store at {store_path}; run `ris3kg build` first")
    if writing:
        return click.ClickException(
            f"cannot write the store at {store_path}: {exc}; check that you may write to {store_path.parent} "
            "and that the disk is not full"
        )
    return click.ClickException(f"cannot read the store at {store_path}: {exc}; check that you may read it")


@contextmanager
def reading_store(store_path: Path) -> Iterator[OxigraphStore]:
    """Open the store's current generation read-only, holding a lease on it for the block.

    While the lease is held no build or acceptance deletes the generation, however long the
    command reads it.

    Raises:
        click.ClickException: There is no store, or it cannot be read (the message says what to do).
    """
    with _leased(store_path, optional=False) as store:
        assert store is not None
        yield store


@contextmanager
def reading_store_if_built(store_path: Path) -> Iterator[OxigraphStore | None]:
    """Like :func:`reading_store`, but yield None when there is no store yet."""
    with _leased(store_path, optional=True) as store:
        yield store


@contextmanager
def _leased(store_path: Path, *, optional: bool) -> Iterator[OxigraphStore | None]:
    try:
        lease = StoreLayout(store_path).lease()
    except GenerationGoneError as exc:
        if not optional:
            raise store_failure(store_path, exc) from exc
        lease = None
    except OSError as exc:
        raise store_failure(store_path, exc) from exc
    if lease is None:
        yield None
        return
    with lease:
        try:
            store = OxigraphStore.open(lease.generation)
        except StoreError as exc:
            raise store_failure(store_path, exc) from exc
        try:
            yield store
        except OSError as exc:  # the store failed while it was read (a damaged file, say)
            raise store_failure(store_path, exc) from exc


def lease(store_path: Path) -> GenerationLease:
    """Lease the store's current generation, or say what to do where there is none."""
    try:
        return StoreLayout(store_path).lease()
    except OSError as exc:
        raise store_failure(store_path, exc) from exc


DEFAULTS = Settings()
"""The settings' defaults, which the commands' option defaults are."""


def settings() -> Settings:
    """The settings (``RIS3KG_<NAME>`` variables over the defaults), a wrong value said without a traceback."""
    try:
        return Settings.load()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
