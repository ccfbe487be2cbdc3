"""The search index: per-language stemming, themes bridging languages, facets, escaped snippets, bounds."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from ris3kg.graph.build import BuildReport
from ris3kg.graph.search.documents import DESCRIPTION, LABEL, PASSAGE, THEME, Corpus, SearchDocument, Text
from ris3kg.graph.search.index import (
    PLAIN,
    IndexCache,
    SearchIndex,
    analyzer,
    build_index,
    open_index,
    suffix_of,
    write_index,
)
from ris3kg.graph.search.query import MAX_PAGE, MAX_QUERY_LENGTH, SearchError, search
from ris3kg.graph.store.generations import prune_artefacts

ID = "https://w3id.org/ris3kg/id/"
NORRBOTTEN_A3 = ID + "norrbotten/action-a-3"
S3NORGE_PRIORITIES = ID + "smart-spesialisering-hva-na/challenge-3-2-priorities"
NMS = ID + "norra-mellansverige/strategy"
THEME_DIGITALISATION = ID + "theme/digitalisation"
RIS3 = "https://w3id.org/ris3kg/ontology#"


@pytest.fixture(scope="module")
def index(built: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The index of the session's store."""
    return build_index(built.path.resolve(), tmp_path_factory.mktemp("search") / "generation")


def _iris(index: SearchIndex, query: str, **kwargs: object) -> list[str]:
    found: list[str] = []
    page = 1
    while True:
        result = search(index, query, page=page, per_page=100, **kwargs)  # type: ignore[arg-type]
        found += [hit.iri for hit in result.hits]
        if page >= result.pages:
            return found
        page += 1


def test_every_strategy_element_is_indexed_with_its_facets(index: SearchIndex) -> None:
    assert index.documents > 1000
    assert NMS in index.values["strategy"]
    assert THEME_DIGITALISATION in index.values["theme"]
    assert RIS3 + "Action" in index.values["kind"]
    assert "http://data.europa.eu/nuts/code/SE" in index.values["country"]
    assert index.names[THEME_DIGITALISATION] == "digitalisation"
    assert index.names[RIS3 + "Action"]


def test_norwegian_passage_found_by_its_stem(index: SearchIndex, built: BuildReport) -> None:
    # "næringene" (the industries) is nowhere in the data; the passage says "nye næringer":
    # the Norwegian stemmer makes both "næring".
    source = (Path(__file__).resolve().parents[3] / "graph" / "data" / "s3norge.ttl").read_text(encoding="utf-8")
    assert "næringene" not in source.lower()
    result = search(index, "næringene", per_page=100)
    hit = next(h for h in result.hits if h.iri == S3NORGE_PRIORITIES)
    assert hit.language == "nb"
    assert hit.snippet is not None and hit.snippet.kind == PASSAGE
    marked = [hit.snippet.text[start:end] for start, end in hit.snippet.highlights]
    assert marked == ["næringer"]
    assert "<mark>næringer</mark>" in hit.snippet.html


def test_english_word_finds_a_swedish_passage_through_its_theme(index: SearchIndex) -> None:
    # Norrbotten's action A3 ("Utveckla ett distansoberoende innovationssystem.") says nothing of
    # digitalisation in any language; its theme does.
    result = search(index, "digitalisation", per_page=100)
    hits = {hit.iri: hit for hit in result.hits}
    hit = hits[NORRBOTTEN_A3]
    assert hit.via_theme
    assert hit.language == "sv"
    assert hit.snippet is not None and "distansoberoende" in hit.snippet.text
    assert THEME_DIGITALISATION in {theme.value for theme in hit.themes}
    # The text's own matches rank above matches through a theme.
    ranks = [h.iri for h in result.hits]
    assert not result.hits[0].via_theme
    assert ranks.index(NORRBOTTEN_A3) > 0


def test_swedish_and_english_stems(index: SearchIndex) -> None:
    assert NORRBOTTEN_A3 in _iris(index, "innovationssystemet")  # sv: innovationssystem
    assert analyzer("sv").analyze("digitaliseringen") == analyzer("sv").analyze("digitalisering")
    assert analyzer("en").analyze("industries") == analyzer("en").analyze("industry")
    assert analyzer("no").analyze("utfordringene") == analyzer("no").analyze("utfordring")


def test_labels_rank_above_passages(index: SearchIndex) -> None:
    result = search(index, "digitalisation")
    assert "digitalis" in result.hits[0].title.lower()


def test_language_tags_choose_their_fields() -> None:
    assert suffix_of("nb") == suffix_of("nn") == suffix_of("no") == "no"
    assert suffix_of("en-GB") == "en"
    assert suffix_of("sv") == "sv"
    assert suffix_of("pl") == suffix_of("") == PLAIN


def _document(iri: str, language: str, passage: str, *, kind: str = "Action", strategy: str = "s1") -> SearchDocument:
    return SearchDocument(
        iri=ID + iri,
        title=iri,
        kinds=(RIS3 + kind,),
        texts={
            PASSAGE: (Text(language, passage),),
            DESCRIPTION: (),
            LABEL: (Text("en", iri),),
            THEME: (),
        },
        strategies=(ID + strategy,),
        regions=(),
        countries=(),
        themes=(),
        periods=(),
        language=language,
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """An index of made-up documents in the languages that submissions bring."""
    documents = (
        _document("de", "de", "Die Digitalisierung der Unternehmen in der Region"),
        _document("fi", "fi", "Alueen yrityksen digitalisointi ja osaaminen"),
        _document("fr", "fr", "Les entreprises régionales et leurs innovations"),
        _document("es", "es", "Las empresas regionales y sus innovaciones"),
        _document("pl", "pl", "Zażółć gęślą jaźń: przedsiębiorstwa regionu"),
        _document("hostile", "en", 'A <script>alert("x")</script> & <b>digital</b> plan', strategy="s2"),
        *(_document(f"many-{n}", "en", f"cluster number {n}", kind="Cluster") for n in range(45)),
    )
    names = {
        ID + "s1": "Strategy one",
        ID + "s2": "Strategy two",
        RIS3 + "Action": "action",
        RIS3 + "Cluster": "cluster",
    }
    return write_index(Corpus(documents, names), tmp_path_factory.mktemp("small") / "g", generation="g")


@pytest.mark.parametrize(
    ("query", "iri"),
    [
        ("Unternehmens", "de"),  # de: unternehm
        ("yritykset", "fi"),  # fi: yrityks
        ("innovation", "fr"),  # fr: innov
        ("innovación", "es"),  # es: innov
        ("zazolc", "pl"),  # no Polish stemmer: the plain field, ASCII-folded
    ],
)
def test_languages_of_submissions(small: SearchIndex, query: str, iri: str) -> None:
    assert ID + iri in [hit.iri for hit in search(small, query).hits]


def test_snippets_are_escaped(small: SearchIndex) -> None:
    hit = search(small, "digital").hits[0]
    assert hit.iri == ID + "hostile"
    assert hit.snippet is not None
    assert "<script>" not in hit.snippet.html and "<b>" not in hit.snippet.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;<mark>digital</mark>&lt;/b&gt;" in (
        hit.snippet.html
    )


def test_facets_count_and_narrow(small: SearchIndex) -> None:
    result = search(small, "cluster OR digital")
    assert result.total == 46
    kinds = {v.value: v.count for v in next(f for f in result.facets if f.name == "kind").values}
    assert kinds == {RIS3 + "Cluster": 45, RIS3 + "Action": 1}
    strategies = next(f for f in result.facets if f.name == "strategy").values
    assert [(v.label, v.count) for v in strategies] == [("Strategy one", 45), ("Strategy two", 1)]
    narrowed = search(small, "cluster OR digital", filters={"strategy": ID + "s2"})
    assert narrowed.total == 1 and narrowed.hits[0].iri == ID + "hostile"
    chosen = next(f for f in narrowed.facets if f.name == "strategy").values
    assert [(v.value, v.selected) for v in chosen] == [(ID + "s2", True)]
    with pytest.raises(SearchError, match="unknown strategy"):
        search(small, "cluster", filters={"strategy": ID + "nowhere"})
    with pytest.raises(SearchError, match="no facet"):
        search(small, "cluster", filters={"colour": "red"})


def test_paging_is_bounded(small: SearchIndex) -> None:
    first = search(small, "cluster", per_page=20)
    assert first.total == 45 and first.pages == 3 and len(first.hits) == 20
    last = search(small, "cluster", page=3, per_page=20)
    assert len(last.hits) == 5
    assert not {h.iri for h in first.hits} & {h.iri for h in last.hits}
    with pytest.raises(SearchError, match="past the last page of this search: page must be from 1 to 3"):
        search(small, "cluster", page=4, per_page=20)
    assert search(small, "no-such-word-anywhere", page=1).total == 0  # the first page of nothing is no error
    for page in (0, -1, MAX_PAGE + 1):
        with pytest.raises(SearchError, match="page"):
            search(small, "cluster", page=page)
    with pytest.raises(SearchError, match="per_page"):
        search(small, "cluster", per_page=1000)


def test_query_bounds_and_syntax(small: SearchIndex) -> None:
    with pytest.raises(SearchError, match="too long"):
        search(small, "a" * (MAX_QUERY_LENGTH + 1))
    assert search(small, "   ").total == 0
    broken = search(small, "title:( cluster")
    assert broken.total == 45 and broken.notes
    assert search(small, "nofield:cluster").total == 45
    assert search(small, '"cluster number').total == 45
    with pytest.raises(SearchError, match="no words"):
        search(small, '"(')
    assert search(small, "<script>").total >= 0


def test_the_cache_builds_once_for_concurrent_first_searches(built: BuildReport, tmp_path: Path) -> None:
    cache = IndexCache(tmp_path / "indexes")
    generation = built.path.resolve()
    found: list[SearchIndex | None] = []

    def get() -> None:
        found.append(cache.get(generation, wait=120))

    threads = [threading.Thread(target=get) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 3 and all(index is not None for index in found)
    assert len({id(index) for index in found}) == 1  # one open index, shared
    folders = [p.name for p in (tmp_path / "indexes").iterdir() if not p.name.startswith(".")]
    assert folders == [generation.name]
    assert open_index(tmp_path / "indexes" / generation.name) is not None
    # A folder of a generation that is gone, and a writer's leftover, are pruned.
    (tmp_path / "indexes" / "gone").mkdir()
    (tmp_path / "indexes" / ".writing-x").mkdir()
    prune_artefacts(tmp_path / "indexes", [generation.name], generation.parent)
    assert sorted(p.name for p in (tmp_path / "indexes").iterdir()) == [".lock", generation.name]
