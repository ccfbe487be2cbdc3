"""ris3kg's settings: one typed record, one source of defaults, for the web app and the CLI alike.

Each setting can come, in this order of precedence, from the mapping given to
``create_app(config)`` (or a CLI option), from the environment as ``RIS3KG_<NAME>`` (read as JSON
where it parses, else as text), or from its default here. :meth:`Settings.load` checks and casts
every value once, so a wrong one stops the start with a message naming the setting.

``RIS3KG_STORE`` names the store for the CLI and the web app; ``RIS3KG_STORE_PATH`` (and the
``STORE_PATH`` key), which the web app read before, still work as deprecated aliases.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ris3kg.graph.workers import PoolLimits
from ris3kg.shapes.submission.read import Limits

PREFIX = "RIS3KG_"
MIB = 2**20

_ALIASES = {"STORE_PATH": "STORE"}
"""Deprecated setting names and the name that replaces each."""


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class Settings:
    """Every setting of ris3kg, with its default. Field ``x`` is set as ``X`` or ``$RIS3KG_X``."""

    store: Path | None = field(default=None, metadata=_doc("the store; default_store_path() when None"))
    # Users' queries (/sparql, the query page, /export/query.*): worker processes with hard limits.
    query_timeout: float = field(default=10.0, metadata=_doc("seconds a query may run before its worker is killed"))
    query_workers: int = field(default=2, metadata=_doc("queries that may run at once in worker processes"))
    query_max_memory: int = field(default=1024 * MIB, metadata=_doc("bytes of memory a query worker may use"))
    query_queue: int = field(default=8, metadata=_doc("queries that may wait for a worker; more get 503 at once"))
    query_wait: float = field(default=5.0, metadata=_doc("seconds a query may wait for a worker before a 503"))
    proven_query_time: float = field(
        default=0.1, metadata=_doc("a deterministic query that finished this fast runs again in-process (0: never)")
    )
    max_query_length: int = field(default=20_000, metadata=_doc("characters of a query"))
    max_result_rows: int = field(default=10_000, metadata=_doc("rows of a SELECT, triples of a CONSTRUCT"))
    max_result_bytes: int = field(default=16 * MIB, metadata=_doc("bytes of a query's result"))
    # The server's own queries for pages, VoID and views: a pool of their own, so that users' slow
    # queries never hold them up.
    page_workers: int = 1
    page_query_timeout: float = 30.0
    page_max_memory: int = 2048 * MIB
    page_queue: int = 8
    page_wait: float = 10.0
    page_max_rows: int = 2_000_000
    page_max_bytes: int = 256 * MIB
    # Validation and acceptance of submissions: a worker process with limits of its own.
    validation_workers: int = 1
    validation_timeout: float = field(default=120.0, metadata=_doc("seconds one validation or acceptance may take"))
    validation_max_memory: int = 3072 * MIB
    validation_queue: int = 16
    validation_wait: float = 30.0
    max_content_length: int = field(default=256 * 1024, metadata=_doc("bytes of a request body (Flask's limit)"))
    submission_max_bytes: int = field(default=16 * MIB, metadata=_doc("bytes of a submitted file"))
    submission_max_triples: int = field(default=100_000, metadata=_doc("triples of a submission"))
    submission_tokens: Mapping[str, Any] = field(
        default_factory=dict,
        metadata=_doc('bearer token -> name, or {"name": ..., "scopes": [namespace, ... | "*"]}'),
    )
    submission_tokens_file: Path | None = field(default=None, metadata=_doc("a JSON file of more tokens"))
    auth_max_failures: int = field(default=5, metadata=_doc("failed token attempts in AUTH_WINDOW before a 429"))
    auth_window: float = field(default=60.0, metadata=_doc("seconds"))

    @classmethod
    def load(
        cls, overrides: Mapping[str, object] | None = None, *, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Read the settings: ``overrides`` first, then ``RIS3KG_<NAME>`` variables, then the defaults.

        Args:
            overrides: Settings by upper-case name (``QUERY_TIMEOUT``); unknown names are ignored, as
                Flask's own settings may be among them.
            environ: The environment (``os.environ`` when None).

        Raises:
            ValueError: A value has the wrong type or is out of range; the message names the setting.
        """
        env = os.environ if environ is None else environ
        from_env = {
            variable[len(PREFIX) :]: _from_env(text) for variable, text in env.items() if variable.startswith(PREFIX)
        }
        given = _unaliased(from_env, source="the environment")
        given.update(_unaliased(dict(overrides or {}), source="the settings given"))
        values: dict[str, object] = {}
        for item in dataclasses.fields(cls):
            name = item.name.upper()
            if name in given and given[name] is not None and given[name] != "":
                values[item.name] = _cast(name, given[name], item.type)
        return cls(**values)  # type: ignore[arg-type]

    def as_config(self) -> dict[str, object]:
        """The settings by upper-case name, as Flask's ``app.config`` holds them."""
        return {item.name.upper(): getattr(self, item.name) for item in dataclasses.fields(self)}

    def submission_limits(self) -> Limits:
        """The limits on one submission file."""
        return Limits(max_bytes=self.submission_max_bytes, max_triples=self.submission_max_triples)

    def validation_limits(self) -> PoolLimits:
        """The limits of the validation (and acceptance) workers."""
        return PoolLimits(
            timeout=self.validation_timeout,
            max_memory=self.validation_max_memory,
            max_waiting=self.validation_queue,
            wait=self.validation_wait,
        )

    def page_limits(self) -> PoolLimits:
        """The limits of the server's own work: page queries, and views exported."""
        return PoolLimits(
            timeout=self.page_query_timeout,
            max_memory=self.page_max_memory,
            max_waiting=self.page_queue,
            wait=self.page_wait,
        )

    @property
    def grace(self) -> float:
        """Seconds a request that took an old generation may still run queries on it."""
        return self.query_timeout + self.query_wait + self.page_query_timeout + self.page_wait


def _unaliased(given: dict[str, object], *, source: str) -> dict[str, object]:
    """Rename deprecated names in one source of settings, the new name winning where both are set."""
    for old, new in _ALIASES.items():
        if given.get(old) in (None, ""):
            given.pop(old, None)
            continue
        value = given.pop(old)
        if given.get(new) in (None, ""):
            message = f"the setting {old} ({PREFIX}{old}) in {source} is deprecated: use {new} ({PREFIX}{new})"
            given[new] = value
        else:
            message = f"the setting {old} ({PREFIX}{old}) in {source} is ignored: {new} is set too"
        warnings.warn(message, FutureWarning, stacklevel=3)
    return given


def _from_env(value: str) -> object:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _cast(name: str, value: object, kind: object) -> object:
    """Check and convert one setting's value to its field's type (given as the annotation's text)."""
    text = str(kind)
    try:
        if text == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            number = int(str(value)) if not isinstance(value, int | float) else int(value)
            if number < 0:
                raise ValueError
            return number
        if text == "float":
            if isinstance(value, bool):
                raise ValueError
            real = float(str(value))
            if real < 0 or not math.isfinite(real):
                raise ValueError
            return real
        if text == "Path | None":
            return Path(str(value)).expanduser()
        if text == "Mapping[str, Any]":
            if not isinstance(value, Mapping):
                raise ValueError
            return dict(value)
    except (TypeError, ValueError, RuntimeError):
        expected = {"int": "a whole number ≥ 0", "float": "a finite number ≥ 0"}.get(text, "a JSON object")
        raise ValueError(f"setting {name} ({PREFIX}{name}): {value!r} is not {expected}") from None
    return value
