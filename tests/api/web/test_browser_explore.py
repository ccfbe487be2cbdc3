"""The compare and partner-search pages in a real headless browser (Debian's chromium and chromedriver)."""

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


def test_compare_page_renders_with_its_data(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    browser.get_log("browser")  # start from an empty log
    browser.get(live_server + "/compare?strategy=blekinge&strategy=norrbotten")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Comparing 2 strategies"
    shared = browser.find_element(By.CSS_SELECTOR, "#shared tr.facet-themes td.shared-cell")
    assert "digitalisation" in shared.text
    chips = browser.find_elements(By.CSS_SELECTOR, "#by-kind .chip")
    assert chips and chips[0].value_of_css_property("border-top-left-radius") != "0px"  # explore.css applied
    details = browser.find_element(By.CSS_SELECTOR, "#by-kind details.passages")
    quote = details.find_element(By.TAG_NAME, "blockquote")
    assert not quote.is_displayed()
    details.find_element(By.TAG_NAME, "summary").click()
    assert quote.is_displayed() and quote.text
    assert browser.find_elements(By.CSS_SELECTOR, "#by-theme tr.theme-shared")
    assert console_problems(browser, errors=True) == []


def test_partner_page_renders_with_its_data(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    browser.get_log("browser")
    browser.get(live_server + "/partners/vasternorrland")
    rows = browser.find_elements(By.CSS_SELECTOR, "#ranking tr.partner")
    assert len(rows) > 20
    first = rows[0]
    assert "Castile and León" in first.text and first.find_element(By.CSS_SELECTOR, "a[href='/region/ES41']")
    meter = first.find_element(By.TAG_NAME, "meter")
    assert 0.5 < float(meter.get_attribute("value")) <= 1
    first.find_element(By.CSS_SELECTOR, "td.evidence summary").click()
    evidence = first.find_element(By.CSS_SELECTOR, "dl.shared-evidence")
    assert evidence.is_displayed() and "crisis preparedness" in evidence.text.lower()
    assert "Kris och räddning" in evidence.text  # Västernorrland's area, and the mapping's passage on Castilla y León
    assert console_problems(browser, errors=True) == []


def test_picker_links_to_a_comparison(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    browser.get(live_server + "/compare")
    for key in ("nms", "s3norge"):
        browser.find_element(By.CSS_SELECTOR, f"input[name='strategy'][value='{key}']").click()
    browser.find_element(By.CSS_SELECTOR, "form.picker button[type='submit']").click()
    WebDriverWait(browser, 30).until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Comparing 2 strategies"))
    assert "strategy=nms" in browser.current_url and "strategy=s3norge" in browser.current_url
    assert console_problems(browser, errors=True) == []
