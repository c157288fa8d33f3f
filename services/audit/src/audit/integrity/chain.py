"""The hash chain of a monthly partition: how a row's hash is computed, from its fields as
text, so an accountant can recompute it from an export with nothing but SHA-256.

For the row at ``position`` *n* (1, 2, ...) of month *M*::

    hash(n) = sha256_hex( utf8( compact_json( [prev_hash, month, position, event_id,
                  occurred_at, recorded_at, stream, stream_sequence, source, action, actor,
                  entity_type, entity_id, store_id, request_id, trace_id, schema_version,
                  parse_error, payload, raw] ) ) )

- ``prev_hash`` is ``hash(n-1)``; for the first row it is the month's genesis,
  ``sha256_hex(utf8("shopfloor-audit:" + M))`` with M as ``YYYY-MM``.
- Every field is a JSON string or ``null``, exactly as it appears in a CSV export (an empty
  CSV cell is ``null``): numbers in decimal, times as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC,
  always six decimals), ``payload`` the stored JSON text itself.
- ``compact_json`` is JSON with ``","`` and ``":"`` as separators, non-ASCII characters
  written as themselves (Python: ``json.dumps(fields, ensure_ascii=False,
  separators=(",", ":"))``).

A changed field breaks its row's hash; a removed or reordered row breaks the link of the
next one (``prev_hash``) and the run of positions; a removed tail shows as a head that
differs from the one recorded in ``log_months``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

from audit.partitions.months import month_label

CHAINED_FIELDS: tuple[str, ...] = (
    "month",
    "position",
    "event_id",
    "occurred_at",
    "recorded_at",
    "stream",
    "stream_sequence",
    "source",
    "action",
    "actor",
    "entity_type",
    "entity_id",
    "store_id",
    "request_id",
    "trace_id",
    "schema_version",
    "parse_error",
    "payload",
    "raw",
)


def genesis(month: date) -> str:
    """The ``prev_hash`` of a month's first row."""
    return hashlib.sha256(f"shopfloor-audit:{month_label(month)}".encode()).hexdigest()


def wire_time(moment: datetime) -> str:
    """A time as the chain and the exports write it: UTC, microseconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def text_of(value: object) -> str | None:
    """A field's chained text: None stays null; times in the wire form; the rest ``str``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return wire_time(value)
    return str(value)


def row_hash(prev_hash: str, fields: Mapping[str, str | None]) -> str:
    """``fields`` holds the text of every name in ``CHAINED_FIELDS``."""
    values: Sequence[str | None] = [prev_hash, *(fields[name] for name in CHAINED_FIELDS)]
    line = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def chained_text(row: Mapping[str, object]) -> dict[str, str | None]:
    """The chained fields of a row (values of any type) as their text."""
    return {name: text_of(row[name]) for name in CHAINED_FIELDS}
