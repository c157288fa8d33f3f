"""Checking a CSV export away from the service, as ``shopfloor-audit verify-export FILE``
does: every row's hash from its cells, the links between consecutive rows of a month, and
the trailer's row count and chain head. (The same recipe is in docs/architecture.md, for
anyone who would rather check with a script of their own.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from audit.integrity.chain import CHAINED_FIELDS, row_hash


@dataclass(frozen=True)
class ExportCheck:
    rows: int
    chain_head: str | None
    problems: list[str]

    @property
    def valid(self) -> bool:
        return not self.problems


def check_csv_export(lines: Iterable[str]) -> ExportCheck:
    """``lines`` of a CSV export (its trailer last)."""
    text = "".join(lines)
    body, _, trailer = text.rstrip("\n").rpartition("\n")
    problems: list[str] = []
    if not trailer.startswith("# rows="):
        return ExportCheck(0, None, ["no trailer line: the export is cut short"])
    fields = dict(part.split("=", 1) for part in trailer[2:].split(" ") if "=" in part)
    rows = [
        {key: value if value != "" else None for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(body + "\n"))
    ]
    previous: dict[str, str | None] | None = None
    for row in rows:
        chained = {name: row.get(name) for name in CHAINED_FIELDS}
        if row_hash(row["prev_hash"] or "", chained) != row["hash"]:
            problems.append(f"row {row['id']}: its cells do not give its hash")
        if (
            previous is not None
            and previous["month"] == row["month"]
            and int(row["position"] or 0) == int(previous["position"] or 0) + 1
            and row["prev_hash"] != previous["hash"]
        ):
            problems.append(f"row {row['id']}: does not link to row {previous['id']}")
        previous = row
    head = rows[-1]["hash"] if rows else None
    if fields.get("rows") != str(len(rows)):
        problems.append(f"the trailer says {fields.get('rows')} rows, the file has {len(rows)}")
    if (fields.get("chain_head") or "-") != (head or "-"):
        problems.append("the trailer's chain head is not the last row's hash")
    return ExportCheck(len(rows), head, problems)
