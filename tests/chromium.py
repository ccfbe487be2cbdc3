"""Headless Debian Chromium for the browser tests: one way to start it, with a profile of its own."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"


def require_chromium() -> None:
    """At a browser test module's top: skip it where Chromium is missing, but fail in CI, which must have it."""
    import pytest

    if CHROMIUM and CHROMEDRIVER:
        return
    if os.environ.get("CI"):
        pytest.fail("CI must test in a real browser: install Debian's chromium and chromium-driver", pytrace=False)
    pytest.skip(MISSING, allow_module_level=True)


FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


@contextmanager
def chromium(*, browser_log: bool = False) -> Iterator[object]:
    """Yield a Selenium driver for headless Chromium (``browser_log``: keep the console log)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    if browser_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    profile = tempfile.mkdtemp(prefix="ris3kg-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_problems(driver: object, *, errors: bool = False) -> list[str]:
    """Read (and so clear) the browser log: its Content-Security-Policy reports, and with ``errors`` its page errors.

    The driver must keep the log (``chromium(browser_log=True)``). A missing favicon is no problem.
    """
    logs = driver.get_log("browser")  # type: ignore[attr-defined]
    return [
        entry["message"]
        for entry in logs
        if ("Content Security Policy" in entry["message"] or (errors and entry["level"] == "SEVERE"))
        and "favicon.ico" not in entry["message"]
    ]
