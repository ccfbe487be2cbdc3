"""The browse pages in a real headless browser (Debian's chromium and chromedriver), under the CSP."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from chromium import chromium, console_problems, require_chromium

require_chromium()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium(browser_log=True) as driver:
        driver.set_window_size(1400, 900)
        yield driver


def test_strategy_page_renders_and_a_passage_opens(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    console_problems(browser)  # clear the log
    browser.get(live_server + "/strategy/blekinge")
    assert "Smart specialisation strategy of Blekinge" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.ID, "part-1-areas").is_displayed()
    bottleneck = browser.find_element(By.CSS_SELECTOR, "#part-1-challenges li.element")
    assert "critical mass" in bottleneck.text.lower()
    details = bottleneck.find_element(By.CSS_SELECTOR, "details.passage")
    quote = details.find_element(By.TAG_NAME, "blockquote")
    assert not quote.is_displayed() and details.get_attribute("open") is None
    details.find_element(By.TAG_NAME, "summary").click()
    assert details.get_attribute("open") is not None and quote.is_displayed()
    assert "critical mass" in quote.text.lower()
    # the stylesheet applied (no style attributes: the CSP forbids them)
    toc = browser.find_element(By.CSS_SELECTOR, "nav.toc")
    assert toc.value_of_css_property("border-top-style") == "solid"
    assert console_problems(browser) == []


def test_theme_page_renders_with_its_strategies(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    console_problems(browser)
    browser.get(live_server + "/theme/skills-supply")
    assert browser.find_element(By.TAG_NAME, "h1").text == "skills supply"
    strategies = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "section.theme-strategy h2 a")]
    assert len(strategies) >= 3
    swedish = browser.find_elements(By.CSS_SELECTOR, "section.theme-strategy .original[lang='sv']")
    assert any(s.text == "Kompetensförsörjning" for s in swedish)
    details = browser.find_element(By.CSS_SELECTOR, "section.theme-strategy details.passage")
    details.find_element(By.TAG_NAME, "summary").click()
    assert details.find_element(By.TAG_NAME, "blockquote").is_displayed()
    assert console_problems(browser) == []


def test_browse_and_class_pages_under_the_csp(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    console_problems(browser)
    browser.get(live_server + "/browse")
    browser.find_element(By.CSS_SELECTOR, "a[href='/class/Bottleneck']").click()
    WebDriverWait(browser, 20).until(ec.url_contains("/class/Bottleneck"))
    assert "bottleneck" in browser.find_element(By.TAG_NAME, "h1").text
    field = browser.find_element(By.ID, "class-q")
    field.send_keys("funding")
    browser.find_element(By.CSS_SELECTOR, "form.filter button").click()
    WebDriverWait(browser, 20).until(ec.url_contains("q=funding"))
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, "table.instances")))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.instances tbody tr")
    assert len(rows) == 1 and "Lack of funding" in rows[0].text
    assert console_problems(browser) == []
