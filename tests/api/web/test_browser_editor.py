"""The query page's SPARQL editor (YASGUI, vendored) in a real headless browser, and what it is served with."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ris3kg.api.web.security import CONTENT_SECURITY_POLICY, QUERY_PAGE_CONTENT_SECURITY_POLICY
from ris3kg.ontology.namespaces import PREFIXES

from chromium import CHROMEDRIVER, CHROMIUM, chromium
from conftest import REPO

VENDOR = REPO / "api" / "web" / "static" / "vendor" / "yasgui"
VENDOR_SRC = REPO / "api" / "web" / "vendor-src"
BOTTLENECKS = "PREFIX ris3: <https://w3id.org/ris3kg/ontology#>\nSELECT ?b WHERE { ?b a ris3:Bottleneck }"
EDITOR = "#yasgui .tabPanel.active .CodeMirror"
ROWS = "#yasgui .tabPanel.active .yasr table.dataTable tbody tr"


if not (CHROMIUM and CHROMEDRIVER) and os.environ.get("CI"):
    pytest.fail("CI must test in a real browser: install Debian's chromium and chromium-driver", pytrace=False)
needs_browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)

# --------------------------------------------------------------------------- without a browser


def test_the_terms_route_lists_the_ontologys_classes_and_properties(client: FlaskClient) -> None:
    response = client.get("/ontology/terms.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["prefixes"] == dict(PREFIXES)
    classes = {term["name"]: term for term in data["classes"]}
    assert classes["ris3:Bottleneck"] == {
        "name": "ris3:Bottleneck",
        "iri": "https://w3id.org/ris3kg/ontology#Bottleneck",
        "label": "bottleneck",
        "kind": "class",
    }
    properties = {term["name"]: term for term in data["properties"]}
    assert properties["ris3:addresses"]["kind"] == "object-property"
    assert properties["ris3:startYear"]["kind"] == "datatype-property"
    assert len(classes) > 20 and len(properties) > 20
    for term in [*data["classes"], *data["properties"]]:
        assert term["name"].startswith("ris3:") and term["label"], term
        assert term["iri"] == PREFIXES["ris3"] + term["name"].removeprefix("ris3:")
    assert client.get("/ontology/terms.json").data == response.data, "the same answer, once per generation"


def test_the_query_page_mounts_yasgui_over_the_no_javascript_form(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    root = lxml_html.fromstring(response.get_data(as_text=True))
    styles = [str(link.get("href")) for link in root.xpath("//link[@rel='stylesheet']")]
    scripts = [str(script.get("src")) for script in root.xpath("//script")]
    assert "/static/vendor/yasgui/yasgui.min.css" in styles and "/static/editor.css" in styles
    assert scripts == ["/static/vendor/yasgui/yasgui.min.js", "/static/query.js"], "YASGUI first, then its starter"
    assert all(href.startswith("/") for href in styles + scripts), "nothing from another host"
    (mount,) = root.xpath("//div[@id='yasgui']")
    assert mount.get("hidden") is not None, "shown by query.js only"
    (form,) = root.xpath("//form[@id='query-form']")
    assert form.get("method") == "get" and form.get("action") == "/"
    assert form.get("data-terms") == "/ontology/terms.json"
    assert json.loads(str(form.get("data-prefixes"))) == dict(PREFIXES)
    assert form.xpath(".//textarea[@id='query'][@name='query']") and form.xpath(".//button[@id='run'][@type='submit']")
    assert len(form.xpath(".//a[@class='download']")) >= 5 and form.xpath(".//a[@class='network-export']")
    assert root.xpath("//ol[@id='examples']/li/a[@data-key]")
    for path in ("yasgui.min.js", "yasgui.min.css", "LICENSE", "README.md"):
        served = client.get(f"/static/vendor/yasgui/{path}")
        assert served.status_code == 200, path
        served.close()


def test_the_query_page_still_answers_without_javascript(client: FlaskClient) -> None:
    page = client.get("/", query_string={"query": BOTTLENECKS, "run": "1"})
    if page.status_code == 503:  # a cold query worker
        page = client.get("/", query_string={"query": BOTTLENECKS, "run": "1"})
    assert page.status_code == 200
    root = lxml_html.fromstring(page.get_data(as_text=True))
    assert len(root.xpath("//div[@id='results']//table[@class='results']/tbody/tr")) == 7
    assert root.xpath("//textarea[@id='query']")[0].text.strip() == BOTTLENECKS


def test_only_the_query_page_has_the_editors_policy(client: FlaskClient) -> None:
    assert client.get("/").headers["Content-Security-Policy"] == QUERY_PAGE_CONTENT_SECURITY_POLICY
    assert client.get("/ontology").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert client.get("/ontology/terms.json").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    directives = dict(d.split(" ", 1) for d in QUERY_PAGE_CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert "unsafe" not in QUERY_PAGE_CONTENT_SECURITY_POLICY


def test_the_vendored_yasgui_names_its_package_and_version() -> None:
    manifest = json.loads((VENDOR_SRC / "package.json").read_text(encoding="utf-8"))
    version = manifest["dependencies"]["@zazuko/yasgui"]
    lock = json.loads((VENDOR_SRC / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/@zazuko/yasgui"]["version"] == version
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert "@zazuko/yasgui" in readme and version in readme and "vendor.sh" in readme
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert (VENDOR_SRC / "vendor.sh").stat().st_mode & 0o111, "vendor.sh is executable"
    bundle = (VENDOR / "yasgui.min.js").read_text(encoding="utf-8")
    assert "sourceMappingURL" not in bundle[-200:], "no request for a map that is not vendored"
    assert "url(" not in (VENDOR / "yasgui.min.css").read_text(encoding="utf-8"), "no font or image to fetch"


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium(browser_log=True) as driver:
        driver.set_window_size(1400, 900)  # type: ignore[attr-defined]
        yield driver


def open_editor(browser, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open the query page and wait for YASGUI and the ontology's terms."""
    browser.get(url)
    WebDriverWait(browser, 20).until(
        lambda driver: driver.find_element(By.ID, "yasgui").get_attribute("data-terms-loaded")
    )
    assert browser.find_element(By.CSS_SELECTOR, EDITOR).is_displayed()


def runs(browser) -> int:  # type: ignore[no-untyped-def]
    """How many queries the editor has answered since the page was opened."""
    return int(browser.find_element(By.ID, "yasgui").get_attribute("data-ran") or 0)


def wait_for_run(browser, before: int) -> list[object]:  # type: ignore[no-untyped-def]
    """Wait for the editor to answer once more than ``before`` times; its table's rows."""
    WebDriverWait(browser, 30).until(lambda driver: runs(driver) > before)
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, ROWS)))
    return list(browser.find_elements(By.CSS_SELECTOR, ROWS))


def editor_value(browser) -> str:  # type: ignore[no-untyped-def]
    return str(browser.execute_script("return document.querySelector(arguments[0]).CodeMirror.getValue()", EDITOR))


def type_into_editor(browser, text: str) -> None:  # type: ignore[no-untyped-def]
    """Empty the editor and type into it with the keyboard."""
    browser.find_element(By.CSS_SELECTOR, EDITOR).click()
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(Keys.DELETE).perform()
    ActionChains(browser).send_keys(text).perform()


def hints(browser) -> list[str]:  # type: ignore[no-untyped-def]
    """The completion hints shown now, read in one script call.

    The hint list is redrawn as completions arrive, so element handles taken
    one call earlier can already be stale; reading the texts in the page avoids that.
    """
    found = browser.execute_script(
        "return Array.from(document.querySelectorAll('.CodeMirror-hints li'), li => li.innerText)"
    )
    return [str(text) for text in found or []]


def count_rows(app: Flask, query: str) -> int:
    client = app.test_client()
    response = client.post("/sparql", data={"query": query})
    if response.status_code == 503:
        response = client.post("/sparql", data={"query": query})
    return len(json.loads(response.data)["results"]["bindings"])


def problems(browser, origin: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Console errors and CSP reports (the favicon aside), and requests to anything but this server."""
    found = [
        entry["message"]
        for entry in browser.get_log("browser")
        if "favicon.ico" not in entry["message"]
        and ("Content Security Policy" in entry["message"] or entry["level"] == "SEVERE")
        and "status of 400" not in entry["message"]
    ]
    names = browser.execute_script("return performance.getEntriesByType('resource').map((e) => e.name)")
    found += [f"request to {name}" for name in names if not name.startswith(origin + "/")]
    return found


@needs_browser
def test_an_example_runs_in_the_editor(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    open_editor(browser, live_server + "/")
    assert not browser.find_element(By.ID, "query").is_displayed(), "the plain textarea gives way to the editor"
    before = runs(browser)
    link = browser.find_element(By.CSS_SELECTOR, "#examples a[data-key='06-actors-by-helix-role']")
    link.click()
    rows = wait_for_run(browser, before)
    assert len(rows) > 10
    query = editor_value(browser)
    assert "ris3:Actor" in query
    assert browser.find_elements(By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasr a[href^='/id/actor/']"), (
        "linked as link_for does"
    )
    assert link.text in browser.find_element(By.CSS_SELECTOR, "#yasgui .tabsList .tab.active").text
    assert "chosen" in link.find_element(By.XPATH, "..").get_attribute("class")
    assert browser.find_element(By.ID, "query").get_attribute("value") == query, "the form follows the editor"
    for a in browser.find_elements(By.CSS_SELECTOR, "a.download, a.network-export"):
        assert parse_qs(urlsplit(a.get_attribute("href")).query)["query"] == [query], a.get_attribute("href")
    csv = browser.find_element(By.CSS_SELECTOR, "a.download[data-format='csv']").get_attribute("href")
    assert urlsplit(csv).path == "/sparql" and parse_qs(urlsplit(csv).query)["format"] == ["csv"]


@needs_browser
def test_a_typed_query_runs_with_ctrl_enter_and_the_button(browser, live_server: str, app: Flask) -> None:  # type: ignore[no-untyped-def]
    open_editor(browser, live_server + "/")
    type_into_editor(browser, BOTTLENECKS.replace("\n", " "))  # the last space closed the completion list
    assert " ".join(editor_value(browser).split()) == " ".join(BOTTLENECKS.split())
    before = runs(browser)
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    rows = wait_for_run(browser, before)
    expected = count_rows(app, BOTTLENECKS)
    assert len(rows) == expected == 7
    assert browser.find_elements(By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasr a[href^='/id/blekinge/bottleneck-']")

    type_into_editor(browser, "ASK { ?b a <https://w3id.org/ris3kg/ontology#Bottleneck> }")
    before = runs(browser)
    browser.find_element(By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasqe_queryButton").click()
    WebDriverWait(browser, 30).until(lambda driver: runs(driver) > before)
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasr .booleanResult"), "True")
    )


@needs_browser
def test_the_address_gives_the_query_and_its_results_again(browser, live_server: str, app: Flask) -> None:  # type: ignore[no-untyped-def]
    open_editor(browser, live_server + "/")
    type_into_editor(browser, BOTTLENECKS.replace("\n", " "))
    query = editor_value(browser)
    before = runs(browser)
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait_for_run(browser, before)
    address = browser.current_url
    parts = urlsplit(address)
    assert parts.path == "/" and parse_qs(parts.query) == {"query": [query], "run": ["1"]}
    share = browser.find_element(By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasqe_share")
    share.click()
    shared = browser.find_element(By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasqe_sharePopup input")
    assert shared.get_attribute("value") == address, "YASGUI's share button gives the same link"
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()

    with chromium(browser_log=True) as fresh:  # a new profile: nothing kept in local storage
        fresh.set_window_size(1400, 900)  # type: ignore[attr-defined]
        open_editor(fresh, address)
        rows = wait_for_run(fresh, 0)
        assert editor_value(fresh) == query
        assert len(rows) == count_rows(app, query) == 7
        assert not fresh.find_element(By.ID, "results").is_displayed(), "the server's table gives way to YASR's"
        assert problems(fresh, live_server) == []


@needs_browser
def test_completion_offers_the_local_ontologys_terms_and_prefixes(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    open_editor(browser, live_server + "/")
    type_into_editor(browser, "SELECT ?b WHERE { ?b a ris3:Bott")
    WebDriverWait(browser, 10).until(lambda driver: hints(driver))
    offered = hints(browser)
    assert [hint for hint in offered if hint.startswith("ris3:Bottleneck")], offered
    assert all("ris3:" in hint for hint in offered), offered
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    value = editor_value(browser)
    assert "?b a ris3:Bottleneck" in value
    assert "PREFIX ris3: <https://w3id.org/ris3kg/ontology#>" in value, "the prefix declared from the house prefixes"

    ActionChains(browser).send_keys(" ; ris3:addr").perform()
    WebDriverWait(browser, 10).until(lambda driver: hints(driver))
    assert [hint for hint in hints(browser) if hint.startswith("ris3:addresses")], hints(browser)
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()

    type_into_editor(browser, "PREFIX nut")
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(" ").key_up(Keys.CONTROL).perform()
    WebDriverWait(browser, 10).until(lambda driver: hints(driver))
    assert f"nuts: <{PREFIXES['nuts']}>" in hints(browser), hints(browser)
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()


@needs_browser
def test_no_request_leaves_this_server_and_nothing_breaks_the_policy(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    open_editor(browser, live_server + "/")
    browser.get_log("browser")  # clear the log
    before = runs(browser)
    browser.find_element(By.CSS_SELECTOR, "#examples a[data-key='06-actors-by-helix-role']").click()
    wait_for_run(browser, before)
    type_into_editor(browser, "SELECT * WHERE { ?s a ris3:Bott")  # YASGUI's own completers would ask LOV
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(" ").key_up(Keys.CONTROL).perform()
    WebDriverWait(browser, 10).until(lambda driver: hints(driver))
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    browser.find_element(By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasr .select_response").click()
    browser.find_element(By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasr .select_table").click()
    grip = browser.find_elements(By.CSS_SELECTOR, "#yasgui .tabPanel.active .grip-handle")
    assert grip, "the table's columns can be resized"
    ActionChains(browser).move_to_element(grip[0]).click_and_hold().move_by_offset(30, 0).release().perform()
    browser.find_element(By.CSS_SELECTOR, "#yasgui .tabPanel.active .tableFilter").send_keys("irf")
    browser.find_element(By.CSS_SELECTOR, "#yasgui .tabPanel.active .tabContextButton").click()
    assert problems(browser, live_server) == []


@needs_browser
def test_without_javascript_the_form_and_its_table_remain(live_server: str) -> None:
    with chromium() as driver:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})  # type: ignore[attr-defined]
        driver.get(live_server + "/?example=06-actors-by-helix-role&run=1")  # type: ignore[attr-defined]
        find = driver.find_element  # type: ignore[attr-defined]
        assert not find(By.ID, "yasgui").is_displayed()
        assert find(By.ID, "query").is_displayed() and find(By.ID, "run").is_displayed()
        rows = driver.find_elements(By.CSS_SELECTOR, "#results table.results tbody tr")  # type: ignore[attr-defined]
        assert len(rows) > 10
        find(By.ID, "query").clear()
        find(By.ID, "query").send_keys(BOTTLENECKS)
        find(By.ID, "run").click()
        WebDriverWait(driver, 20).until(lambda d: "query=" in d.current_url)
        assert len(driver.find_elements(By.CSS_SELECTOR, "#results table.results tbody tr")) == 7  # type: ignore[attr-defined]
