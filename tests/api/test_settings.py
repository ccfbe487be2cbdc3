"""Typed settings: one source of defaults for the web app and the CLI, checked once; the old store name is an alias."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ris3kg.api.cli.reading import DEFAULTS as CLI_DEFAULTS
from ris3kg.api.settings import Settings
from ris3kg.shapes.submission.read import Limits


def test_defaults_come_from_one_place() -> None:
    defaults = Settings.load(environ={})
    assert defaults == Settings()
    assert Settings() == CLI_DEFAULTS  # the CLI's option defaults are these
    assert defaults.submission_limits() == Limits(
        max_bytes=defaults.submission_max_bytes, max_triples=defaults.submission_max_triples
    )


def test_the_environment_and_the_mapping_are_cast_and_the_mapping_wins() -> None:
    settings = Settings.load(
        {"QUERY_WORKERS": 3, "TESTING": True},  # Flask's own settings are ignored here
        environ={"RIS3KG_QUERY_TIMEOUT": "2.5", "RIS3KG_QUERY_WORKERS": "7", "RIS3KG_STORE": "~/s", "OTHER": "x"},
    )
    assert settings.query_timeout == 2.5
    assert settings.query_workers == 3
    assert settings.store == Path("~/s").expanduser()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("QUERY_TIMEOUT", "soon"),
        ("QUERY_WORKERS", 1.5),
        ("QUERY_WORKERS", -1),
        ("MAX_RESULT_ROWS", True),
        ("SUBMISSION_TOKENS", "secret"),
    ],
)
def test_a_wrong_value_names_the_setting(name: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"setting {name} \\(RIS3KG_{name}\\)"):
        Settings.load({name: value}, environ={})


def test_the_old_store_setting_still_works_but_warns() -> None:
    with pytest.warns(FutureWarning, match="STORE_PATH"):
        settings = Settings.load(environ={"RIS3KG_STORE_PATH": "/srv/ris3kg/store"})
    assert settings.store == Path("/srv/ris3kg/store")
    with pytest.warns(FutureWarning):
        assert Settings.load({"STORE": "/a"}, environ={"RIS3KG_STORE_PATH": "/b"}).store == Path("/a")
        # the mapping beats the environment, whichever name each uses
        assert Settings.load({"STORE_PATH": "/given"}, environ={"RIS3KG_STORE": "/env"}).store == Path("/given")
    with pytest.warns(FutureWarning, match="ignored"):
        both = Settings.load(environ={"RIS3KG_STORE_PATH": "/old", "RIS3KG_STORE": "/new"})
    assert both.store == Path("/new")


def test_infinite_times_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        Settings.load({"QUERY_TIMEOUT": float("inf")}, environ={})


def test_every_setting_has_a_config_name() -> None:
    config = Settings().as_config()
    assert set(config) == {field.name.upper() for field in dataclasses.fields(Settings)}
    assert config["MAX_CONTENT_LENGTH"] == 256 * 1024  # Flask's own limit is among them
