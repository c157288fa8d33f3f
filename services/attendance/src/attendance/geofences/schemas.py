"""Request and response bodies of geofences, and the one check of a fence's shape."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict

from attendance.fields import Flag, Latitude, Longitude
from attendance.geofences.geometry import Outline
from attendance.geofences.models import FenceKind
from common.updates import Nullable, PartialUpdate

Radius = Annotated[
    float, Strict(), Field(ge=5, le=10_000, allow_inf_nan=False, description="metres")
]
MAX_POINTS = 200


class Vertex(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latitude: Latitude
    longitude: Longitude


_CIRCLE: dict[str, Any] = {
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "name": "Shop floor and car park",
    "kind": "circle",
    "center_latitude": 40.7128,
    "center_longitude": -74.006,
    "radius_m": 120,
    "is_active": True,
}
_OUT: dict[str, Any] = {
    "id": "3e6f1d2a-8b9c-4d0e-9f1a-2b3c4d5e6f70",
    **_CIRCLE,
    "points": None,
    "created_at": "2026-12-01T09:30:00Z",
    "updated_at": "2026-12-01T09:30:00Z",
}


def shape_problem(
    kind: str,
    center_latitude: float | None,
    center_longitude: float | None,
    radius_m: float | None,
    points: list[dict[str, float]] | None,
) -> tuple[str, str] | None:
    """(field, why) when these values are not one well-formed fence, else None."""
    if kind == FenceKind.circle:
        for field, value in (
            ("center_latitude", center_latitude),
            ("center_longitude", center_longitude),
            ("radius_m", radius_m),
        ):
            if value is None:
                return field, "a circle needs center_latitude, center_longitude and radius_m"
        if points:
            return "points", "a circle has no points (they are for a polygon)"
        return None
    if center_latitude is not None or center_longitude is not None or radius_m is not None:
        return "radius_m", "a polygon has no centre or radius (give its points)"
    if not points or len(points) < 3:
        return "points", "a polygon needs at least 3 points"
    problem = Outline([(p["latitude"], p["longitude"]) for p in points]).problem()
    return ("points", problem) if problem else None


class GeofenceIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                _CIRCLE,
                {
                    "store_id": "0000000a-0000-4000-8000-00000000000a",
                    "name": "L-shaped mall unit",
                    "kind": "polygon",
                    "points": [
                        {"latitude": 40.7130, "longitude": -74.0065},
                        {"latitude": 40.7130, "longitude": -74.0055},
                        {"latitude": 40.7125, "longitude": -74.0055},
                        {"latitude": 40.7125, "longitude": -74.0060},
                        {"latitude": 40.7120, "longitude": -74.0060},
                        {"latitude": 40.7120, "longitude": -74.0065},
                    ],
                },
            ]
        },
    )

    store_id: uuid.UUID
    name: str = Field(min_length=1, max_length=100)
    kind: FenceKind
    center_latitude: Latitude | None = None
    center_longitude: Longitude | None = None
    radius_m: Radius | None = None
    points: list[Vertex] | None = Field(default=None, max_length=MAX_POINTS)
    is_active: Flag = True


class GeofenceUpdate(PartialUpdate):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"radius_m": 200}, {"is_active": False}]}
    )

    name: str | None = Field(default=None, min_length=1, max_length=100)
    kind: FenceKind | None = None
    center_latitude: Nullable[Latitude] = None
    center_longitude: Nullable[Longitude] = None
    radius_m: Nullable[Radius] = None
    points: Nullable[list[Vertex]] = Field(default=None, max_length=MAX_POINTS)
    is_active: Flag | None = None


class GeofenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_OUT]})

    id: uuid.UUID
    store_id: uuid.UUID
    name: str
    kind: FenceKind
    center_latitude: float | None
    center_longitude: float | None
    radius_m: float | None
    points: list[Vertex] | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
