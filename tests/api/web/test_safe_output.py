"""Output that cannot hurt its reader: no script links, a strict CSP, no formulas in CSV, valid XML, no Host echo."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
import zipfile
from collections.abc import Iterator

import networkx as nx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from lxml import html as lxml_html
from openapi_spec_validator import validate as validate_openapi
from rdflib import Graph

from ris3kg.api.web.openapi import openapi_document
from ris3kg.api.web.security import (
    COLUMN_RESIZER_STYLES,
    CONTENT_SECURITY_POLICY,
    QUERY_PAGE_CONTENT_SECURITY_POLICY,
    SECURITY_HEADERS,
    secure_headers,
)
from ris3kg.graph.build import BuildReport
from ris3kg.graph.export.formats import ExportFormat, to_bytes
from ris3kg.graph.export.gexf import write_gexf, xml_safe
from ris3kg.graph.export.network import Attribute, AttributeType, Edge, Network, Node, with_degrees
from ris3kg.graph.export.tabular import spreadsheet_safe, write_csv
from ris3kg.graph.linked_data.entity import EntityView, Link, Quote
from ris3kg.shapes.report import ReportFormat, render
from ris3kg.shapes.validation import Severity, ValidationReport, ValidationResult

from chromium import CHROMEDRIVER, CHROMIUM, chromium, console_problems
from conftest import DATA, REPO
from gexf_schema import NS, node_values, schema_errors

VALID = DATA / "valid" / "blekinge-excerpt.ttl"
HOSTILE = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "urn:x-hostile:1",
)
NO_STYLESHEET = "the served HTML report must link /submissions/report.css: an inline <style> is blocked by the CSP"
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
EXPECTED_QUERY_PAGE_CSP = EXPECTED_CSP.replace(
    "style-src 'self'",
    "style-src 'self' 'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=' "
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
)
"""The query page's policy: the strict one, and the two fixed ``<style>`` elements of its editor by hash."""
QUERY_PAGES = ("query page", "query page with results", "query page with an error")
"""The pages of :func:`html_pages` that are the query page, which sets its own policy."""


def values_query(*iris: str) -> str:
    return "SELECT ?x WHERE { VALUES ?x { " + " ".join(f"<{iri}>" for iri in iris) + " } }"


def query_page(client: FlaskClient, query: str) -> str:
    """The query page with a query's results (asked twice if the first answer is a 503: a cold query worker)."""
    response = client.get("/", query_string={"query": query})
    if response.status_code == 503:
        response = client.get("/", query_string={"query": query})
    assert response.status_code == 200, response.text
    return response.get_data(as_text=True)


def hrefs(page: str) -> list[str]:
    return [str(a.get("href")) for a in lxml_html.fromstring(page).iter("a")]


# --------------------------------------------------------------------------- 1. links only for http(s)


def test_link_for_links_only_web_iris_and_this_servers_pages(app: Flask) -> None:
    from ris3kg.api.web.pages import link_for

    with app.test_request_context():
        assert link_for("https://w3id.org/ris3kg/id/actor/irf") == "/id/actor/irf"
        assert link_for("https://w3id.org/ris3kg/ontology#Actor") == "/ontology#Actor"
        assert link_for("https://example.org/a") == "https://example.org/a"
        assert link_for("HTTP://example.org/a") == "HTTP://example.org/a"
        for iri in (*HOSTILE, " javascript:alert(1)", "\x01javascript:alert(1)", "java\tscript:alert(1)", ""):
            assert link_for(iri) is None, iri


def test_a_javascript_iri_in_select_results_is_text_not_a_link(client: FlaskClient) -> None:
    query = values_query(*HOSTILE, "https://example.org/fine", "https://w3id.org/ris3kg/id/actor/irf")
    page = query_page(client, query)
    links = hrefs(page.split('<div id="results"', 1)[1])
    assert "https://example.org/fine" in links and "/id/actor/irf" in links
    assert not [href for href in links if not href.startswith(("/", "http://", "https://"))]
    assert "javascript:alert(1)" in page, "shown, as text"
    cells = lxml_html.fromstring(page).xpath("//div[@id='results']//td/span[@class='iri-text']")
    assert sorted(span.get("title") for span in cells) == sorted(HOSTILE)


def test_a_javascript_iri_in_construct_results_is_text_not_a_link(client: FlaskClient) -> None:
    query = "CONSTRUCT { <https://example.org/s> <https://example.org/p> <javascript:alert(1)> } WHERE {}"
    page = query_page(client, query)
    assert "javascript:alert(1)" in page
    assert not [href for href in hrefs(page) if href.lower().startswith("javascript:")]


def test_a_javascript_iri_on_an_entity_page_is_text_not_a_link(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ris3kg.api.web import pages

    iri = "https://w3id.org/ris3kg/id/test/hostile"
    graph = "https://w3id.org/ris3kg/graph/test"
    view = EntityView(
        iri=iri,
        labels=(("en", "Hostile <b>entity</b>"),),
        outgoing=tuple(
            Link(prop, "a property", value, None, True, None, graph)
            for prop, value in [("https://example.org/p", hostile) for hostile in HOSTILE]
            + [("javascript:alert('property')", "https://example.org/fine")]
        ),
        incoming=(Link("vbscript:msgbox(2)", "pointed at by", "javascript:alert(3)", "evil", True, None, graph),),
        quotes=(Quote("a passage", "en", "javascript:alert(4)", None),),
    )
    monkeypatch.setattr(pages, "entity_view", lambda store, asked: view if asked == iri else None)
    monkeypatch.setattr(pages, "_known", lambda asked: asked == iri)  # the graph itself has no such entity
    response = client.get("/id/test/hostile")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    links = hrefs(page.split("<main>", 1)[1])
    assert "https://example.org/fine" in links and "https://example.org/p" in links
    assert not [href for href in links if not href.startswith(("/", "http://", "https://"))], links
    assert "javascript:alert(4)" in page and "Hostile &lt;b&gt;entity&lt;/b&gt;" in page


def test_a_real_entity_page_still_links(client: FlaskClient) -> None:
    page = client.get("/id/blekinge/bottleneck-1").get_data(as_text=True)
    assert any(href.startswith("/id/") for href in hrefs(page))


# --------------------------------------------------------------------------- 2. Content-Security-Policy


@pytest.fixture(scope="module")
def csp_app(built: BuildReport) -> Iterator[Flask]:
    """An application of its own with :func:`secure_headers` registered (whether or not the factory does)."""
    from ris3kg.api.web.app import create_app
    from ris3kg.api.web.state import state

    application = create_app(
        {"STORE": built.path, "QUERY_TIMEOUT": 5.0, "QUERY_WORKERS": 1, "MAX_RESULT_ROWS": 500, "TESTING": True}
    )
    application.after_request(secure_headers)  # a second time does nothing: it never overwrites a header
    yield application
    state(application).close()


def html_pages(client: FlaskClient) -> dict[str, tuple[int, str, dict[str, str]]]:
    """Every kind of HTML page the application serves: status, text and headers, by name."""
    answers = {
        "query page": client.get("/"),
        "query page with results": client.get("/", query_string={"example": "06-actors-by-helix-role", "run": "1"}),
        "query page with an error": client.get("/", query_string={"query": "SELECT nonsense"}),
        "entity page": client.get("/id/blekinge/bottleneck-1"),
        "ontology": client.get("/ontology"),
        "submission form": client.get("/submissions"),
        "submission form with an error": client.post("/submissions", data={"text": ""}),
        "served report": client.post("/submissions", data={"text": VALID.read_text(encoding="utf-8")}),
        "API report as HTML": client.post(
            "/api/submissions?report=html", data=VALID.read_bytes(), content_type="text/turtle"
        ),
        "not found": client.get("/id/blekinge/no-such-thing"),
        "browse": client.get("/browse"),
        "class page": client.get("/class/Bottleneck", query_string={"q": "<script>"}),
        "strategy page": client.get("/strategy/blekinge"),
        "themes": client.get("/themes"),
        "theme page": client.get("/theme/digitalisation"),
        "compare page": client.get("/compare", query_string=[("strategy", "blekinge"), ("strategy", "norrbotten")]),
        "compare picker with an error": client.get("/compare", query_string={"strategy": "blekinge"}),
        "partner search": client.get("/partners/vasternorrland"),
        "search": client.get("/search", query_string={"q": "digitalisation <b>"}),
        "search with an error": client.get("/search", query_string={"q": "x" * 300}),
    }
    return {name: (r.status_code, r.get_data(as_text=True), dict(r.headers)) for name, r in answers.items()}


def test_the_policy_is_the_one_asked_for() -> None:
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
    assert dict(SECURITY_HEADERS) == {
        "Content-Security-Policy": EXPECTED_CSP,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }


def test_the_query_page_policy_adds_only_the_editors_two_style_hashes() -> None:
    assert QUERY_PAGE_CONTENT_SECURITY_POLICY == EXPECTED_QUERY_PAGE_CSP
    assert "unsafe" not in QUERY_PAGE_CONTENT_SECURITY_POLICY, "no 'unsafe-inline', no 'unsafe-eval'"


def test_the_style_hashes_are_those_of_the_vendored_editor() -> None:
    """The two <style> elements the bundled column-resizer adds: their text, hashed, is what the policy allows."""
    import base64
    import hashlib

    bundle = (REPO / "api" / "web" / "static" / "vendor" / "yasgui" / "yasgui.min.js").read_text(encoding="utf-8")
    grips = re.search(r"createStyle\(\w+,`( \.grip-resizable\{[^`]*)`\)", bundle)
    drag = re.search(r"createStyle\([^,]+,`(\*\{cursor:)`\+\w+\.opt\.dragCursor\+`(!important\})`\)", bundle)
    default = re.search(r"dragCursor:`([a-z-]+)`", bundle)
    assert grips and drag and default, "the vendored YASGUI adds other styles now: hash them again"
    texts = (grips.group(1).replace("\\t", "\t"), drag.group(1) + default.group(1) + drag.group(2))
    hashes = tuple(f"'sha256-{base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()}'" for t in texts)
    assert hashes == COLUMN_RESIZER_STYLES


def test_secure_headers_keeps_a_header_the_route_set() -> None:
    from flask import Response

    response = Response("x", headers={"Content-Security-Policy": "default-src 'none'", "Referrer-Policy": "origin"})
    assert secure_headers(response) is response
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert response.headers["Referrer-Policy"] == "origin"
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_html_page_has_the_security_headers(csp_app: Flask) -> None:
    for name, (status, text, headers) in html_pages(csp_app.test_client()).items():
        assert status < 500 and "<html" in text.lower(), name
        expected = {**SECURITY_HEADERS}
        if name in QUERY_PAGES:
            expected["Content-Security-Policy"] = EXPECTED_QUERY_PAGE_CSP  # its own, checked above
        for header, value in expected.items():
            assert headers.get(header) == value, (name, header)


def test_non_html_responses_have_the_security_headers_too(csp_app: Flask) -> None:
    client = csp_app.test_client()
    for response in (
        client.get("/api/openapi.json"),
        client.get("/static/query.js"),
        client.get("/sparql", query_string={"query": "ASK {}"}),
    ):
        assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_application_factory_registers_secure_headers(app: Flask) -> None:
    response = app.test_client().get("/ontology")
    if "Content-Security-Policy" not in response.headers:
        pytest.skip("create_app does not register ris3kg.api.web.security.secure_headers yet (app.after_request)")
    for header, value in SECURITY_HEADERS.items():
        assert response.headers[header] == value, header
    assert app.test_client().get("/").headers["Content-Security-Policy"] == EXPECTED_QUERY_PAGE_CSP


def inline_code(page: str) -> list[str]:
    """What a strict CSP would block in a page: inline scripts, handler attributes, style attributes and elements."""
    root = lxml_html.fromstring(page)
    found = [f"inline <script>: {s.text[:40]!r}" for s in root.iter("script") if not s.get("src")]
    found += [f"<style> element: {(s.text or '')[:40]!r}" for s in root.iter("style")]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in element.attrib:
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"<{element.tag} {name}=...>")
        if element.tag == "a" and str(element.get("href", "")).lower().lstrip().startswith("javascript:"):
            found.append("javascript: link")
    return found


def test_no_page_has_inline_script_or_style(csp_app: Flask) -> None:
    pages = html_pages(csp_app.test_client())
    for name, (_, text, _) in pages.items():
        assert inline_code(text) == [], name


def test_the_served_report_links_its_stylesheet(csp_app: Flask) -> None:
    pages = html_pages(csp_app.test_client())
    for name in ("served report", "API report as HTML"):
        text = pages[name][1]
        assert "<style>" not in text, NO_STYLESHEET
        assert inline_code(text) == [], name
        (link,) = lxml_html.fromstring(text).xpath("//link[@rel='stylesheet']")
        assert csp_app.test_client().get(str(link.get("href"))).mimetype == "text/css"


def test_templates_have_no_inline_script_style_or_handlers() -> None:
    for folder in (REPO / "api" / "web" / "templates", REPO / "shapes" / "templates"):
        assert sorted(folder.glob("*.html")), folder  # the folder is where the templates are
        for path in folder.glob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text), path
            assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE), path
            assert not re.search(r"\sstyle\s*=", text, re.IGNORECASE), path
            if path.name != "_report_style.html":  # the standalone report's styles (next test)
                assert "<style" not in text, path


def report(*results: ValidationResult) -> ValidationReport:
    return ValidationReport("hostile.ttl", results, Graph())


def test_the_html_report_is_standalone_or_links_its_stylesheet() -> None:
    result = ValidationResult(Severity.VIOLATION, "https://example.org/x", "<script>x</script>", None, None, "m", None)
    standalone = render(report(result), ReportFormat.HTML)
    assert "<style>" in standalone and "border-collapse" in standalone and "<link" not in standalone
    assert "<script>x" not in standalone and "&lt;script&gt;x" in standalone
    linked = render(report(result), ReportFormat.HTML, stylesheet="/static/report.css")
    assert inline_code(linked) == []
    assert '<link rel="stylesheet" href="/static/report.css">' in linked


def test_the_report_stylesheet_has_the_same_rules_served_and_standalone(client: FlaskClient) -> None:
    served = client.get("/submissions/report.css")
    assert served.status_code == 200 and served.mimetype == "text/css"
    rules = served.get_data(as_text=True)
    assert "tr.Violation td.severity" in rules
    standalone = render(report(), ReportFormat.HTML)
    (style,) = lxml_html.fromstring(standalone).iter("style")
    assert style.text.strip() == rules.strip()


def test_every_template_and_static_file_is_packaged() -> None:
    import tomllib
    from fnmatch import fnmatch

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]
    for package, folders in (("ris3kg.shapes", ["templates"]), ("ris3kg.api.web", ["templates", "static"])):
        root = REPO.joinpath(*package.split(".")[1:])
        for folder in folders:
            for path in (root / folder).iterdir():
                name = path.relative_to(root).as_posix()
                assert any(fnmatch(name, pattern) for pattern in package_data[package]), name


# --------------------------------------------------------------------------- 2b. the pages in a browser, under the CSP

needs_browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver are not installed (apt-get install ...)"
)


@pytest.fixture(scope="module")
def csp_server(csp_app: Flask) -> Iterator[str]:
    import waitress

    server = waitress.create_server(csp_app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def csp_browser() -> Iterator[object]:
    with chromium(browser_log=True) as driver:
        yield driver


@needs_browser
def test_the_query_page_runs_under_the_csp_and_shows_hostile_iris_as_text(csp_browser, csp_server: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser = csp_browser
    results = "#yasgui .tabPanel.active .yasr"
    browser.get(csp_server + "/")
    console_problems(browser)  # clear the log
    browser.find_element(By.CSS_SELECTOR, "#examples a[data-key='06-actors-by-helix-role']").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, f"{results} table tbody tr")))
    assert browser.find_elements(By.CSS_SELECTOR, f"{results} a[href^='/id/actor/']"), "query.js ran and linked"
    assert browser.find_elements(By.CSS_SELECTOR, f"{results} a[title^='https://w3id.org/ris3kg/id/']")
    shortened = browser.find_element(By.CSS_SELECTOR, f"{results} a[href^='/id/actor/']").text
    assert ":" in shortened and not shortened.startswith("https://"), "prefixes read from the query or data-prefixes"

    ran = browser.find_element(By.ID, "yasgui").get_attribute("data-ran")
    browser.execute_script(
        "document.querySelector('#yasgui .tabPanel.active .CodeMirror').CodeMirror.setValue(arguments[0])",
        values_query(*HOSTILE, "https://example.org/fine"),
    )
    browser.find_element(By.CSS_SELECTOR, "#yasgui .tabPanel.active .yasqe_queryButton").click()
    WebDriverWait(browser, 20).until(
        lambda driver: driver.find_element(By.ID, "yasgui").get_attribute("data-ran") != ran
    )
    WebDriverWait(browser, 20).until(
        lambda driver: len(driver.find_elements(By.CSS_SELECTOR, f"{results} table tbody tr")) == len(HOSTILE) + 1
    )
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, f"{results} table a")]
    assert links == ["https://example.org/fine"]
    texts = [s.get_attribute("title") for s in browser.find_elements(By.CSS_SELECTOR, f"{results} span.iri-text")]
    assert sorted(texts) == sorted(HOSTILE)
    hrefs = browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((e) => e.getAttribute('href'))", f"{results} [href]"
    )
    assert not [href for href in hrefs if not href.startswith(("/", "http://", "https://", "#"))], hrefs
    assert console_problems(browser) == []


@needs_browser
@pytest.mark.parametrize("path", ["/", "/id/blekinge/bottleneck-1", "/region/SE221", "/ontology", "/submissions"])
def test_pages_load_in_a_browser_without_console_problems(csp_browser, csp_server: str, path: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    csp_browser.get(csp_server + path)
    assert csp_browser.find_element(By.TAG_NAME, "header").value_of_css_property("display") == "flex", "styled"
    assert console_problems(csp_browser) == []


@needs_browser
def test_the_served_report_shows_without_console_problems(csp_browser, csp_server: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    csp_browser.get(csp_server + "/submissions")
    console_problems(csp_browser)
    csp_browser.find_element(By.ID, "text").send_keys(VALID.read_text(encoding="utf-8"))
    csp_browser.find_element(By.CSS_SELECTOR, "#submission-form button[type=submit]").click()
    try:
        verdict = WebDriverWait(csp_browser, 60).until(ec.presence_of_element_located((By.ID, "verdict")))
    except Exception:
        pytest.fail(csp_browser.page_source[:3000])
    violations = console_problems(csp_browser)
    assert "<style>" not in csp_browser.page_source, NO_STYLESHEET
    assert violations == []
    assert verdict.value_of_css_property("font-weight") == "600", "styled by /submissions/report.css"


# --------------------------------------------------------------------------- 3. no formulas in CSV

FORMULAS = ('=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR")


def test_spreadsheet_safe_escapes_formula_starts_only() -> None:
    for cell in FORMULAS:
        assert spreadsheet_safe(cell) == "'" + cell
    for cell in ("", "plain", "1-2", "a=b", "'quoted", "https://example.org/=x", " =x"):
        assert spreadsheet_safe(cell) == cell


def test_csv_report_cells_are_escaped() -> None:
    results = tuple(
        ValidationResult(Severity.VIOLATION, focus, label, "-path", value, message, "@shape", location)
        for focus, label, value, message, location in [
            ("=cmd|' /C calc'!A0", "+label", "-1", "@message", "\tline 1"),
            ("https://example.org/ok", "Fine name", "a value", "Write it so.", "file.ttl, line 3"),
        ]
    )
    rows = list(csv.DictReader(io.StringIO(render(report(*results), ReportFormat.CSV))))
    first, second = rows
    assert first == {
        "severity": "Violation",
        "location": "'\tline 1",
        "focus": "'=cmd|' /C calc'!A0",
        "focus_label": "'+label",
        "path": "'-path",
        "value": "'-1",
        "message": "'@message",
        "shape": "'@shape",
    }
    assert second["focus"] == "https://example.org/ok" and second["message"] == "Write it so."


def hostile_network() -> Network:
    return with_degrees(
        Network(
            "hostile",
            "formulas and controls",
            True,
            (
                Node("=1+1", "+label", "@kind", {"tags": ("-a", "b"), "score": -1.5, "note": "\rx"}),
                Node("n2", "-2", "region", {"tags": (), "score": 2.0, "note": "fine"}),
            ),
            (Edge("=1+1", "n2", "-rel", -3.0, {"why": "=why"}),),
            (
                Attribute("tags", "tags", AttributeType.LIST_STRING),
                Attribute("score", "score", AttributeType.DOUBLE),
                Attribute("note", "note", AttributeType.STRING),
            ),
            (Attribute("why", "why", AttributeType.STRING),),
        )
    )


def test_csv_export_cells_are_escaped_and_numbers_stay_numbers() -> None:
    with zipfile.ZipFile(io.BytesIO(to_bytes(hostile_network(), ExportFormat.CSV))) as archive:
        nodes = list(csv.DictReader(io.StringIO(archive.read("hostile-nodes.csv").decode())))
        edges = list(csv.DictReader(io.StringIO(archive.read("hostile-edges.csv").decode())))
    assert (nodes[0]["Id"], nodes[0]["Label"], nodes[0]["kind"]) == ("'=1+1", "'+label", "'@kind")
    assert (nodes[0]["tags"], nodes[0]["note"], nodes[0]["score"]) == ("'-a | b", "'\rx", "-1.5")
    assert nodes[1]["Label"] == "'-2", "a label is text, even when it looks like a number"
    (edge,) = edges
    assert (edge["Source"], edge["Target"], edge["relation"], edge["why"]) == ("'=1+1", "n2", "'-rel", "'=why")
    assert (edge["Type"], edge["Weight"]) == ("Directed", "-3.0")


def test_write_csv_quotes_as_the_csv_module_does() -> None:
    nodes, edges = io.StringIO(newline=""), io.StringIO(newline="")
    write_csv(hostile_network(), nodes, edges)
    assert '"\'\rx"' in nodes.getvalue(), "a cell with a carriage return is still quoted"


# --------------------------------------------------------------------------- 4. XML-illegal characters

CONTROLS = "a\x01b\x0bc\x0c\x1f\ufffe\uffff\ud800d"
CLEANED = "a\ufffdb\ufffdc\ufffd\ufffd\ufffd\ufffd\ufffdd"


def control_network() -> Network:
    return with_degrees(
        Network(
            "controls",
            "description with \x00 a NUL",
            False,
            (
                Node("id\x01one", CONTROLS, "kind\x02", {"tags": (CONTROLS, "ok\ufffe"), "note": "\x0b"}),
                Node("two", "tab\tnew\nline\rok \U0001f600", "region", {"tags": (), "note": "fine"}),
            ),
            (Edge("id\x01one", "two", "rel\x03", 1.0, {"why": "\x1b[31m"}),),
            (
                Attribute("tags", "tags", AttributeType.LIST_STRING),
                Attribute("note", "note", AttributeType.STRING),
            ),
            (Attribute("why", "why", AttributeType.STRING),),
        )
    )


def test_xml_safe_replaces_exactly_what_xml_1_0_forbids() -> None:
    assert xml_safe(CONTROLS) == CLEANED
    allowed = "\t\n\r \x7f\x85\ud7ff\ue000\ufffd\U00010000\U0010ffff plain"
    assert xml_safe(allowed) == allowed
    forbidden = "".join(chr(c) for c in [*range(0x20), 0xD800, 0xDFFF, 0xFFFE, 0xFFFF] if chr(c) not in "\t\n\r")
    assert xml_safe(forbidden) == "\ufffd" * len(forbidden)


def test_gexf_with_control_characters_parses_and_validates() -> None:
    sink = io.BytesIO()
    write_gexf(control_network(), sink, date=dt.date(2024, 5, 17))
    document = sink.getvalue()
    assert schema_errors(document) is None
    values = node_values(document)
    assert set(values) == {"id\ufffdone", "two"}
    node = values["id\ufffdone"]
    assert (node["label"], node["kind"], node["note"]) == (CLEANED, "kind\ufffd", "\ufffd")
    assert values["two"]["label"] == "tab\tnew\nline\rok \U0001f600", "allowed characters kept, even in attributes"
    root = etree.fromstring(document)
    edge = root.find(".//g:edge", NS)
    assert edge is not None and (edge.get("source"), edge.get("label")) == ("id\ufffdone", "rel\ufffd")
    assert root.findtext("g:meta/g:description", namespaces=NS) == "description with \ufffd a NUL"


def test_graphml_with_control_characters_parses_and_round_trips() -> None:
    document = to_bytes(control_network(), ExportFormat.GRAPHML)
    etree.fromstring(document)  # well-formed
    graph = nx.read_graphml(io.BytesIO(document))
    assert set(graph.nodes) == {"id\ufffdone", "two"}
    node = graph.nodes["id\ufffdone"]
    assert (node["label"], node["kind"], node["note"]) == (CLEANED, "kind\ufffd", "\ufffd")
    assert node["tags"] == CLEANED + " | ok\ufffd"
    ((_, _, edge),) = graph.edges(data=True)
    assert (edge["relation"], edge["why"]) == ("rel\ufffd", "\ufffd[31m")
    assert graph.graph["description"] == "description with \ufffd a NUL"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_exporting_a_query_with_control_characters_in_labels_works(client: FlaskClient, fmt: str) -> None:
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> CONSTRUCT { "
        '<https://example.org/a> rdfs:label "bad\\u0001label\\u000Bmore" . '
        "<https://example.org/a> <https://example.org/p> <https://example.org/b> . "
        '<https://example.org/b> rdfs:label "=HYPERLINK(1)" } WHERE {}'
    )
    response = client.get(f"/export/query.{fmt}", query_string={"query": query})
    assert response.status_code == 200, response.text
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            (name,) = [n for n in archive.namelist() if n.endswith("-nodes.csv")]
            labels = {row["Label"] for row in csv.DictReader(io.StringIO(archive.read(name).decode()))}
        assert "'=HYPERLINK(1)" in labels
        return
    root = etree.fromstring(response.data)
    text = etree.tostring(root, encoding="unicode")
    assert "bad\ufffdlabel\ufffdmore" in text
    if fmt == "gexf":
        assert schema_errors(response.data) is None


# --------------------------------------------------------------------------- 5. no Host header in the OpenAPI


def test_openapi_has_a_relative_server_whatever_the_host(client: FlaskClient) -> None:
    for host in ("evil.example", "attacker.test:8443", "localhost"):
        response = client.get("/api/openapi.json", headers={"Host": host, "X-Forwarded-Host": "forwarded.example"})
        assert response.status_code == 200
        document = response.get_json()
        validate_openapi(document)
        assert document["servers"] == [{"url": "/"}]
        assert host.split(":")[0] not in response.get_data(as_text=True)
        assert "forwarded.example" not in response.get_data(as_text=True)


def test_openapi_document_takes_no_server() -> None:
    import inspect

    from ris3kg.api.web.submissions import bp

    assert list(inspect.signature(openapi_document).parameters) == ["blueprint"]  # nothing of a request
    document = openapi_document(bp)
    assert document["servers"] == [{"url": "/"}]
    validate_openapi(document)
