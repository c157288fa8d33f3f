"""catalog's stores as its ``catalog.store.*`` events told us (a read-model: catalog owns them),
and attendance's own policy per store."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from attendance.db import Base

logger = logging.getLogger(__name__)


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # catalog's own geofence: a circle around the store's coordinates (when it has them).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    geofence_radius_m: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The time of the event this row was last written from: an older event never wins.
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def zone(self) -> ZoneInfo:
        """The store's time zone (catalog checks the name; UTC if it is still unknown here)."""
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning(
                "store %s has an unknown time zone %r; using UTC", self.id, self.time_zone
            )
            return ZoneInfo("UTC")


class OutsideGeofence(StrEnum):
    """What a punch outside every geofence of the store (or too imprecise to tell) becomes."""

    pending = "pending"  # recorded, with an exception for a manager to approve or reject
    refuse = "refuse"  # not recorded: 422 naming the distance


class UnlocatedClockIn(StrEnum):
    """What an HR clock-in (no location, no selfie) becomes at a store with geofences."""

    allow = "allow"
    pending = "pending"
    refuse = "refuse"


class StorePolicy(Base):
    """Attendance rules a system admin sets per store; a store without a row has the defaults."""

    __tablename__ = "store_policies"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    outside_geofence: Mapped[str] = mapped_column(String(16), default=OutsideGeofence.pending)
    unlocated_clock_in: Mapped[str] = mapped_column(String(16), default=UnlocatedClockIn.allow)
    # Sick leave: one hour accrued per this many hours worked (approved), at most the cap a year.
    sick_accrual_worked_hours: Mapped[int] = mapped_column(Integer, default=30)
    sick_accrual_cap_hours: Mapped[int] = mapped_column(Integer, default=40)
    # The preview's projected overtime: scheduled hours of an ISO week beyond this.
    weekly_overtime_hours: Mapped[int] = mapped_column(Integer, default=40)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


def default_policy(store_id: uuid.UUID) -> StorePolicy:
    """The rules of a store nobody configured (not added to the session)."""
    return StorePolicy(
        store_id=store_id,
        outside_geofence=OutsideGeofence.pending,
        unlocated_clock_in=UnlocatedClockIn.allow,
        sick_accrual_worked_hours=30,
        sick_accrual_cap_hours=40,
        weekly_overtime_hours=40,
    )
