"""Field types of bookings' request bodies and paths, on top of the strict ``common.types``.

``0`` is not ``false`` and ``true`` is not ``1`` (``Flag``, ``Count``); a date is an ISO date
(``IsoDate``: ``2026-12-01``), a time ``HH:MM`` (or ``HH:MM:SS``): ``0``, ``"tomorrow"`` or
``"25:00"`` are 422s naming the field. Ids are PostgreSQL integers: an id beyond them is a 422
naming it, never a query that fails.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, Field

from common.types import Count, Flag, IsoDate, QueryFlag

__all__ = [
    "Count",
    "Flag",
    "Hour",
    "IsoDate",
    "NotBlank",
    "PathId",
    "Phone",
    "QueryFlag",
    "RowId",
    "Trim",
]

PG_INTEGER_MAX = 2**31 - 1
_HOUR = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
_PHONE = r"^\+?[0-9 ().\-]{6,30}$"


def _hour(value: Any) -> Any:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and _HOUR.match(value.strip()):
        return value.strip()
    raise ValueError("must be a time like 10:30")


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


# Text is measured as sent (the documented maxLength holds for what arrives), then trimmed:
# ``Annotated[str, Field(max_length=200), Trim]``; ``NotBlank`` after it refuses "   ".
Trim = AfterValidator(str.strip)
NotBlank = AfterValidator(_not_blank)

Hour = Annotated[time, BeforeValidator(_hour)]
Phone = Annotated[str, Field(pattern=_PHONE, max_length=30), Trim]
# A row of ours named in a body (an issue preset, a question) or in a path.
RowId = Annotated[Count, Field(ge=1, le=PG_INTEGER_MAX)]
PathId = Annotated[int, Path(ge=1, le=PG_INTEGER_MAX)]
