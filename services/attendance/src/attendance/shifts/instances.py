"""A shift on a given day: a pair of zone-aware instants, whatever the clocks do that night.

A shift is written in the store's wall-clock time (09:00-17:00, or 22:00-06:00 overnight).
Its instance on a local date is the real start and end, computed with ``zoneinfo``:

- an overnight shift ends on the next local date;
- on the night the clocks go forward, a wall-clock time that does not exist (02:30 in Los
  Angeles) is read with the offset in force before the change, i.e. one hour later on the
  new clock (03:30): the instance lasts one hour less, as the people on it really work;
- on the night the clocks go back, an ambiguous time (01:30 happens twice) is its first
  occurrence (``fold=0``): the instance lasts one hour more.

Everything after this module compares instants (UTC), never wall-clock times.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class ShiftLike(Protocol):
    """What an instance needs of a shift (the ``Shift`` model has it)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def store_id(self) -> uuid.UUID: ...

    @property
    def name(self) -> str: ...

    @property
    def start_time(self) -> time: ...

    @property
    def end_time(self) -> time: ...

    @property
    def overnight(self) -> bool: ...


@dataclass(frozen=True)
class ShiftInstance:
    shift_id: uuid.UUID
    store_id: uuid.UUID
    name: str
    day: date  # the local date it starts on
    start: datetime  # UTC
    end: datetime  # UTC
    zone: str

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())

    def overlaps(self, other: ShiftInstance) -> bool:
        return self.start < other.end and other.start < self.end

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(ZoneInfo(self.zone))


def instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``wall`` on local ``day`` (fold=0; see the module)."""
    return datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone).astimezone(UTC)


def instance_on(shift: ShiftLike, day: date, zone: ZoneInfo) -> ShiftInstance:
    """``shift`` on local ``day`` at a store in ``zone``."""
    end_day = day + timedelta(days=1) if shift.overnight else day
    return ShiftInstance(
        shift_id=shift.id,
        store_id=shift.store_id,
        name=shift.name,
        day=day,
        start=instant(day, shift.start_time, zone),
        end=instant(end_day, shift.end_time, zone),
        zone=zone.key,
    )


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()
