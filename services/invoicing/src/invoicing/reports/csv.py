"""A report's rows as CSV (``?format=csv``): one header line of field names, one line per
row, amounts as their wire strings. Nested lists (a sequence's gaps) go in one cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pydantic import BaseModel


def rows_to_csv(rows: Sequence[BaseModel], fields: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        data = row.model_dump(mode="json")
        writer.writerow([_cell(data[field]) for field in fields])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(
            _cell(item) if not isinstance(item, dict) else item.get("number", "") for item in value
        )
    return str(value)
