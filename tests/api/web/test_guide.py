"""The guide for researchers: the page at /guide, docs/querying.md, and the guide queries on the seed store."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from lxml import html as lxml_html

from ris3kg.api.web.guide import GuideQuery, guide_queries, parse_guide_query

from conftest import REPO

GUIDE_FOLDER = REPO / "graph" / "queries" / "guide"
DOC = REPO / "docs" / "querying.md"
ENTAILED = "https://w3id.org/ris3kg/graph/entailed"


def test_every_guide_file_is_loaded_with_its_header() -> None:
    files = sorted(path.stem for path in GUIDE_FOLDER.glob("*.rq"))
    assert len(files) >= 12
    assert [query.key for query in guide_queries()] == files
    for query in guide_queries():
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", query.key), query.key
        assert query.title and query.question.endswith("?") and query.description, query.key
        assert query.entailment.startswith(("needed", "not needed")), query.key


def test_a_guide_query_without_its_header_is_refused() -> None:
    with pytest.raises(ValueError, match="'# question:'"):
        parse_guide_query("99-x", "# title: T\n# description: D\n# entailment: not needed\nSELECT * {}")


@pytest.mark.parametrize("query", guide_queries(), ids=lambda q: q.key)
def test_guide_query_keeps_the_endpoints_rules(query: GuideQuery) -> None:
    body = "\n".join(line for line in query.query.splitlines() if not line.lstrip().startswith("#"))
    assert "SERVICE" not in body.upper()
    declared = set(re.findall(r"^PREFIX\s+([A-Za-z][\w-]*)?:", body, re.MULTILINE))
    used = set(re.findall(r"(?<![\w<\"?/#])([A-Za-z][\w-]*):[A-Za-z_]", re.sub(r"<[^>]*>|\"[^\"]*\"", "", body)))
    assert used <= declared, f"undeclared prefixes: {sorted(used - declared)}"


def rows(client: FlaskClient, query: str, **params: str) -> list[dict[str, dict[str, str]]]:
    response = client.post("/sparql", data={"query": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "X-SPARQL-MaxRows" not in response.headers, "the answer was cut at the row limit"
    bindings: list[dict[str, dict[str, str]]] = json.loads(response.data)["results"]["bindings"]
    return bindings


@pytest.mark.parametrize("query", guide_queries(), ids=lambda q: q.key)
def test_every_guide_query_answers_on_the_seed_store(client: FlaskClient, query: GuideQuery) -> None:
    assert rows(client, query.query), f"{query.key} returns no rows"


def _infer_false_is_served(client: FlaskClient) -> bool:
    """Whether the endpoint takes infer=false (the entailment regime may be missing from the store)."""
    response = client.post("/sparql", data={"query": "ASK {}", "infer": "false"})
    return response.status_code == 200


@pytest.mark.parametrize("query", guide_queries(), ids=lambda q: q.key)
def test_guide_query_gives_the_same_answer_without_entailment_unless_it_says_so(
    client: FlaskClient, query: GuideQuery
) -> None:
    if not _infer_false_is_served(client):
        pytest.skip("the endpoint does not take infer=false yet")
    entailed = rows(client, query.query)
    asserted = rows(client, query.query, infer="false")
    assert asserted, f"{query.key} returns no rows with infer=false"

    def canonical(bindings: list[dict[str, dict[str, str]]]) -> list[str]:
        # GROUP_CONCAT lists come in no fixed order: compare them as sets of their items
        return sorted(
            json.dumps({k: sorted(re.split(r"; |, ", v["value"])) for k, v in sorted(b.items())}, sort_keys=True)
            for b in bindings
        )

    if not query.needs_entailment:
        assert canonical(entailed) == canonical(asserted), query.key


def test_the_challenge_query_needs_entailment_and_counts_bottlenecks_with_it(client: FlaskClient) -> None:
    (query,) = [q for q in guide_queries() if q.key.startswith("16-")]
    assert query.needs_entailment
    if not _infer_false_is_served(client):
        pytest.skip("the endpoint does not take infer=false yet")
    entailed = {r["sourceName"]["value"]: int(r["ofWhichBottlenecks"]["value"]) for r in rows(client, query.query)}
    asserted = {
        r["sourceName"]["value"]: int(r["ofWhichBottlenecks"]["value"])
        for r in rows(client, query.query, infer="false")
    }
    assert entailed["Smart specialisation strategy of Blekinge"] == 7
    assert asserted.get("Smart specialisation strategy of Blekinge", 0) == 0


def test_the_gap_query_finds_challenges_but_no_bottleneck(client: FlaskClient) -> None:
    (query,) = [q for q in guide_queries() if q.key.startswith("03-")]
    found = rows(client, query.query)
    classes = {r["class"]["value"].rsplit("#", 1)[1] for r in found}
    assert classes == {"Challenge"}, "every bottleneck of the packaged strategies has an action"
    addressed = rows(
        client,
        "PREFIX ris3: <https://w3id.org/ris3kg/ontology#> SELECT DISTINCT ?c WHERE { ?a ris3:addresses ?c }",
    )
    assert not {r["challenge"]["value"] for r in found} & {r["c"]["value"] for r in addressed}


@pytest.fixture(scope="module")
def page(app) -> str:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/guide")
    assert response.status_code == 200 and response.mimetype == "text/html"
    text: str = response.get_data(as_text=True)
    return text


def test_the_guide_page_renders_under_the_base_layout(page: str) -> None:
    root = lxml_html.fromstring(page)
    assert root.findtext(".//title").startswith("Querying ris3kg")
    assert root.xpath("//nav/a[@href='/guide']"), "the navigation links the guide"
    assert "https://" not in page.split("<main>")[0].replace("https://w3id.org", ""), "no CDN"
    assert not root.xpath("//script[not(@src)]") and not root.xpath("//*[@style]") and not root.xpath("//style")


def test_the_guide_page_shows_every_guide_query_with_its_links(page: str) -> None:
    root = lxml_html.fromstring(page)
    items = root.xpath("//li[@class='guide-query']")
    assert [item.get("id") for item in items] == [query.key for query in guide_queries()]
    for item, query in zip(items, guide_queries(), strict=True):
        assert item.findtext("h3") == query.title
        (code,) = item.xpath(".//pre/code")
        assert code.text_content() == query.query, "the query is shown as it is in the file, escaped"
        (open_link,) = item.xpath(".//a[@class='open-query']")
        href = urlsplit(open_link.get("href"))
        assert href.path == "/" and parse_qs(href.query)["query"] == [query.query]
        runs = [urlsplit(a.get("href")) for a in item.xpath(".//a[@class='run-query']")]
        assert {r.path for r in runs} == {"/sparql"}
        assert {parse_qs(r.query)["format"][0] for r in runs} == {"json", "csv"}
        assert all(parse_qs(r.query)["query"] == [query.query] for r in runs)
        (asserted,) = item.xpath(".//a[@class='run-asserted']")
        assert parse_qs(urlsplit(asserted.get("href")).query)["infer"] == ["false"]


def test_the_query_page_opens_a_guide_query_and_runs_it(client: FlaskClient) -> None:
    query = guide_queries()[0]
    response = client.get("/", query_string={"query": query.query})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert '<table class="results">' in text and "Arctic test beds" in text


def test_the_links_run_the_query(client: FlaskClient) -> None:
    query = guide_queries()[0]
    response = client.get("/sparql", query_string={"query": query.query, "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).count("\n") > 5


def _plain(text: str, *, markup: str = "markdown") -> str:
    """Words only: the Markdown or HTML markup, entities and spacing taken out."""
    if markup == "html":
        text = unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"[`*|]|\[([^]]*)\]\([^)]*\)", r" \1 ", text)
    return re.sub(r"\s+", " ", text).strip()


def test_the_page_says_what_docs_querying_md_says(page: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    main = page.split("<main>", 1)[1]
    plain_page = _plain(main, markup="html")
    headings = re.findall(r"^#{1,2} (.+)$", doc, re.MULTILINE)
    assert len(headings) >= 5
    for heading in headings:
        assert _plain(heading) in plain_page, heading
    # every paragraph of prose (not the table of queries) is on the page, word for word
    for block in re.split(r"\n\s*\n", doc):
        if block.startswith(("#", "|", "```")):
            continue
        for item in re.split(r"\n- ", block):
            assert _plain(item.removeprefix("- ")) in plain_page, item[:80]


def test_docs_querying_md_lists_every_guide_query() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for query in guide_queries():
        line = next((line for line in doc.splitlines() if f"`{query.key}.rq`" in line), None)
        assert line is not None, f"docs/querying.md does not list {query.key}.rq"
        assert query.title in line and query.question in line, query.key
        assert ("**needed**" in line) == query.needs_entailment, query.key


def test_the_readme_points_to_the_guide() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Querying ris3kg", 1)[1].split("\n## ", 1)[0]
    assert "docs/querying.md" in section and "/guide" in section


def test_the_guide_queries_are_packaged() -> None:
    import tomllib

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "queries/guide/*.rq" in pyproject["tool"]["setuptools"]["package-data"]["ris3kg.graph"]


def test_the_source_graph_filter_names_the_entailment_graph() -> None:
    for query in guide_queries():
        if "GRAPH ?" in query.query:
            assert ENTAILED in query.query, f"{query.key}: GRAPH ?g also ranges over the entailment graph"
