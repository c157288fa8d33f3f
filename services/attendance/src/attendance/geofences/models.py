"""Store geofences a system admin draws: circles (centre and radius) or polygons."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base
from attendance.geofences.geometry import Circle, Outline, Shape
from common.db import Timestamps


class FenceKind(StrEnum):
    circle = "circle"
    polygon = "polygon"


class Geofence(Timestamps, Base):
    __tablename__ = "geofences"
    __table_args__ = (Index("ix_geofences_store_active", "store_id", "is_active"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    center_latitude: Mapped[float | None] = mapped_column(Float)
    center_longitude: Mapped[float | None] = mapped_column(Float)
    radius_m: Mapped[float | None] = mapped_column(Float)
    # [{"latitude": .., "longitude": ..}, ...] for a polygon
    points: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def shape(self) -> Shape:
        if self.kind == FenceKind.polygon:
            return Outline([(p["latitude"], p["longitude"]) for p in self.points or []])
        return Circle(
            self.center_latitude or 0.0, self.center_longitude or 0.0, self.radius_m or 0.0
        )
