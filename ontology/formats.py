"""The one table of the formats ris3kg reads and writes, built on pyoxigraph's own.

:class:`RdfSyntax` lists the RDF syntaxes and :class:`ResultFormat` the formats of SELECT and ASK
results. Each member names its ``pyoxigraph`` format (``RdfFormat`` / ``QueryResultsFormat``),
which gives the media type and the file extension, and adds only what pyoxigraph does not know:
the short name of ``?format=`` and of the CLI, rdflib's name for it, and the other media types and
extensions clients use. Members are plain enums, so they pickle (pyoxigraph's formats do not),
which work sent to a worker process needs.
"""

from __future__ import annotations

from enum import Enum

import pyoxigraph as ox


class UnknownFormatError(ValueError):
    """A format name, media type or extension that ris3kg does not know; the message lists the known ones."""


def _bare(media_type: str) -> str:
    """A media type without its parameters, in lower case (``text/csv; charset=utf-8`` → ``text/csv``)."""
    return media_type.split(";", 1)[0].strip().lower()


class RdfSyntax(Enum):
    """An RDF syntax: ``(short name, rdflib's name, extensions, other media types)``."""

    TURTLE = ("turtle", "turtle", ("ttl", "turtle"), ("application/turtle", "application/x-turtle"))
    N_TRIPLES = ("ntriples", "nt", ("nt",), ("text/plain",))
    N_QUADS = ("nquads", "nquads", ("nq",), ())
    TRIG = ("trig", "trig", ("trig",), ())
    JSON_LD = ("jsonld", "json-ld", ("jsonld", "json"), ("application/x-json+ld",))
    RDF_XML = ("rdfxml", "xml", ("rdf", "owl", "xml"), ())
    N3 = ("n3", "n3", ("n3",), ("text/rdf+n3", "application/n3"))

    def __init__(self, key: str, rdflib: str, extensions: tuple[str, ...], aliases: tuple[str, ...]) -> None:
        self.key = key
        self.rdflib = rdflib
        self.extensions = extensions
        self.aliases = aliases

    @property
    def oxigraph(self) -> ox.RdfFormat:
        """The pyoxigraph format."""
        return getattr(ox.RdfFormat, self.name)  # type: ignore[no-any-return]

    @property
    def media_type(self) -> str:
        """The media type (pyoxigraph's)."""
        return _bare(self.oxigraph.media_type)

    @property
    def extension(self) -> str:
        """The usual file extension, without the dot."""
        return self.extensions[0]

    @property
    def holds_datasets(self) -> bool:
        """Whether the syntax can name graphs (N-Quads, TriG, JSON-LD)."""
        return bool(self.oxigraph.supports_datasets)

    @classmethod
    def find(cls, name: str) -> RdfSyntax | None:
        """Return the syntax a short name, a media type (parameters ignored) or an extension names, or None."""
        wanted = _bare(name)
        for syntax in cls:
            if wanted in (syntax.key, syntax.media_type, *syntax.aliases) or wanted.lstrip(".") in syntax.extensions:
                return syntax
        return None


class ResultFormat(Enum):
    """A format of SELECT and ASK results: ``(short name, other media types)``."""

    JSON = ("json", ("application/json",))
    XML = ("xml", ("application/xml", "text/xml"))
    CSV = ("csv", ())
    TSV = ("tsv", ())

    def __init__(self, key: str, aliases: tuple[str, ...]) -> None:
        self.key = key
        self.aliases = aliases

    @property
    def oxigraph(self) -> ox.QueryResultsFormat:
        """The pyoxigraph format."""
        return getattr(ox.QueryResultsFormat, self.name)  # type: ignore[no-any-return]

    @property
    def media_type(self) -> str:
        """The media type (pyoxigraph's, without parameters)."""
        return _bare(self.oxigraph.media_type)

    @property
    def extension(self) -> str:
        """The usual file extension, without the dot (``srj``, ``srx``, ``csv``, ``tsv``)."""
        return str(self.oxigraph.file_extension)

    @classmethod
    def find(cls, name: str) -> ResultFormat | None:
        """Return the format a short name, a media type (parameters ignored) or an extension names, or None."""
        wanted = _bare(name)
        for fmt in cls:
            if wanted in (fmt.key, fmt.media_type, *fmt.aliases) or wanted.lstrip(".") == fmt.extension:
                return fmt
        return None


GRAPH_RESULT_SYNTAXES = (RdfSyntax.TURTLE, RdfSyntax.N_TRIPLES, RdfSyntax.JSON_LD, RdfSyntax.RDF_XML, RdfSyntax.N3)
"""The syntaxes of CONSTRUCT and DESCRIBE results, preferred first (on a tie in ``Accept``)."""

DESCRIPTION_SYNTAXES = (RdfSyntax.TURTLE, RdfSyntax.JSON_LD, RdfSyntax.N_TRIPLES, RdfSyntax.RDF_XML)
"""The syntaxes of entity pages, VoID and the service description, preferred first: JSON-LD, which
linked-data clients read most, before N-Triples."""
