"""Field types for request bodies and query strings: strict, and documented as they are.

Pydantic's lax mode turns nonsense into data: ``is_active: 0`` becomes ``false``,
``rank: false`` becomes 0, ``hire_date: 0`` and ``?since=0.5`` become 1970-01-01. The
types here accept only what they say:

- ``Flag`` / ``Count``: a JSON boolean / integer, nothing else (``0`` is not a boolean,
  ``false`` and ``"5"`` are not numbers).
- ``QueryFlag``: a query-string boolean, ``true`` or ``false`` (not ``1``/``yes``/``on``).
- ``IsoDate``: an ISO date (``2026-12-01``), in a body or a query string.
- ``IsoDateTime``: an ISO date-time (``2026-12-01T09:30:00Z``) or an ISO date (its
  midnight), never a number.
- ``CurrencyCode``: three capital letters (ISO 4217).

Money, quantities and percentages are ``common.money``'s.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict, WithJsonSchema

__all__ = ["Count", "CurrencyCode", "Flag", "IsoDate", "IsoDateTime", "QueryFlag"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    raise ValueError("must be an ISO date like 2026-12-01")


def _iso_date_time(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE_TIME.match(value.strip()):
        return value.strip()
    raise ValueError("must be an ISO date or date-time like 2026-12-01T09:30:00Z")


def _true_or_false(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError("must be true or false")


Flag = Annotated[bool, Strict()]
Count = Annotated[int, Strict()]
QueryFlag = Annotated[
    bool,
    BeforeValidator(_true_or_false),
    WithJsonSchema({"type": "boolean"}),
]
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-12-01"]}),
]
IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso_date_time),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2026-12-01T09:30:00Z"]}),
]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["USD"])]
