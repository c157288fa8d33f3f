"""A store's calendar: the zone its days are counted in, and the local date of an instant.

Invoice dates, due dates, payment dates and every report day are the store's own calendar
days, so a sale at 23:59 in Honolulu belongs to that Honolulu day, whatever UTC says."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_NAME = "UTC"


def known_zone(name: str | None) -> str:
    """``name`` when zoneinfo knows it, else ``"UTC"`` (a store without a usable zone)."""
    if not name:
        return UTC_NAME
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_NAME
    return name


def local_date(instant: datetime, time_zone: str) -> date:
    """The calendar day at the store when ``instant`` happened."""
    return instant.astimezone(ZoneInfo(known_zone(time_zone))).date()
