"""Reading the project's Turtle files from the installed package.

The files are package data read through :mod:`importlib.resources`, so an installed wheel works
outside the checkout. Parse errors name the file and the line.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import Graph

from ris3kg.ontology.formats import RdfSyntax
from ris3kg.ontology.namespaces import PREFIXES


class DataFileError(ValueError):
    """A data file that cannot be read: names the file, the line where known, and what is wrong."""

    def __init__(self, file: str, message: str, *, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class TurtleResource:
    """A Turtle file (or a generated, gzipped N-Triples file) shipped in a ``ris3kg`` package.

    Attributes:
        package: The package that holds the file, e.g. ``ris3kg.ontology``.
        name: The file's path inside the package, e.g. ``ris3kg.ttl``.
    """

    package: str
    name: str

    def traversable(self) -> Traversable:
        """Return the file as an :mod:`importlib.resources` traversable."""
        node = files(self.package)
        for part in self.name.split("/"):
            node = node.joinpath(part)
        return node

    def read_text(self) -> str:
        """Return the file's text (decompressed, for a ``.gz`` file)."""
        if self.name.endswith(".gz"):
            return self.read_bytes().decode("utf-8")
        return self.traversable().read_text(encoding="utf-8")

    def read_bytes(self) -> bytes:
        """Return the file's bytes (decompressed, for a ``.gz`` file)."""
        data = self.traversable().read_bytes()
        return gzip.decompress(data) if self.name.endswith(".gz") else data

    @property
    def ntriples(self) -> bool:
        """Whether the file is N-Triples (``.nt`` or ``.nt.gz``) rather than Turtle."""
        return self.name.removesuffix(".gz").endswith(".nt")

    @property
    def label(self) -> str:
        """A readable name for messages: ``package/name``."""
        return f"{self.package.replace('.', '/')}/{self.name}"


ONTOLOGY = TurtleResource("ris3kg.ontology", "ris3kg.ttl")
VOCABULARIES = TurtleResource("ris3kg.ontology", "vocabularies.ttl")
IMPORTS = TurtleResource("ris3kg.ontology", "imports.ttl")

_LINE = re.compile(r"line (\d+)")


def parse_turtle_text(text: str, *, source: str, fmt: str = "turtle") -> Graph:
    """Parse RDF text into a new graph with the project's prefixes bound.

    Args:
        text: The document.
        source: The name to use in error messages (a file name).
        fmt: The rdflib format name (``turtle``, ``nt``, ``trig``, ...).

    Returns:
        The parsed graph.

    Raises:
        DataFileError: The text is not valid RDF in that format; the message names the line.
    """
    graph = new_graph()
    try:
        graph.parse(data=text, format=fmt)
    except Exception as exc:  # rdflib raises many kinds; all mean the same here
        message = " ".join(str(exc).split())
        match = _LINE.search(message)
        raise DataFileError(source, message, line=int(match.group(1)) if match else None) from exc
    return graph


def parse_resource(resource: TurtleResource) -> Graph:
    """Parse a packaged Turtle file.

    Raises:
        DataFileError: The file is missing or not valid Turtle.
    """
    try:
        text = resource.read_text()
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise DataFileError(resource.label, "file not found in the installed package") from exc
    return parse_turtle_text(text, source=resource.label, fmt="nt" if resource.ntriples else "turtle")


def parse_path(path: Path) -> Graph:
    """Parse an RDF file on disk, choosing the format from its extension.

    Raises:
        DataFileError: The file cannot be read or parsed.
    """
    fmt = format_for(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), f"cannot read the file: {exc}") from exc
    return parse_turtle_text(text, source=str(path), fmt=fmt)


def format_for(path: Path) -> str:
    """Return the rdflib format name for a file extension.

    Raises:
        DataFileError: The extension is not one of the RDF formats ris3kg reads.
    """
    syntax = RdfSyntax.find(path.suffix) if path.suffix else None
    if syntax is None:
        known = ", ".join(sorted(f".{ext}" for syntax in RdfSyntax for ext in syntax.extensions))
        raise DataFileError(str(path), f"unknown RDF file extension {path.suffix!r}; use one of {known}")
    return syntax.rdflib


def new_graph() -> Graph:
    """Return an empty in-memory graph with exactly the project's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def ontology_graph() -> Graph:
    """Return the ontology and the vocabularies in one graph (the TBox and the value sets)."""
    graph = parse_resource(ONTOLOGY)
    graph += parse_resource(VOCABULARIES)
    return graph
