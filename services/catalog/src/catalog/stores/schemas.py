"""Store bodies: the places attendance geofences, POS registers and inventory locations refer to.

Coordinates are decimals with six places (``"40.705000"``); an update may clear them with
``null``, and nothing else."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from pydantic.config import JsonDict

from catalog.fields import Count, Flag, UpdateBody
from common.money import decimal_type
from common.updates import Nullable

# NUMERIC(9,6), documented with its pattern (common.money's decimal type).
if TYPE_CHECKING:
    Degrees = Decimal
else:
    Degrees = decimal_type(places=6, integer_digits=3, what="coordinate", example="40.705000")
Latitude = Annotated[Degrees, Field(ge=-90, le=90)]
Longitude = Annotated[Degrees, Field(ge=-180, le=180)]
Code = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")]
StoreName = Annotated[str, Field(min_length=1, max_length=200)]
Address = Annotated[str, Field(max_length=1000)]
Phone = Annotated[str, Field(max_length=40)]
Radius = Annotated[Count, Field(ge=10, le=10_000)]
_ZONES = available_timezones()

EXAMPLE: JsonDict = {
    "code": "NYC-01",
    "name": "Shopfloor Manhattan",
    "address": "12 Broadway, New York, NY",
    "phone": "+1 212 555 0100",
    "email": "manhattan@shop.example",
    "time_zone": "America/New_York",
    "latitude": "40.705000",
    "longitude": "-74.013000",
    "geofence_radius_m": 150,
    "is_headquarters": False,
    "is_active": True,
}


def _zone(value: str | None) -> str | None:
    if value is not None and value not in _ZONES:
        raise ValueError(f"unknown time zone '{value}' (use an IANA name such as Europe/Paris)")
    return value


class StoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})
    code: Code
    name: StoreName
    address: Address = ""
    phone: Phone = ""
    email: EmailStr | None = None
    time_zone: str = "UTC"
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    geofence_radius_m: Radius = 150
    is_headquarters: Flag = False
    is_active: Flag = True

    _check_zone = field_validator("time_zone")(_zone)


class StoreUpdate(UpdateBody):
    """The fields sent change; ``null`` clears the coordinates, nothing else."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        "phone": "+1 212 555 0199",
        "time_zone": "America/New_York",
    }
    code: Code | None = None
    name: StoreName | None = None
    address: Address | None = None
    phone: Phone | None = None
    email: EmailStr | None = None
    time_zone: str | None = None
    latitude: Nullable[Latitude] = None
    longitude: Nullable[Longitude] = None
    geofence_radius_m: Radius | None = None
    is_headquarters: Flag | None = None
    is_active: Flag | None = None

    _check_zone = field_validator("time_zone")(_zone)


class StoreOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "example": {
                "id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                **EXAMPLE,
                "deleted": False,
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )
    id: uuid.UUID
    code: str
    name: str
    address: str
    phone: str
    email: str
    time_zone: str
    latitude: Degrees | None
    longitude: Degrees | None
    geofence_radius_m: int
    is_headquarters: bool
    is_active: bool
    deleted: bool
    created_at: datetime
    updated_at: datetime
