"""Store bodies: the places attendance geofences, POS registers and inventory locations refer to."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from pydantic.config import JsonDict

Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=9, decimal_places=6)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6)]
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
    code: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    address: Annotated[str, Field(max_length=1000)] = ""
    phone: Annotated[str, Field(max_length=40)] = ""
    email: EmailStr | None = None
    time_zone: str = "UTC"
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    geofence_radius_m: Annotated[int, Field(ge=10, le=10_000)] = 150
    is_headquarters: bool = False
    is_active: bool = True

    _check_zone = field_validator("time_zone")(_zone)


class StoreUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"phone": "+1 212 555 0199", "time_zone": "America/New_York"}
        },
    )
    code: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")] | None = (
        None
    )
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    address: Annotated[str, Field(max_length=1000)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: EmailStr | None = None
    time_zone: str | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    geofence_radius_m: Annotated[int, Field(ge=10, le=10_000)] | None = None
    is_headquarters: bool | None = None
    is_active: bool | None = None

    _check_zone = field_validator("time_zone")(_zone)


class StoreOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
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
    latitude: Decimal | None
    longitude: Decimal | None
    geofence_radius_m: int
    is_headquarters: bool
    is_active: bool
    deleted: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, store: Any) -> StoreOut:
        fields = {key: getattr(store, key) for key in cls.model_fields if key != "deleted"}
        return cls.model_validate({**fields, "deleted": store.deleted_at is not None})
