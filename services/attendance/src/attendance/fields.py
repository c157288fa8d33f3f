"""Field types of attendance's requests: ``common.types``' strict ones, and a roster's shapes.

Pydantic's lax mode would read ``weekday: true`` as 1, ``start_time: 0`` as midnight UTC,
``clock_in: 0`` as 1970 and ``latitude: true`` as 1.0. The types here accept only what
they document:

- ``Day``: an ISO date between 2000-01-01 and 2099-12-31 (a roster's days are turned
  into instants in the store's zone, a day either side: year 1 or 9999 cannot be).
- ``WallClock``: a time of day on the store's clock, ``HH:MM`` or ``HH:MM:SS``, no offset.
- ``Instant``: an ISO date-time with its offset (``Z`` or ``+05:30``), on those days.
- ``Latitude`` / ``Longitude``: JSON numbers in degrees (never a string or a boolean).
- ``FormFlag``: a form field's boolean, ``true`` or ``false`` (not ``1``/``on``/``yes``).
- ``Count``, ``Flag``, ``QueryFlag``: ``common.types``'.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, WithJsonSchema

from common.types import Count, Flag, IsoDate, IsoDateTime, QueryFlag

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MONTH_PATTERN",
    "Count",
    "Day",
    "Flag",
    "FormFlag",
    "Instant",
    "Latitude",
    "Longitude",
    "QueryFlag",
    "WallClock",
]

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
# A month of those years (YYYY-MM).
MONTH_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])$"
_WALL_CLOCK = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"


def _on_the_calendar(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY} and {LAST_DAY}")
    return day


def _with_offset(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("must carry its UTC offset, like 2026-03-02T09:00:00Z or +05:30")
    _on_the_calendar(moment.date())
    return moment


def _wall_clock(value: Any) -> Any:
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and re.match(_WALL_CLOCK, value):
        return value
    raise ValueError(
        "must be a time of day like 09:00 or 17:30:00 on the store's clock: leave out the offset"
    )


Day = Annotated[IsoDate, AfterValidator(_on_the_calendar)]
Instant = Annotated[IsoDateTime, AfterValidator(_with_offset)]
WallClock = Annotated[
    time,
    BeforeValidator(_wall_clock),
    WithJsonSchema({"type": "string", "pattern": _WALL_CLOCK, "examples": ["09:00"]}),
]
Latitude = Annotated[float, Strict(), Field(ge=-90, le=90, allow_inf_nan=False, examples=[40.7128])]
Longitude = Annotated[
    float, Strict(), Field(ge=-180, le=180, allow_inf_nan=False, examples=[-74.006])
]
# A multipart form field is text: the same two words a query string allows.
FormFlag = QueryFlag
