"""/api/hr/time-entries (seed 002): clock in and out, approve, sum — the same records as
seed 000's check-in and check-out."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from attendance.deps import TimeEntryServiceDep
from attendance.fields import Day
from attendance.hr.time_entries.repository import EntryFilters
from attendance.hr.time_entries.schemas import (
    BulkApprove,
    ClockIn,
    ClockOut,
    SummaryOut,
    TimeEntryDetail,
    TimeEntryOut,
)
from attendance.punches.models import EntryStatus
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import BranchHeadUser, StaffUser

router = APIRouter(prefix="/api/hr/time-entries", tags=["time entries"])
ENTRY = described(r403="Someone else's entry (of another store)", r404="No such entry")


def entry_filters(
    employee: Annotated[str | None, Query(max_length=64, description="auth's user id")] = None,
    date: Annotated[Day | None, Query(description="The entry's work date")] = None,
    status: Annotated[EntryStatus | None, Query()] = None,
    date_from: Annotated[Day | None, Query(description="Work dates from this day")] = None,
    date_to: Annotated[Day | None, Query(description="Work dates to this day, inclusive")] = None,
) -> EntryFilters:
    return EntryFilters(employee, date, status, date_from, date_to)


Filters = Annotated[EntryFilters, Depends(entry_filters)]


@router.get("", summary="List time entries (yours; a branch head's stores' too)")
async def list_entries(
    _: StaffUser, entries: TimeEntryServiceDep, session: SessionDep, page: PageDep, filters: Filters
) -> Page[TimeEntryOut]:
    count, rows = await paginate(session, entries.listing(filters), page)
    return make_page(count, [TimeEntryOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Clock in (an empty body will do: you, now, your store)",
    responses=described(r409="Already clocked in, or the month is closed"),
)
async def clock_in(
    _: StaffUser, entries: TimeEntryServiceDep, body: ClockIn | None = None
) -> TimeEntryOut:
    return TimeEntryOut.model_validate(await entries.clock_in(body))


@router.get(
    "/current", summary="Your open (clocked-in) entry", responses=described(r404="Not clocked in")
)
async def current(_: StaffUser, entries: TimeEntryServiceDep) -> TimeEntryOut:
    return TimeEntryOut.model_validate(await entries.current())


@router.get("/summary", summary="Hours of the entries the filters select")
async def summary(_: StaffUser, entries: TimeEntryServiceDep, filters: Filters) -> SummaryOut:
    return await entries.summary(filters)


@router.post(
    "/bulk_approve",
    summary="Approve several entries: all of them, or none (naming each that cannot be)",
    responses=described(r409="Some cannot be approved: each is named with the reason"),
)
async def bulk_approve(
    body: BulkApprove, _: BranchHeadUser, entries: TimeEntryServiceDep
) -> list[TimeEntryOut]:
    return [TimeEntryOut.model_validate(row) for row in await entries.bulk_approve(body.ids)]


@router.get("/{entry_id}", summary="A time entry with its history", responses=ENTRY)
async def get_entry(
    entry_id: uuid.UUID, _: StaffUser, entries: TimeEntryServiceDep
) -> TimeEntryDetail:
    return TimeEntryDetail.model_validate(await entries.with_history(entry_id))


@router.post(
    "/{entry_id}/clock_out",
    summary="Clock out, with the unpaid break taken",
    responses={**ENTRY, **described(r409="Already clocked out, or the month is closed")},
)
async def clock_out(
    entry_id: uuid.UUID, _: StaffUser, entries: TimeEntryServiceDep, body: ClockOut | None = None
) -> TimeEntryOut:
    breaks = body.break_minutes if body else None
    return TimeEntryOut.model_validate(await entries.clock_out(entry_id, breaks))


@router.post(
    "/{entry_id}/approve",
    summary="Approve an entry (not your own); sick leave accrues from it",
    responses={
        **ENTRY,
        **described(r409="Open, already decided, exceptions pending, or month closed"),
    },
)
async def approve(
    entry_id: uuid.UUID, _: BranchHeadUser, entries: TimeEntryServiceDep
) -> TimeEntryOut:
    return TimeEntryOut.model_validate(await entries.approve(entry_id))
