"""Payroll profiles: upserted by their first day, never overlapping, one currency a person,
the rate their pay type needs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from attendance.models import PayrollProfile
from common.db import Database
from tests.conftest import ADVISOR_LA

pytestmark = pytest.mark.usefixtures("stores")
URL = f"/api/attendance/admin/payroll/{ADVISOR_LA.user_id}"
HOURLY = {
    "pay_type": "hourly",
    "hourly_rate": "21.50",
    "currency": "USD",
    "effective_from": "2026-01-01",
}


async def _put(
    client: httpx.AsyncClient, admin: dict[str, str], body: dict[str, Any]
) -> httpx.Response:
    return await client.put(URL, json=body, headers=admin)


async def test_upsert_creates_then_updates_the_profile_starting_that_day(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    created = await _put(client, admin, HOURLY)
    assert created.status_code == 200, created.text
    assert (created.json()["hourly_rate"], created.json()["ot_multiplier"]) == ("21.50", "1.50")
    raised = await client.patch(
        URL, json={"effective_from": "2026-01-01", "hourly_rate": "22.75"}, headers=admin
    )
    assert raised.json()["id"] == created.json()["id"] and raised.json()["hourly_rate"] == "22.75"
    listed = await client.get("/api/attendance/admin/payroll", headers=admin)
    assert listed.json()["count"] == 1
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(PayrollProfile)) == 1


async def test_an_overlapping_profile_is_refused_until_the_first_is_ended(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await _put(client, admin, HOURLY)
    later = {**HOURLY, "effective_from": "2026-04-01", "hourly_rate": "23.00"}
    overlapping = await _put(client, admin, later)
    assert overlapping.status_code == 409
    assert "overlaps the one from 2026-01-01" in overlapping.json()["detail"]
    ended = await client.patch(
        URL, json={"effective_from": "2026-01-01", "effective_to": "2026-03-31"}, headers=admin
    )
    assert ended.status_code == 200
    assert (await _put(client, admin, later)).status_code == 200
    back_in = await client.patch(
        URL, json={"effective_from": "2026-01-01", "effective_to": None}, headers=admin
    )
    assert back_in.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pay_type": "hourly", "effective_from": "2026-01-01"}, "hourly_rate"),
        (
            {"pay_type": "monthly", "hourly_rate": "20.00", "effective_from": "2026-01-01"},
            "monthly_salary",
        ),
        ({**HOURLY, "hourly_rate": "-1.00"}, "hourly_rate"),
        ({**HOURLY, "hourly_rate": "21.505"}, "hourly_rate"),
        ({**HOURLY, "effective_to": "2025-12-31"}, "effective_to"),
        ({"hourly_rate": "20.00"}, "effective_from"),
        ({**HOURLY, "currency": "usd"}, "currency"),
        ({**HOURLY, "shoe_size": 44}, "shoe_size"),
    ],
    ids=[
        "no-rate",
        "no-salary",
        "negative",
        "mills",
        "backwards",
        "nothing-today",
        "currency",
        "extra",
    ],
)
async def test_a_profile_that_cannot_pay_is_named(
    client: httpx.AsyncClient, admin: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = await _put(client, admin, body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == field


async def test_a_second_currency_for_one_person_is_refused(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await _put(client, admin, {**HOURLY, "effective_to": "2026-03-31"})
    euros = await _put(client, admin, {**HOURLY, "effective_from": "2026-04-01", "currency": "EUR"})
    assert euros.status_code == 422 and euros.json()["detail"][0]["field"] == "currency"


async def test_an_unknown_person_has_no_profile(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.put("/api/attendance/admin/payroll/nobody", json=HOURLY, headers=admin)
    assert response.status_code == 404
