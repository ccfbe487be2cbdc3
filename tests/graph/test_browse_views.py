"""What the browse pages are made of: the class index and instances, a strategy by kind, a theme across strategies."""

from __future__ import annotations

from ris3kg.graph.linked_data.browse import RIS3, class_index, class_instances, class_name, filter_instances
from ris3kg.graph.linked_data.strategy import Element, StrategyView, strategy_view
from ris3kg.graph.linked_data.theme import theme_index, theme_view
from ris3kg.graph.store.oxigraph import OxigraphStore
from ris3kg.ontology.namespaces import GRAPH_BASE, PREFIXES

ID = "https://w3id.org/ris3kg/id/"
BLEKINGE = GRAPH_BASE + "blekinge"


def test_class_names() -> None:
    assert class_name(RIS3 + "Bottleneck") == "Bottleneck"
    assert class_name(PREFIXES["org"] + "Membership") == "org:Membership"


def test_class_index_counts_and_groups(store: OxigraphStore) -> None:
    index = class_index(store)
    bottleneck = index.find("Bottleneck")
    assert bottleneck is not None and bottleneck.count == 7 and bottleneck.group == "content"
    assert bottleneck.label == "bottleneck" and ("sv", "flaskhals") in {(t.language, t.text) for t in bottleneck.labels}
    assert bottleneck.superclasses == ("Challenge",)
    challenge = index.find("Challenge")
    assert challenge is not None and "Bottleneck" in challenge.subclasses
    membership = index.find("org:Membership")
    assert membership is not None and membership.count > 0 and membership.group == "actors"
    assert index.find("University") is not None and index.find("University").group == "actors"  # type: ignore[union-attr]
    assert index.find("Region").group == "places"  # type: ignore[union-attr]
    assert index.find("SourceDocument").group == "sources"  # type: ignore[union-attr]
    assert index.find("Nope") is None and index.find("") is None
    groups = dict(index.groups())
    assert [c.name for c in groups["Strategies and what they say"]].count("SpecialisationArea") == 1
    assert all(c.count > 0 for classes in groups.values() for c in classes)  # empty classes are left out
    assert "StrategyElement" not in {c.name for classes in groups.values() for c in classes}


def test_class_instances_and_filters(store: OxigraphStore) -> None:
    bottlenecks = class_instances(store, RIS3 + "Bottleneck")
    assert len(bottlenecks.items) == 7 and not bottlenecks.truncated
    first = {i.iri: i for i in bottlenecks.items}[ID + "blekinge/bottleneck-1"]
    assert first.label == "Blekinge is lacking in critical mass" and first.graphs == (BLEKINGE,)
    areas = class_instances(store, RIS3 + "SpecialisationArea")
    tests = filter_instances(areas.items, text="TESTBÄDD")  # case-insensitive, in the original-language label
    assert [i.iri for i in tests] == [ID + "norrbotten/area-arctic-test-beds"]
    assert tests[0].original is not None and tests[0].original.language == "sv"
    only_blekinge = filter_instances(areas.items, graphs=frozenset({BLEKINGE}))
    assert {i.iri for i in only_blekinge} == {ID + f"blekinge/area-{n}" for n in ("smart-industry", "tech", "missions")}
    assert [i.iri for i in filter_instances(areas.items, text="Smarter SOCIETIES", graphs=frozenset({BLEKINGE}))] == [
        ID + "blekinge/area-tech"
    ]
    assert filter_instances(areas.items, text="<script>") == ()
    cut = class_instances(store, RIS3 + "SubArea", limit=5)
    assert cut.truncated and len(cut.items) == 5


def _find(elements: tuple[Element, ...], iri: str) -> Element:
    (found,) = [e for e in elements if e.iri == iri]
    return found


def _section(view: StrategyView, key: str) -> tuple[Element, ...]:
    (section,) = [s for s in view.parts[0].sections if s.key == key]
    return section.elements


def test_blekinge_by_kind(store: OxigraphStore) -> None:
    view = strategy_view(store, BLEKINGE)
    assert view is not None and view.truncated == frozenset()
    assert [p.main.iri for p in view.parts] == [ID + "blekinge/strategy"]
    assert view.title == "Smart specialisation strategy of Blekinge"
    keys = [s.key for s in view.parts[0].sections]
    assert keys[:2] == ["vision", "principles"]
    assert {"areas", "challenges", "governance", "actors", "figures"} <= set(keys)
    # areas, in the text's order, with their sub-areas and kinds
    areas = _section(view, "areas")
    assert [a.iri for a in areas] == [ID + f"blekinge/area-{n}" for n in ("smart-industry", "tech", "missions")]
    assert [a.number for a in areas] == ["1", "2", "3"]
    industry = areas[0]
    assert {c.iri for c in industry.children} == {
        ID + "blekinge/subarea-moulding-technology",
        ID + "blekinge/subarea-marine-technology",
    }
    marine = _find(industry.children, ID + "blekinge/subarea-marine-technology")
    kinds = {f.label: [v.label for v in f.values] for f in marine.facts}
    assert kinds["area kind"] == ["development area"]
    assert len(areas[1].children) == 8
    assert any(t.value == PREFIXES["theme"] + "manufacturing" for t in industry.themes)
    # bottlenecks with the actions that address them, each with its passage
    challenges = _section(view, "challenges")
    first = challenges[0]
    assert first.iri == ID + "blekinge/bottleneck-1" and first.kind == "bottleneck"
    actions = {c.iri: c for c in first.children}
    assert ID + "blekinge/action-1-1" in actions and ID + "blekinge/initiative-coastal-railway" in actions
    assert all(c.relation == "addresses" for c in first.children)
    assert actions[ID + "blekinge/action-1-1"].passages[0].text.text.startswith("An enlarged regional labour market")
    assert actions[ID + "blekinge/action-1-1"].passages[0].document == ID + "blekinge/document"
    assert len([c for c in challenges if c.kind == "bottleneck"]) == 7
    # the overall initiatives address no bottleneck: they come after
    others = _section(view, "actions")
    assert [e.number for e in others] == ["1", "2", "3", "4", "5"]
    # governance as a tree: RUN is part of Region Blekinge, the secretariat reports to RUN
    tree = _section(view, "governance")
    region = _find(tree, ID + "actor/region-blekinge")
    run = _find(region.children, ID + "actor/region-blekinge-run")
    assert run.relation == "part of"
    secretariat = _find(run.children, ID + "blekinge/strategy-secretariat")
    assert secretariat.relation == "reports to"
    assert ID + "blekinge/working-group-tech" in {e.iri for e in tree}
    # actors by helix role, other strategies named, the source document
    (actors,) = [s for s in view.parts[0].sections if s.key == "actors"]
    roles = {role: {a.iri for a in members} for role, members in actors.groups}
    assert ID + "actor/bth" in roles["academia"]
    assert {e.iri for e in view.referenced} == {
        ID + "strategy-blekinge-regional-development-strategy",
        ID + "strategy-blekinge-public-transport-provision-programme",
        ID + "strategy-blekinge-local-development-plans",
    }
    (document,) = view.documents
    assert {f.label: f.values[0].label for f in document.facts}["file name"] == "000_4b8ca6846ccfd746.txt"


def test_a_study_and_the_strategy_it_describes(store: OxigraphStore) -> None:
    view = strategy_view(store, GRAPH_BASE + "smart-spesialisering-hva-na")
    assert view is not None
    study, nordland = view.parts
    assert study.main.kind_name == "Study" and nordland.main.kind_name == "Strategy"
    assert nordland.main.iri in {r.value for r in study.described}
    areas = next(s for s in nordland.sections if s.key == "areas").elements
    assert {"Energibasert industri", "Sjømat"} <= {a.original.text for a in areas if a.original}
    nms = strategy_view(store, GRAPH_BASE + "norra-mellansverige")
    assert nms is not None and [p.main.iri for p in nms.parts] == [ID + "norra-mellansverige/strategy"]
    assert ID + "strategy-agenda-2030" in {e.iri for e in nms.referenced}
    assert strategy_view(store, GRAPH_BASE + "regions") is None


def test_themes_across_strategies(store: OxigraphStore) -> None:
    themes = {t.name: t for t in theme_index(store)}
    assert len(themes) >= 30 and "scheme" not in themes
    skills = themes["skills-supply"]
    assert skills.label == "skills supply" and ("sv", "kompetensförsörjning") in {
        (t.language, t.text) for t in skills.labels
    }
    assert dict(skills.counts)[BLEKINGE] > 0 and skills.total == sum(n for _g, n in skills.counts)
    view = theme_view(store, skills)
    graphs = dict(view.graphs)
    assert {BLEKINGE, GRAPH_BASE + "norrbotten", GRAPH_BASE + "norra-mellansverige"} <= set(graphs)
    norrbotten = {e.label: e for e in graphs[GRAPH_BASE + "norrbotten"]}
    element = norrbotten["Skills supply"]
    assert element.kind == "challenge" and element.original is not None
    assert (element.original.language, element.original.text) == ("sv", "Kompetensförsörjning")
    assert element.passages and element.passages[0].text.language == "sv"
    assert all(e.passages for elements in graphs.values() for e in elements)
    assert len(graphs[BLEKINGE]) == dict(skills.counts)[BLEKINGE]
