"""Every change of attendance's setup is an event (issue 13): shifts, schedules, week-offs,
schedule exceptions, geofences, payroll profiles, store policies and HR departments publish
``created`` / ``updated`` (only when a field changed) / ``deleted`` through the outbox, in the
write's transaction; a refused write (404, 409, 422) publishes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from common.db import Database
from tests.conftest import ADVISOR_LA, HEAD_LA, IN, LA, Staff, make_schedule, make_shift

pytestmark = pytest.mark.usefixtures("stores")
ADMIN_API = "/api/attendance/admin"
MISSING = uuid.uuid4()


@dataclass(frozen=True)
class Written:
    subject: str
    actor: str | None
    data: dict[str, Any]


async def written(database: Database, resource: str) -> list[Written]:
    """The outbox's ``attendance.{resource}.*`` rows, in the order they were written."""
    async with database.session() as session:
        rows = await session.execute(text("SELECT envelope FROM event_outbox ORDER BY seq"))
    prefix = f"attendance.{resource}."
    return [
        Written(envelope["type"], envelope["actor"], envelope["data"])
        for (envelope,) in rows.all()
        if envelope["type"].startswith(prefix)
    ]


def verbs(events: list[Written]) -> list[tuple[str, list[str]]]:
    return [(e.subject.rsplit(".", 1)[1], e.data["changed"]) for e in events]


def expect(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json()) if response.content else {}


async def test_a_shift_is_announced_when_created_changed_and_deleted(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00", name="Day")
    url = f"{ADMIN_API}/shifts/{shift['id']}"
    expect(await client.patch(url, json={"name": "Early"}, headers=admin), 200)
    expect(await client.patch(url, json={"name": "Early"}, headers=admin), 200)
    # refused: an unknown store, a day shift ending before it starts, an unknown shift
    body = {"store_id": str(MISSING), "name": "X", "start_time": "09:00", "end_time": "17:00"}
    expect(await client.post(f"{ADMIN_API}/shifts", json=body, headers=admin), 422)
    expect(await client.patch(url, json={"end_time": "08:00"}, headers=admin), 422)
    expect(await client.delete(f"{ADMIN_API}/shifts/{MISSING}", headers=admin), 404)
    expect(await client.delete(url, headers=admin), 204)

    events = await written(database, "shift")
    assert verbs(events) == [("created", []), ("updated", ["name"]), ("deleted", [])]
    assert events[0].data == {
        "shift_id": shift["id"],
        "store_id": str(LA),
        "name": "Day",
        "start_time": "09:00:00",
        "end_time": "17:00:00",
        "overnight": False,
        "grace_late_minutes": shift["grace_late_minutes"],
        "grace_early_minutes": shift["grace_early_minutes"],
        "check_in_opens_minutes": shift["check_in_opens_minutes"],
        "break_minutes": shift["break_minutes"],
        "break_after_minutes": shift["break_after_minutes"],
        "overtime_after_minutes": shift["overtime_after_minutes"],
        "is_active": True,
        "changed": [],
    }
    assert events[2].data["name"] == "Early"
    assert {e.actor for e in events} == {"admin-1"}


async def test_a_shift_in_use_is_not_deleted_and_nothing_is_announced(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00")
    await make_schedule(client, admin, ADVISOR_LA, shift)
    expect(await client.delete(f"{ADMIN_API}/shifts/{shift['id']}", headers=admin), 409)
    assert verbs(await written(database, "shift")) == [("created", [])]


async def test_a_schedule_is_announced_when_created_changed_and_deleted(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00")
    schedule = await make_schedule(client, admin, ADVISOR_LA, shift, weekdays=[0, 1, 2])
    url = f"{ADMIN_API}/schedules/{schedule['id']}"
    change = {"weekdays": [3, 4], "note": "Thursdays and Fridays"}
    expect(await client.patch(url, json=change, headers=admin), 200)
    backwards = {"effective_to": "2025-01-01"}
    expect(await client.patch(url, json=backwards, headers=admin), 422)
    expect(await client.delete(f"{ADMIN_API}/schedules/{MISSING}", headers=admin), 404)
    expect(await client.delete(url, headers=admin), 204)

    events = await written(database, "schedule")
    assert verbs(events) == [("created", []), ("updated", ["note", "weekdays"]), ("deleted", [])]
    assert events[0].data == {
        "schedule_id": schedule["id"],
        "person_id": ADVISOR_LA.user_id,
        "store_id": str(LA),
        "shift_id": shift["id"],
        "weekdays": [0, 1, 2],
        "effective_from": "2026-01-01",
        "effective_to": None,
        "is_active": True,
        "changed": [],
    }
    assert events[1].data["weekdays"] == [3, 4]
    assert all("Thursdays" not in str(e.data) for e in events)  # the note stays here


async def test_a_weekoff_is_announced_when_created_changed_and_deleted(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    body = {"person_id": ADVISOR_LA.user_id, "weekday": 6, "effective_from": "2026-03-01"}
    made = expect(await client.post(f"{ADMIN_API}/weekoffs", json=body, headers=admin), 201)
    url = f"{ADMIN_API}/weekoffs/{made['id']}"
    unknown = {**body, "person_id": "nobody"}
    expect(await client.post(f"{ADMIN_API}/weekoffs", json=unknown, headers=admin), 422)
    expect(await client.patch(url, json={"effective_to": "2026-06-30"}, headers=admin), 200)
    expect(await client.patch(url, json={"effective_to": "2026-01-01"}, headers=admin), 422)
    expect(await client.delete(url, headers=admin), 204)
    expect(await client.delete(url, headers=admin), 404)

    events = await written(database, "weekoff")
    assert verbs(events) == [("created", []), ("updated", ["effective_to"]), ("deleted", [])]
    assert events[1].data == {
        "weekoff_id": made["id"],
        "person_id": ADVISOR_LA.user_id,
        "weekday": 6,
        "effective_from": "2026-03-01",
        "effective_to": "2026-06-30",
        "changed": ["effective_to"],
    }


async def test_a_schedule_exception_is_announced_when_created_changed_and_deleted(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    route = f"{ADMIN_API}/exceptions"
    body = {
        "store_id": str(LA),
        "person_id": ADVISOR_LA.user_id,
        "kind": "leave",
        "date_from": "2026-03-16",
        "note": "Family visit",
    }
    made = expect(await client.post(route, json=body, headers=admin), 201)
    url = f"{route}/{made['id']}"
    swap = {**body, "kind": "swap"}  # a swap names its shift
    expect(await client.post(route, json=swap, headers=admin), 422)
    expect(await client.patch(url, json={"date_to": "2026-03-20"}, headers=admin), 200)
    expect(await client.delete(f"{route}/{MISSING}", headers=admin), 404)
    expect(await client.delete(url, headers=admin), 204)

    events = await written(database, "schedule_exception")
    assert verbs(events) == [("created", []), ("updated", ["date_to"]), ("deleted", [])]
    assert events[0].data == {
        "exception_id": made["id"],
        "store_id": str(LA),
        "person_id": ADVISOR_LA.user_id,
        "kind": "leave",
        "date_from": "2026-03-16",
        "date_to": "2026-03-16",
        "shift_id": None,
        "changed": [],
    }
    assert all("Family" not in str(e.data) for e in events)
    assert await written(database, "exception") == []  # those are the punches' exceptions


async def test_a_geofence_is_announced_when_created_reshaped_and_deleted(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    route = f"{ADMIN_API}/geofences"
    circle = {
        "store_id": str(LA),
        "name": "Shop floor",
        "kind": "circle",
        "center_latitude": 34.0522,
        "center_longitude": -118.2437,
        "radius_m": 120,
    }
    made = expect(await client.post(route, json=circle, headers=admin), 201)
    url = f"{route}/{made['id']}"
    expect(await client.post(route, json={**circle, "radius_m": None}, headers=admin), 422)
    points = [
        {"latitude": 34.0530, "longitude": -118.2445},
        {"latitude": 34.0530, "longitude": -118.2430},
        {"latitude": 34.0515, "longitude": -118.2430},
    ]
    polygon = {"kind": "polygon", "points": points}
    expect(await client.patch(url, json=polygon, headers=admin), 200)
    expect(await client.delete(url, headers=admin), 204)
    expect(await client.delete(url, headers=admin), 404)

    events = await written(database, "geofence")
    reshaped = ["center_latitude", "center_longitude", "kind", "points", "radius_m"]
    assert verbs(events) == [("created", []), ("updated", reshaped), ("deleted", [])]
    assert events[0].data == {
        "geofence_id": made["id"],
        "store_id": str(LA),
        "name": "Shop floor",
        "kind": "circle",
        "center_latitude": 34.0522,
        "center_longitude": -118.2437,
        "radius_m": 120.0,
        "points": None,
        "is_active": True,
        "changed": [],
    }
    assert events[1].data["points"] == points
    assert events[1].data["radius_m"] is None


async def test_a_payroll_profile_is_announced_without_its_rate(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    url = f"{ADMIN_API}/payroll/{ADVISOR_LA.user_id}"
    hourly = {
        "pay_type": "hourly",
        "hourly_rate": "21.50",
        "currency": "USD",
        "effective_from": "2026-01-01",
    }
    made = expect(await client.put(url, json=hourly, headers=admin), 200)
    raise_ = {"effective_from": "2026-01-01", "hourly_rate": "23.75"}
    expect(await client.patch(url, json=raise_, headers=admin), 200)
    expect(await client.patch(url, json=raise_, headers=admin), 200)  # nothing changes
    overlapping = {**hourly, "effective_from": "2026-06-01"}
    expect(await client.put(url, json=overlapping, headers=admin), 409)
    expect(await client.put(f"{ADMIN_API}/payroll/nobody", json=hourly, headers=admin), 404)
    monthly_without_salary = {"effective_from": "2026-01-01", "pay_type": "monthly"}
    expect(await client.patch(url, json=monthly_without_salary, headers=admin), 422)

    events = await written(database, "payroll")
    assert verbs(events) == [("created", []), ("updated", ["hourly_rate"])]
    assert events[0].data == {
        "profile_id": made["id"],
        "person_id": ADVISOR_LA.user_id,
        "pay_type": "hourly",
        "currency": "USD",
        "effective_from": "2026-01-01",
        "effective_to": None,
        "updated_by": "admin-1",
        "changed": [],
    }
    assert all("21.5" not in str(e.data) and "23.75" not in str(e.data) for e in events)


async def test_a_store_policy_is_announced_when_a_rule_changes(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    url = f"{ADMIN_API}/policies/{LA}"
    rules = {"outside_geofence": "refuse", "sick_accrual_cap_hours": 48}
    expect(await client.put(url, json=rules, headers=admin), 200)
    expect(await client.put(url, json=rules, headers=admin), 200)  # nothing changes
    expect(await client.put(f"{ADMIN_API}/policies/{MISSING}", json=rules, headers=admin), 404)
    refused = {"outside_geofence": "maybe"}
    expect(await client.patch(f"{ADMIN_API}/policies/{IN}", json=refused, headers=admin), 422)

    events = await written(database, "policy")
    assert [(e.subject, e.actor) for e in events] == [("attendance.policy.updated", "admin-1")]
    assert events[0].data == {
        "store_id": str(LA),
        "outside_geofence": "refuse",
        "unlocated_clock_in": "allow",
        "sick_accrual_worked_hours": 30,
        "sick_accrual_cap_hours": 48,
        "weekly_overtime_hours": 40,
        "updated_by": "admin-1",
        "changed": ["outside_geofence", "sick_accrual_cap_hours"],
    }


async def test_a_department_is_announced_when_created_changed_and_deleted(
    client: httpx.AsyncClient,
    headers: Callable[[Staff], dict[str, str]],
    database: Database,
) -> None:
    route = "/api/hr/departments"
    head = headers(HEAD_LA)
    made = expect(
        await client.post(route, json={"name": "Repairs", "store_id": str(LA)}, headers=head), 201
    )
    url = f"{route}/{made['id']}"
    expect(await client.patch(url, json={"is_active": False}, headers=head), 200)
    unknown_store = {"name": "Till", "store_id": str(MISSING)}
    expect(await client.post(route, json=unknown_store, headers=head), 403)
    expect(await client.patch(f"{route}/999999", json={"name": "X"}, headers=head), 404)
    expect(await client.delete(url, headers=head), 204)

    events = await written(database, "hr.department")
    assert verbs(events) == [("created", []), ("updated", ["is_active"]), ("deleted", [])]
    assert events[0].data == {
        "department_id": made["id"],
        "store_id": str(LA),
        "name": "Repairs",
        "is_active": True,
        "changed": [],
    }
    assert {e.actor for e in events} == {HEAD_LA.user_id}
