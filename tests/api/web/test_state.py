"""The state the blueprints share: values computed once per generation, even when asked for at once."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

from ris3kg.api.web.state import cached


def test_a_value_asked_for_at_once_is_computed_once(app: Flask) -> None:
    calls: list[int] = []
    answers: list[object] = []
    start = threading.Barrier(6)

    def compute() -> str:
        calls.append(1)
        time.sleep(0.3)  # long enough for every other thread to ask meanwhile
        return "value"

    def ask() -> None:
        with app.test_request_context("/"):
            start.wait()
            answers.append(cached("test-state once", compute))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert answers == ["value"] * 6
    assert len(calls) == 1


def test_a_failed_computation_is_tried_again(app: Flask) -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the first try fails")
        return "second"

    with app.test_request_context("/"):
        with pytest.raises(RuntimeError):
            cached("test-state flaky", flaky)
        assert cached("test-state flaky", flaky) == "second"
    assert len(attempts) == 2
