"""Who may call which route: every route by every kind of caller (``common.testing.permissions``).

``MATRIX`` is the contract of seeds 000 ("Attendance") and 002 ("HR"), one row per (method,
route) the app serves. Everyone but the system admin carries store LA in their token; the
arranged objects are store LA's. For a route that changes something once (approve, clock out,
delete), each caller gets a target of its own, made before the request. A refused request
leaves every stored row unchanged. Object scope (another store's entry, request or report) is
tested beside: staff of Kolkata are refused Los Angeles' objects."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from attendance.hr.review import RequestStatus
from attendance.models import (
    Approval,
    Base,
    Department,
    Geofence,
    ModificationRequest,
    PayrollProfile,
    Person,
    Schedule,
    ScheduleException,
    Selfie,
    Shift,
    SickLeaveBalance,
    SickLeaveRequest,
    TimeEntry,
    WeeklyOff,
)
from attendance.punches.models import ApprovalKind, EntrySource, EntryStatus, Punch
from attendance.selfies.storage import DiskStorage
from common.db import Database
from common.roles import Role
from common.testing.permissions import (
    CALLERS,
    Row,
    caller_id,
    infrastructure_rows,
    matrix_gaps,
    nats_connected,
    row_id,
    snapshot,
)
from tests.conftest import ADVISOR_LA, HEAD_IN, IN, LA, LA_POINT, open_stores, photo

STAFF = (401, 403, 403, 200, 200, 200)
STAFF_NEW = (401, 403, 403, 201, 201, 201)
STAFF_GONE = (401, 403, 403, 204, 204, 204)
MANAGER = (401, 403, 403, 403, 200, 200)
MANAGER_NEW = (401, 403, 403, 403, 201, 201)
MANAGER_GONE = (401, 403, 403, 403, 204, 204)
ADMIN = (401, 403, 403, 403, 403, 200)
ADMIN_NEW = (401, 403, 403, 403, 403, 201)
ADMIN_GONE = (401, 403, 403, 403, 403, 204)

A = "/api/attendance"
SHIFT, SCHEDULE = f"{A}/admin/shifts/{{shift_id}}", f"{A}/admin/schedules/{{schedule_id}}"
WEEKOFF, EXCEPTION = f"{A}/admin/weekoffs/{{weekoff_id}}", f"{A}/admin/exceptions/{{exception_id}}"
GEOFENCE, PAYROLL = f"{A}/admin/geofences/{{geofence_id}}", f"{A}/admin/payroll/{{user_id}}"
POLICY, REPORT = f"{A}/admin/policies/{{store_id}}", f"{A}/reports/store/{{store_id}}"
APPROVAL = f"{A}/approvals/{{approval_id}}"
ENTRIES, ENTRY = "/api/hr/time-entries", "/api/hr/time-entries/{entry_id}"
DEPARTMENT = "/api/hr/departments/{department_id}"
SICK = "/api/hr/sick-leave/requests"
SICK_ONE = f"{SICK}/{{request_id}}"
MODIFICATIONS = "/api/hr/modification-requests"
MODIFICATION = f"{MODIFICATIONS}/{{request_id}}"

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("attendance"),
    # seed 000 "Attendance"
    Row("POST",   f"{A}/check-in",                  *STAFF_NEW),
    Row("POST",   f"{A}/check-out",                 *STAFF),
    Row("GET",    f"{A}/me/today",                  *STAFF),
    Row("GET",    f"{A}/approvals",                 *MANAGER),
    Row("POST",   f"{APPROVAL}/approve",            *MANAGER),
    Row("POST",   f"{APPROVAL}/reject",             *MANAGER),
    Row("GET",    REPORT,                           *MANAGER),
    Row("POST",   f"{REPORT}/close",                *ADMIN),
    Row("GET",    f"{A}/reports/me",                *STAFF),
    Row("GET",    f"{A}/selfies/{{selfie_id}}",     *MANAGER),
    Row("GET",    f"{A}/admin/shifts",              *ADMIN),
    Row("POST",   f"{A}/admin/shifts",              *ADMIN_NEW),
    Row("GET",    SHIFT,                            *ADMIN),
    Row("PUT",    SHIFT,                            *ADMIN),
    Row("PATCH",  SHIFT,                            *ADMIN),
    Row("DELETE", SHIFT,                            *ADMIN_GONE),
    Row("GET",    f"{A}/admin/schedules",           *ADMIN),
    Row("POST",   f"{A}/admin/schedules",           *ADMIN_NEW),
    Row("GET",    SCHEDULE,                         *ADMIN),
    Row("PUT",    SCHEDULE,                         *ADMIN),
    Row("PATCH",  SCHEDULE,                         *ADMIN),
    Row("DELETE", SCHEDULE,                         *ADMIN_GONE),
    Row("GET",    f"{SCHEDULE}/preview",            *ADMIN),
    Row("GET",    f"{A}/admin/weekoffs",            *ADMIN),
    Row("POST",   f"{A}/admin/weekoffs",            *ADMIN_NEW),
    Row("GET",    WEEKOFF,                          *ADMIN),
    Row("PUT",    WEEKOFF,                          *ADMIN),
    Row("PATCH",  WEEKOFF,                          *ADMIN),
    Row("DELETE", WEEKOFF,                          *ADMIN_GONE),
    Row("GET",    f"{A}/admin/exceptions",          *ADMIN),
    Row("POST",   f"{A}/admin/exceptions",          *ADMIN_NEW),
    Row("GET",    EXCEPTION,                        *ADMIN),
    Row("PUT",    EXCEPTION,                        *ADMIN),
    Row("PATCH",  EXCEPTION,                        *ADMIN),
    Row("DELETE", EXCEPTION,                        *ADMIN_GONE),
    Row("GET",    f"{A}/admin/geofences",           *ADMIN),
    Row("POST",   f"{A}/admin/geofences",           *ADMIN_NEW),
    Row("GET",    GEOFENCE,                         *ADMIN),
    Row("PUT",    GEOFENCE,                         *ADMIN),
    Row("PATCH",  GEOFENCE,                         *ADMIN),
    Row("DELETE", GEOFENCE,                         *ADMIN_GONE),
    Row("GET",    f"{A}/admin/payroll",             *ADMIN),
    Row("PUT",    PAYROLL,                          *ADMIN),
    Row("PATCH",  PAYROLL,                          *ADMIN),
    Row("GET",    POLICY,                           *ADMIN),
    Row("PUT",    POLICY,                           *ADMIN),
    Row("PATCH",  POLICY,                           *ADMIN),
    # seed 002 "HR"
    Row("GET",    ENTRIES,                          *STAFF),
    Row("POST",   ENTRIES,                          *STAFF_NEW),
    Row("GET",    f"{ENTRIES}/current",             *STAFF),
    Row("GET",    f"{ENTRIES}/summary",             *STAFF),
    Row("POST",   f"{ENTRIES}/bulk_approve",        *MANAGER),
    Row("GET",    ENTRY,                            *STAFF),
    Row("POST",   f"{ENTRY}/clock_out",             *STAFF),
    Row("POST",   f"{ENTRY}/approve",               *MANAGER),
    Row("GET",    "/api/hr/departments",            *STAFF),
    Row("POST",   "/api/hr/departments",            *MANAGER_NEW),
    Row("GET",    DEPARTMENT,                       *STAFF),
    Row("PUT",    DEPARTMENT,                       *MANAGER),
    Row("PATCH",  DEPARTMENT,                       *MANAGER),
    Row("DELETE", DEPARTMENT,                       *MANAGER_GONE),
    Row("GET",    "/api/hr/sick-leave/balances",    *STAFF),
    Row("GET",    SICK,                             *STAFF),
    Row("POST",   SICK,                             *STAFF_NEW),
    Row("GET",    SICK_ONE,                         *STAFF),
    Row("PUT",    SICK_ONE,                         *STAFF),
    Row("PATCH",  SICK_ONE,                         *STAFF),
    Row("DELETE", SICK_ONE,                         *STAFF_GONE),
    Row("POST",   f"{SICK_ONE}/approve",            *MANAGER),
    Row("POST",   f"{SICK_ONE}/deny",               *MANAGER),
    Row("GET",    MODIFICATIONS,                    *STAFF),
    Row("POST",   MODIFICATIONS,                    *STAFF_NEW),
    Row("POST",   f"{MODIFICATION}/approve",        *MANAGER),
    Row("POST",   f"{MODIFICATION}/deny",           *MANAGER),
]
# fmt: on


def caller_user(caller: Role | None) -> str:
    return f"user-{caller.value}" if caller else "anonymous"


@dataclass
class Call:
    """What one caller sends: the path's ids and the body (JSON, or a multipart form)."""

    ids: dict[str, str] = field(default_factory=dict)
    json: Any = None
    form: dict[str, str] | None = None
    params: dict[str, str] | None = None


class Arranged:
    """The objects of store LA every row starts from, written straight to the database, and
    the makers of a target of its own for each caller of a one-time action."""

    def __init__(self, database: Database, folder: Any) -> None:
        self.database = database
        self.storage = DiskStorage(folder)
        self.ids: dict[str, str] = {"store_id": str(LA), "user_id": ADVISOR_LA.user_id}

    async def build(self) -> None:
        await open_stores(self.database)
        now = datetime.now(UTC)
        async with self.database.session() as session:
            session.add_all(
                Person(
                    id=caller_user(role),
                    role=role,
                    store_ids=[] if role == Role.system_admin else [str(LA)],
                    synced_at=now,
                )
                for role in (Role.advisor, Role.branch_head, Role.system_admin)
            )
            shift = Shift(store_id=LA, name="Day", start_time=time(9), end_time=time(17))
            session.add(shift)
            await session.flush()
            arranged: dict[str, Any] = {
                "shift_id": shift,
                "schedule_id": Schedule(
                    person_id=ADVISOR_LA.user_id,
                    store_id=LA,
                    shift_id=shift.id,
                    weekdays=[0, 1, 2],
                    effective_from=date(2026, 1, 1),
                ),
                "weekoff_id": WeeklyOff(
                    person_id=ADVISOR_LA.user_id, weekday=6, effective_from=date(2026, 1, 1)
                ),
                "exception_id": ScheduleException(
                    store_id=LA,
                    person_id=ADVISOR_LA.user_id,
                    kind="leave",
                    date_from=date(2026, 5, 4),
                    date_to=date(2026, 5, 5),
                ),
                "geofence_id": Geofence(
                    store_id=LA,
                    name="Lot",
                    kind="circle",
                    center_latitude=LA_POINT[0],
                    center_longitude=LA_POINT[1],
                    radius_m=80.0,
                ),
                "department_id": Department(name="Floor", store_id=LA),
                "selfie_id": Selfie(
                    person_id=ADVISOR_LA.user_id,
                    store_id=LA,
                    storage_key="arranged.jpg",
                    size=10,
                    width=320,
                    height=240,
                ),
            }
            session.add_all(arranged.values())
            session.add(
                PayrollProfile(
                    person_id=ADVISOR_LA.user_id,
                    pay_type="hourly",
                    hourly_rate=Decimal("20.00"),
                    currency="USD",
                    effective_from=date(2026, 1, 1),
                )
            )
            session.add(
                SickLeaveBalance(
                    person_id=ADVISOR_LA.user_id,
                    year=now.year,
                    worked_minutes=60_000,
                    accrued_minutes=2_000,
                )
            )
            await session.flush()
            self.ids |= {key: str(value.id) for key, value in arranged.items()}
        await self.storage.save("arranged.jpg", photo())

    async def entry(self, person: str, *, open_: bool = False, approval: bool = False) -> str:
        now = datetime.now(UTC)
        async with self.database.session() as session:
            entry = TimeEntry(
                person_id=person,
                store_id=LA,
                work_date=now.date(),
                source=EntrySource.hr,
                status=EntryStatus.active if open_ else EntryStatus.completed,
                clock_in=now - timedelta(hours=8),
                clock_out=None if open_ else now - timedelta(minutes=1),
                approvals=[],
            )
            session.add(entry)
            await session.flush()
            if approval:
                session.add(
                    Approval(
                        entry_id=entry.id,
                        person_id=person,
                        store_id=LA,
                        kind=ApprovalKind.outside_geofence,
                        punch=Punch.check_in,
                        distance_m=500.0,
                    )
                )
            return str(entry.id)

    async def approval(self) -> str:
        entry = await self.entry(ADVISOR_LA.user_id, approval=True)
        async with self.database.session() as session:
            found = await session.get(TimeEntry, uuid.UUID(entry))
            assert found is not None
            return str(found.approvals[0].id)

    async def sick_request(self, person: str) -> str:
        async with self.database.session() as session:
            request = SickLeaveRequest(
                person_id=person,
                store_id=LA,
                start_date=date.today(),
                end_date=date.today(),
                minutes=60,
                status=RequestStatus.pending,
                requested_by=person,
            )
            session.add(request)
            await session.flush()
            return str(request.id)

    async def modification(self) -> str:
        entry = await self.entry(ADVISOR_LA.user_id)
        async with self.database.session() as session:
            request = ModificationRequest(
                entry_id=uuid.UUID(entry),
                person_id=ADVISOR_LA.user_id,
                store_id=LA,
                break_minutes=0,
                reason="forgot",
                status=RequestStatus.pending,
                requested_by=ADVISOR_LA.user_id,
            )
            session.add(request)
            await session.flush()
            return str(request.id)

    async def department(self) -> str:
        async with self.database.session() as session:
            made = Department(name="Temporary", store_id=LA)
            session.add(made)
            await session.flush()
            return str(made.id)

    async def shift(self) -> str:
        async with self.database.session() as session:
            made = Shift(store_id=LA, name="Spare", start_time=time(12), end_time=time(20))
            session.add(made)
            await session.flush()
            return str(made.id)


def _staff(caller: Role | None) -> bool:
    return caller in (Role.advisor, Role.branch_head, Role.system_admin)


Maker = Callable[[Arranged, Role | None], Awaitable[Call]]


async def _checked_in(a: Arranged, caller: Role | None) -> Call:
    if _staff(caller):
        await a.entry(caller_user(caller), open_=True)
    return Call(form={"latitude": str(LA_POINT[0]), "longitude": str(LA_POINT[1])})


async def _own_open_entry(a: Arranged, caller: Role | None) -> Call:
    if not _staff(caller):  # refused whatever the entry: any of the store's will do
        return Call({"entry_id": await a.entry(ADVISOR_LA.user_id)}, json={"break_minutes": 0})
    return Call(
        {"entry_id": await a.entry(caller_user(caller), open_=True)}, json={"break_minutes": 0}
    )


async def _completed_entry(a: Arranged, caller: Role | None) -> Call:
    return Call({"entry_id": await a.entry(ADVISOR_LA.user_id)})


async def _bulk(a: Arranged, caller: Role | None) -> Call:
    return Call(json={"ids": [await a.entry(ADVISOR_LA.user_id)]})


async def _own_entry(a: Arranged, caller: Role | None) -> Call:
    person = caller_user(caller) if _staff(caller) else ADVISOR_LA.user_id
    return Call({"entry_id": await a.entry(person)})


async def _modification_of_own(a: Arranged, caller: Role | None) -> Call:
    person = caller_user(caller) if _staff(caller) else ADVISOR_LA.user_id
    return Call(json={"entry_id": await a.entry(person), "break_minutes": 0, "reason": "forgot"})


def _own_sick_request(body: Any) -> Maker:
    async def make(a: Arranged, caller: Role | None) -> Call:
        person = caller_user(caller) if _staff(caller) else ADVISOR_LA.user_id
        return Call({"request_id": await a.sick_request(person)}, json=body)

    return make


def _fresh(key: str, make: Callable[[Arranged], Awaitable[str]], body: Any = None) -> Maker:
    async def maker(a: Arranged, caller: Role | None) -> Call:
        return Call({key: await make(a)}, json=body)

    return maker


PUNCH = {"latitude": str(LA_POINT[0]), "longitude": str(LA_POINT[1]), "store_id": str(LA)}
BODIES: dict[tuple[str, str], Call] = {
    ("POST", f"{A}/check-in"): Call(form=PUNCH),
    ("POST", f"{REPORT}/close"): Call(params={"month": "2026-01"}),
    ("POST", f"{A}/admin/shifts"): Call(
        json={"store_id": str(LA), "name": "Late", "start_time": "12:00", "end_time": "20:00"}
    ),
    ("PUT", SHIFT): Call(json={"name": "Renamed"}),
    ("PATCH", SHIFT): Call(json={"grace_late_minutes": 5}),
    ("POST", f"{A}/admin/schedules"): Call(
        json={
            "person_id": ADVISOR_LA.user_id,
            "store_id": str(LA),
            "shift_id": "{shift_id}",
            "weekdays": [4],
            "effective_from": "2026-02-01",
        }
    ),
    ("PUT", SCHEDULE): Call(json={"note": "Weekdays"}),
    ("PATCH", SCHEDULE): Call(json={"weekdays": [0, 1]}),
    ("GET", f"{SCHEDULE}/preview"): Call(
        params={"date_from": "2026-03-02", "date_to": "2026-03-08"}
    ),
    ("POST", f"{A}/admin/weekoffs"): Call(
        json={"person_id": ADVISOR_LA.user_id, "weekday": 5, "effective_from": "2026-01-01"}
    ),
    ("PUT", WEEKOFF): Call(json={"note": "Sundays"}),
    ("PATCH", WEEKOFF): Call(json={"effective_to": "2026-12-31"}),
    ("POST", f"{A}/admin/exceptions"): Call(
        json={"store_id": str(LA), "kind": "holiday", "date_from": "2026-12-25"}
    ),
    ("PUT", EXCEPTION): Call(json={"note": "Family"}),
    ("PATCH", EXCEPTION): Call(json={"date_to": "2026-05-06"}),
    ("POST", f"{A}/admin/geofences"): Call(
        json={
            "store_id": str(LA),
            "name": "Yard",
            "kind": "circle",
            "center_latitude": 34.05,
            "center_longitude": -118.24,
            "radius_m": 60,
        }
    ),
    ("PUT", GEOFENCE): Call(json={"name": "Car park"}),
    ("PATCH", GEOFENCE): Call(json={"radius_m": 90}),
    ("PUT", PAYROLL): Call(json={"effective_from": "2026-01-01", "hourly_rate": "22.00"}),
    ("PATCH", PAYROLL): Call(json={"effective_from": "2026-01-01", "ot_multiplier": "2.00"}),
    ("PUT", POLICY): Call(json={"outside_geofence": "refuse"}),
    ("PATCH", POLICY): Call(json={"weekly_overtime_hours": 44}),
    ("POST", ENTRIES): Call(json={"store_id": str(LA)}),
    ("POST", "/api/hr/departments"): Call(json={"name": "Repairs", "store_id": str(LA)}),
    ("PUT", DEPARTMENT): Call(json={"name": "Shop floor"}),
    ("PATCH", DEPARTMENT): Call(json={"description": "Front of house"}),
    ("POST", SICK): Call(json={"start_date": "2026-05-04", "hours": "2", "store_id": str(LA)}),
}
MAKERS: dict[tuple[str, str], Maker] = {
    ("POST", f"{A}/check-out"): _checked_in,
    ("POST", f"{APPROVAL}/approve"): _fresh("approval_id", Arranged.approval),
    ("POST", f"{APPROVAL}/reject"): _fresh(
        "approval_id", Arranged.approval, {"note": "Not at the store"}
    ),
    ("DELETE", SHIFT): _fresh("shift_id", Arranged.shift),
    ("GET", f"{ENTRIES}/current"): _own_open_entry,
    ("POST", f"{ENTRIES}/bulk_approve"): _bulk,
    ("GET", ENTRY): _own_entry,
    ("POST", f"{ENTRY}/clock_out"): _own_open_entry,
    ("POST", f"{ENTRY}/approve"): _completed_entry,
    ("DELETE", DEPARTMENT): _fresh("department_id", Arranged.department),
    ("GET", SICK_ONE): _own_sick_request(None),
    ("PUT", SICK_ONE): _own_sick_request({"reason": "Flu"}),
    ("PATCH", SICK_ONE): _own_sick_request({"hours": "1.50"}),
    ("DELETE", SICK_ONE): _own_sick_request(None),
    ("POST", f"{SICK_ONE}/approve"): _fresh(
        "request_id", lambda a: a.sick_request(ADVISOR_LA.user_id)
    ),
    ("POST", f"{SICK_ONE}/deny"): _fresh(
        "request_id", lambda a: a.sick_request(ADVISOR_LA.user_id), {"review_note": "No"}
    ),
    ("POST", MODIFICATIONS): _modification_of_own,
    ("POST", f"{MODIFICATION}/approve"): _fresh("request_id", Arranged.modification),
    ("POST", f"{MODIFICATION}/deny"): _fresh(
        "request_id", Arranged.modification, {"review_note": "No"}
    ),
}


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    def headers(role: Role | None) -> dict[str, str]:
        if role is None:
            return {}
        stores = [] if role == Role.system_admin else [str(LA)]
        return auth_headers(role, user_id=caller_user(role), stores=stores)

    return headers


def test_every_served_route_has_exactly_one_row(app: FastAPI) -> None:
    unlisted, unserved, duplicated = matrix_gaps(app, MATRIX)
    assert unlisted == [] and unserved == [] and not duplicated


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    return value


async def _send(
    client: httpx.AsyncClient, row: Row, call: Call, ids: dict[str, str], headers: dict[str, str]
) -> httpx.Response:
    url = row.path.format(**{**ids, **call.ids}) if "{" in row.path else row.path
    if call.form is not None:
        files = {"selfie": ("selfie.jpg", photo(), "image/jpeg")}
        return await client.request(
            row.method, url, data=call.form, files=files, headers=headers, params=call.params
        )
    return await client.request(
        row.method, url, json=_fill(call.json, ids), headers=headers, params=call.params
    )


@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_each_caller_gets_the_seed_permission(
    row: Row,
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    settings: Any,
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    await nats_connected(app)
    arranged = Arranged(database, settings.attachments_dir)
    await arranged.build()
    for caller in CALLERS:
        maker = MAKERS.get((row.method, row.path))
        call = (
            await maker(arranged, caller) if maker else BODIES.get((row.method, row.path), Call())
        )
        refused = row.expected(caller) >= 400
        before = await snapshot(database, Base.metadata) if refused else None
        response = await _send(client, row, call, arranged.ids, as_role(caller))
        assert response.status_code == row.expected(caller), (caller_id(caller), response.text)
        if refused:
            assert await snapshot(database, Base.metadata) == before, caller_id(caller)


async def test_staff_of_another_store_are_refused_its_objects(
    client: httpx.AsyncClient,
    database: Database,
    settings: Any,
    auth_headers: Callable[..., dict[str, str]],
) -> None:
    arranged = Arranged(database, settings.attachments_dir)
    await arranged.build()
    head = auth_headers(Role.branch_head, user_id=HEAD_IN.user_id, stores=[str(IN)])
    entry = await arranged.entry(ADVISOR_LA.user_id)
    approval = await arranged.approval()
    sick = await arranged.sick_request(ADVISOR_LA.user_id)
    modification = await arranged.modification()
    before = await snapshot(database, Base.metadata)
    for method, url, body in [
        ("GET", f"{A}/reports/store/{LA}", None),
        ("GET", f"{A}/selfies/{arranged.ids['selfie_id']}", None),
        ("POST", f"{A}/approvals/{approval}/approve", None),
        ("GET", f"{ENTRIES}/{entry}", None),
        ("POST", f"{ENTRIES}/{entry}/approve", None),
        ("POST", f"{ENTRIES}/bulk_approve", {"ids": [entry]}),
        ("GET", f"/api/hr/departments/{arranged.ids['department_id']}", None),
        ("PATCH", f"/api/hr/departments/{arranged.ids['department_id']}", {"name": "x"}),
        ("POST", f"{SICK}/{sick}/approve", None),
        ("POST", f"{MODIFICATIONS}/{modification}/approve", None),
    ]:
        response = await client.request(method, url, json=body, headers=head)
        assert response.status_code in (403, 409), (method, url, response.text)
        if url.endswith("bulk_approve"):
            assert "another store" in response.text
        else:
            assert response.status_code == 403, (method, url)
    listed = await client.get(ENTRIES, headers=head)
    assert listed.json()["count"] == 0
    assert await snapshot(database, Base.metadata) == before
