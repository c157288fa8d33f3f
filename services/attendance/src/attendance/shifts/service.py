"""Shifts: a system admin manages them; end before start is refused unless the shift is overnight."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.outbox import announce
from attendance.events.setup import ShiftChanged
from attendance.shifts.models import Shift
from attendance.shifts.repository import ShiftRepository
from attendance.shifts.schemas import ShiftIn, ShiftUpdate
from attendance.stores.service import StoreService
from common.errors import Conflict, NotFound, field_error
from common.updates import apply_changes


class ShiftService:
    def __init__(self, session: AsyncSession, *, actor: str | None = None) -> None:
        self.session = session
        self.actor = actor
        self.shifts = ShiftRepository(session)

    def listing(self, *, store: uuid.UUID | None, active: bool | None) -> Select[Any]:
        return self.shifts.listing(store=store, active=active)

    async def get(self, shift_id: uuid.UUID) -> Shift:
        shift = await self.shifts.get(shift_id)
        if shift is None:
            raise NotFound(f"Shift {shift_id} not found.")
        return shift

    async def known(self, shift_id: uuid.UUID, field: str, store_id: uuid.UUID) -> Shift:
        """An active shift of ``store_id``, or a 422 naming ``field``."""
        shift = await self.shifts.get(shift_id)
        if shift is None or not shift.is_active:
            raise field_error(field, f"no active shift {shift_id}")
        if shift.store_id != store_id:
            raise field_error(field, f"shift {shift.name} belongs to another store")
        return shift

    async def create(self, body: ShiftIn) -> Shift:
        await StoreService(self.session).known(body.store_id, "store_id")
        values = body.model_dump()
        values["start_time"] = _wall_clock(values["start_time"], "start_time")
        values["end_time"] = _wall_clock(values["end_time"], "end_time")
        _check_times(values["start_time"], values["end_time"], values["overnight"])
        shift = await self.shifts.add(Shift(**values))
        await announce(self.session, _event(shift, []), "created", self.actor)
        return shift

    async def update(self, shift_id: uuid.UUID, body: ShiftUpdate) -> Shift:
        shift = await self.get(shift_id)
        changed = apply_changes(shift, body)
        if changed:
            shift.start_time = _wall_clock(shift.start_time, "start_time")
            shift.end_time = _wall_clock(shift.end_time, "end_time")
            _check_times(shift.start_time, shift.end_time, shift.overnight)
            await self.session.flush()
            await self.session.refresh(shift)
            await announce(self.session, _event(shift, sorted(changed)), "updated", self.actor)
        return shift

    async def delete(self, shift_id: uuid.UUID) -> None:
        shift = await self.get(shift_id)
        name = shift.name  # the failed flush expires the row
        event = _event(shift, [])
        try:
            await self.shifts.delete(shift)
        except IntegrityError as exc:
            raise Conflict(
                f"Shift {name} is used by schedules or recorded punches; "
                "deactivate it instead (is_active: false)."
            ) from exc
        await announce(self.session, event, "deleted", self.actor)


def _event(shift: Shift, changed: list[str]) -> ShiftChanged:
    return ShiftChanged.of(shift, shift_id=shift.id, changed=changed)


def _wall_clock(value: time, field: str) -> time:
    """A local time of day: no time zone (the store's applies), whole seconds."""
    if value.tzinfo is not None:
        raise field_error(field, "a shift time is the store's local time: leave out the offset")
    return value.replace(microsecond=0)


def _check_times(start: time, end: time, overnight: bool) -> None:
    if end == start:
        raise field_error("end_time", "a shift cannot end when it starts")
    if end < start and not overnight:
        raise field_error(
            "end_time",
            "end_time is before start_time: set overnight to true for a shift across midnight",
        )
    if end > start and overnight:
        raise field_error(
            "end_time", "an overnight shift ends the next day: end_time must be before start_time"
        )
