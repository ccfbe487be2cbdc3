"""The reference code lists as the checks use them: which codes exist, when, and what replaced them.

The packaged code lists (``graph/data/codelists``) and the hand-made reference data (the
vocabularies and ``regions.ttl``) are loaded once per process into an in-memory Oxigraph store,
about 60,000 triples in a fraction of a second. :func:`codelists` returns that one shared,
read-only instance; nothing here changes after it is made, so threads may share it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ris3kg.graph.catalogue import codelist_parts, reference_parts
from ris3kg.graph.terms import to_rdflib
from ris3kg.ontology.namespaces import PREFIXES

NUTS_IN_FORCE: Mapping[str, tuple[int, int]] = MappingProxyType(
    {"2016": (2018, 2020), "2021": (2021, 2023), "2024": (2024, 9999)}
)
"""The years each NUTS version applies to statistics (Regulation (EC) 1059/2003 and its amendments)."""

COMPLETE_VERSIONS = frozenset({"2021", "2024"})
"""The NUTS versions the packaged code lists always hold for every country (the template offers them).

Of 2016 they hold the hand-made Nordic codes only, unless Eurostat's NUTS 2016 file was there when
they were generated: :attr:`CodeLists.complete_versions` says which versions the data has in full.
"""

_COMPLETE = 1000
"""A NUTS version with at least this many codes is held in full (each has over 1,500)."""

_NUTS = PREFIXES["nuts"]
_SCHEME = PREFIXES["nutsscheme"]
_PREFIX = "\n".join(
    f"PREFIX {name}: <{PREFIXES[name]}>" for name in ("rdfs", "skos", "dcterms", "ris3", "nace", "nace21", "voc")
)


@dataclass(frozen=True)
class RegionCode:
    """A NUTS or statistical-region code, as the reference data knows it.

    Attributes:
        iri: The code's IRI.
        code: The code (``SE221``).
        label: Its name (the official one, or the English one of the hand-made data).
        level: Its level (0 to 3).
        versions: The NUTS versions it is valid in (``"2016"``, ``"2021"``, ``"2024"``).
        replaced_by: The codes that replaced it, where it was replaced.
    """

    iri: str
    code: str
    label: str
    level: int | None
    versions: frozenset[str]
    replaced_by: tuple[str, ...]

    def versions_text(self) -> str:
        """``NUTS 2021 and 2024``."""
        years = sorted(self.versions)
        if not years:
            return "no NUTS version"
        return "NUTS " + (years[0] if len(years) == 1 else ", ".join(years[:-1]) + " and " + years[-1])


@dataclass(frozen=True)
class Code:
    """An item of a flat code list (a language, a unit, a NACE item).

    Attributes:
        iri: Its IRI.
        notation: Its code (``fi``, ``PLN``, ``62.01``).
        label: Its English name, where it has one.
    """

    iri: str
    notation: str
    label: str


@dataclass
class _RegionRow:
    code: str
    level: int | None
    versions: set[str] = field(default_factory=set)
    replaced_by: list[str] = field(default_factory=list)
    label: str = ""


class CodeLists:
    """The reference code lists, indexed for the checks and for mixing into validation."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self.regions: Mapping[str, RegionCode] = MappingProxyType(self._regions())
        self.languages: Mapping[str, Code] = MappingProxyType(
            self._codes("?i a dcterms:LinguisticSystem ; skos:notation ?n")
        )
        self.units: Mapping[str, Code] = MappingProxyType(self._codes("?i skos:inScheme voc:Units"))
        self.nace: Mapping[str, Code] = MappingProxyType(
            self._codes("{ ?i skos:inScheme nace:nace2 } UNION { ?i skos:inScheme nace21:nace2.1 }")
        )
        self.by_notation: Mapping[str, str] = MappingProxyType({code.code: iri for iri, code in self.regions.items()})
        counts: dict[str, int] = {}
        for region in self.regions.values():
            for version in region.versions:
                counts[version] = counts.get(version, 0) + 1
        self.complete_versions = frozenset(version for version, n in counts.items() if n >= _COMPLETE)
        """The NUTS versions the data holds for every country (2021 and 2024, and 2016 if generated with it)."""
        self.language_tags: Mapping[str, str] = MappingProxyType(
            {code.notation: iri for iri, code in self.languages.items()}
        )

    def _select(self, variables: str, where: str) -> list[tuple[str | None, ...]]:
        """Run a SELECT over the store; each row holds ``variables`` (``"?a ?b"``) in that order."""
        result = self._store.query(f"{_PREFIX}\nSELECT {variables} WHERE {{ {where} }}")
        assert isinstance(result, ox.QuerySolutions)
        names = [name.lstrip("?") for name in variables.split()]
        return [
            tuple(None if solution[name] is None else str(solution[name].value) for name in names)
            for solution in result
        ]

    def _codes(self, pattern: str) -> dict[str, Code]:
        rows = self._select(
            "?i ?n ?l",
            f"{{ {pattern} }} OPTIONAL {{ ?i skos:notation ?n }} "
            "OPTIONAL { ?i rdfs:label ?l FILTER(LANG(?l) = 'en') }",
        )
        found: dict[str, Code] = {}
        for iri, notation, label in rows:
            assert iri is not None
            current = found.get(iri)
            found[iri] = Code(
                iri, notation or (current.notation if current else ""), label or (current.label if current else "")
            )
        return found

    def _regions(self) -> dict[str, RegionCode]:
        codes: dict[str, _RegionRow] = {}
        for iri, code, level in self._select(
            "?r ?code ?level", "?r a ris3:Region ; skos:notation ?code OPTIONAL { ?r ris3:nutsLevel ?level }"
        ):
            if iri is not None and code is not None and iri.startswith(_NUTS):
                codes[iri] = _RegionRow(code, None if level is None else int(level))
        for iri, scheme in self._select("?r ?s", "?r a ris3:Region ; skos:inScheme ?s"):
            if iri in codes and scheme is not None and scheme.startswith(_SCHEME):
                codes[iri].versions.add(scheme.removeprefix(_SCHEME))
        for old, new in self._select("?o ?n", "{ ?o dcterms:isReplacedBy ?n } UNION { ?n dcterms:replaces ?o }"):
            if old in codes and new is not None and new.removeprefix(_NUTS) not in codes[old].replaced_by:
                codes[old].replaced_by.append(new.removeprefix(_NUTS))
        for iri, label, lang in self._select("?r ?l ?lang", "?r a ris3:Region ; rdfs:label ?l BIND(LANG(?l) AS ?lang)"):
            if iri in codes and label is not None and (not codes[iri].label or lang == "en"):
                codes[iri].label = label
        return {
            iri: RegionCode(
                iri=iri,
                code=row.code,
                label=row.label,
                level=row.level,
                versions=frozenset(row.versions),
                replaced_by=tuple(sorted(row.replaced_by)),
            )
            for iri, row in codes.items()
        }

    def describe(self, nodes: Iterable[Node]) -> Graph:
        """The reference triples about ``nodes`` and the concepts above them (``skos:broader``).

        Validation mixes these into a submission instead of the whole code lists, so that a
        submission is checked against the codes it uses in about the time it took before.
        """
        graph = Graph(bind_namespaces="none")
        seen: set[str] = set()
        todo = [str(node) for node in nodes if isinstance(node, URIRef)]
        broader = ox.NamedNode(PREFIXES["skos"] + "broader")
        while todo:
            iri = todo.pop()
            if iri in seen:
                continue
            seen.add(iri)
            try:
                subject = ox.NamedNode(iri)
            except ValueError:
                continue
            for quad in self._store.quads_for_pattern(subject, None, None):
                graph.add((URIRef(iri), URIRef(quad.predicate.value), to_rdflib(quad.object)))
                if quad.predicate == broader and isinstance(quad.object, ox.NamedNode):
                    todo.append(quad.object.value)
        return graph

    def suggest(self, wrong: str, candidates: Mapping[str, str], *, count: int = 3) -> tuple[str, ...]:
        """The candidates closest to ``wrong``, best first: by code, then by name.

        Codes that start like the wrong one come first (``6299`` suggests ``6201``, ``6202``, ...,
        not ``8299``), then codes that look alike, then codes whose name matches what was written.

        Args:
            wrong: What was written (a code or a name).
            candidates: Each candidate's code mapped to its name.
            count: How many to return at most.
        """
        key = wrong.strip().upper()
        if not key:
            return ()

        def score(code: str) -> tuple[int, float]:
            upper = code.upper()
            prefix = next(
                (i for i, (a, b) in enumerate(zip(key, upper, strict=False)) if a != b), min(len(key), len(upper))
            )
            return prefix, difflib.SequenceMatcher(None, key, upper).ratio()

        ranked = sorted(candidates, key=lambda code: (tuple(-x for x in score(code)), code))
        found = [code for code in ranked if score(code)[0] >= min(2, len(key)) or score(code)[1] >= 0.6][:count]
        if len(found) < count:
            names = {str(name).casefold(): code for code, name in candidates.items() if name}
            for name in difflib.get_close_matches(wrong.strip().casefold(), list(names), n=count, cutoff=0.75):
                if names[name] not in found:
                    found.append(names[name])
        return tuple(found[:count])


def load_store() -> ox.Store:
    """An in-memory store with the reference parts and the code lists, in the default graph."""
    store = ox.Store()
    for part in (*reference_parts(), *codelist_parts()):
        data = part.ntriples()
        store.bulk_load(data, ox.RdfFormat.N_TRIPLES)
    return store


@lru_cache(maxsize=1)
def codelists() -> CodeLists:
    """The code lists of this process (made at the first call, then shared)."""
    return CodeLists(load_store())
