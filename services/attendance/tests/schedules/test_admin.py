"""The roster's building blocks refuse what cannot be: a day shift ending before it starts, a
schedule or weekly off running backwards, unknown people, shifts of another store."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from attendance.models import Schedule, Shift
from common.db import Database
from tests.conftest import ADVISOR_IN, ADVISOR_LA, IN, LA, make_schedule, make_shift

pytestmark = pytest.mark.usefixtures("stores")


async def _count(database: Database, model: Any) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("times", "message"),
    [
        ({"start_time": "17:00", "end_time": "09:00"}, "set overnight to true"),
        ({"start_time": "09:00", "end_time": "09:00"}, "cannot end when it starts"),
        ({"start_time": "09:00", "end_time": "17:00", "overnight": True}, "ends the next day"),
        ({"start_time": "09:00+02:00", "end_time": "17:00"}, "leave out the offset"),
    ],
    ids=["end-before-start", "zero-length", "overnight-forwards", "with-offset"],
)
async def test_a_shift_whose_times_cannot_be_is_refused(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    database: Database,
    times: dict[str, Any],
    message: str,
) -> None:
    response = await client.post(
        "/api/attendance/admin/shifts",
        json={"store_id": str(LA), "name": "x", **times},
        headers=admin,
    )
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"][0]["msg"]
    assert await _count(database, Shift) == 0


async def test_an_overnight_shift_is_accepted_and_a_patch_cannot_break_it(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    night = await make_shift(client, admin, LA, "22:00", "06:00", overnight=True)
    broken = await client.patch(
        f"/api/attendance/admin/shifts/{night['id']}", json={"overnight": False}, headers=admin
    )
    assert broken.status_code == 422
    kept = await client.get(f"/api/attendance/admin/shifts/{night['id']}", headers=admin)
    assert kept.json()["overnight"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"effective_from": "2026-03-10", "effective_to": "2026-03-01"}, "effective_to"),
        ({"person_id": "nobody"}, "person_id"),
        ({"person_id": ADVISOR_IN.user_id}, "person_id"),  # works in Kolkata
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [1, 1]}, "weekdays"),
        ({"weekdays": [7]}, "weekdays.0"),
    ],
    ids=["backwards", "unknown-person", "other-store", "no-days", "twice", "no-such-day"],
)
async def test_a_schedule_that_cannot_be_is_refused(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    database: Database,
    change: dict[str, Any],
    field: str,
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00")
    body = {
        "person_id": ADVISOR_LA.user_id,
        "store_id": str(LA),
        "shift_id": shift["id"],
        "weekdays": [0],
        "effective_from": "2026-03-01",
        **change,
    }
    response = await client.post("/api/attendance/admin/schedules", json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == field
    assert await _count(database, Schedule) == 0


async def test_a_schedule_cannot_use_another_stores_shift_nor_a_swap(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    kolkata = await make_shift(client, admin, IN, "10:00", "19:00")
    response = await client.post(
        "/api/attendance/admin/schedules",
        json={
            "person_id": ADVISOR_LA.user_id,
            "store_id": str(LA),
            "shift_id": kolkata["id"],
            "weekdays": [0],
            "effective_from": "2026-03-01",
        },
        headers=admin,
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "shift_id"
    swap = await client.post(
        "/api/attendance/admin/exceptions",
        json={
            "store_id": str(LA),
            "person_id": ADVISOR_LA.user_id,
            "kind": "swap",
            "date_from": "2026-03-02",
        },
        headers=admin,
    )
    assert swap.status_code == 422 and swap.json()["detail"][0]["field"] == "shift_id"


async def test_a_used_shift_is_not_deleted(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00")
    await make_schedule(client, admin, ADVISOR_LA, shift)
    refused = await client.delete(f"/api/attendance/admin/shifts/{shift['id']}", headers=admin)
    assert refused.status_code == 409 and "deactivate" in refused.json()["detail"]
