"""Reading an uploaded manifest: a CSV (encoding and delimiter sniffed) or an .xlsx sheet.

Whatever the declared type or name, the bytes decide: a zip that openpyxl reads is a
workbook (its first sheet), text is CSV — UTF-8 (with or without BOM), UTF-16 with a BOM,
else Windows-1252 (Latin-1 where 1252 has no character). Anything else (a PDF, an image,
text with NUL bytes) is refused. The delimiter is sniffed among ``, ; TAB |``. The first
non-empty row is the header: trailing columns without a header or a value are dropped, a
blank header in between becomes ``Column N``, and two headers that normalise alike (case,
spacing, accents) are refused naming both columns, as is a data row repeating the header
row (two exports joined into one file). Caps: ``max_rows`` data rows,
``MAX_COLUMNS`` columns, ``MAX_CELL`` characters a cell; over any of them is a 422.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from common.errors import DomainError, Unprocessable
from inventory.functions.chains import normalise_header

MAX_COLUMNS = 200
MAX_CELL = 2000
UNPACKED_FACTOR = 10  # an .xlsx may unpack to this many times the upload cap
DELIMITERS = ",;\t|"
SNIFF_BYTES = 64 * 1024


class UnsupportedManifest(DomainError):
    status_code = 415


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows, each as long as the headers
    file_type: str  # csv or xlsx
    encoding: str
    delimiter: str


def read_manifest(data: bytes, *, max_rows: int, max_bytes: int) -> Table:
    if not data:
        raise UnsupportedManifest("The manifest is empty.")
    if data.startswith(b"PK\x03\x04"):
        return _workbook(data, max_rows=max_rows, max_bytes=max_bytes)
    encoding, text = decode(data)
    if "\x00" in text:
        raise UnsupportedManifest("The manifest is not a CSV (it holds NUL characters).")
    delimiter = sniff_delimiter(text[:SNIFF_BYTES])
    try:
        rows = _cap(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), max_rows)
    except csv.Error as exc:
        raise Unprocessable(f"The CSV does not parse: {exc}.") from None
    headers, body = tabulate(rows)
    return Table(headers, body, "csv", encoding, delimiter)


def decode(data: bytes) -> tuple[str, str]:
    """(the encoding it was read as, the text)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return "utf-16", data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnsupportedManifest("The manifest's UTF-16 text does not decode.") from None
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "windows-1252", data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", data.decode("latin-1")


def sniff_delimiter(sample: str) -> str:
    head = "\n".join(sample.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(head, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: head.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=lambda delimiter: counts[delimiter])
        return best if counts[best] else ","


def _cap(rows: Iterable[list[str]], max_rows: int) -> list[list[str]]:
    taken: list[list[str]] = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        taken.append(row)
        if len(taken) > max_rows + 1:  # the header and max_rows rows
            raise Unprocessable(f"The manifest has more than {max_rows:,} rows (the cap).")
    return taken


def tabulate(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows, cleaned and checked (see the module's docstring)."""
    if not rows:
        raise Unprocessable("The manifest has no header row.")
    raw_headers = [" ".join(cell.split()) for cell in rows[0]]
    width = len(raw_headers)
    while (
        width
        and not raw_headers[width - 1]
        and all(len(row) < width or not row[width - 1].strip() for row in rows[1:])
    ):
        width -= 1
    if width == 0:
        raise Unprocessable("The manifest's header row is empty.")
    if width > MAX_COLUMNS:
        raise Unprocessable(f"The manifest has {width} columns; at most {MAX_COLUMNS}.")
    headers = [name or f"Column {index + 1}" for index, name in enumerate(raw_headers[:width])]
    seen: dict[str, int] = {}
    for index, name in enumerate(headers):
        key = normalise_header(name)
        if key in seen:
            raise Unprocessable(
                f"The header row has duplicates: {headers[seen[key]]!r} (column {seen[key] + 1}) "
                f"and {name!r} (column {index + 1}); rename one."
            )
        seen[key] = index
        if len(name) > 200:
            raise Unprocessable(f"Header {index + 1} is longer than 200 characters.")
    keys = [normalise_header(name) for name in headers]
    body = []
    for number, row in enumerate(rows[1:], start=1):
        extra = [cell for cell in row[width:] if cell.strip()]
        if extra:
            raise Unprocessable(
                f"Row {number} has {len(row)} cells with values past the {width} headed columns."
            )
        cells = [cell.strip() for cell in row[:width]] + [""] * (width - len(row))
        for column, cell in enumerate(cells):
            if len(cell) > MAX_CELL:
                raise Unprocessable(
                    f"Row {number}, column {headers[column]!r} is longer than {MAX_CELL} characters."
                )
        if normalise_header(cells[0]) == keys[0] and [normalise_header(c) for c in cells] == keys:
            raise Unprocessable(
                f"Row {number} repeats the header row (two exports joined?); remove it."
            )
        body.append(cells)
    return headers, body


def _workbook(data: bytes, *, max_rows: int, max_bytes: int) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsupportedManifest("The manifest looks like a zip but is not readable.") from None
    if unpacked > UNPACKED_FACTOR * max_bytes:
        raise Unprocessable("The workbook unpacks to more than the cap allows; export it as CSV.")
    from openpyxl import load_workbook  # only when a workbook arrives

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file it cannot read
        raise UnsupportedManifest("The manifest is not a readable .xlsx workbook.") from None
    try:
        sheet = workbook.worksheets[0]
        rows = _cap(
            ([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)),
            max_rows,
        )
    except DomainError:
        raise
    except Exception:
        raise UnsupportedManifest("The workbook's first sheet could not be read.") from None
    finally:
        workbook.close()
    headers, body = tabulate(rows)
    return Table(headers, body, "xlsx", "xlsx", "")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
