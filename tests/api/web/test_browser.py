"""The pages in a real headless browser (Debian's chromium and chromedriver)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from chromium import chromium, require_chromium

require_chromium()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as driver:
        yield driver


def test_query_page_runs_an_example_and_shows_results(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    """The example runs in the query editor (YASGUI): its table shows the rows, linked to their pages."""
    results = "#yasgui .tabPanel.active .yasr"
    browser.get(live_server + "/")
    browser.find_element(By.CSS_SELECTOR, "#examples a[data-key='06-actors-by-helix-role']").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, f"{results} table tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, f"{results} table tbody tr")
    assert len(rows) > 10
    editor = "return document.querySelector('#yasgui .tabPanel.active .CodeMirror').CodeMirror.getValue()"
    assert "actor" in browser.execute_script(editor).lower()
    assert "actor" in browser.find_element(By.ID, "query").get_attribute("value").lower(), "the form follows"
    links = browser.find_elements(By.CSS_SELECTOR, f"{results} a[href^='/id/actor/']")
    assert links


def test_entity_page_renders(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    browser.get(live_server + "/id/blekinge/bottleneck-1")
    assert "critical mass" in browser.find_element(By.TAG_NAME, "h1").text.lower()
    assert browser.find_elements(By.CSS_SELECTOR, "blockquote")
