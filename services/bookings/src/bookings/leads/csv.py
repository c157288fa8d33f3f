"""Leads as CSV for a spreadsheet, safe to open: a cell a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from bookings.leads.models import Lead

COLUMNS = (
    "id",
    "kind",
    "name",
    "email",
    "phone",
    "message",
    "source_page",
    "preferred_date",
    "preferred_time",
    "submissions",
    "first_received_at",
    "last_received_at",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def leads_csv(leads: Iterable[Lead]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for lead in leads:
        writer.writerow([_cell(getattr(lead, column)) for column in COLUMNS])
    return out.getvalue()
