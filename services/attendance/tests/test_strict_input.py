"""What pydantic's lax mode would have coerced is refused, naming the field, with nothing
stored: numbers for dates and times, 0/1 and "true"-ish words for booleans, booleans and
strings for numbers, dates no roster can hold, a month of year 0 (once a 500)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from attendance.models import Base
from common.db import Database
from common.testing.permissions import snapshot
from tests.conftest import ADVISOR_LA, LA, LA_POINT, Staff, make_schedule, make_shift, photo

pytestmark = pytest.mark.usefixtures("stores")
Headers = Callable[[Staff], dict[str, str]]
ADMIN = "/api/attendance/admin"
SOME_ID = "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b"
SHIFT = {"store_id": str(LA), "name": "Morning", "start_time": "09:00", "end_time": "17:00"}
SCHEDULE = {
    "person_id": ADVISOR_LA.user_id,
    "store_id": str(LA),
    "shift_id": SOME_ID,
    "weekdays": [0, 1],
    "effective_from": "2026-03-02",
}
FENCE = {
    "store_id": str(LA),
    "name": "Shop floor",
    "kind": "circle",
    "center_latitude": LA_POINT[0],
    "center_longitude": LA_POINT[1],
    "radius_m": 100,
}
CHANGE = {"entry_id": SOME_ID, "clock_in": "2026-03-02T17:00:00Z", "reason": "Door tablet down"}

BODIES: list[tuple[str, str, dict[str, Any], str]] = [
    ("post", f"{ADMIN}/shifts", {**SHIFT, "start_time": 0}, "start_time"),
    ("post", f"{ADMIN}/shifts", {**SHIFT, "end_time": 61200}, "end_time"),
    ("post", f"{ADMIN}/shifts", {**SHIFT, "overnight": 0}, "overnight"),
    ("post", f"{ADMIN}/shifts", {**SHIFT, "grace_late_minutes": True}, "grace_late_minutes"),
    ("post", f"{ADMIN}/shifts", {**SHIFT, "break_minutes": "30"}, "break_minutes"),
    ("post", f"{ADMIN}/schedules", {**SCHEDULE, "weekdays": [True, 2]}, "weekdays.0"),
    ("post", f"{ADMIN}/schedules", {**SCHEDULE, "effective_from": 0}, "effective_from"),
    ("post", f"{ADMIN}/schedules", {**SCHEDULE, "effective_from": "0001-01-01"}, "effective_from"),
    ("post", f"{ADMIN}/schedules", {**SCHEDULE, "is_active": 1}, "is_active"),
    (
        "post",
        f"{ADMIN}/weekoffs",
        {"person_id": ADVISOR_LA.user_id, "weekday": "6", "effective_from": "2026-03-01"},
        "weekday",
    ),
    (
        "post",
        f"{ADMIN}/exceptions",
        {"store_id": str(LA), "kind": "holiday", "date_from": "9999-12-31"},
        "date_from",
    ),
    ("post", f"{ADMIN}/geofences", {**FENCE, "center_latitude": True}, "center_latitude"),
    ("post", f"{ADMIN}/geofences", {**FENCE, "center_longitude": "-118.2"}, "center_longitude"),
    ("post", f"{ADMIN}/geofences", {**FENCE, "radius_m": "100"}, "radius_m"),
    ("post", f"{ADMIN}/geofences", {**FENCE, "is_active": 1}, "is_active"),
    (
        "put",
        f"{ADMIN}/payroll/{ADVISOR_LA.user_id}",
        {
            "pay_type": "hourly",
            "hourly_rate": "21.50",
            "ot_multiplier": "-1.50",
            "effective_from": "2026-01-01",
        },
        "ot_multiplier",
    ),
    ("patch", f"{ADMIN}/policies/{LA}", {"sick_accrual_cap_hours": True}, "sick_accrual_cap_hours"),
    ("patch", f"{ADMIN}/policies/{LA}", {"weekly_overtime_hours": 40.0}, "weekly_overtime_hours"),
    ("post", "/api/hr/time-entries", {"department_id": "3"}, "department_id"),
    ("post", f"/api/hr/time-entries/{SOME_ID}/clock_out", {"break_minutes": True}, "break_minutes"),
    ("post", "/api/hr/departments", {"name": "Till", "is_active": 0}, "is_active"),
    ("post", "/api/hr/modification-requests", {**CHANGE, "clock_in": 0}, "clock_in"),
    (
        "post",
        "/api/hr/modification-requests",
        {**CHANGE, "clock_in": "2026-03-02T09:00:00"},
        "clock_in",
    ),
    ("post", "/api/hr/modification-requests", {**CHANGE, "break_minutes": 30.0}, "break_minutes"),
    ("post", "/api/hr/sick-leave/requests", {"start_date": 0, "hours": "7.50"}, "start_date"),
]


@pytest.mark.parametrize(
    ("method", "url", "body", "field"), BODIES, ids=[f"{u}:{f}" for _, u, _, f in BODIES]
)
async def test_a_coercible_body_field_is_refused_and_named(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    database: Database,
    method: str,
    url: str,
    body: dict[str, Any],
    field: str,
) -> None:
    before = await snapshot(database, Base.metadata)
    response = await client.request(method, url, json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["detail"]] == [field]
    assert await snapshot(database, Base.metadata) == before


QUERIES: list[tuple[str, str, str]] = [
    ("get", "/api/hr/time-entries?date_to=0", "date_to"),
    ("get", "/api/hr/time-entries?date_from=0001-01-01", "date_from"),
    ("get", "/api/hr/time-entries/summary?date=0.5", "date"),
    ("get", "/api/attendance/reports/me?month=0000-01", "month"),
    ("get", f"/api/attendance/reports/store/{LA}?month=0000-01", "month"),
    ("post", f"/api/attendance/reports/store/{LA}/close?month=0000-01", "month"),
    ("get", f"{ADMIN}/shifts?active=1", "active"),
    ("get", f"{ADMIN}/schedules?active=yes", "active"),
    ("get", f"{ADMIN}/geofences?active=0", "active"),
]


@pytest.mark.parametrize(("method", "url", "field"), QUERIES, ids=[q[1] for q in QUERIES])
async def test_a_coercible_query_parameter_is_refused_and_named(
    client: httpx.AsyncClient, admin: dict[str, str], method: str, url: str, field: str
) -> None:
    response = await client.request(method, url, headers=admin)
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["detail"]] == [field]


async def test_a_department_stays_active_when_told_is_active_0(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    made = await client.post("/api/hr/departments", json={"name": "Till"}, headers=admin)
    url = f"/api/hr/departments/{made.json()['id']}"
    for method in ("put", "patch"):
        response = await client.request(method, url, json={"is_active": 0}, headers=admin)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["field"] == "is_active"
    assert (await client.get(url, headers=admin)).json()["is_active"] is True


async def test_a_preview_of_days_no_roster_holds_is_refused_not_a_500(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00")
    schedule = await make_schedule(client, admin, ADVISOR_LA, shift)
    url = f"{ADMIN}/schedules/{schedule['id']}/preview"
    for first, last in (("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")):
        response = await client.get(
            url, params={"date_from": first, "date_to": last}, headers=admin
        )
        assert response.status_code == 422, response.text
        assert {e["field"] for e in response.json()["detail"]} == {"date_from", "date_to"}
    fine = await client.get(
        url, params={"date_from": "2026-03-02", "date_to": "2026-03-03"}, headers=admin
    )
    assert fine.status_code == 200 and len(fine.json()["days"]) == 2


@pytest.mark.parametrize("word", ["1", "on", "yes"])
async def test_an_overtime_request_form_field_is_true_or_false(
    client: httpx.AsyncClient, headers: Headers, database: Database, word: str
) -> None:
    before = await snapshot(database, Base.metadata)
    response = await client.post(
        "/api/attendance/check-out",
        data={"latitude": str(LA_POINT[0]), "longitude": str(LA_POINT[1]), "ot_requested": word},
        files={"selfie": ("selfie.jpg", photo(), "image/jpeg")},
        headers=headers(ADVISOR_LA),
    )
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["detail"]] == ["ot_requested"]
    assert await snapshot(database, Base.metadata) == before
