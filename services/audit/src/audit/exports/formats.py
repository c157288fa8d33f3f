"""The export formats: every row as the text of its cells (the very text its hash was
computed from), and the closing count and chain head.

- **CSV**: a header line of ``COLUMNS``, one line per row (an empty cell is null), then the
  trailer line ``# rows=<count> chain_head=<hash of the last row, or ->``.
- **JSON**: ``{"results": [row, ...], "count": <count>, "chain_head": <hash or null>}``,
  each row an object of ``COLUMNS`` whose values are strings or null.
- **NDJSON**: one row object per line, then ``{"trailer": {"rows": ..., "chain_head": ...}}``.

Offline check (docs/architecture.md, audit): for every row, ``hash`` is the SHA-256 of its
``prev_hash`` and chained fields (``integrity/chain.py``); of two rows of one month at
consecutive positions, the second's ``prev_hash`` is the first's ``hash``; the trailer's
count is the number of rows and its chain head the last row's hash.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum

from audit.integrity.chain import CHAINED_FIELDS

COLUMNS: tuple[str, ...] = ("id", *CHAINED_FIELDS, "prev_hash", "hash")


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    ndjson = "ndjson"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.json: "application/json",
    ExportFormat.ndjson: "application/x-ndjson",
}


class Writer:
    """The JSON and NDJSON framing around rows that are JSON texts already, and every
    format's trailer (PostgreSQL writes the CSV itself)."""

    def __init__(self, export_format: ExportFormat) -> None:
        self.format = export_format
        self._first = True

    def head(self) -> bytes:
        return b'{"results":[' if self.format is ExportFormat.json else b""

    def rows(self, texts: Sequence[str]) -> bytes:
        if self.format is ExportFormat.ndjson:
            return "".join(text + "\n" for text in texts).encode()
        joined = ",".join(texts)
        if texts and not self._first:
            joined = "," + joined
        self._first = self._first and not texts
        return joined.encode()

    def tail(self, count: int, chain_head: str | None) -> bytes:
        if self.format is ExportFormat.csv:
            return f"# rows={count} chain_head={chain_head or '-'}\n".encode()
        if self.format is ExportFormat.json:
            return f'],"count":{count},"chain_head":{json.dumps(chain_head)}}}'.encode()
        return (json.dumps({"trailer": {"rows": count, "chain_head": chain_head}}) + "\n").encode()
