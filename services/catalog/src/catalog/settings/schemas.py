"""Setting bodies: a key (lower-case, dotted or underscored), a JSON value, a description.

Two keys have a shape the system routes rely on, checked when they are written:
``print_server_version`` (one release) and ``print_server_releases`` (a list of them)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue

from catalog.fields import UpdateBody

KEY_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,99}$"
SettingKey = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=KEY_PATTERN,
        description="Lower-case letters, digits, '.', '_' and '-'; starts with a letter or digit",
    ),
]
Description = Annotated[str, Field(max_length=1000)]
INT_MIN, INT_MAX = -(2**63), 2**64 - 1  # what an event's JSON encoder (orjson) can write


def _portable(value: Any) -> Any:
    """Refuse what the value could not travel as in an event: integers beyond 64 bits and
    non-finite numbers (NaN, Infinity), at any depth."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, bool) or item is None or isinstance(item, str):
            continue
        if isinstance(item, int) and not INT_MIN <= item <= INT_MAX:
            raise ValueError("integers must fit in 64 bits (send larger numbers as strings)")
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError("numbers must be finite (no NaN or Infinity)")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value


# Any JSON value but null (a setting without a value is deleted instead).
SettingValue = Annotated[
    dict[str, JsonValue] | list[JsonValue] | str | int | float | bool,
    AfterValidator(_portable),
    Field(description="Any JSON value except null; integers within 64 bits, numbers finite"),
]

PRINT_SERVER_VERSION = "print_server_version"
PRINT_SERVER_RELEASES = "print_server_releases"

RELEASE_EXAMPLE: dict[str, Any] = {
    "version": "2.4.1",
    "download_url": "https://downloads.shop.example/print-server/2.4.1/setup.exe",
    "released_at": "2026-11-20",
    "notes": "Fixes label offsets on Zebra printers.",
}


class PrintServerRelease(BaseModel):
    """One print server release, as the ``print_server_*`` settings hold it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": RELEASE_EXAMPLE})
    version: str = Field(min_length=1, max_length=50)
    download_url: str = Field(default="", max_length=2000)
    released_at: date | None = None
    notes: str = Field(default="", max_length=5000)


EXAMPLE: dict[str, Any] = {
    "key": PRINT_SERVER_VERSION,
    "value": RELEASE_EXAMPLE,
    "description": "The print server release the stores' till PCs should run",
}


class SettingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})
    key: SettingKey
    value: SettingValue
    description: Description = ""


class SettingUpdate(UpdateBody):
    """The fields sent change (the key never does)."""

    EXAMPLE: ClassVar[dict[str, Any]] = {"value": {**RELEASE_EXAMPLE, "version": "2.4.2"}}
    value: SettingValue | None = None
    description: Description | None = None


class SettingOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                **EXAMPLE,
                "updated_by": "7",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    key: str
    value: JsonValue
    description: str
    updated_by: str
    created_at: datetime
    updated_at: datetime
