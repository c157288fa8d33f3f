"""When a booking is: the date and time the customer chose, in the store's time zone (the
service's ``DEFAULT_TIME_ZONE`` without a store), checked against now, the booking horizon
and the store's booking hours (when set)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from common.errors import field_error

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def slot_start(day: date, at: time, zone_name: str) -> datetime:
    """The slot as a UTC instant; 422 naming ``time`` for a wall time the zone skips (DST)."""
    zone = ZoneInfo(zone_name)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise field_error(
            "time", f"{at:%H:%M} does not exist on {day} in {zone_name} (clocks change)"
        )
    return instant


def check_slot(
    day: date,
    at: time,
    *,
    zone_name: str,
    opening_hours: dict[str, Any] | None,
    horizon_days: int,
    now: datetime | None = None,
) -> datetime:
    """The slot's instant, once it is in the future, within the horizon and inside the
    store's hours; else 422 naming ``date`` or ``time``."""
    now = now or datetime.now(UTC)
    starts = slot_start(day, at, zone_name)
    if starts <= now:
        raise field_error("date", f"{day} {at:%H:%M} ({zone_name}) is in the past")
    if starts > now + timedelta(days=horizon_days):
        raise field_error("date", f"bookings open at most {horizon_days} days ahead")
    if opening_hours is None:
        return starts
    weekday = WEEKDAYS[day.weekday()]
    hours = opening_hours.get(weekday)
    if hours is None:
        raise field_error("date", f"the store takes no bookings on {weekday}s")
    opens, closes = time.fromisoformat(hours["opens"]), time.fromisoformat(hours["closes"])
    if not opens <= at.replace(tzinfo=None) < closes:
        raise field_error(
            "time", f"on {weekday}s the store takes bookings from {opens:%H:%M} to {closes:%H:%M}"
        )
    return starts


def describe(day: date, at: time, zone_name: str) -> str:
    """``Tuesday 2 December 2026, 10:00 (America/New_York)`` for emails."""
    return f"{WEEKDAYS[day.weekday()].capitalize()} {day.day} {day:%B %Y}, {at:%H:%M} ({zone_name})"
