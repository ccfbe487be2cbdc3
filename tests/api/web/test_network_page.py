"""The network pages (``/network/``, ``/network/<view>``) and the vendored viewer they load, without a browser."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from lxml import html as lxml_html

from ris3kg.api.web.security import CONTENT_SECURITY_POLICY
from ris3kg.graph.export.views import VIEWS

from conftest import REPO

VENDOR = REPO / "api" / "web" / "static" / "vendor" / "network"
VENDOR_SRC = REPO / "api" / "web" / "vendor-src" / "network"
BUNDLED = ("sigma", "graphology", "graphology-gexf", "graphology-layout", "graphology-layout-forceatlas2")


def page(client: FlaskClient, url: str, status: int = 200) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, "the site's strict policy"
    return lxml_html.fromstring(response.get_data(as_text=True))


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_index_lists_every_view_with_its_page_and_downloads(client: FlaskClient) -> None:
    root = page(client, "/network/")
    for name, view in VIEWS.items():
        (item,) = root.xpath(f"//li[@id='view-{name}']")
        assert item.xpath(f".//a[@href='/network/{name}']/text()") == [view.title]
        assert view.description in item.text_content()
        downloads = sorted(str(href) for href in item.xpath(".//p[@class='downloads']/a/@href"))
        assert downloads == sorted(f"/export/{name}.{fmt}" for fmt in ("csv", "gexf", "graphml"))
    assert root.xpath("//nav/a[@href='/network/']"), "the site navigation links the networks"


def test_a_view_page_loads_the_bundle_then_its_script_from_this_server(client: FlaskClient) -> None:
    root = page(client, "/network/region-areas")
    assert root.xpath("//h1/text()") == [VIEWS["region-areas"].title]
    scripts = [str(src) for src in root.xpath("//script/@src")]
    assert scripts == ["/static/vendor/network/network.min.js", "/static/network.js"]
    assert not root.xpath("//script[not(@src)]"), "no inline script"
    assert not root.xpath("//*[@style]") and not root.xpath("//style"), "no inline style"
    assert "/static/network.css" in root.xpath("//link[@rel='stylesheet']/@href")
    (viewer,) = root.xpath("//section[@id='network']")
    assert viewer.get("data-gexf") == "/export/region-areas.gexf" and viewer.get("data-view") == "region-areas"
    for element in ("network-canvas", "network-search", "network-labels", "network-legend", "network-panel"):
        assert root.xpath(f"//*[@id='{element}']"), element
    for zoom in ("network-zoom-in", "network-zoom-out", "network-zoom-reset"):
        assert root.xpath(f"//button[@id='{zoom}'][@type='button']"), zoom
    (form,) = root.xpath("//form[@id='network-filters']")
    assert form.get("method") == "get" and form.get("action") == "/network/region-areas"
    names = set(form.xpath(".//*[@name]/@name"))
    assert names == {"strategy", "region", "theme", "lang", "colour", "size", "isolated", "timeline"}
    assert form.xpath(".//select[@name='colour']/option/@value") == [
        "",
        "kind",
        "strategy",
        "country",
        "theme",
        "helix_role",
        "community",
    ]
    assert set(form.xpath(".//input[@name='strategy']/@value")) >= {"blekinge", "nms"}


def test_the_similarity_view_offers_the_backbone_and_alpha(client: FlaskClient) -> None:
    root = page(client, "/network/region-similarity?backbone=none&alpha=0.1")
    assert root.xpath("//select[@name='backbone']/option[@selected]/@value") == ["none"]
    assert root.xpath("//input[@name='alpha']/@value") == ["0.1"]
    assert not page(client, "/network/actors").xpath("//*[@name='backbone' or @name='alpha']")
    # the alpha a view uses when none is given, and the other view weighted by similarity
    assert page(client, "/network/region-similarity").xpath("//input[@name='alpha']/@placeholder") == ["0.2"]
    assert page(client, "/network/partners").xpath("//select[@name='backbone']")


def test_the_parameters_go_to_the_gexf_and_every_download(client: FlaskClient) -> None:
    url = (
        "/network/actors?strategy=nms,blekinge&theme=energy&lang=sv"
        "&colour=strategy&size=betweenness&isolated=drop&timeline=period&other=x"
    )
    root = page(client, url)
    expected = {
        "strategy": ["nms", "blekinge"],
        "theme": ["energy"],
        "lang": ["sv"],
        "colour": ["strategy"],
        "size": ["betweenness"],
        "isolated": ["drop"],
        "timeline": ["period"],
    }
    (viewer,) = root.xpath("//section[@id='network']")
    assert urlsplit(viewer.get("data-gexf")).path == "/export/actors.gexf"
    assert query(viewer.get("data-gexf")) == expected, "only the known parameters"
    links = {str(a.get("data-format")): str(a.get("href")) for a in root.xpath("//a[@class='download']")}
    assert set(links) == {"gexf", "graphml", "csv"}
    for fmt, href in links.items():
        assert urlsplit(href).path == f"/export/actors.{fmt}" and query(href) == expected, fmt
    assert root.xpath("//input[@name='strategy'][@checked]/@value") == ["blekinge", "nms"]
    assert root.xpath("//select[@name='colour']/option[@selected]/@value") == ["strategy"]
    assert root.xpath("//select[@name='lang']/option[@selected]/@value") == ["sv"]
    assert root.xpath("//input[@name='theme']/@value") == ["energy"]


def test_the_parameters_are_escaped_everywhere(client: FlaskClient) -> None:
    nasty = '"><script>alert(1)</script>'
    response = client.get("/network/region-areas", query_string={"strategy": nasty, "region": nasty, "colour": nasty})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<script>alert(1)" not in text and 'value=""><' not in text
    root = lxml_html.fromstring(text)
    assert [str(src) for src in root.xpath("//script/@src")] == [
        "/static/vendor/network/network.min.js",
        "/static/network.js",
    ]
    assert nasty in root.xpath("//input[@name='strategy'][@checked]/@value"), "kept as given, as text"
    assert root.xpath("//select[@name='colour']/option[@selected]/@value") == [nasty]
    (viewer,) = root.xpath("//section[@id='network']")
    assert query(viewer.get("data-gexf"))["strategy"] == [nasty], "encoded into the export's address"


def test_an_unknown_view_is_a_404_page_listing_the_views(client: FlaskClient) -> None:
    root = page(client, "/network/no-such-view", status=404)
    assert "no-such-view" in root.xpath("string(//p[@class='error'])")
    assert len(root.xpath("//ul[@class='network-views']/li")) == len(VIEWS)
    root = page(client, "/network/%3Cb%3Ebold", status=404)
    assert not root.xpath("//main//b")


def test_the_partner_page_links_its_network(client: FlaskClient) -> None:
    root = page(client, "/partners/nms")
    assert root.xpath("//a[@class='as-network']/@href") == ["/network/partners?strategy=nms"]
    assert root.xpath("//a[@class='as-network']/text()") == ["see as a network"]


def test_the_bundle_and_the_script_are_served_as_javascript(client: FlaskClient) -> None:
    for url in ("/static/vendor/network/network.min.js", "/static/network.js"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype in ("text/javascript", "application/javascript"), url
        response.close()
    response = client.get("/static/network.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    response.close()


def test_the_vendored_bundle_names_its_packages_and_their_licences() -> None:
    bundle = (VENDOR / "network.min.js").read_text(encoding="utf-8")
    assert bundle.startswith(("var ris3kgVendor=", '"use strict";var ris3kgVendor=')), "one IIFE setting its global"
    assert "sourceMappingURL" not in bundle and "eval(" not in bundle, "nothing the policy would refuse"
    licences = (VENDOR / "THIRD-PARTY-LICENSES.txt").read_text(encoding="utf-8")
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    package = json.loads((VENDOR_SRC / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((VENDOR_SRC / "package-lock.json").read_text(encoding="utf-8"))
    for name in BUNDLED:
        version = package["dependencies"][name]
        assert version[0].isdigit(), f"{name} is pinned exactly"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
        assert f"{name} {version} (MIT)" in licences, name
        assert f"`{name}` {version}" in readme, name
    assert package["dependencies"]["sigma"].startswith("3."), "sigma 3"
    assert "Permission is hereby granted" in licences
    assert (VENDOR_SRC / "build.sh").stat().st_mode & 0o111, "the build script is executable"
    assert (VENDOR_SRC / "network.mjs").is_file()
