"""The monthly report in the store's time zone (JSON and CSV), and closing a month: stored,
reproducible, and nothing dated in it changes afterwards (409)."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from attendance.models import Person
from common.db import Database
from common.testing.helpers import read_events
from tests.conftest import (
    ADVISOR_LA,
    HEAD_IN,
    HEAD_LA,
    LA,
    LA_POINT,
    Clock,
    Staff,
    make_schedule,
    make_shift,
    punch,
)

pytestmark = pytest.mark.usefixtures("stores")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
Headers = Callable[[Staff], dict[str, str]]
REPORT = f"/api/attendance/reports/store/{LA}"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOS_ANGELES)


async def _work(
    client: httpx.AsyncClient,
    clock: Clock,
    who: dict[str, str],
    start: str,
    end: str,
    ot_requested: str = "false",
) -> dict[str, Any]:
    clock.set(at(start))
    assert (await punch(client, "check-in", who, LA_POINT)).status_code == 201
    clock.set(at(end))
    out = await punch(client, "check-out", who, LA_POINT, ot_requested=ot_requested)
    assert out.status_code == 200, out.text
    return dict(out.json())


async def march(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> dict[str, Any]:
    """Two days of work in March 2026 at LA (Mon-Fri 09:00-17:00 roster, $20/h), one pending OT."""
    shift = await make_shift(
        client, admin, LA, "09:00", "17:00", break_minutes=30, break_after_minutes=360
    )
    await make_schedule(
        client, admin, ADVISOR_LA, shift, weekdays=[0, 1, 2, 3, 4], effective_from="2026-03-01"
    )
    profile = {"pay_type": "hourly", "hourly_rate": "20.00", "effective_from": "2026-01-01"}
    assert (
        await client.put(
            f"/api/attendance/admin/payroll/{ADVISOR_LA.user_id}", json=profile, headers=admin
        )
    ).status_code == 200
    advisor = headers(ADVISOR_LA)
    monday = await _work(
        client, clock, advisor, "2026-03-02T09:12", "2026-03-02T17:45", ot_requested="true"
    )
    [ot] = monday["approvals"]
    approved = await client.post(
        f"/api/attendance/approvals/{ot['id']}/approve", headers=headers(HEAD_LA)
    )
    assert approved.status_code == 200
    tuesday = await _work(client, clock, advisor, "2026-03-03T09:00", "2026-03-03T16:30")
    friday = await _work(
        client, clock, advisor, "2026-03-27T09:00", "2026-03-27T18:00", ot_requested="true"
    )
    clock.set(at("2026-04-01T10:00"))
    return {"pending_ot": friday["approvals"][0], "friday": friday, "tuesday": tuesday}


async def test_the_month_of_a_person_at_a_store(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    await march(client, admin, headers, clock)
    report = await client.get(REPORT, params={"month": "2026-03"}, headers=headers(HEAD_LA))
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["time_zone"], body["closed"], body["totals"]["people"]) == (
        "America/Los_Angeles",
        False,
        2,
    )
    row = next(r for r in body["people"] if r["person_id"] == ADVISOR_LA.user_id)
    assert row["scheduled_days"] == 22 and row["days_present"] == 3 and row["absences"] == 19
    assert (row["late_count"], row["late_minutes"]) == (1, 12)
    assert (row["early_leaves"], row["early_leave_minutes"]) == (1, 30)
    assert (row["approved_ot_hours"], row["approved_ot_entries"], row["pending_exceptions"]) == (
        "0.75",
        1,
        1,
    )
    # Mon 09:12-17:00 less 30' = 7.30 h + 0.75 h OT; Tue 09:00-16:30 less 30' = 7.00 h;
    # Fri 09:00-17:00 less 30' = 7.50 h (its hour of overtime is still pending).
    assert row["payable_hours"] == "22.55"
    # 21.80 h x 20.00 + 0.75 h x 20.00 x 1.5
    assert (row["amount"], row["currency"]) == ("458.50", "USD")
    assert body["totals"]["amounts"] == {"USD": "458.50"}
    head = next(r for r in body["people"] if r["person_id"] == HEAD_LA.user_id)
    assert (head["scheduled_days"], head["amount"]) == (0, None)

    mine = await client.get(
        "/api/attendance/reports/me", params={"month": "2026-03"}, headers=headers(ADVISOR_LA)
    )
    [store] = mine.json()["stores"]
    assert (store["store_code"], store["amount"], store["absences"]) == ("LA-01", "458.50", 19)


async def test_the_report_as_csv_with_cells_safe_for_a_spreadsheet(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    headers: Headers,
    clock: Clock,
    database: Database,
) -> None:
    async with database.session() as session:
        person = await session.get(Person, HEAD_LA.user_id)
        assert person is not None
        person.first_name, person.last_name = "=HYPERLINK(1)", ""
    await march(client, admin, headers, clock)
    response = await client.get(
        REPORT, params={"month": "2026-03", "format": "csv"}, headers=headers(HEAD_LA)
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attendance-LA-01-2026-03.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    advisor = next(r for r in rows if r["person_id"] == ADVISOR_LA.user_id)
    assert (advisor["amount"], advisor["late_minutes"], advisor["month"]) == (
        "458.50",
        "12",
        "2026-03",
    )
    head = next(r for r in rows if r["person_id"] == HEAD_LA.user_id)
    assert head["name"] == "'=HYPERLINK(1)"


async def test_another_stores_head_sees_no_report(
    client: httpx.AsyncClient, headers: Headers
) -> None:
    assert (await client.get(REPORT, headers=headers(HEAD_IN))).status_code == 403


async def test_a_closed_month_is_stored_reproducible_and_locked(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock, nats_url: str
) -> None:
    since = time.time()
    arranged = await march(client, admin, headers, clock)
    clock.set(at("2026-03-31T12:00"))
    early = await client.post(f"{REPORT}/close", params={"month": "2026-03"}, headers=admin)
    assert early.status_code == 409 and "not over" in early.json()["detail"]
    clock.set(at("2026-04-01T10:00"))
    closed = await client.post(f"{REPORT}/close", params={"month": "2026-03"}, headers=admin)
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed"] is True and closed.json()["closed_by"] == "admin-1"
    again = await client.post(f"{REPORT}/close", params={"month": "2026-03"}, headers=admin)
    assert again.status_code == 409

    # the report no longer moves, whatever changes afterwards
    await client.patch(
        f"/api/attendance/admin/payroll/{ADVISOR_LA.user_id}",
        json={"effective_from": "2026-01-01", "hourly_rate": "99.00"},
        headers=admin,
    )
    served = (await client.get(REPORT, params={"month": "2026-03"}, headers=admin)).json()
    assert served == closed.json()

    # nothing dated in March changes: a punch, an exception decision, a modification
    clock.set(at("2026-03-31T11:00"))
    late_punch = await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)
    assert late_punch.status_code == 409 and "closed" in late_punch.json()["detail"]
    clock.set(at("2026-04-01T10:00"))
    decision = await client.post(
        f"/api/attendance/approvals/{arranged['pending_ot']['id']}/approve",
        headers=headers(HEAD_LA),
    )
    assert decision.status_code == 409 and "closed" in decision.json()["detail"]
    change = await client.post(
        "/api/hr/modification-requests",
        json={"entry_id": arranged["friday"]["id"], "break_minutes": 15, "reason": "short break"},
        headers=headers(ADVISOR_LA),
    )
    assert change.status_code == 409 and "closed" in change.json()["detail"]
    hr_approval = await client.post(
        f"/api/hr/time-entries/{arranged['tuesday']['id']}/approve", headers=headers(HEAD_LA)
    )
    assert hr_approval.status_code == 409 and "closed" in hr_approval.json()["detail"]

    # April is open
    clock.set(at("2026-04-01T11:00"))
    assert (await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)).status_code == 201
    [event] = await read_events(nats_url, "attendance.month.closed", since=since)
    assert (event.data["month"], event.data["amounts"]) == ("2026-03", {"USD": "458.50"})
