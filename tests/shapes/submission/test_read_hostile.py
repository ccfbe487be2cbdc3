"""Hostile submissions: every one is refused fast, within bounded memory, as a SubmissionError of the right kind.

Each hostile file is built here: workbooks with openpyxl, zips by hand (local headers and central
directory written with :mod:`struct`, so that their sizes can lie), deflate streams that inflate
2 GiB from 2 MB (blocks of zeros after a full flush, repeated), and deeply nested JSON-LD and
RDF/XML. Time is measured with :func:`time.monotonic`; memory as the growth of the process's peak
resident size (``ru_maxrss``, KiB on Linux), which only says something when a case would have
inflated far past what the test itself holds.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import resource
import shutil
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font
from rdflib import BNode, URIRef
from rdflib.compare import isomorphic, to_canonical_graph

from ris3kg.shapes.spreadsheet.read import ReadLimits, TemplateLimitError, _Unpacked
from ris3kg.shapes.spreadsheet.template import write_csv_folder
from ris3kg.shapes.submission import read as intake
from ris3kg.shapes.submission.read import Limits, SubmissionError, SubmissionFormat, read_submission

from conftest import DATA

TESTLANDIA = DATA / "submissions" / "testlandia.xlsx"
MIB = 1024 * 1024
SECONDS = 5.0
"""Generous: every refusal here takes well under a second on an idle machine."""
PEAK_GROWTH_KIB = 200 * 1024
P = URIRef("http://a/p")


@contextmanager
def bounded(*, seconds: float = SECONDS, memory: bool = False) -> Iterator[None]:
    """Assert that the body runs within ``seconds`` and (optionally) grows the peak RSS by < 200 MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    yield
    elapsed = time.monotonic() - start
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    if memory:
        growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
        assert growth < PEAK_GROWTH_KIB, f"peak memory grew by {growth // 1024} MB"


def refused(
    data: bytes, name: str, kind: str, *, limits: Limits | None = None, memory: bool = False
) -> SubmissionError:
    """Read ``data`` and return the SubmissionError it must raise, of ``kind``, fast and (optionally) lean."""
    with bounded(memory=memory), pytest.raises(SubmissionError) as caught:
        read_submission(data, name=name, limits=limits or Limits())
    error = caught.value
    assert error.kind == kind, str(error)
    assert error.source == name
    text = str(error)
    assert tempfile.gettempdir() + "/" not in text and str(DATA) not in text, text
    return error


# --------------------------------------------------------------------------- zips written by hand


@dataclass(frozen=True)
class Member:
    """One member of a hand-written zip: its raw (compressed) data and what the headers claim."""

    name: str
    data: bytes
    crc: int
    file_size: int
    method: int = zipfile.ZIP_DEFLATED


def deflated(name: str, content: bytes) -> Member:
    """An honest deflated member."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content))


def inflating(prefix: bytes, zero_mib: int) -> tuple[bytes, bytes]:
    """Return a raw deflate stream of ``prefix`` then ``zero_mib`` MiB of zeros, and the first 64 KiB it inflates to.

    Blocks compressed after a full flush do not look back, so one MiB of zeros compressed once
    (about 1 KB) can be repeated: 2048 repetitions inflate to 2 GiB.
    """
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = block.compress(bytes(MIB)) + block.flush(zlib.Z_FULL_FLUSH)
    stream = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH) + zeros * zero_mib + b"\x03\x00"
    return stream, (prefix + bytes(64 * 1024))[: 64 * 1024]


def lying(name: str, prefix: bytes, zero_mib: int, *, claims: int, crc_of_claim: bool = True) -> Member:
    """A member that inflates to ``zero_mib`` MiB but whose headers claim ``claims`` bytes.

    With ``crc_of_claim`` its CRC is that of the first ``claims`` bytes, so a reader that stops at
    the claimed size sees a consistent (truncated) member.
    """
    stream, start = inflating(prefix, zero_mib)
    assert claims <= len(start)
    crc = zlib.crc32(start[:claims]) if crc_of_claim else 0x12345678
    return Member(name, stream, crc, claims)


def zip_by_hand(members: list[Member], *, entries: int | None = None) -> bytes:
    """Write a zip: local headers, data, central directory, end record (``entries`` may lie)."""
    out = bytearray()
    directory = bytearray()
    for member in members:
        offset = len(out)
        name = member.name.encode()
        sizes = (member.crc, len(member.data), member.file_size, len(name))
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, member.method, 0, 0x21, *sizes, 0) + name
        out += member.data
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, member.method, 0, 0x21, *sizes, 0, 0, 0, 0, 0, offset
        )
        directory += name
    count = len(members) if entries is None else entries
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


def workbook_members(*, replace: dict[str, Member] | None = None, add: list[Member] | None = None) -> list[Member]:
    """The members of testlandia.xlsx, honest, with some replaced or added."""
    replace = replace or {}
    with zipfile.ZipFile(TESTLANDIA) as archive:
        members = [replace.get(n) or deflated(n, archive.read(n)) for n in archive.namelist()]
    return members + (add or [])


@pytest.fixture(scope="module")
def testlandia_csv_zip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """testlandia as a zip of CSV files, one per sheet."""
    folder = tmp_path_factory.mktemp("csv")
    graph = read_submission(TESTLANDIA.read_bytes(), name="testlandia.xlsx").graph
    write_csv_folder(folder / "testlandia", graph=graph)
    return Path(shutil.make_archive(str(folder / "testlandia"), "zip", folder / "testlandia")).read_bytes()


def csv_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


# --------------------------------------------------------------------------- normal files still read as before


def test_the_normal_template_files_read_exactly_as_before(testlandia_csv_zip: bytes) -> None:
    submission = read_submission(TESTLANDIA.read_bytes(), name="testlandia.xlsx")
    lines = sorted(to_canonical_graph(submission.graph).serialize(format="nt").splitlines())
    assert len(submission.graph) == 94
    assert hashlib.sha256("\n".join(lines).encode()).hexdigest() == (
        "61ac17c2461c851b55c4b4a2368efdb1fbcd6866345efd61a198f930c5548511"
    )
    located = sorted(f"{node} {where}" for node, where in submission.locations.items() if isinstance(node, URIRef))
    assert hashlib.sha256("\n".join(located).encode()).hexdigest() == (
        "276d5b204f43c96009273118eba5bfe4f17ae2e754cfcb1c68060cadc565145e"  # each id cell now also says "cell A2"
    )
    from_csv = read_submission(testlandia_csv_zip, name="testlandia.zip")
    assert from_csv.format is SubmissionFormat.CSV_ZIP
    assert isomorphic(from_csv.graph, submission.graph)


# --------------------------------------------------------------------------- sheet dimensions


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """testlandia with a value in XFD20000; in XFD on each of 20k rows; in A1000000; a styled empty XFD20000."""
    folder = tmp_path_factory.mktemp("wide")
    built: dict[str, bytes] = {}

    def variant(key: str, *cells: tuple[int, int, object]) -> None:
        workbook = load_workbook(TESTLANDIA)
        sheet = workbook["Actors"]
        for row, column, value in cells:
            if value is Font:
                sheet.cell(row=row, column=column).font = Font(bold=True)
            else:
                sheet.cell(row=row, column=column, value=value)
        workbook.save(folder / f"{key}.xlsx")
        built[key] = (folder / f"{key}.xlsx").read_bytes()

    variant("lone-xfd", (20_000, 16_384, "x"))
    variant("xfd-column", *((row, 16_384, "x") for row in range(2, 20_001)))
    variant("far-row", (1_000_000, 1, "actor:far-away"))
    variant("styled-xfd", (20_000, 16_384, Font))
    return built


def test_a_lone_value_in_column_xfd_is_refused_naming_the_sheet_cell_and_limit(workbooks: dict[str, bytes]) -> None:
    error = refused(workbooks["lone-xfd"], "wide.xlsx", "too_large")
    assert error.message.startswith("sheet 'Actors', row 20000: cell XFD20000 holds a value past column BL")
    assert "the limit is 64 columns" in error.message and "remove the empty columns" in error.message


def test_a_value_in_column_xfd_on_20k_rows_is_refused_at_the_first(workbooks: dict[str, bytes]) -> None:
    assert len(workbooks["xfd-column"]) < 400_000
    error = refused(workbooks["xfd-column"], "wide.xlsx", "too_large")
    assert "cell XFD2 holds a value" in error.message


def test_a_value_past_the_row_cap_is_refused_naming_the_cell(workbooks: dict[str, bytes]) -> None:
    error = refused(workbooks["far-row"], "long.xlsx", "too_large")
    assert error.message.startswith("sheet 'Actors', row 1000000: more than 20000 rows (cell A1000000 holds a value")
    assert "split" in error.message


def test_empty_styled_cells_of_a_huge_dimension_cost_nothing(workbooks: dict[str, bytes]) -> None:
    with bounded():
        submission = read_submission(workbooks["styled-xfd"], name="styled.xlsx")
    assert isomorphic(submission.graph, read_submission(TESTLANDIA.read_bytes(), name="t.xlsx").graph)


def test_a_csv_value_past_the_last_column_is_refused(testlandia_csv_zip: bytes) -> None:
    files = csv_members(testlandia_csv_zip)
    name = next(n for n in files if n.endswith("Actors.csv"))
    files[name] += b"," * 99 + b"far\r\n"
    error = refused(zip_by_hand([deflated(n, d) for n, d in files.items()]), "wide.zip", "too_large")
    assert "sheet 'Actors'" in error.message and "cell CV" in error.message and "64 columns" in error.message
    files[name] = files[name].replace(b"far\r\n", b"\r\n")  # trailing empty cells are fine
    read_submission(zip_by_hand([deflated(n, d) for n, d in files.items()]), name="wide.zip")


def test_the_sheet_and_cell_caps_come_from_limits() -> None:
    data = TESTLANDIA.read_bytes()
    error = refused(data, "t.xlsx", "too_large", limits=Limits(max_sheets=3))
    assert "too many sheets" in error.message
    error = refused(data, "t.xlsx", "too_large", limits=Limits(max_cells=5))
    assert "more than 5 cells" in error.message
    error = refused(data, "t.xlsx", "too_large", limits=Limits(max_columns=3))
    assert "the limit is 3 columns" in error.message
    error = refused(data, "t.xlsx", "too_large", limits=Limits(max_rows=2))
    assert "more than 2 rows" in error.message


# --------------------------------------------------------------------------- inflation


def test_shared_strings_that_inflate_to_98_mb_are_refused_naming_the_part() -> None:
    stream, _ = inflating(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>', 98)
    strings = Member("xl/sharedStrings.xml", stream, 0, 98 * MIB + 77)
    data = zip_by_hand(workbook_members(add=[strings]))
    assert len(data) < 800_000
    error = refused(data, "strings.xlsx", "too_large", memory=True)
    assert "xl/sharedStrings.xml" in error.message and f"the limit is {32 * MIB} bytes per part" in error.message


def test_members_that_together_unpack_past_the_cap_are_refused() -> None:
    parts = [deflated(f"xl/media/image{i}.bin", bytes(3 * MIB)) for i in range(3)]
    error = refused(zip_by_hand(workbook_members(add=parts)), "many.xlsx", "too_large", limits=Limits(max_bytes=MIB))
    assert f"the limit is {8 * MIB} bytes" in error.message


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml"])
def test_an_xlsx_part_that_lies_small_and_inflates_to_2_gib_is_read_only_as_far_as_it_claims(part: str) -> None:
    """openpyxl reads these parts whole; the 2 GiB behind the claimed 1000 bytes are never inflated."""
    bomb = lying(part, b'<?xml version="1.0" encoding="UTF-8"?>\n<Types>', 2048, claims=1000)
    data = zip_by_hand(workbook_members(replace={part: bomb}))
    assert len(data) < 2_500_000
    error = refused(data, "bomb.xlsx", "invalid", memory=True)
    assert "not a readable .xlsx workbook" in "\n".join(error.details)


def test_an_xlsx_part_with_a_bad_crc_is_not_a_valid_workbook() -> None:
    bomb = lying("xl/styles.xml", b"<styleSheet>", 2048, claims=1000, crc_of_claim=False)
    error = refused(zip_by_hand(workbook_members(replace={"xl/styles.xml": bomb})), "crc.xlsx", "invalid", memory=True)
    assert "not an .xlsx workbook" in error.details[0] and "Bad CRC" in error.details[0]


def test_an_xlsx_part_that_claims_2_gib_is_refused_from_its_header() -> None:
    bomb = lying("xl/styles.xml", b"<styleSheet>", 2048, claims=1000)
    honest_size = Member(bomb.name, bomb.data, bomb.crc, 2048 * MIB + 12)
    error = refused(zip_by_hand(workbook_members(replace={"xl/styles.xml": honest_size})), "big.xlsx", "too_large")
    assert "xl/styles.xml unpacks to" in error.message


def test_a_csv_zip_that_lies_about_its_sizes_is_refused_without_inflating(testlandia_csv_zip: bytes) -> None:
    files = csv_members(testlandia_csv_zip)
    name = next(n for n in files if n.endswith("Actors.csv"))
    for crc_of_claim in (True, False):
        bomb = lying(name, b"id,type\r\n", 2048, claims=60_000, crc_of_claim=crc_of_claim)
        members = [bomb if n == name else deflated(n, d) for n, d in files.items()]
        data = zip_by_hand(members)
        assert len(data) < 2_500_000
        refused(data, "bomb.zip", "invalid", memory=True)
    claims_all = Member(name, bomb.data, 0, 2048 * MIB + 9)
    members = [claims_all if n == name else deflated(n, d) for n, d in files.items()]
    error = refused(zip_by_hand(members), "bomb.zip", "too_large", memory=True)
    assert "Actors.csv unpacks to" in error.message


def test_fifty_mb_of_zeros_with_patched_sizes_are_refused(testlandia_csv_zip: bytes, tmp_path: Path) -> None:
    """A member written with ZIP_DEFLATED, then its local and central headers patched to claim 1000 or 30 MB."""
    path = tmp_path / "zeros.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in csv_members(testlandia_csv_zip).items():
            archive.writestr(name, content)
        with archive.open("Zeros.csv", "w") as out:
            for _ in range(50):
                out.write(bytes(MIB))
    honest = path.read_bytes()
    error = refused(honest, "zeros.zip", "too_large", memory=True)
    assert "Zeros.csv unpacks to 52428800 bytes" in error.message
    info = zipfile.ZipFile(path).getinfo("Zeros.csv")
    for claim in (1000, 30 * MIB):
        crc = zlib.crc32(bytes(claim))
        patched = bytearray(honest)
        patched[info.header_offset + 14 : info.header_offset + 18] = struct.pack("<L", crc)
        patched[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<L", claim)
        (directory,) = struct.unpack("<L", honest[-6:-2])  # the end record: where the central directory starts
        entry = honest.index(b"Zeros.csv", directory) - 46
        assert honest[entry : entry + 4] == b"PK\x01\x02"
        patched[entry + 16 : entry + 20] = struct.pack("<L", crc)
        patched[entry + 24 : entry + 28] = struct.pack("<L", claim)
        error = refused(bytes(patched), "zeros.zip", "invalid", memory=True)
        assert "unknown sheet 'Zeros'" in "\n".join(error.details)


def test_the_unpacking_counter_stops_at_the_cap_whatever_the_headers_say(tmp_path: Path) -> None:
    path = tmp_path / "zeros.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("zeros.csv", "w") as out:
        for _ in range(50):
            out.write(bytes(MIB))
    with zipfile.ZipFile(path) as archive, bounded(memory=True):
        member = archive.getinfo("zeros.csv")
        for limits, message in ((ReadLimits(max_member_bytes=MIB), "per part"), (ReadLimits(max_bytes=MIB), "bytes:")):
            with pytest.raises(TemplateLimitError, match=message):
                _Unpacked(archive, "zeros.zip", limits, workbook=False).read(member)


def test_too_many_members_are_refused_before_the_directory_is_read() -> None:
    many = [deflated(f"xl/media/m{i}.bin", b"") for i in range(30_000)]
    data = zip_by_hand(workbook_members(add=many))
    error = refused(data, "many.xlsx", "too_large")
    assert "at most 1000" in error.message
    lies = zip_by_hand(workbook_members(add=many), entries=3)  # the count lies; the directory's size does not
    error = refused(lies, "many.xlsx", "too_large")
    assert "members" in error.message
    some = workbook_members(add=many[:50])
    error = refused(zip_by_hand(some), "some.xlsx", "too_large", limits=Limits(max_zip_members=100))
    assert f"the zip lists {len(some)} members" in error.message and "at most 100" in error.message
    error = refused(zip_by_hand(some, entries=3), "some.xlsx", "too_large", limits=Limits(max_zip_members=100))
    assert f"the zip has {len(some)} members; at most 100" in error.message


# --------------------------------------------------------------------------- corrupt zips


def _corrupt_variants(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = next(m for m in archive.infolist() if m.compress_size > 0)
    flipped = bytearray(data)
    start = first.header_offset + 30 + len(first.filename.encode())
    for offset in range(start, start + min(first.compress_size, 40)):
        flipped[offset] ^= 0x5A
    return {
        "truncated": data[: len(data) // 2],
        "flipped": bytes(flipped),
        "garbage": bytes(range(256)) * 64,
        "empty": b"",
        "ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
    }


@pytest.mark.parametrize("variant", ["truncated", "flipped", "garbage", "empty", "ole"])
def test_corrupt_workbooks_are_not_valid_xlsx_files(variant: str) -> None:
    data = _corrupt_variants(TESTLANDIA.read_bytes())[variant]
    error = refused(data, "corrupt.xlsx", "invalid")
    assert "not an .xlsx workbook" in error.details[0] or "not a readable .xlsx workbook" in error.details[0]


@pytest.mark.parametrize("variant", ["truncated", "flipped", "garbage", "empty"])
def test_corrupt_csv_zips_are_not_valid_zips(variant: str, testlandia_csv_zip: bytes) -> None:
    data = _corrupt_variants(testlandia_csv_zip)[variant]
    error = refused(data, "corrupt.zip", "invalid")
    assert "not a zip of CSV files" in error.details[0] or "not UTF-8" in error.details[0], error.details


def test_members_compressed_with_bzip2_are_refused(testlandia_csv_zip: bytes) -> None:
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_BZIP2) as archive:
        for name, content in csv_members(testlandia_csv_zip).items():
            archive.writestr(name, content)
    error = refused(target.getvalue(), "bz.zip", "invalid")
    assert "bzip2" in error.details[0]


def test_malformed_workbook_xml_and_csv_text_are_invalid(testlandia_csv_zip: bytes) -> None:
    broken = deflated("xl/workbook.xml", b"<workbook><sheets><sheet name='x' r:id='nope'/></sheets")
    refused(zip_by_hand(workbook_members(replace={"xl/workbook.xml": broken})), "broken.xlsx", "invalid")
    files = csv_members(testlandia_csv_zip)
    name = next(n for n in files if n.endswith("Actors.csv"))
    for bad in (b"\xff\xfe not utf-8", files[name] + b'"' + b"x" * 200_000 + b'"\r\n', files[name] + b"a\x00b\r\n"):
        members = [deflated(n, bad if n == name else d) for n, d in files.items()]
        refused(zip_by_hand(members), "bad.zip", "invalid")


def test_a_workbook_part_with_a_doctype_is_refused_while_copying() -> None:
    styles = deflated("xl/styles.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><styleSheet/>')
    error = refused(zip_by_hand(workbook_members(replace={"xl/styles.xml": styles})), "dtd.xlsx", "invalid")
    assert "xl/styles.xml has a DOCTYPE" in error.details[0]


# --------------------------------------------------------------------------- nesting


def _nested_jsonld(depth: int) -> bytes:
    return (
        '{"@id": "https://w3id.org/ris3kg/id/x/a",\n "http://a/p": '
        + '{"http://a/p": ' * depth
        + "1"
        + "}" * depth
        + "}"
    ).encode()


def test_jsonld_nested_900_levels_is_refused_naming_line_and_column() -> None:
    error = refused(_nested_jsonld(900), "deep.jsonld", "too_large")
    assert error.line == 2 and error.column is not None and error.column > 1
    assert "more than 64 levels deep" in error.message and "@id" in error.message
    assert error.column == len(' "http://a/p": ') + 64 * len('{"http://a/p": ') + 1 - len('{"http://a/p": ')


def test_jsonld_nested_a_million_levels_is_refused_fast() -> None:
    refused(b"[" * 1_000_000 + b"]" * 1_000_000, "deep.jsonld", "too_large", memory=True)
    refused(b'{"a":' * 500_000, "deep.jsonld", "too_large")


def test_jsonld_depth_ignores_brackets_in_strings_and_follows_the_limit() -> None:
    document = {"@id": "https://w3id.org/ris3kg/id/x/a", "http://a/label": "[[[{{{" * 200 + '\\"]]'}
    assert len(read_submission(json.dumps(document).encode(), name="brackets.jsonld").graph) == 1
    read_submission(_nested_jsonld(60), name="ok.jsonld")
    refused(_nested_jsonld(60), "deep.jsonld", "too_large", limits=Limits(max_depth=10))


def test_hostile_json_strings_are_scanned_in_linear_time() -> None:
    refused(b'["' + b'\\"' * 4_000_000 + b"\\", "quotes.jsonld", "invalid")
    refused(b'["' + b"[" * 4_000_000, "open.jsonld", "invalid")


def _nested_rdfxml(depth: int) -> bytes:
    return (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:a="http://a/">'
        '<rdf:Description rdf:about="http://a/s">'
        + '<a:p x="/>"><rdf:Description>' * depth
        + "<a:q>1</a:q>"
        + "</rdf:Description></a:p>" * depth
        + "</rdf:Description></rdf:RDF>"
    ).encode()


def test_rdfxml_nested_deeply_is_refused_fast() -> None:
    error = refused(_nested_rdfxml(100_000), "deep.rdf", "too_large", memory=True)
    assert error.line == 2 and "more than 64 levels deep" in error.message
    refused(b"<a " + b'x="' + b"<a " * 2_000_000, "open.rdf", "invalid")


def test_rdfxml_depth_skips_comments_and_self_closing_tags() -> None:
    comment = "<!-- " + "<a:p>" * 1000 + " -->"
    data = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:a="http://a/">'
        + comment
        + '<rdf:Description rdf:about="http://a/s"><a:p rdf:resource="http://a/o"/>' * 1
        + "<a:q><![CDATA["
        + "<a:q>" * 1000
        + "]]></a:q>"
        + "</rdf:Description></rdf:RDF>"
    ).encode()
    assert len(read_submission(data, name="ok.rdf").graph) == 2


# --------------------------------------------------------------------------- whatever a parser raises


@pytest.mark.parametrize(
    ("raised", "kind"),
    [
        (RecursionError("maximum recursion depth exceeded"), "too_large"),
        (MemoryError(), "too_large"),
        (KeyError("xl/worksheets/sheet1.xml"), "invalid"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "invalid"),
        (RuntimeError("something in /srv/ris3kg/private/file.py"), "invalid"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else v,
)
def test_any_exception_from_a_parser_ends_as_a_submission_error(
    monkeypatch: pytest.MonkeyPatch, raised: BaseException, kind: str
) -> None:
    def parse(*args: object, **kwargs: object) -> object:
        raise raised

    monkeypatch.setattr(intake.ox, "parse", parse)
    error = refused(b"<http://a/s> <http://a/p> <http://a/o> .\n", "any.ttl", kind)
    assert error.__cause__ is raised
    assert "/srv/ris3kg" not in str(error)


def test_a_blank_node_cycle_and_a_long_chain_are_located_without_recursion() -> None:
    chain = "".join(f"_:b{i} <http://a/p> _:b{i + 1} .\n" for i in range(3000))
    cycle = "_:c1 <http://a/p> _:c2 .\n_:c2 <http://a/p> _:c1 .\n"
    submission = read_submission(f"<https://w3id.org/x/s> <http://a/p> _:b0 .\n{chain}{cycle}".encode(), name="c.nt")
    graph = submission.graph
    (end,) = [o for o in graph.objects() if isinstance(o, BNode) and (o, None, None) not in graph]
    where = submission.location_of(end)
    assert where is not None and where.line == 1
    cyclic = [s for s in graph.subjects() if isinstance(s, BNode) and graph.value(graph.value(s, P), P) == s]
    assert len(cyclic) == 2
    assert all(submission.location_of(node) is None for node in cyclic)


def test_a_parser_crash_is_impossible_for_deep_jsonld(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyoxigraph's JSON-LD parser overflows the stack past a few thousand levels: it is never reached."""
    calls: list[object] = []
    original = ox.parse

    def parse(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(intake.ox, "parse", parse)
    refused(_nested_jsonld(5000), "deep.jsonld", "too_large")
    assert calls == []


# --------------------------------------------------------------------------- the error itself


def test_submission_errors_pickle_with_all_their_attributes() -> None:
    error = SubmissionError(
        "x.xlsx", "2 problems in the template", line=3, column=7, details=("a", "b"), kind="too_large"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is SubmissionError
    assert (copy.source, copy.message, copy.line, copy.column, copy.details, copy.kind) == (
        "x.xlsx",
        "2 problems in the template",
        3,
        7,
        ("a", "b"),
        "too_large",
    )
    assert str(copy) == str(error)
    assert pickle.loads(pickle.dumps(SubmissionError("y.ttl", "bad"))).kind == "invalid"
    with pytest.raises(ValueError, match="unknown SubmissionError kind"):
        SubmissionError("z", "m", kind="huge")  # type: ignore[arg-type]


def test_the_kinds_of_the_existing_refusals() -> None:
    data = (DATA / "valid" / "blekinge-excerpt.ttl").read_bytes()
    assert refused(data, "v.ttl", "too_large", limits=Limits(max_bytes=100)).message.startswith("the file has ")
    assert refused(data, "v.ttl", "too_large", limits=Limits(max_triples=10)).message.endswith("triples, the limit")
    assert refused(b"x", "strategy.docx", "unsupported_format").message.startswith("unknown file extension")
    with pytest.raises(SubmissionError, match="unknown submission format") as caught:
        SubmissionFormat.for_key("text/html", source="request")
    assert caught.value.kind == "unsupported_format"
    assert refused(b"<http://a/s> <http://a/p> .\n", "bad.nt", "invalid").line == 1


def test_the_limits_have_sane_defaults_and_derive_the_reader_caps() -> None:
    limits = Limits()
    assert limits.max_unpacked == 256 * MIB
    assert Limits(max_bytes=MIB).max_unpacked == 8 * MIB
    read = Limits(max_bytes=MIB, max_member_bytes=64 * MIB).read_limits()
    assert (read.max_bytes, read.max_member_bytes, read.max_members) == (8 * MIB, 8 * MIB, 1000)
    assert (read.max_rows, read.max_columns, read.max_sheets, read.max_cells) == (20_000, 64, 64, 1_000_000)
