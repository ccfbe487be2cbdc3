r"""Counting the rows of SPARQL results while Oxigraph writes them, in any of the four formats.

The endpoint caps the rows of a result. Counting them as the bytes are written lets the result be
written once, straight into the format the client asked for, and stops the writer as soon as the
cap is passed. Each counter is fed the chunks in order (Oxigraph writes about 8 KiB at a time and
may cut anywhere, even inside a string or an escape) and relies only on the syntax of the format:

- TSV: one line per row after the header; a newline inside a value is written as ``\\n``.
- CSV: one line per row after the header, but a quoted value may hold a line break, so only line
  breaks outside quotes count (a quote inside a quoted value is doubled, which keeps the parity).
- XML: one ``<result>`` element per row; ``<`` inside a value is written as ``&lt;``.
- JSON: one object per row in the ``bindings`` array. With the strings taken out (a quote inside a
  string is always escaped), a row object is the only ``{`` that follows ``[`` or ``},``: a
  variable's value follows ``:``.
"""

from __future__ import annotations

from typing import Protocol


class RowCounter(Protocol):
    """Counts the rows of a result from the chunks its writer produces."""

    @property
    def rows(self) -> int:
        """Rows begun (XML, JSON) or ended (CSV, TSV) in the chunks fed so far."""

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk of the result."""

    def exceeds(self, limit: int) -> bool:
        """Whether the chunks fed so far hold more than ``limit`` rows."""


class LineRows:
    """Rows of a TSV result (its lines after the header), or triples of N-Triples (its lines).

    Args:
        header: Whether the first line is a header, not a row.
    """

    def __init__(self, *, header: bool = True) -> None:
        self._lines = 0
        self._header = 1 if header else 0

    @property
    def rows(self) -> int:
        """Lines ended so far, less the header."""
        return max(self._lines - self._header, 0)

    def feed(self, chunk: bytes) -> None:
        """Count the line ends of the next chunk."""
        self._lines += chunk.count(b"\n")

    def exceeds(self, limit: int) -> bool:
        """Whether there are more than ``limit`` rows."""
        return self.rows > limit


class CsvRows:
    """Rows of a CSV result: line breaks outside quoted values, after the header."""

    def __init__(self) -> None:
        self._lines = 0
        self._quoted = False

    @property
    def rows(self) -> int:
        """Records ended so far, less the header."""
        return max(self._lines - 1, 0)

    def feed(self, chunk: bytes) -> None:
        """Count the line ends outside quotes in the next chunk."""
        if not self._quoted and b'"' not in chunk:
            self._lines += chunk.count(b"\n")
            return
        parts = chunk.split(b'"')
        outside = parts[1::2] if self._quoted else parts[0::2]
        self._lines += sum(part.count(b"\n") for part in outside)
        if len(parts) % 2 == 0:  # an odd number of quotes: the chunk ends on the other side
            self._quoted = not self._quoted

    def exceeds(self, limit: int) -> bool:
        """Whether there are more than ``limit`` rows."""
        return self.rows > limit


class MarkerRows:
    """Rows of a result that writes a fixed marker, which its values cannot contain, once per row."""

    def __init__(self, marker: bytes) -> None:
        self._marker = marker
        self._tail = b""
        self.rows = 0

    def feed(self, chunk: bytes) -> None:
        """Count the markers that end in the next chunk."""
        # A marker cut by the chunk boundary is found in the last bytes of the previous chunk plus
        # this one; the tail is shorter than the marker, so nothing in it is counted twice.
        data = self._tail + chunk
        self.rows += data.count(self._marker)
        self._tail = data[-(len(self._marker) - 1) :]

    def exceeds(self, limit: int) -> bool:
        """Whether there are more than ``limit`` rows."""
        return self.rows > limit


def xml_rows() -> MarkerRows:
    """A counter of ``<result>`` elements."""
    return MarkerRows(b"<result>")


class JsonRows:
    """Rows of a SPARQL JSON result: the objects of its ``bindings`` array.

    Every row object opens with ``{``, so the braces of a chunk bound its rows from above; that
    bound is cheap, and the chunks are only scanned exactly once it passes the limit asked about.
    """

    _ROW_STARTS = (b"[{", b"},{")

    def __init__(self) -> None:
        self._pending: list[bytes] = []
        self._pending_braces = 0
        self._counted = 0  # rows in the chunks scanned
        self._in_string = False
        self._backslash = b""  # an escape cut by the chunk boundary
        self._tail = b""  # the last bytes outside strings, for a row start cut by the boundary

    @property
    def rows(self) -> int:
        """Row objects begun in the chunks fed so far."""
        self._scan()
        return self._counted

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk (counted later, when needed)."""
        self._pending.append(chunk)
        self._pending_braces += chunk.count(b"{")

    def exceeds(self, limit: int) -> bool:
        """Whether there are more than ``limit`` rows."""
        if self._counted + self._pending_braces <= limit:
            return False
        return self.rows > limit

    def _scan(self) -> None:
        for chunk in self._pending:
            self._scan_chunk(chunk)
        self._pending.clear()
        self._pending_braces = 0

    def _scan_chunk(self, chunk: bytes) -> None:
        data = self._backslash + chunk
        if b"\\" in data:
            run = len(data) - len(data.rstrip(b"\\"))
            self._backslash = b"\\" if run % 2 else b""
            if run % 2:
                data = data[:-1]
            # Backslashes only occur in strings: drop escaped backslashes, then escaped quotes, so
            # that every quote left opens or closes a string.
            data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
        parts = data.split(b'"')
        outside = parts[1::2] if self._in_string else parts[0::2]
        text = b'""'.join(outside)  # strings emptied, not removed, so no row start is made up
        if self._in_string:
            text = b'""' + text
        if len(parts) % 2 == 0:
            self._in_string = not self._in_string
        combined = self._tail + text
        self._counted += sum(combined.count(start) - self._tail.count(start) for start in self._ROW_STARTS)
        self._tail = combined[-2:]
