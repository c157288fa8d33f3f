"""Field types of bookings' request bodies: strict where coercion would store nonsense.

``0`` is not ``false`` and ``true`` is not ``1``; a date is an ISO date (``2026-12-01``), a
time ``HH:MM`` (or ``HH:MM:SS``): ``0``, ``"tomorrow"`` or ``"25:00"`` are 422s naming the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator, StrictBool, StrictInt, StringConstraints

__all__ = ["Day", "Hour", "Phone", "StrictBool", "StrictInt"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HOUR = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
_PHONE = r"^\+?[0-9 ().\-]{6,30}$"


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    raise ValueError("must be an ISO date like 2026-12-01")


def _hour(value: Any) -> Any:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and _HOUR.match(value.strip()):
        return value.strip()
    raise ValueError("must be a time like 10:30")


Day = Annotated[date, BeforeValidator(_iso_date)]
Hour = Annotated[time, BeforeValidator(_hour)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=_PHONE, max_length=30)]
