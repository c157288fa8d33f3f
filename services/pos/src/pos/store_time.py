"""A store's wall clock: its time zone (UTC when the name is unknown), the local time of an
instant (and how receipts and alerts print it) and the store's own "today"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

UTC_ZONE = ZoneInfo("UTC")


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return UTC_ZONE


def at_store(instant: datetime, time_zone: str) -> datetime:
    return instant.astimezone(zone_of(time_zone))


def store_today(time_zone: str, now: datetime) -> date:
    return at_store(now, time_zone).date()


def wall_clock(instant: datetime, time_zone: str) -> str:
    """``2026-11-29 10:12 EST``: the instant as the store's clock showed it."""
    local = at_store(instant, time_zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
