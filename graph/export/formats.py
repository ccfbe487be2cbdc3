"""The export formats of a network, with their media types and file extensions."""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import Enum
from typing import BinaryIO

from ris3kg.graph.export.gexf import MEDIA_TYPE as GEXF_MEDIA_TYPE
from ris3kg.graph.export.gexf import write_gexf
from ris3kg.graph.export.network import Network
from ris3kg.graph.export.tabular import csv_zip, write_graphml
from ris3kg.ontology.formats import UnknownFormatError


class ExportFormat(Enum):
    """A file format a network is exported in."""

    GEXF = "gexf"
    GRAPHML = "graphml"
    CSV = "csv"

    @property
    def media_type(self) -> str:
        """The media type of a download in this format (CSV is a zip of two tables)."""
        return {"gexf": GEXF_MEDIA_TYPE, "graphml": "application/graphml+xml", "csv": "application/zip"}[self.value]

    @property
    def extension(self) -> str:
        """The file extension of a download in this format."""
        return {"gexf": "gexf", "graphml": "graphml", "csv": "zip"}[self.value]


def export_format(name: str) -> ExportFormat:
    """Return the format with this name.

    Raises:
        UnknownFormatError: There is none; the message lists the formats (a ``ValueError``).
    """
    try:
        return ExportFormat(name)
    except ValueError:
        known = ", ".join(f.value for f in ExportFormat)
        raise UnknownFormatError(f"unknown format {name!r}; use one of {known}") from None


def write_network(network: Network, fmt: ExportFormat, sink: BinaryIO) -> None:
    """Write a network in a format to a binary file (CSV as a zip of the node and edge tables)."""
    writers: dict[ExportFormat, Callable[[Network, BinaryIO], None]] = {
        ExportFormat.GEXF: lambda n, s: write_gexf(n, s),
        ExportFormat.GRAPHML: write_graphml,
        ExportFormat.CSV: csv_zip,
    }
    writers[fmt](network, sink)


def to_bytes(network: Network, fmt: ExportFormat) -> bytes:
    """Return a network serialized in a format."""
    sink = io.BytesIO()
    write_network(network, fmt, sink)
    return sink.getvalue()
