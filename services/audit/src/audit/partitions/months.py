"""Calendar months of the log (UTC): the month of a moment, month arithmetic, the
``YYYY-MM`` form, and the name of a month's partition."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

SCHEMA = "audit_partitions"
_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(moment: datetime) -> date:
    moment = moment.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def parse_month(label: str) -> date:
    """``2026-12`` → 2026-12-01; ValueError naming the expected form otherwise."""
    match = _LABEL.match(label)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise ValueError(f"{label!r} is not a month: write YYYY-MM, e.g. 2026-12")
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_label(month: date) -> str:
    """2026-12-01 → ``2026-12``."""
    return f"{month.year:04d}-{month.month:02d}"


def start_of(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)


def partition_table(month: date) -> str:
    """The partition's table name (without its schema)."""
    return f"entries_{month.year:04d}_{month.month:02d}"


def qualified(month: date) -> str:
    return f"{SCHEMA}.{partition_table(month)}"
