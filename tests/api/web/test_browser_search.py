"""Search from the header's box in a real headless browser (Debian's chromium and chromedriver)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from chromium import chromium, require_chromium

require_chromium()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as driver:
        driver.set_window_size(1400, 900)
        yield driver


def _search_from_header(browser, live_server: str, words: str) -> None:  # type: ignore[no-untyped-def]
    browser.get(live_server + "/guide")
    box = browser.find_element(By.ID, "site-search-q")
    box.send_keys(words, Keys.ENTER)
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".search-summary")))


def _hits(browser) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        hit.find_element(By.CSS_SELECTOR, "h2 a").get_attribute("href").split("/id/", 1)[1]: hit
        for hit in browser.find_elements(By.CSS_SELECTOR, "li.hit")
    }


def test_english_word_finds_a_swedish_passage_through_its_theme(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    _search_from_header(browser, live_server, "digitalisation")
    assert browser.find_element(By.ID, "site-search-q").get_attribute("value") == "digitalisation"
    found = {}
    while True:
        found.update({key: hit.text for key, hit in _hits(browser).items()})
        following = browser.find_elements(By.CSS_SELECTOR, "nav.pager a[rel='next']")
        if "norrbotten/action-a-3" in found or not following:
            break
        following[0].click()
        WebDriverWait(browser, 30).until(ec.staleness_of(following[0]))
    text = found["norrbotten/action-a-3"]
    assert "Utveckla ett distansoberoende innovationssystem" in text
    assert "Found through its theme" in text and "digitalisation" in text


def test_norwegian_passage_found_by_its_stem(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    _search_from_header(browser, live_server, "næringene")
    hits = _hits(browser)
    hit = hits["smart-spesialisering-hva-na/challenge-3-2-priorities"]
    marks = [mark.text for mark in hit.find_elements(By.CSS_SELECTOR, "blockquote mark")]
    assert marks == ["næringer"]
    assert "nye næringer er fragmenterte" in hit.find_element(By.CSS_SELECTOR, "blockquote").text


def test_a_facet_narrows_the_results(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    _search_from_header(browser, live_server, "digitalisation")
    before = browser.find_element(By.CSS_SELECTOR, ".search-summary").text
    link = browser.find_element(By.CSS_SELECTOR, "a[data-facet='strategy']")
    link.click()
    WebDriverWait(browser, 30).until(ec.staleness_of(link))
    assert browser.find_elements(By.CSS_SELECTOR, ".facets li.selected")
    assert browser.find_element(By.CSS_SELECTOR, ".search-summary").text != before
