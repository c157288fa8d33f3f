"""A store's monthly report as CSV: one line per person, the columns of the JSON rows."""

from __future__ import annotations

import csv
import io

from attendance.reports.schemas import PersonMonth, StoreReportOut

COLUMNS = list(PersonMonth.model_fields)


def report_csv(report: StoreReportOut) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["store_code", "month", *COLUMNS])
    for row in report.people:
        values = row.model_dump(mode="json")
        writer.writerow([report.store_code, report.month, *(_cell(values[c]) for c in COLUMNS)])
    return out.getvalue()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A cell a spreadsheet would run as a formula is written as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
