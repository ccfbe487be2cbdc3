"""The search index of one store generation: its schema, its analyzers, writing it once and opening it.

**Fields.** One text field per kind of text (:data:`~ris3kg.graph.search.documents.TEXT_KINDS`:
labels, descriptions, passages, theme labels) and per language: ``passage_sv``, ``label_no``, ...
Each language's field is analysed by its own analyzer (tantivy's simple tokenizer, lower case and
that language's Snowball stemmer, :data:`STEMMERS`); ``nb``, ``nn`` and ``no`` share the
Norwegian fields. Text in a language without a stemmer, or without a language tag, goes to the
``*_plain`` fields (lower case and ASCII folding). The facets (``kind``, ``strategy``, ``region``,
``country``, ``theme``, ``period``) are untokenized fast fields of IRIs, matched by exact terms and
counted by tantivy's terms aggregation.

**On disk.** A generation never changes, so its index is written once, into a folder of its own
named after the generation (``<root>/<generation>``; the web application's root is beside the
store, like the dumps'), under a temporary name renamed when complete, with its manifest (the
facets' values and their display names) written last: readers see all of it or nothing.
:class:`IndexCache` writes it on the first search of a generation, in a spawned child process
(nothing of the server's open stores shared, at a lower priority, killed past a timeout); a
threading lock lets one thread of a process start it, and a lock file lets one process of several
write it while the others wait and then read its folder. Indexes of generations that are gone are
pruned after each build.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import tantivy

from ris3kg.graph.search.documents import DESCRIPTION, LABEL, PASSAGE, TEXT_KINDS, THEME, Corpus, read_corpus
from ris3kg.graph.store.generations import (
    ArtefactWriters,
    artefact_temp,
    fsync_dir,
    write_artefact_once,
)

_log = logging.getLogger(__name__)

STEMMERS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
"""Language code (field suffix) to the name of tantivy's Snowball stemmer for it: every one tantivy has."""
ALIASES = {"nb": "no", "nn": "no"}
"""Language tags that share another's fields (Bokmål and Nynorsk: Norwegian)."""
PLAIN = "plain"
"""The suffix of the fields for text in a language without a stemmer, or without a language tag."""
SUFFIXES = (*sorted(STEMMERS), PLAIN)
LONGEST_TOKEN = 40
"""Longer tokens (base64, long URLs) are dropped from the index."""

BOOSTS = {LABEL: 3.0, DESCRIPTION: 1.5, PASSAGE: 1.0, THEME: 0.6}
"""How much a match in each kind of text weighs: labels over descriptions over passages; a theme's label least."""

FACETS = ("kind", "strategy", "region", "country", "theme", "period")
"""The facet fields, in the order pages show them."""
IRI = "iri"
TITLE = "title"
LANGUAGE = "language"

MANIFEST = "manifest.json"
"""Written last: its presence means the folder is complete."""
SCHEMA_VERSION = 1
"""Changes when the schema or the analyzers change: a folder of another version is written again."""
_HEAP = 64_000_000


class SearchIndexError(RuntimeError):
    """The index could not be written; the message says why, without paths."""


def suffix_of(tag: str) -> str:
    """The field suffix of a language tag: its primary subtag when tantivy has its stemmer, else :data:`PLAIN`.

    Args:
        tag: A language tag (``sv``, ``nb``, ``en-GB``) or ``""``.
    """
    primary = tag.split("-", 1)[0].lower()
    primary = ALIASES.get(primary, primary)
    return primary if primary in STEMMERS else PLAIN


def field_name(kind: str, suffix: str) -> str:
    """The text field of a kind of text (``passage``) in a language (``sv``, ``plain``)."""
    return f"{kind}_{suffix}"


TEXT_FIELDS = tuple(field_name(kind, suffix) for kind in TEXT_KINDS for suffix in SUFFIXES)
"""Every text field: a query runs against all of them, each parsed with its own analyzer."""
FIELD_BOOSTS = {field_name(kind, suffix): BOOSTS[kind] for kind in TEXT_KINDS for suffix in SUFFIXES}


def _analyzer_name(suffix: str) -> str:
    return f"ris3kg_{suffix}"


def analyzer(suffix: str) -> tantivy.TextAnalyzer:
    """The analyzer of a language's fields (:data:`STEMMERS`) or of the plain ones."""
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(LONGEST_TOKEN))
        .filter(tantivy.Filter.lowercase())
    )
    if suffix == PLAIN:
        return builder.filter(tantivy.Filter.ascii_fold()).build()
    return builder.filter(tantivy.Filter.stemmer(STEMMERS[suffix])).build()


def schema() -> tantivy.Schema:
    """The index's schema (see the module's description)."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(IRI, stored=True, tokenizer_name="raw")
    builder.add_text_field(TITLE, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(LANGUAGE, stored=True, tokenizer_name="raw", index_option="basic")
    for facet in FACETS:
        builder.add_text_field(facet, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name=_analyzer_name(name.rsplit("_", 1)[1]))
    return builder.build()


def register_analyzers(index: tantivy.Index) -> None:
    """Register the language analyzers with an index (tantivy does not keep them with it)."""
    for suffix in SUFFIXES:
        index.register_tokenizer(_analyzer_name(suffix), analyzer(suffix))


@dataclass(frozen=True)
class SearchIndex:
    """An open index of one generation.

    Attributes:
        generation: The generation's folder name.
        folder: The index's folder.
        index: The tantivy index (read only).
        searcher: Its searcher (safe to share between threads; the index never changes).
        names: A display name for each facet value (an IRI).
        values: The values each facet has in the index: the only ones a filter may name.
        documents: How many documents it holds.
        seconds: How long writing it took.
    """

    generation: str
    folder: Path
    index: tantivy.Index
    searcher: tantivy.Searcher
    names: dict[str, str]
    values: dict[str, frozenset[str]]
    documents: int
    seconds: float


def write_index(corpus: Corpus, folder: Path, *, generation: str, started: float | None = None) -> SearchIndex:
    """Write an index of a corpus into a new folder, atomically.

    Args:
        corpus: What to index.
        folder: The folder to write; it must not exist. The index is written beside it under a
            temporary name, renamed to ``folder`` once complete, its manifest last.
        generation: The generation's name, recorded in the manifest.
        started: When the work began (``time.perf_counter()``), for the manifest's duration.

    Raises:
        OSError: The folder cannot be written, or ``folder`` is there already.
    """
    started = time.perf_counter() if started is None else started
    temp = artefact_temp(folder)
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    try:
        index = tantivy.Index(schema(), path=str(temp), reuse=False)
        register_analyzers(index)
        writer = index.writer(heap_size=_HEAP, num_threads=1)
        values: dict[str, set[str]] = {facet: set() for facet in FACETS}
        for document in corpus.documents:
            doc = tantivy.Document()
            doc.add_text(IRI, document.iri)
            doc.add_text(TITLE, document.title)
            doc.add_text(LANGUAGE, document.language)
            facets = (
                document.kinds,
                document.strategies,
                document.regions,
                document.countries,
                document.themes,
                document.periods,
            )
            for facet, facet_values in zip(FACETS, facets, strict=True):
                for value in facet_values:
                    doc.add_text(facet, value)
                    values[facet].add(value)
            for kind in TEXT_KINDS:
                for text in document.texts[kind]:
                    doc.add_text(field_name(kind, suffix_of(text.language)), text.text)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        del writer, index
        for leftover in temp.glob(".tantivy-*.lock"):
            leftover.unlink(missing_ok=True)
        names = {value: corpus.names.get(value, value) for facet in FACETS for value in values[facet]}
        manifest = {
            "version": SCHEMA_VERSION,
            "generation": generation,
            "documents": len(corpus.documents),
            "seconds": round(time.perf_counter() - started, 3),
            "values": {facet: sorted(values[facet]) for facet in FACETS},
            "names": names,
        }
        with (temp / MANIFEST).open("w", encoding="utf-8") as out:
            json.dump(manifest, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        fsync_dir(temp)
        temp.rename(folder)  # fails if another writer's folder is there already: theirs is kept
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    fsync_dir(folder.parent)
    found = open_index(folder)
    assert found is not None
    return found


def build_index(generation: Path, folder: Path) -> SearchIndex:
    """Read a generation of the store (opened read-only) and write its index into ``folder``.

    Args:
        generation: The generation's folder (a complete Oxigraph store).
        folder: The index folder to write (see :func:`write_index`).
    """
    from ris3kg.graph.store.oxigraph import OxigraphStore  # the child process's import, not the server's

    started = time.perf_counter()
    corpus = read_corpus(OxigraphStore.open(generation))
    return write_index(corpus, folder, generation=generation.name, started=started)


def open_index(folder: Path) -> SearchIndex | None:
    """Open a complete index folder, or return None when there is none (or it is of another version)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("version") != SCHEMA_VERSION:
            return None
        index = tantivy.Index.open(str(folder))
        register_analyzers(index)
        index.config_reader(reload_policy="manual")
        index.reload()
        return SearchIndex(
            generation=str(manifest["generation"]),
            folder=folder,
            index=index,
            searcher=index.searcher(),
            names={str(k): str(v) for k, v in manifest["names"].items()},
            values={facet: frozenset(manifest["values"].get(facet, ())) for facet in FACETS},
            documents=int(manifest["documents"]),
            seconds=float(manifest["seconds"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _build_locked(generation: str, root: str, timeout: float) -> None:
    """The child process: write a generation's folder unless another process has, then tidy up."""
    write_artefact_once(generation, root, timeout, read=open_index, write=build_index)


class IndexCache:
    """The index of each generation, written on first demand in a child process, kept on disk, opened once.

    Safe to share between threads: the writing is :class:`~ris3kg.graph.store.generations.ArtefactWriters`'.

    Args:
        root: The folder of the index folders (made when first needed).
        timeout: Seconds after which a writer is killed (and a later search tries again).
        max_memory: Bytes of resident memory past which a writer is killed (0: no limit).
        retry: Seconds during which a failed generation is not tried again.
        keep_open: How many generations' indexes stay open in this process.
    """

    def __init__(
        self, root: Path, *, timeout: float = 600.0, max_memory: int = 0, retry: float = 30.0, keep_open: int = 2
    ) -> None:
        self.root = root
        self.keep_open = keep_open
        self._writers = ArtefactWriters(
            root,
            what="the search index",
            target=_build_locked,
            written=lambda folder: open_index(folder) is not None,
            error=SearchIndexError,
            timeout=timeout,
            max_memory=max_memory,
            retry=retry,
        )
        self._lock = threading.Lock()
        self._open: OrderedDict[str, SearchIndex] = OrderedDict()

    def folder(self, generation: Path) -> Path:
        """The folder of a generation's index."""
        return self._writers.folder(generation)

    def _opened(self, generation: Path) -> SearchIndex | None:
        with self._lock:
            found = self._open.get(generation.name)
            if found is not None:
                self._open.move_to_end(generation.name)
                return found
        found = open_index(self.folder(generation))
        if found is None:
            return None
        with self._lock:
            kept = self._open.setdefault(generation.name, found)
            self._open.move_to_end(generation.name)
            while len(self._open) > self.keep_open:
                self._open.popitem(last=False)
            return kept

    def get(self, generation: Path, *, wait: float) -> SearchIndex | None:
        """Return a generation's index, starting to write it if need be.

        Args:
            generation: The generation's folder.
            wait: Seconds to wait for an index being written.

        Returns:
            The index, or None when it is still being written after ``wait`` seconds.

        Raises:
            SearchIndexError: Writing it failed (within the last ``retry`` seconds).
        """
        found = self._opened(generation)
        if found is None and self._writers.ensure(generation, wait=wait):
            found = self._opened(generation)
        return found
