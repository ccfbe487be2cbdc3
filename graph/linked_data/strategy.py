"""A strategy's named graph structured by kind: for the pages under ``/strategy/<key>``.

A strategy's graph holds its main strategy (the ``ris3:Strategy`` or ``ris3:Study`` documented in
the source file: ``ris3:documentedIn``), sometimes a study and the strategy it describes, and the
other strategies the text names. :func:`strategy_view` reads the graph in three fixed queries (the
typed subjects with their labels, their other statements, the passages they rest on) and sorts what
they hold, in Python, into the sections of the page: vision and goals, areas with their sub-areas,
challenges with the actions that address them, other actions, SWOT, assessments, figures, other
elements, governance as a tree, actors by helix role, and the sources. Nothing is added that the
graph does not state.

The graph's IRI is bound to the variable ``?graph`` when the queries run (SEP-0007 substitution):
no value a client sent ever becomes query text, and each query is cut by a LIMIT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ris3kg.graph.linked_data.browse import Text, tagged
from ris3kg.graph.store.interface import GraphStore, Row
from ris3kg.ontology.namespaces import PREFIXES, local_name, prefixed_name

_RIS3 = PREFIXES["ris3"]
_ORG = PREFIXES["org"]
_PREFIXES = "\n".join(
    f"PREFIX {name}: <{PREFIXES[name]}>" for name in ("rdf", "rdfs", "skos", "dcterms", "prov", "ris3", "org")
)
SEP = "\u001f"
"""Separates the values a query concatenates."""

# Statements that the page shows in its own way rather than as facts.
_STRUCTURE = {
    _RIS3 + name
    for name in ("inStrategy", "inStudy", "actorIn", "theme", "hasSubArea", "hasStep", "inAnalysis", "ordinal")
}
_LEVELS = ("political", "strategic", "coordinating", "operational")


@dataclass(frozen=True)
class Ref:
    """A value of a statement: an IRI with a name, or a literal.

    Attributes:
        value: The IRI or the literal's text.
        label: A name for display (the IRI's English label, else another one, else a prefixed name).
        is_iri: Whether the value is an IRI.
    """

    value: str
    label: str
    is_iri: bool = True


@dataclass(frozen=True)
class Passage:
    """A passage an element rests on.

    Attributes:
        text: The verbatim text, with its language.
        document: The source document's IRI.
        document_label: The document's name.
    """

    text: Text
    document: str
    document_label: str


@dataclass(frozen=True)
class Fact:
    """One property of an element with its values.

    Attributes:
        property: The property's IRI.
        label: Its English label.
        values: Its values.
    """

    property: str
    label: str
    values: tuple[Ref, ...]


@dataclass(frozen=True)
class Element:
    """Something the graph describes, as the strategy page shows it.

    Attributes:
        iri: Its IRI.
        kind: The English label of its class (``bottleneck``).
        kind_name: The class's local name (``Bottleneck``), empty outside ris3kg's namespace.
        label: Its English label, else another one, else the end of its IRI.
        original: Its label in the source's language, when that is not English.
        description: Its English description, else another one.
        ordinal: Its number in the text.
        notation: Its letter or code in the text.
        themes: Its themes.
        facts: Its other statements, by property.
        passages: The passages it rests on.
        children: What hangs under it on the page: sub-areas, steps, the actions that address it,
            a SWOT analysis's entries, the bodies that report to it or are part of it.
        relation: How it hangs under its parent (``sub-area``, ``addresses``, ``reports to``), if it does.
    """

    iri: str
    kind: str
    kind_name: str
    label: str
    original: Text | None = None
    description: str | None = None
    ordinal: int | None = None
    notation: str | None = None
    themes: tuple[Ref, ...] = ()
    facts: tuple[Fact, ...] = ()
    passages: tuple[Passage, ...] = ()
    children: tuple[Element, ...] = ()
    relation: str | None = None

    @property
    def number(self) -> str | None:
        """``3`` or ``A``: how the text numbers it, if it does."""
        return self.notation or (None if self.ordinal is None else str(self.ordinal))


@dataclass(frozen=True)
class Section:
    """A section of a strategy's page.

    Attributes:
        key: Its key (``areas``, ``challenges``, ...).
        title: Its heading.
        elements: Its elements (with their children).
        groups: For actors: (helix role, actors); otherwise empty.
    """

    key: str
    title: str
    elements: tuple[Element, ...] = ()
    groups: tuple[tuple[str, tuple[Element, ...]], ...] = ()


@dataclass(frozen=True)
class Part:
    """A strategy or study documented in the graph's source file, with its elements.

    Attributes:
        main: The strategy or study itself.
        sections: Its elements, structured by kind; empty sections left out.
        described: For a study, the strategies it is a study of (``ris3:studyOf``), as references.
    """

    main: Element
    sections: tuple[Section, ...]
    described: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class StrategyView:
    """A strategy's graph, structured by kind.

    Attributes:
        graph: The named graph.
        parts: The strategies and studies its source file documents (a study first).
        referenced: The other strategies the graph names without describing their elements.
        documents: The source documents and cited publications in the graph.
        truncated: The queries cut by their LIMIT (``items``, ``links``, ``passages``).
    """

    graph: str
    parts: tuple[Part, ...]
    referenced: tuple[Element, ...]
    documents: tuple[Element, ...]
    truncated: frozenset[str] = frozenset()

    @property
    def title(self) -> str:
        """The English label of the first part, else the graph's IRI."""
        return self.parts[0].main.label if self.parts else self.graph


# --------------------------------------------------------------------------- the queries

_LABELS = """
        OPTIONAL {{ {v} rdfs:label ?{n}_en FILTER(lang(?{n}_en) = "en") }}
        OPTIONAL {{ {v} rdfs:label ?{n}_o FILTER(lang(?{n}_o) != "en")
                   BIND(CONCAT(LANG(?{n}_o), "|", STR(?{n}_o)) AS ?{n}_other) }}"""
_ITEMS = f"""{_PREFIXES}
    SELECT ?graph ?s
           (GROUP_CONCAT(DISTINCT CONCAT(STR(?type), "|", COALESCE(?type_en, "")); separator="{SEP}") AS ?types)
           (MIN(?s_en) AS ?label_en) (MIN(?s_other) AS ?label_other) (MIN(?d_en) AS ?description_en)
           (MIN(STR(?d_any)) AS ?description_any) (MIN(?ord) AS ?ordinal) (MIN(STR(?nota)) AS ?notation)
           (MIN(STR(?title)) AS ?title)
    WHERE {{ {{ SELECT DISTINCT ?graph ?s ?type WHERE {{ GRAPH ?graph {{ ?s a ?type FILTER(isIRI(?s)) }} }}
                LIMIT $limit }}
             OPTIONAL {{ ?type rdfs:label ?type_en FILTER(lang(?type_en) = "en") }}
             GRAPH ?graph {{
               {_LABELS.format(v="?s", n="s")}
               OPTIONAL {{ ?s dcterms:description ?d_en FILTER(lang(?d_en) = "en") }}
               OPTIONAL {{ ?s dcterms:description ?d_any }}
               OPTIONAL {{ ?s ris3:ordinal ?ord }}
               OPTIONAL {{ ?s skos:notation ?nota }}
               OPTIONAL {{ ?s dcterms:title ?title }} }} }}
    GROUP BY ?graph ?s"""
_LINKS = f"""{_PREFIXES}
    SELECT ?graph ?s ?p ?o (MIN(?p_en) AS ?p_label) (MIN(?o_en) AS ?o_label_en) (MIN(?o_other) AS ?o_label_other)
           (MIN(?o_pref) AS ?o_label_pref)
    WHERE {{ {{ SELECT DISTINCT ?graph ?s ?p ?o WHERE {{ GRAPH ?graph {{
                 ?s ?p ?o FILTER(isIRI(?s) && !isBlank(?o)
                                 && ?p NOT IN (rdf:type, rdfs:label, prov:wasDerivedFrom, dcterms:description,
                                               skos:notation, dcterms:title)) }} }} LIMIT $limit }}
             OPTIONAL {{ ?p rdfs:label ?p_en FILTER(lang(?p_en) = "en") }}
             {_LABELS.format(v="?o", n="o")}
             OPTIONAL {{ ?o skos:prefLabel ?o_pref FILTER(lang(?o_pref) = "en") }} }}
    GROUP BY ?graph ?s ?p ?o"""
_PASSAGES = f"""{_PREFIXES}
    SELECT DISTINCT ?graph ?s ?text (LANG(?text) AS ?lang) ?doc WHERE {{ GRAPH ?graph {{
        ?s prov:wasDerivedFrom ?passage FILTER(isIRI(?s))
        ?passage prov:value ?text ; prov:wasQuotedFrom ?doc }} }} LIMIT $limit"""


@dataclass
class _Item:
    """What the queries say about one subject of the graph, before it becomes an :class:`Element`."""

    iri: str
    types: dict[str, str]
    label: str
    original: Text | None
    description: str | None
    ordinal: int | None
    notation: str | None
    links: dict[str, list[Ref]] = field(default_factory=dict)
    property_labels: dict[str, str] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        return any(_RIS3 + name in self.types or _ORG + name in self.types for name in names)

    def one(self, prop: str) -> str | None:
        values = self.links.get(prop)
        return values[0].value if values else None

    def all(self, prop: str) -> list[str]:
        return [ref.value for ref in self.links.get(prop, [])]

    @property
    def sort_key(self) -> tuple[int, str, str]:
        return (self.ordinal if self.ordinal is not None else 10**6, self.notation or "", self.label.casefold())


def _int(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def _read(store: GraphStore, graph: str, limit: int) -> tuple[dict[str, _Item], set[str]]:
    truncated: set[str] = set()

    def run(name: str, query: str) -> tuple[Row, ...]:
        rows = store.select(query.replace("$limit", str(int(limit))), bindings={"graph": graph}).rows
        if len(rows) >= limit:
            truncated.add(name)
        return rows

    items: dict[str, _Item] = {}
    for row in run("items", _ITEMS):
        iri = row["s"] or ""
        types = {}
        for pair in (row.get("types") or "").split(SEP):
            type_iri, _, label = pair.partition("|")
            if type_iri:
                types[type_iri] = label or prefixed_name(type_iri)
        original = tagged(row.get("label_other"))
        label = row.get("label_en") or row.get("title") or (original.text if original else None) or local_name(iri)
        items[iri] = _Item(
            iri=iri,
            types=types,
            label=label,
            original=original if original and original.language and original.text != label else None,
            description=row.get("description_en") or row.get("description_any"),
            ordinal=_int(row.get("ordinal")),
            notation=row.get("notation"),
        )
    labels = {iri: item.label for iri, item in items.items() if item.label != local_name(iri)}
    for row in run("links", _LINKS):
        item = items.get(row["s"] or "")
        if item is None:
            continue
        prop, value = row["p"] or "", row["o"] or ""
        is_iri = value.startswith(("http://", "https://", "urn:")) and " " not in value
        other = tagged(row.get("o_label_other"))
        name = labels.get(value) or row.get("o_label_en") or row.get("o_label_pref") or (other.text if other else None)
        ref = Ref(value, name or (prefixed_name(value) if is_iri else value), is_iri)
        item.links.setdefault(prop, []).append(ref)
        item.property_labels[prop] = row.get("p_label") or prefixed_name(prop)
    for row in run("passages", _PASSAGES):
        item = items.get(row["s"] or "")
        if item is None:
            continue
        doc = row["doc"] or ""
        item.passages.append(
            Passage(Text(row["text"] or "", row.get("lang") or ""), doc, labels.get(doc, local_name(doc)))
        )
    return items, truncated


def _kind(item: _Item) -> tuple[str, str]:
    """The English label and local name of the item's most specific ris3kg class (else any class)."""
    ours = sorted((iri, label) for iri, label in item.types.items() if iri.startswith(_RIS3))
    if ours:
        iri, label = ours[-1] if len(ours) == 1 else min(ours, key=lambda pair: pair[0] == _RIS3 + "Organisation")
        return label, iri[len(_RIS3) :]
    if item.types:
        iri, label = sorted(item.types.items())[0]
        return label, ""
    return "", ""


def _element(
    item: _Item, children: Iterable[Element] = (), *, relation: str | None = None, hide: Iterable[str] = ()
) -> Element:
    kind, kind_name = _kind(item)
    hidden = _STRUCTURE | set(hide)
    facts = tuple(
        Fact(prop, item.property_labels.get(prop, prefixed_name(prop)), tuple(sorted(set(refs), key=_ref_key)))
        for prop, refs in sorted(item.links.items(), key=lambda pair: item.property_labels.get(pair[0], pair[0]))
        if prop not in hidden
    )
    return Element(
        iri=item.iri,
        kind=kind,
        kind_name=kind_name,
        label=item.label,
        original=item.original,
        description=item.description,
        ordinal=item.ordinal,
        notation=item.notation,
        themes=tuple(sorted(set(item.links.get(_RIS3 + "theme", [])), key=_ref_key)),
        facts=facts,
        passages=tuple(sorted(set(item.passages), key=lambda p: (p.document, p.text.text))),
        children=tuple(children),
        relation=relation,
    )


def _ref_key(ref: Ref) -> tuple[str, str]:
    return (ref.label.casefold(), ref.value)


def _sorted(items: Iterable[_Item]) -> list[_Item]:
    return sorted(items, key=lambda item: item.sort_key)


def _level_key(item: _Item) -> tuple[int, tuple[int, str, str]]:
    level = local_name(item.one(_RIS3 + "governanceLevel") or "").removeprefix("level-")
    return (_LEVELS.index(level) if level in _LEVELS else len(_LEVELS), item.sort_key)


def _part(main: _Item, items: dict[str, _Item]) -> Part:
    """Sort the elements and actors of one strategy or study into the sections of its page."""
    elements = [i for i in items.values() if main.iri in (i.one(_RIS3 + "inStrategy"), i.one(_RIS3 + "inStudy"))]
    actors = [i for i in items.values() if main.iri in i.all(_RIS3 + "actorIn")]
    mine = {i.iri: i for i in elements}
    shown: set[str] = set()

    def take(item: _Item, children: Iterable[Element] = (), relation: str | None = None) -> Element:
        shown.add(item.iri)
        return _element(item, children, relation=relation)

    def of(*kinds: str) -> list[_Item]:
        return _sorted(i for i in elements if i.has(*kinds) and i.iri not in shown)

    sections: list[Section] = []

    def add(key: str, title: str, found: list[Element]) -> None:
        if found:
            sections.append(Section(key, title, tuple(found)))

    add("vision", "Vision and goals", [take(i) for i in of("Vision", "Goal")])
    add(
        "principles",
        "Principles and methods",
        [take(i) for i in of("Principle", "Method", "EntrepreneurialDiscoveryProcess", "Discovery")],
    )

    def steps(item: _Item) -> list[Element]:
        found = [mine[s] for s in item.all(_RIS3 + "hasStep") if s in mine]
        return [take(s, relation="step") for s in _sorted(found)]

    def area(item: _Item, above: frozenset[str] = frozenset()) -> Element:
        # Not an area above this one: a loop of sub-areas (which validation refuses) cannot recurse forever.
        path = above | {item.iri}
        subs = _sorted(mine[s] for s in item.all(_RIS3 + "hasSubArea") if s in mine and s not in path)
        shown.update(s.iri for s in subs)
        return take(item, [*(area(s, path) for s in subs), *steps(item)])

    areas = of("SpecialisationArea", "Priority", "StrategicOpportunity")
    shown.update(i.iri for i in areas)
    add("areas", "Areas and priorities", [area(i) for i in areas])
    add("subareas", "Other sub-areas", [take(i) for i in of("SubArea")])

    challenges = of("Challenge", "Bottleneck")
    shown.update(i.iri for i in challenges)
    found = []
    for challenge in challenges:
        answers = _sorted(
            i for i in elements if challenge.iri in i.all(_RIS3 + "addresses") and i.has("Action", "Initiative", "Step")
        )
        found.append(take(challenge, [take(a, steps(a), relation="addresses") for a in answers]))
    add("challenges", "Challenges and bottlenecks, with the actions that address them", found)
    add("actions", "Other actions and initiatives", [take(i, steps(i)) for i in of("Action", "Initiative", "Step")])

    analyses = of("SwotAnalysis")
    shown.update(i.iri for i in analyses)
    swot = []
    for analysis in analyses:
        entries = _sorted(i for i in elements if i.one(_RIS3 + "inAnalysis") == analysis.iri)
        swot.append(take(analysis, [take(e) for e in entries]))
    swot.extend(take(i) for i in of("SwotEntry"))
    add("swot", "SWOT", swot)
    add("assessments", "Assessments and overlaps", [take(i) for i in of("Assessment", "PriorityOverlap")])
    add("figures", "Figures", [take(i) for i in of("Figure")])
    add("milestones", "Milestones", [take(i) for i in of("Milestone")])
    add("other", "Other elements", [take(i) for i in _sorted(i for i in elements if i.iri not in shown)])

    sections.extend(_governance(actors, items))
    described = tuple(sorted(set(main.links.get(_RIS3 + "studyOf", [])), key=_ref_key))
    return Part(_element(main), tuple(sections), described)


def _governance(actors: list[_Item], items: dict[str, _Item]) -> list[Section]:
    """The governance bodies as a tree (what they report to, else what they are part of), then the other actors."""
    bodies = {i.iri: i for i in actors if i.has("GovernanceBody")}
    parent: dict[str, tuple[str, str]] = {}
    for body in bodies.values():
        for prop, relation in ((_ORG + "reportsTo", "reports to"), (_ORG + "subOrganizationOf", "part of")):
            target = body.one(prop)
            if target is not None and target != body.iri:
                parent[body.iri] = (target, relation)
                break
    # The organisations bodies are part of or report to, that are not bodies themselves, are roots too.
    roots = {target for target, _ in parent.values() if target not in bodies}
    roots.update(iri for iri in bodies if iri not in parent)

    def node(iri: str, relation: str | None, seen: frozenset[str]) -> Element:
        kids = _sorted_levels(bodies[b] for b, (target, _) in parent.items() if target == iri and b not in seen)
        children = [node(k.iri, parent[k.iri][1], seen | {k.iri}) for k in kids]
        item = items.get(iri) or _Item(iri, {}, local_name(iri), None, None, None, None)
        return _element(item, children, relation=relation)

    # The organisations the bodies belong to first (they hold the political level), then the bodies by level.
    tops = sorted((items.get(r) or _stub(r) for r in roots), key=lambda i: (i.iri in bodies, _level_key(i)))
    tree = [node(r.iri, None, frozenset({r.iri})) for r in tops]
    sections = [Section("governance", "Governance", tuple(tree))] if bodies else []
    others = [a for a in actors if a.iri not in bodies]
    if others:
        roles: dict[str, list[_Item]] = {}
        role_labels: dict[str, str] = {}
        for actor in others:
            refs = actor.links.get(_RIS3 + "helixRole") or [Ref("", "no helix role given")]
            for ref in refs:
                roles.setdefault(ref.value, []).append(actor)
                role_labels[ref.value] = ref.label
        groups = tuple(
            (role_labels[role], tuple(_element(a) for a in sorted(members, key=lambda i: i.label.casefold())))
            for role, members in sorted(roles.items(), key=lambda pair: (pair[0] == "", role_labels[pair[0]]))
        )
        sections.append(Section("actors", "Actors by helix role", groups=groups))
    return sections


def _stub(iri: str) -> _Item:
    return _Item(iri, {}, local_name(iri), None, None, None, None)


def _sorted_levels(items: Iterable[_Item]) -> list[_Item]:
    return sorted(items, key=_level_key)


def strategy_view(store: GraphStore, graph: str, *, limit: int = 20_000) -> StrategyView | None:
    """Return a strategy's graph structured by kind, or None when the graph documents no strategy or study.

    Args:
        store: The store (the server passes its bounded store).
        graph: The strategy's named graph (a valid IRI; only ever bound as a term).
        limit: The most rows each of the three queries returns; a cut query is named in ``truncated``.
    """
    items, truncated = _read(store, graph, limit)
    mains = [
        i for i in items.values() if i.has("Strategy", "Study") and i.links.get(_RIS3 + "documentedIn") is not None
    ]
    if not mains:
        return None
    mains.sort(key=lambda i: (not i.has("Study"), i.sort_key))
    parts = tuple(_part(main, items) for main in mains)
    main_iris = {m.iri for m in mains}
    referenced = tuple(
        _element(i) for i in _sorted(i for i in items.values() if i.has("Strategy") and i.iri not in main_iris)
    )
    documents = tuple(_element(i) for i in _sorted(i for i in items.values() if i.has("SourceDocument", "Publication")))
    return StrategyView(graph, parts, referenced, documents, frozenset(truncated))
