"""Recording punches onto the one worked-interval model, through either API.

A check-in (selfie, seed 000) or a clock-in (HR, seed 002) opens an entry; a check-out or a
clock-out closes it. One person's punches are serialised (an advisory lock) and at most one
entry per person is open (a partial unique index), so nobody is clocked in twice. A punch
whose location cannot be accepted as it came is refused or recorded with a pending
exception, by the store's policy; a check-out with overtime requested beyond the shift's
threshold raises an overtime exception. Nothing dated in a closed month is recorded.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.geofences.service import Fix, GeofenceService, Location
from attendance.months.service import MonthLock
from attendance.punches.announcements import announce_exception, announce_punch
from attendance.punches.evaluation import (
    finish_entry,
    matching,
    start_entry,
    work_date,
)
from attendance.punches.models import (
    Approval,
    ApprovalKind,
    EntrySource,
    EntryStatus,
    Punch,
    TimeEntry,
)
from attendance.punches.repository import EntryRepository
from attendance.punches.schemas import EntryOut, PunchIn, TodayOut
from attendance.schedules.preview import expected_shift
from attendance.schedules.service import RosterLoader
from attendance.selfies.images import CleanSelfie
from attendance.selfies.service import SelfieService
from attendance.shifts.instances import local_date
from attendance.shifts.repository import ShiftRepository
from attendance.shifts.rules import overtime_needs_approval
from attendance.stores.models import OutsideGeofence, Store, UnlocatedClockIn
from attendance.stores.repository import StoreRepository
from attendance.stores.service import StoreService
from common.errors import Conflict, DomainError, field_entry, field_error
from common.roles import Principal
from common.scope import own_stores


class PunchRefused(DomainError):
    status_code = 422


class PunchService:
    def __init__(
        self,
        session: AsyncSession,
        actor: Principal,
        *,
        now: datetime,
        selfies: SelfieService | None = None,
    ) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.selfies = selfies
        self.entries = EntryRepository(session)

    # ----------------------------------------------------------------- seed 000: selfies

    async def check_in(self, punch: PunchIn, selfie: bytes) -> TimeEntry:
        clean = await self._selfies().clean(selfie)
        store = await StoreService(self.session).of_caller(self.actor, punch.store_id, "store_id")
        location = await self._located(store, punch)
        entry = await self.open_entry(store, EntrySource.selfie, location=location)
        kept = await self._selfies().keep(person_id=entry.person_id, store_id=store.id, clean=clean)
        entry.check_in_selfie_id = kept.id
        return await self._recorded(entry, Punch.check_in)

    async def check_out(self, punch: PunchIn, selfie: bytes) -> TimeEntry:
        clean: CleanSelfie = await self._selfies().clean(selfie)
        await self.entries.lock_person(self.actor.user_id)
        entry = await self.entries.open_of(self.actor.user_id)
        if entry is None:
            raise Conflict("You are not clocked in: check in first.")
        store = await StoreService(self.session).known(entry.store_id, "store_id")
        location = await self._located(store, punch)
        await self.close_entry(
            entry,
            location=location,
            ot_requested=punch.ot_requested,
            ot_reason=punch.ot_reason,
        )
        kept = await self._selfies().keep(person_id=entry.person_id, store_id=store.id, clean=clean)
        entry.check_out_selfie_id = kept.id
        return await self._recorded(entry, Punch.check_out)

    # ----------------------------------------------------------------- both APIs

    async def open_entry(
        self,
        store: Store,
        source: EntrySource,
        *,
        location: Location | None,
        department_id: int | None = None,
        notes: str = "",
    ) -> TimeEntry:
        """Clock the caller in at ``store`` now (their one open entry)."""
        person = self.actor.user_id
        await self.entries.lock_person(person)
        already = await self.entries.open_of(person)
        if already is not None:
            since = already.clock_in.astimezone(store.zone)
            raise Conflict(
                f"You are already clocked in (since {since:%Y-%m-%d %H:%M}): clock out first."
            )
        today = local_date(self.now, store.zone)
        roster = await RosterLoader(self.session).roster([person], today, today)
        expected = [
            item
            for day in (today - timedelta(days=1), today, today + timedelta(days=1))
            for item in roster.day(person, day, store.id).expected
        ]
        match = matching(expected, self.now)
        entry = TimeEntry(
            id=uuid.uuid4(),
            person_id=person,
            store_id=store.id,
            department_id=department_id,
            work_date=work_date(match, self.now, store.zone),
            source=source,
            status=EntryStatus.active,
            clock_in=self.now,
            notes=notes,
            approvals=[],
        )
        await MonthLock(self.session).ensure_open(store.id, entry.work_date)
        start_entry(entry, match)
        if location is not None:
            entry.check_in_latitude = location.latitude
            entry.check_in_longitude = location.longitude
            entry.check_in_accuracy_m = location.accuracy_m
            entry.check_in_distance_m = location.distance_m
        await self.entries.add(entry)
        await self._raise_for_location(entry, Punch.check_in, location, store)
        return entry

    async def close_entry(
        self,
        entry: TimeEntry,
        *,
        location: Location | None,
        break_minutes: int | None = None,
        ot_requested: bool = False,
        ot_reason: str = "",
    ) -> TimeEntry:
        """Clock ``entry`` out now: break, early leave, overtime, and the exceptions raised."""
        if not entry.is_open:
            raise Conflict("This entry is already clocked out.")
        await MonthLock(self.session).ensure_open(entry.store_id, entry.work_date)
        if self.now <= entry.clock_in:
            raise Conflict("A clock-out must come after the clock-in.")
        if (
            break_minutes is not None
            and break_minutes * 60 >= (self.now - entry.clock_in).total_seconds()
        ):
            raise field_error("break_minutes", "the break is longer than the time clocked in")
        shift = await ShiftRepository(self.session).get(entry.shift_id) if entry.shift_id else None
        finish_entry(entry, shift, self.now, break_minutes)
        entry.ot_requested = ot_requested
        if entry.status == EntryStatus.active:  # a rejected check-in stays rejected
            entry.status = EntryStatus.completed
        if location is not None:
            entry.check_out_latitude = location.latitude
            entry.check_out_longitude = location.longitude
            entry.check_out_accuracy_m = location.accuracy_m
            entry.check_out_distance_m = location.distance_m
        store = await StoreService(self.session).known(entry.store_id, "store_id")
        await self._raise_for_location(entry, Punch.check_out, location, store)
        if (
            shift is not None
            and ot_requested
            and overtime_needs_approval(shift, entry.overtime_seconds)
        ):
            await self._raise(
                entry,
                Approval(
                    kind=ApprovalKind.overtime,
                    punch=Punch.check_out,
                    overtime_seconds=entry.overtime_seconds,
                    reason=ot_reason,
                ),
            )
        await self.session.flush()
        return entry

    async def announce(self, entry: TimeEntry, punch: Punch) -> TimeEntry:
        """The punch's event, once the entry is complete; the entry as stored."""
        return await self._recorded(entry, punch)

    # ----------------------------------------------------------------- me/today

    async def today(self) -> TodayOut:
        person = self.actor.user_id
        since = (self.now - timedelta(days=2)).date()
        entries = await self.entries.of_person_since(person, since)
        stores = await StoreRepository(self.session).many(
            own_stores(self.actor) | {entry.store_id for entry in entries}
        )
        todays = {store_id: local_date(self.now, store.zone) for store_id, store in stores.items()}
        mine = [e for e in entries if e.is_open or todays.get(e.store_id) == e.work_date]
        expected, off = [], None
        if todays:
            roster = await RosterLoader(self.session).roster(
                [person], min(todays.values()), max(todays.values())
            )
            for store_id, day in sorted(todays.items()):
                plan = roster.day(person, day, store_id)
                expected += [expected_shift(item) for item in plan.expected]
                off = off or plan.off
        return TodayOut(
            clocked_in=any(e.is_open for e in mine),
            entries=[EntryOut.model_validate(e) for e in mine],
            expected=expected,
            off=None if expected else off,
        )

    # ----------------------------------------------------------------- helpers

    def _selfies(self) -> SelfieService:
        if self.selfies is None:
            raise TypeError("PunchService needs a SelfieService for selfie punches")
        return self.selfies

    async def _located(self, store: Store, punch: PunchIn) -> Location:
        location = await GeofenceService(self.session).locate(
            store, punch.latitude, punch.longitude, punch.accuracy_m
        )
        if location.accepted:
            return location
        policy = await StoreService(self.session).policy(store.id)
        if policy.outside_geofence == OutsideGeofence.refuse:
            raise PunchRefused(_refusal(location))
        return location

    async def _raise_for_location(
        self, entry: TimeEntry, punch: Punch, location: Location | None, store: Store
    ) -> None:
        if location is None:
            await self._unlocated(entry, punch, store)
            return
        if location.accepted:
            return
        kind = (
            ApprovalKind.low_accuracy
            if location.fix == Fix.low_accuracy
            else ApprovalKind.outside_geofence
        )
        await self._raise(
            entry,
            Approval(
                kind=kind,
                punch=punch,
                distance_m=location.distance_m,
                accuracy_m=location.accuracy_m,
                radius_m=location.radius_m,
                fence=location.fence,
            ),
        )

    async def _unlocated(self, entry: TimeEntry, punch: Punch, store: Store) -> None:
        """An HR clock-in has no location: the store's policy says what that means."""
        if punch != Punch.check_in or not await GeofenceService(self.session).has_fences(store):
            return
        policy = await StoreService(self.session).policy(store.id)
        if policy.unlocated_clock_in == UnlocatedClockIn.refuse:
            raise PunchRefused(
                "This store takes clock-ins with a location: check in with the attendance app."
            )
        if policy.unlocated_clock_in == UnlocatedClockIn.pending:
            await self._raise(entry, Approval(kind=ApprovalKind.no_location, punch=punch))

    async def _raise(self, entry: TimeEntry, approval: Approval) -> None:
        approval.id = uuid.uuid4()
        approval.person_id = entry.person_id
        approval.store_id = entry.store_id
        entry.approvals.append(approval)
        await self.session.flush()
        await announce_exception(self.session, approval, "raised", actor=self.actor.user_id)

    async def _recorded(self, entry: TimeEntry, punch: Punch) -> TimeEntry:
        await announce_punch(self.session, entry, punch, actor=self.actor.user_id)
        return await self.entries.refreshed(entry)


def _refusal(location: Location) -> list[dict[str, object]]:
    """Why a refused punch was refused, naming the form field at fault."""
    if location.fix == Fix.low_accuracy:
        return [
            field_entry(
                ["body", "accuracy"],
                f"the location is accurate to {location.accuracy_m or 0:.0f} m, less precise "
                f"than the {location.radius_m or 0:.0f} m geofence ({location.fence}): "
                "this store refuses such punches; try again with a better fix",
                "value_error",
            )
        ]
    return [
        field_entry(
            ["body", "latitude"],
            f"the location is {location.distance_m or 0:.0f} m from {location.fence} (radius "
            f"{location.radius_m or 0:.0f} m), outside the store's geofence: this store "
            "refuses such punches",
            "value_error",
        )
    ]
