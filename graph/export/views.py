"""Named network views of the graph, for Gephi: which regions specialise in what, who works with whom.

Each view reads the store through :class:`~ris3kg.graph.store.oxigraph.GraphStore` with the SPARQL in
``graph/queries/views`` and returns a :class:`~ris3kg.graph.export.network.Network` whose nodes carry
label (in the chosen language, else English), kind, region (NUTS codes), strategy (dataset part
keys), helix role, theme (theme keys) and degree. A :class:`ViewFilter` narrows a view to some
strategies, regions or themes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from itertools import combinations
from types import MappingProxyType
from typing import Any

from ris3kg.graph.catalogue import strategy_parts
from ris3kg.graph.codelists.lookup import codelists
from ris3kg.graph.export.drawing import DrawingData, LayoutCache, ViewDefaults, draw
from ris3kg.graph.export.network import (
    Attribute,
    AttributeType,
    Edge,
    Network,
    Node,
    Spell,
    Value,
    restrict,
    with_degrees,
)
from ris3kg.graph.export.options import Backbone, Isolated, SizeBy, Timeline, ViewOptions
from ris3kg.graph.linked_data.partners import PartnerRanking, rank_partners, read_candidates
from ris3kg.graph.store.interface import GraphStore, Row
from ris3kg.graph.versions import SUBMISSIONS_GRAPH
from ris3kg.ontology.namespaces import PREFIXES, local_name

LANGUAGES = ("en", "sv", "nb")
"""The label languages of the seed strategies (any language of the code lists may be asked for)."""


def label_languages() -> tuple[str, ...]:
    """Every language a view's labels may be asked in: the seeds' and those of the code lists."""
    return (*LANGUAGES, *sorted(set(codelists().language_tags) - set(LANGUAGES)))


REGION = Attribute("region", "region", AttributeType.LIST_STRING)
STRATEGY = Attribute("strategy", "strategy", AttributeType.LIST_STRING)
HELIX_ROLE = Attribute("helix_role", "helix role", AttributeType.LIST_STRING)
THEME = Attribute("theme", "theme", AttributeType.LIST_STRING)
NODE_ATTRIBUTES = (REGION, STRATEGY, HELIX_ROLE, THEME)
SHARED_THEMES = Attribute("shared_themes", "shared themes", AttributeType.LIST_STRING)
SHARED_AREAS = Attribute("shared_areas", "shared areas", AttributeType.LIST_STRING)
SHARED_FEATURES = Attribute("shared_features", "shared themes and NACE divisions", AttributeType.LIST_STRING)
RANK = Attribute("rank", "rank", AttributeType.INTEGER)
COUNTRY = Attribute("country", "country", AttributeType.LIST_STRING)
PASSAGE = Attribute("passage", "passage", AttributeType.STRING)

PARTNERS_PER_STRATEGY = 5
"""How many partners of each strategy the partners view shows when no strategy is chosen."""

_GENERIC_KINDS = ("actor", "organisation", "challenge")


class ViewError(ValueError):
    """A view cannot be built as asked; the message names the view, filter or value at fault."""


class UnknownViewError(ViewError):
    """No view has this name."""


class FilterError(ViewError):
    """A filter names a strategy, region, theme or language that the graph does not have."""


@dataclass(frozen=True)
class ViewFilter:
    """What part of the graph a view covers; empty tuples mean everything.

    Attributes:
        strategies: Dataset part keys (``blekinge``, ``nms``): keep what these strategies state.
        regions: Region codes (``SE221``, ``mo-i-rana``): keep what concerns these regions.
        themes: Theme keys (``energy``): keep what has these themes.
        language: The label language (``en``, ``sv``, ``fi``: an ISO 639-1 tag of the code lists);
            labels fall back to English.
    """

    strategies: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    language: str = "en"


@dataclass(frozen=True)
class View:
    """A named view.

    Attributes:
        name: Its name (``region-areas``).
        title: A short title.
        description: What the network means.
        directed: Whether its edges are directed.
        defaults: What it does with the drawing options not given (isolated nodes, backbone).
    """

    name: str
    title: str
    description: str
    directed: bool
    defaults: ViewDefaults = field(default_factory=ViewDefaults)


VIEWS: Mapping[str, View] = MappingProxyType(
    {
        view.name: view
        for view in (
            View(
                "region-areas",
                "Regions and their specialisation areas, linked through themes",
                "Regions, the smart specialisation areas of their strategies and the areas' themes: which "
                "regions specialise in what, and where they meet; regions named as overlapping with an area "
                "link to it too.",
                directed=True,
            ),
            View(
                "actors",
                "Actors, clusters and regions",
                "Organisations and people with their helix role, the clusters, projects and initiatives they "
                "take part in or belong to, the organisations they are part of or work with, and where they are.",
                directed=True,
                # The actors the texts only name, linked to nothing, are most of a scatter: an analyst
                # reads the network of links first (isolated=keep shows them).
                defaults=ViewDefaults(isolated=Isolated.DROP),
            ),
            View(
                "region-similarity",
                "Region to region similarity",
                "Regions joined by the themes and specialisation areas they share (including the overlap "
                "regions the texts name), weighted by how many.",
                directed=False,
                # Nearly every pair of regions shares a theme (403 of 406 pairs in the seeds): the
                # disparity filter keeps the links that matter to at least one of the two regions
                # (backbone=none keeps every one). At alpha 0.2 the seeds keep 69 links touching 28 of
                # the 29 regions; at 0.05 only 6 (few regions, weights of 1 to 13, say little at 0.05).
                defaults=ViewDefaults(backbone=Backbone.DISPARITY, alpha=0.2),
            ),
            View(
                "bottlenecks",
                "Bottlenecks, actions and the areas they serve",
                "Bottlenecks and challenges, the actions, initiatives and steps that address them, and the "
                "areas, priorities, opportunities and goals those serve, per strategy.",
                directed=True,
            ),
            View(
                "partners",
                "Partner regions: the regions whose priorities are most like a strategy's",
                "With strategy=KEY, the strategy's region linked to every region whose smart specialisation "
                "areas share a theme or NACE division with its own, weighted by the similarity (the cosine of the "
                "two regions' themes and NACE divisions, each weighted by how rare it is among the regions; see "
                "docs/partners.md); the edge's rank is the partner's place. Without a strategy, each packaged "
                f"strategy's region linked to its {PARTNERS_PER_STRATEGY} closest partners.",
                directed=True,
                defaults=ViewDefaults(backbone=Backbone.NONE),
            ),
        )
    }
)
"""The views by name."""


def view_names() -> tuple[str, ...]:
    """Return the names of the views, in the order they are listed."""
    return tuple(VIEWS)


def get_view(name: str) -> View:
    """Return the view with this name.

    Raises:
        UnknownViewError: There is none; the message lists the views.
    """
    view = VIEWS.get(name)
    if view is None:
        raise UnknownViewError(f"unknown view {name!r}; the views are: {', '.join(VIEWS)}")
    return view


def build_view(store: GraphStore, name: str, *, view_filter: ViewFilter | None = None) -> Network:
    """Build a view's network from the store.

    Args:
        store: The store to read.
        name: The view's name (see :data:`VIEWS`).
        view_filter: What to keep (everything by default).

    Returns:
        The network, with degrees set.

    Raises:
        UnknownViewError: No view has this name.
        FilterError: The filter names something the graph does not have.
    """
    view = get_view(name)
    chosen = view_filter or ViewFilter()
    check_filter(store, chosen)
    if view.name in _STRATEGY_BUILDERS:  # the strategy filter chooses whose partners, it does not narrow
        network = _STRATEGY_BUILDERS[view.name](store, view, chosen)
        narrowing: tuple[tuple[Attribute, tuple[str, ...]], ...] = ((REGION, chosen.regions), (THEME, chosen.themes))
    else:
        network = _BUILDERS[view.name](store, view, chosen.language)
        narrowing = ((STRATEGY, chosen.strategies), (REGION, chosen.regions), (THEME, chosen.themes))
    for attribute, allowed in narrowing:
        if allowed:
            network = restrict(network, attribute=attribute.key, allowed=allowed)
    return with_degrees(network)


def draw_view(
    store: GraphStore,
    name: str,
    *,
    view_filter: ViewFilter | None = None,
    options: ViewOptions | None = None,
    layout_cache: LayoutCache | None = None,
    cache_key: object = None,
) -> Network:
    """Build a view and draw it: laid out, sized, coloured, with communities and, if asked, a timeline.

    The nodes also get their countries (``country``) and a passage of the source that states them
    (``passage``), for the reader who hovers over them.

    Args:
        store: The store to read.
        name: The view's name.
        view_filter: What to keep (everything by default).
        options: How to draw it (see :class:`~ris3kg.graph.export.options.ViewOptions`).
        layout_cache: Layouts already computed (see :func:`~ris3kg.graph.export.drawing.draw`).
        cache_key: What names the store's state in the layout cache (its generation); ``None``
            computes the layout afresh.

    Raises:
        UnknownViewError: No view has this name.
        FilterError: The filter names something the graph does not have.
        DrawingError: An option does not apply to the view.
    """
    view = get_view(name)
    chosen = view_filter or ViewFilter()
    drawing = options or ViewOptions()
    network = build_view(store, name, view_filter=chosen)
    countries: Mapping[str, str] = _kept(layout_cache, cache_key, "countries", lambda: _countries(store))
    passages: Mapping[str, str] = _kept(layout_cache, cache_key, "passages", lambda: _passages(store))
    nodes = []
    for node in network.nodes:
        values: dict[str, Value] = dict(node.values)
        regions = node.values.get(REGION.key, ())
        if isinstance(regions, tuple):
            values[COUNTRY.key] = tuple(sorted({countries[code] for code in regions if code in countries}))
        passage = passages.get(node.id)
        if passage:
            values[PASSAGE.key] = passage
        nodes.append(replace(node, values=values))
    attributes = (*tuple(a for a in network.node_attributes if a not in (COUNTRY, PASSAGE)), COUNTRY, PASSAGE)
    network = replace(network, nodes=tuple(nodes), node_attributes=attributes)
    data = DrawingData(
        organisations=_kept(layout_cache, cache_key, "organisations", lambda: _organisations(store))
        if drawing.size is SizeBy.ORGANISATIONS
        else None,
        intervals=_intervals(store, drawing.timeline) if drawing.timeline is not Timeline.NONE else None,
    )
    key = None
    if cache_key is not None:
        key = (
            cache_key,
            name,
            tuple(sorted(chosen.strategies)),
            tuple(sorted(chosen.regions)),
            tuple(sorted(chosen.themes)),
            drawing.isolated,
            drawing.backbone,
            drawing.alpha,
        )
    return draw(network, drawing, defaults=view.defaults, data=data, layout_cache=layout_cache, layout_key=key)


def _kept(cache: LayoutCache | None, generation: object, what: str, read: Callable[[], Any]) -> Any:
    """Read something once per generation when there is a cache (a worker's), else every time."""
    if cache is None or generation is None:
        return read()
    key = (generation, what)
    found = cache.get(key)
    if found is None:
        found = cache[key] = read()
    return found


PASSAGE_CHARACTERS = 400
"""The longest passage a node carries (a longer one is cut at a word and ends with …)."""


def _passages(store: GraphStore) -> Mapping[str, str]:
    """One quoted passage per resource that has any (the shortest, which is the most to the point)."""
    result = store.select(
        _prefixed("SELECT ?node ?text WHERE { ?node prov:wasDerivedFrom ?passage . ?passage prov:value ?text }")
    )
    found: dict[str, str] = {}
    for row in result.rows:
        node, text = str(row["node"]), " ".join(str(row["text"]).split())
        previous = found.get(node)
        if previous is None or (len(text), text) < (len(previous), previous):
            found[node] = text
    return {node: _cut(text) for node, text in found.items()}


def _cut(text: str) -> str:
    if len(text) <= PASSAGE_CHARACTERS:
        return text
    return text[:PASSAGE_CHARACTERS].rsplit(" ", 1)[0] + " …"


def _countries(store: GraphStore) -> Mapping[str, str]:
    """The country code of each region code that has one: its ``ris3:country``, or that of a region it lies in.

    A place that is not a NUTS region (Mo i Rana) has its country through the regions it is
    ``ris3:locatedIn``; a NUTS 0 region is its own country.
    """
    result = store.select(
        _prefixed(
            "SELECT DISTINCT ?region ?country WHERE {"
            " { ?region ris3:country ?country }"
            " UNION { ?region a ris3:Region ; ris3:locatedIn+ ?larger . ?larger ris3:country ?country }"
            " UNION { ?region ris3:nutsLevel 0 BIND(?region AS ?country) } }"
        )
    )
    return {region_code(str(row["region"])): region_code(str(row["country"])) for row in result.rows}


def _organisations(store: GraphStore) -> Mapping[str, int]:
    """How many organisations the graph links to each resource, in either direction."""
    result = store.select(
        _prefixed(
            "SELECT ?node (COUNT(DISTINCT ?org) AS ?organisations) WHERE {"
            " ?class rdfs:subClassOf* ris3:Organisation . GRAPH ?g { ?org a ?class }"
            " { ?org ?p ?node } UNION { ?node ?q ?org }"
            " FILTER(isIRI(?node) && ?node != ?org)"
            "} GROUP BY ?node"
        )
    )
    return {str(row["node"]): int(str(row["organisations"])) for row in result.rows}


def _intervals(store: GraphStore, timeline: Timeline) -> Mapping[str, tuple[Spell, ...]]:
    """Each strategy's time intervals: its programming periods, or its current version's acceptance onwards."""
    found: dict[str, set[Spell]] = {}
    if timeline is Timeline.PERIOD:
        result = store.select(
            _prefixed(
                "SELECT DISTINCT ?g ?start ?end WHERE {"
                " GRAPH ?g { ?strategy dcterms:temporal ?period }"
                " ?strategy a/rdfs:subClassOf* ris3:Strategy ."
                " ?period a ris3:ProgrammingPeriod ; ris3:startYear ?start OPTIONAL { ?period ris3:endYear ?end } }"
            )
        )
        for row in result.rows:
            end = row.get("end")
            spell = Spell(f"{int(str(row['start'])):04d}-01-01", f"{int(str(end)):04d}-12-31" if end else None)
            found.setdefault(graph_key(str(row["g"])), set()).add(spell)
    else:
        result = store.select(
            _prefixed(
                f"SELECT ?g (MAX(?at) AS ?accepted) WHERE {{ GRAPH <{SUBMISSIONS_GRAPH}> {{"
                " ?version ris3:versionGraph ?g ; prov:generatedAtTime ?at } } GROUP BY ?g"
            )
        )
        for row in result.rows:
            found.setdefault(graph_key(str(row["g"])), set()).add(Spell(str(row["accepted"])[:10], None))
    return {key: tuple(sorted(spells, key=lambda s: (s.start or "", s.end or ""))) for key, spells in found.items()}


def check_filter(store: GraphStore, view_filter: ViewFilter) -> None:
    """Check that a filter names only strategies, regions, themes and a language that exist.

    Raises:
        FilterError: The message names the filter field and the values it accepts.
    """
    if view_filter.language not in label_languages():
        raise FilterError(f"unknown language {view_filter.language!r}; use one of {', '.join(label_languages())}")
    known_strategies = tuple(part.key for part in strategy_parts())
    _check_values("strategy", view_filter.strategies, known_strategies, show_all=True)
    if view_filter.regions:
        regions = store.select(_prefixed("SELECT DISTINCT ?r WHERE { ?r a ris3:Region }"))
        _check_values("region", view_filter.regions, [region_code(str(row["r"])) for row in regions.rows])
    if view_filter.themes:
        themes = store.select(_prefixed("SELECT DISTINCT ?t WHERE { ?t a ris3:Theme }"))
        _check_values("theme", view_filter.themes, [theme_key(str(row["t"])) for row in themes.rows], show_all=True)


def _check_values(field: str, given: Iterable[str], known: Iterable[str], *, show_all: bool = False) -> None:
    valid = sorted(set(known))
    unknown = [value for value in given if value not in valid]
    if unknown:
        listed = ", ".join(valid) if show_all else f"{len(valid)} codes such as {', '.join(valid[:8])}"
        raise FilterError(f"unknown {field} {', '.join(map(repr, unknown))}; the graph has {listed}")


def region_code(iri: str) -> str:
    """Return a region's code: the NUTS code of a NUTS IRI, else the IRI's last segment."""
    return local_name(iri)


def theme_key(iri: str) -> str:
    """Return a theme's key, the last segment of its IRI (``energy``)."""
    return local_name(iri)


def helix_key(iri: str) -> str:
    """Return a helix role's key (``academia`` for ``voc:helix-academia``)."""
    return local_name(iri).removeprefix("helix-")


def graph_key(graph: str) -> str:
    """Return the dataset part key of a strategy's named graph (the IRI's last segment if unknown)."""
    return _graph_keys().get(graph) or local_name(graph)


@cache
def _graph_keys() -> Mapping[str, str]:
    return MappingProxyType({str(part.graph): part.key for part in strategy_parts()})


@cache
def _query(name: str) -> str:
    return files("ris3kg.graph").joinpath("queries", "views", f"{name}.rq").read_text(encoding="utf-8")


def _prefixed(query: str) -> str:
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items()) + query


def _nodes(store: GraphStore, query: str, language: str) -> tuple[dict[str, Node], dict[str, tuple[str, ...]]]:
    """Run a node query; return the nodes by id and each node's ``?areas`` IRIs."""
    result = store.select(_query(query).replace('"$lang"', f'"{language}"'))
    nodes: dict[str, Node] = {}
    areas: dict[str, tuple[str, ...]] = {}
    for row in result.rows:
        node_id = str(row["node"])
        node = Node(
            node_id,
            _label(row.get("label"), node_id),
            str(row["kind"]),
            {
                REGION.key: _split(row, "regions", region_code),
                STRATEGY.key: _split(row, "graphs", graph_key),
                HELIX_ROLE.key: _split(row, "helixRoles", helix_key),
                THEME.key: _split(row, "themes", theme_key),
            },
        )
        areas[node_id] = tuple(sorted(set(areas.get(node_id, ()) + _split(row, "areas", str))))
        previous = nodes.get(node_id)
        nodes[node_id] = node if previous is None else _merge(previous, node)
    return nodes, areas


def _label(label: str | None, node_id: str) -> str:
    text = " ".join((label or "").split())
    return text or local_name(node_id)


def _split(row: Row, column: str, key: Callable[[str], str]) -> tuple[str, ...]:
    value = row.get(column)
    return tuple(sorted({key(item) for item in value.split()})) if value else ()


def _merge(first: Node, second: Node) -> Node:
    """One node typed with two classes: keep the more specific kind and the union of the lists."""
    kind = second.kind if first.kind in _GENERIC_KINDS and second.kind not in _GENERIC_KINDS else first.kind
    values: dict[str, Value] = dict(first.values)
    for key, value in second.values.items():
        old = values.get(key, ())
        if isinstance(old, tuple) and isinstance(value, tuple):
            values[key] = tuple(sorted(set(old) | set(value)))
    return replace(first, kind=kind, values=values)


def _edges(store: GraphStore, query: str, nodes: Mapping[str, Node]) -> tuple[Edge, ...]:
    result = store.select(_query(query))
    edges = []
    for row in result.rows:
        source, target = str(row["source"]), str(row["target"])
        if source in nodes and target in nodes:
            weight = row.get("weight")
            edges.append(Edge(source, target, str(row["relation"]), float(weight) if weight else 1.0))
    return tuple(edges)


def _from_queries(store: GraphStore, view: View, language: str) -> Network:
    nodes, _ = _nodes(store, f"{view.name}-nodes", language)
    edges = _edges(store, f"{view.name}-edges", nodes)
    # Oxigraph returns DISTINCT / GROUP BY rows in no fixed order: sort, so that exports are reproducible.
    ordered_nodes = tuple(sorted(nodes.values(), key=lambda node: node.id))
    ordered_edges = tuple(sorted(edges, key=lambda edge: (edge.source, edge.target, edge.relation, edge.weight)))
    return Network(view.name, view.description, view.directed, ordered_nodes, ordered_edges, NODE_ATTRIBUTES)


def _similarity(store: GraphStore, view: View, language: str) -> Network:
    """Regions from the region-areas nodes, joined pairwise by the themes and areas they share."""
    nodes, areas = _nodes(store, "region-areas-nodes", language)
    regions = sorted((node for node in nodes.values() if node.kind == "region"), key=lambda node: node.id)
    edges = []
    for first, second in combinations(regions, 2):
        themes = sorted(set(_list(first, THEME)) & set(_list(second, THEME)))
        shared_areas = sorted(set(areas[first.id]) & set(areas[second.id]))
        if not themes and not shared_areas:
            continue
        edges.append(
            Edge(
                first.id,
                second.id,
                "sharesArea" if shared_areas else "sharesTheme",
                float(len(themes) + len(shared_areas)),
                {
                    SHARED_THEMES.key: tuple(themes),
                    SHARED_AREAS.key: tuple(
                        nodes[area].label if area in nodes else local_name(area) for area in shared_areas
                    ),
                },
            )
        )
    return Network(
        view.name,
        view.description,
        view.directed,
        tuple(regions),
        tuple(edges),
        NODE_ATTRIBUTES,
        (SHARED_THEMES, SHARED_AREAS),
    )


def _list(node: Node, attribute: Attribute) -> tuple[str, ...]:
    value = node.values.get(attribute.key, ())
    return value if isinstance(value, tuple) else (str(value),)


_BUILDERS: Mapping[str, Callable[[GraphStore, View, str], Network]] = MappingProxyType(
    {
        "region-areas": _from_queries,
        "actors": _from_queries,
        "region-similarity": _similarity,
        "bottlenecks": _from_queries,
    }
)


def _partners(store: GraphStore, view: View, view_filter: ViewFilter) -> Network:
    """A strategy's region (or each packaged strategy's) linked to its partner regions, weighted by similarity.

    Labels are the regions' English names (the ranking reads no other language).

    Raises:
        FilterError: More than one strategy was chosen.
    """
    if len(view_filter.strategies) > 1:
        raise FilterError(
            f"the partners view ranks the partners of one strategy; give one strategy=KEY, not "
            f"{len(view_filter.strategies)}"
        )
    parts = {part.key: part for part in strategy_parts()}
    chosen = view_filter.strategies or tuple(parts)
    top = None if view_filter.strategies else PARTNERS_PER_STRATEGY
    candidates = read_candidates(store)
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for key in chosen:
        part = parts[key]
        ranking = rank_partners(candidates, str(part.graph))
        sources = _partner_sources(ranking, key, part.title, nodes)
        for partner in ranking.partners[:top]:
            region = partner.region
            theirs = nodes.get(region.iri)
            features = (*(shared.feature for shared in partner.shared), *partner.only_theirs)
            themes = tuple(sorted({f.code for f in features if f.kind == "theme"}))
            strategies = tuple(sorted({graph_key(ref.graph) for ref in partner.areas}))
            node = Node(
                region.iri,
                region.label,
                "partner region",
                {
                    REGION.key: (region.code or local_name(region.iri),),
                    STRATEGY.key: strategies,
                    HELIX_ROLE.key: (),
                    THEME.key: themes,
                },
            )
            nodes[region.iri] = node if theirs is None else _merge(theirs, node)
            shared = tuple(
                s.feature.label if s.feature.kind == "theme" else f"NACE {s.feature.code} {s.feature.label}"
                for s in partner.shared
            )
            for source in sources:
                edges.append(
                    Edge(
                        source,
                        region.iri,
                        "partner",
                        round(partner.score, 6),
                        {
                            SHARED_FEATURES.key: shared,
                            RANK.key: partner.rank,
                        },
                    )
                )
    unique = {(e.source, e.target): e for e in edges}
    return Network(
        view.name,
        view.description,
        view.directed,
        tuple(sorted(nodes.values(), key=lambda node: node.id)),
        tuple(sorted(unique.values(), key=lambda e: (e.source, e.target, e.relation, e.weight))),
        NODE_ATTRIBUTES,
        (SHARED_FEATURES, RANK),
    )


def _partner_sources(ranking: PartnerRanking, key: str, title: str, nodes: dict[str, Node]) -> tuple[str, ...]:
    """Add the asking strategy's regions as nodes (the strategy's graph when it has none); return their ids."""
    themes = tuple(sorted(f.code for f in ranking.features if f.kind == "theme"))
    ids = []
    for region in ranking.regions or ():
        node = Node(
            region.iri,
            region.label,
            "strategy region",
            {
                REGION.key: (region.code or local_name(region.iri),),
                STRATEGY.key: (key,),
                HELIX_ROLE.key: (),
                THEME.key: themes,
            },
        )
        previous = nodes.get(region.iri)
        nodes[region.iri] = node if previous is None else _merge(replace(previous, kind="strategy region"), node)
        ids.append(region.iri)
    if not ids:
        nodes[ranking.graph] = Node(
            ranking.graph,
            title,
            "strategy",
            {REGION.key: (), STRATEGY.key: (key,), HELIX_ROLE.key: (), THEME.key: themes},
        )
        ids.append(ranking.graph)
    return tuple(ids)


_STRATEGY_BUILDERS: Mapping[str, Callable[[GraphStore, View, ViewFilter], Network]] = MappingProxyType(
    {"partners": _partners}
)
