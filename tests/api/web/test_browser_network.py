"""A network view drawn in a real headless browser (sigma.js, vendored): search, hover, zoom, filters, errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from chromium import chromium, console_problems, require_chromium

require_chromium()

VIEWER = "document.getElementById('network')"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(browser_log=True) as driver:
        driver.set_window_size(1400, 1000)  # type: ignore[attr-defined]
        yield driver


def open_view(browser: Any, url: str, *, state: str = "ready") -> dict[str, str]:
    """Open a view's page and wait until it is drawn (or has failed); the viewer's data attributes."""
    browser.get(url)
    WebDriverWait(browser, 30).until(lambda driver: driver.execute_script(f"return {VIEWER}.dataset.state"))
    data = browser.execute_script(f"return Object.assign({{}}, {VIEWER}.dataset)")
    assert data["state"] == state, data
    return {str(key): str(value) for key, value in data.items()}


def problems(browser: Any, origin: str, *, allow: tuple[str, ...] = ()) -> list[str]:
    """Console errors and CSP reports, and requests to anything but this server."""
    found = [message for message in console_problems(browser, errors=True) if not any(a in message for a in allow)]
    names = browser.execute_script("return performance.getEntriesByType('resource').map((e) => e.name)")
    return found + [f"request to {name}" for name in names if not name.startswith(origin + "/")]


def mouse(browser: Any, x: int, y: int) -> None:
    """Move the mouse to a point of the window (CSS pixels from its top left corner)."""
    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(x, y)
    actions.perform()


def facts(browser: Any) -> dict[str, Any]:
    """What the drawn graph holds, read in one script call."""
    return dict(
        browser.execute_script(
            """
            const {graph} = window.ris3kgNetwork;
            const nodes = graph.mapNodes((node, a) => ({node, label: a.label, kind: a.kind, group: a.colour_group,
              x: a.x, y: a.y, degree: graph.degree(node)}));
            const legend = Array.from(document.querySelectorAll('#network-legend li'), (li) => li.dataset.group);
            return {nodes, order: graph.order, size: graph.size, legend,
              counts: document.getElementById('network-counts').textContent};
            """
        )
    )


def test_the_view_is_drawn_with_its_counts_and_legend_within_the_policy(browser: Any, live_server: str) -> None:
    browser.get_log("browser")  # clear the log
    data = open_view(browser, live_server + "/network/region-areas")
    seen = facts(browser)
    assert seen["order"] > 10 and seen["size"] > 10
    assert data["nodes"] == str(seen["order"]) and data["edges"] == str(seen["size"])
    assert seen["counts"].startswith(f"{seen['order']} nodes · {seen['size']} edges")
    assert all(isinstance(n["x"], (int, float)) and isinstance(n["y"], (int, float)) for n in seen["nodes"])
    assert data["layout"] == "file", "the positions the GEXF carries"
    groups = {n["group"] if n["group"] is not None else n["kind"] for n in seen["nodes"]}
    assert set(seen["legend"]) == {str(g) for g in groups}, "one legend entry per colour group (else kind)"
    assert {"region", "theme"} <= {n["kind"] for n in seen["nodes"]}
    assert browser.execute_script("return document.querySelectorAll('#network-canvas canvas').length") >= 2
    options = browser.execute_script("return document.querySelectorAll('#network-labels option').length")
    assert options == len({n["label"] for n in seen["nodes"]})
    assert problems(browser, live_server) == []


def test_searching_a_label_selects_and_centres_the_node(browser: Any, live_server: str) -> None:
    open_view(browser, live_server + "/network/region-areas")
    nodes = facts(browser)["nodes"]
    target = max(nodes, key=lambda n: (n["degree"], n["label"]))
    field = browser.find_element(By.ID, "network-search")
    field.send_keys(target["label"].upper(), Keys.ENTER)  # labels are matched whatever their case
    WebDriverWait(browser, 10).until(lambda driver: driver.execute_script(f"return {VIEWER}.dataset.selected"))
    browser.execute_script("return new Promise((done) => setTimeout(done, 700))")  # the camera's animation
    seen = browser.execute_script(
        """
        const {graph, renderer} = window.ris3kgNetwork;
        const node = arguments[0];
        const at = renderer.graphToViewport(graph.getNodeAttributes(node));
        const {width, height} = renderer.getDimensions();
        const neighbour = graph.neighbors(node)[0];
        const stranger = graph.findNode((n) => n !== node && !graph.areNeighbors(n, node));
        return {selected: document.getElementById('network').dataset.selected, x: at.x, y: at.y, width, height,
          ratio: renderer.getCamera().ratio, highlighted: renderer.getNodeDisplayData(node).highlighted,
          neighbourLabel: renderer.getNodeDisplayData(neighbour).label,
          strangerLabel: stranger === undefined ? null : renderer.getNodeDisplayData(stranger).label,
          panel: document.getElementById('network-panel-label').textContent};
        """,
        target["node"],
    )
    assert seen["selected"] == target["node"]
    assert abs(seen["x"] - seen["width"] / 2) < 5 and abs(seen["y"] - seen["height"] / 2) < 5, seen
    assert seen["ratio"] < 1, "zoomed in on it"
    assert seen["highlighted"] is True and seen["neighbourLabel"], "it and its neighbours stand out"
    assert seen["strangerLabel"] in (None, ""), "the others fade"
    assert seen["panel"] == target["label"]


def test_hovering_a_node_shows_its_attributes_as_text(browser: Any, live_server: str) -> None:
    open_view(browser, live_server + "/network/region-areas")
    target = browser.execute_script(
        """
        const {graph, renderer} = window.ris3kgNetwork;
        const canvas = document.getElementById('network-canvas');
        canvas.scrollIntoView({block: 'center'});
        const box = canvas.getBoundingClientRect();
        // The region node farthest from any other: under the mouse, no other node.
        const place = (n) => renderer.graphToViewport(graph.getNodeAttributes(n));
        const room = (n) => Math.min(...graph.mapNodes((m) => m === n ? Infinity :
          Math.hypot(place(m).x - place(n).x, place(m).y - place(n).y)));
        const node = graph.filterNodes((n, a) => a.kind === 'region').sort((a, b) => room(b) - room(a))[0];
        const at = place(node);
        return {node, label: graph.getNodeAttribute(node, 'label'), x: Math.round(box.left + at.x),
          y: Math.round(box.top + at.y), left: Math.round(box.left + 2), top: Math.round(box.top + 2)};
        """
    )
    mouse(browser, target["x"], target["y"])
    WebDriverWait(browser, 10).until(
        lambda driver: driver.execute_script("return !document.getElementById('network-panel').hidden")
    )
    panel = browser.execute_script(
        """
        const panel = document.getElementById('network-panel');
        return {node: panel.dataset.node, label: document.getElementById('network-panel-label').textContent,
          kind: document.getElementById('network-panel-kind').textContent,
          terms: Array.from(panel.querySelectorAll('dt'), (dt) => dt.textContent),
          details: Array.from(panel.querySelectorAll('dd'), (dd) => dd.textContent)};
        """
    )
    assert panel["node"] == target["node"] and panel["label"] == target["label"]
    assert panel["kind"] == "region"
    assert {"region", "degree"} <= set(panel["terms"]), panel
    mouse(browser, target["left"], target["top"])
    WebDriverWait(browser, 10).until(
        lambda driver: driver.execute_script("return document.getElementById('network-panel').hidden")
    )
    # Whatever a label or a passage holds is shown as text, never as markup.
    shown = browser.execute_script(
        """
        const {graph, show} = window.ris3kgNetwork;
        graph.addNode('test:markup', {label: '<b id="injected">bold</b>', kind: 'actor', x: 0, y: 0, size: 4,
          color: '#000', passage: '<img src=x id="injected-img">', theme: ['<i>energy</i>']});
        show('test:markup');
        const panel = document.getElementById('network-panel');
        const result = {label: document.getElementById('network-panel-label').textContent,
          passage: document.getElementById('network-panel-passage').textContent,
          injected: document.querySelectorAll('#injected, #injected-img, #network-panel i').length};
        show(null);
        graph.dropNode('test:markup');
        return result;
        """
    )
    assert shown == {"label": '<b id="injected">bold</b>', "passage": '<img src=x id="injected-img">', "injected": 0}


def test_the_zoom_buttons_move_the_camera(browser: Any, live_server: str) -> None:
    open_view(browser, live_server + "/network/region-areas")
    ratio = "return window.ris3kgNetwork.renderer.getCamera().ratio"
    before = browser.execute_script(ratio)
    browser.find_element(By.ID, "network-zoom-in").click()
    WebDriverWait(browser, 5).until(lambda driver: driver.execute_script(ratio) < before * 0.8)
    browser.find_element(By.ID, "network-zoom-reset").click()
    WebDriverWait(browser, 5).until(lambda driver: abs(driver.execute_script(ratio) - 1) < 1e-6)
    browser.find_element(By.ID, "network-zoom-out").click()
    WebDriverWait(browser, 5).until(lambda driver: driver.execute_script(ratio) > 1.2)


def test_the_filter_form_reloads_the_page_with_its_query(browser: Any, live_server: str) -> None:
    open_view(browser, live_server + "/network/region-areas")
    everything = facts(browser)
    browser.find_element(By.CSS_SELECTOR, "#network-filters input[name='strategy'][value='nms']").click()
    browser.find_element(By.CSS_SELECTOR, "#network-filters select[name='colour'] option[value='strategy']").click()
    browser.find_element(By.CSS_SELECTOR, "#network-filters button[type='submit']").click()
    WebDriverWait(browser, 10).until(lambda driver: "strategy=nms" in driver.current_url)
    assert browser.current_url == live_server + "/network/region-areas?strategy=nms&colour=strategy", "no empty fields"
    data = open_view(browser, browser.current_url)
    nms = facts(browser)
    assert 0 < nms["order"] < everything["order"], "fewer nodes: one strategy's"
    groups = {str(n["group"]) if n["group"] is not None else str(n["kind"]) for n in nms["nodes"]}
    assert set(nms["legend"]) == groups
    if all(n["group"] is not None for n in nms["nodes"]):  # the export colours by colour=: the legend follows
        assert set(nms["legend"]) != set(everything["legend"]), "coloured by strategy, not by kind"
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('a.download'), (a) => a.getAttribute('href'))"
    )
    assert links == [f"/export/region-areas.{fmt}?strategy=nms&colour=strategy" for fmt in ("gexf", "graphml", "csv")]
    assert data["gexf"] == links[0], "the page draws what the links download"
    assert problems(browser, live_server) == []


def test_an_error_of_the_export_is_shown_in_the_page(browser: Any, live_server: str) -> None:
    browser.get_log("browser")
    open_view(browser, live_server + "/network/region-areas?strategy=no-such-strategy", state="error")
    shown = browser.execute_script(
        """
        const box = document.getElementById('network-error');
        const counts = document.getElementById('network-counts').textContent;
        return {hidden: box.hidden, text: box.textContent, counts};
        """
    )
    assert shown["hidden"] is False and shown["counts"] == ""
    assert shown["text"].startswith("The network could not be made (400"), shown
    assert "no-such-strategy" in shown["text"] and "blekinge" in shown["text"], "the export's own message"
    assert "Error 400:" not in shown["text"]
    assert problems(browser, live_server, allow=("status of 400",)) == []
