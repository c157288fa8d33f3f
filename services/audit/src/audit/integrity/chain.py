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

import orjson

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


# One encoder for every line: ``json.dumps`` with non-default options builds a new one per call.
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def wire_time(moment: datetime) -> str:
    """A time as the chain and the exports write it: UTC, microseconds, ``Z``."""
    offset = moment.utcoffset()
    if offset is None:  # naive: local time, as ``astimezone`` takes it
        utc = moment.astimezone(UTC).replace(tzinfo=None)
    else:  # the instant ``astimezone(UTC)`` gives, by its offset
        utc = moment.replace(tzinfo=None) - offset
    if utc.year < 1000:  # isoformat pads the year to four digits, strftime does not
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.isoformat(timespec="microseconds") + "Z"


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
    return hashlib.sha256(_LINE.encode(values).encode("utf-8")).hexdigest()


def line_tail(fields: Sequence[str | None]) -> str:
    """The end of a row's line from the field after ``recorded_at`` on (``fields``: the text
    of ``CHAINED_FIELDS[5:]``, in order), for ``linked_hash``."""
    try:  # orjson writes exactly this JSON (every code point checked) ten times faster
        return orjson.dumps(fields).decode()[1:]
    except TypeError:  # a lone surrogate: the standard encoder's answer (UTF-8 refuses it)
        return _LINE.encode(fields)[1:]


def linked_hash(
    prev_hash: str,
    month: str,
    position: int,
    event_id: str,
    occurred_at: str,
    recorded_at: str,
    tail: str,
) -> str:
    """``row_hash`` of a row the recorder writes, its opening fields spliced in as text: each
    is a hex hash, a month label, digits, a UUID or a wire time, none of which JSON escapes
    (so the line is the one ``row_hash`` encodes; ``test_chain`` holds the two together)."""
    line = (
        f'["{prev_hash}","{month}","{position}","{event_id}","{occurred_at}","{recorded_at}",{tail}'
    )
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def chained_text(row: Mapping[str, object]) -> dict[str, str | None]:
    """The chained fields of a row (values of any type) as their text."""
    return {name: text_of(row[name]) for name in CHAINED_FIELDS}
