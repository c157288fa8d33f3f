"""Seed 002's time entries: clock in with an empty body, clock out with a break, approve (not
your own; sick leave accrues), bulk approve all or nothing, and the sums."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from attendance.models import Base
from common.db import Database
from common.testing.helpers import read_events
from common.testing.permissions import snapshot
from tests.conftest import ADVISOR_IN, ADVISOR_LA, HEAD_LA, LA, Clock, Staff

pytestmark = pytest.mark.usefixtures("stores")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
Headers = Callable[[Staff], dict[str, str]]
ENTRIES = "/api/hr/time-entries"


async def shift_worked(
    client: httpx.AsyncClient,
    clock: Clock,
    who: dict[str, str],
    start: datetime,
    hours: float,
    breaks: int = 0,
) -> dict[str, Any]:
    clock.set(start)
    opened = await client.post(ENTRIES, headers=who)
    assert opened.status_code == 201, opened.text
    clock.set(start + timedelta(hours=hours))
    closed = await client.post(
        f"{ENTRIES}/{opened.json()['id']}/clock_out", json={"break_minutes": breaks}, headers=who
    )
    assert closed.status_code == 200, closed.text
    return dict(closed.json())


async def test_clock_in_with_an_empty_body_fills_who_when_and_where(
    client: httpx.AsyncClient, headers: Headers, clock: Clock
) -> None:
    clock.set(datetime(2026, 3, 2, 8, 58, tzinfo=LOS_ANGELES))
    opened = await client.post(ENTRIES, headers=headers(ADVISOR_LA))
    assert opened.status_code == 201, opened.text
    entry = opened.json()
    assert (entry["employee"], entry["store_id"], entry["date"]) == (
        ADVISOR_LA.user_id,
        str(LA),
        "2026-03-02",
    )
    assert entry["clock_in"] == "2026-03-02T16:58:00Z" and entry["status"] == "active"
    current = await client.get(f"{ENTRIES}/current/", headers=headers(ADVISOR_LA))
    assert current.json()["id"] == entry["id"]
    clock.set(datetime(2026, 3, 2, 17, 28, tzinfo=LOS_ANGELES))
    closed = await client.post(
        f"{ENTRIES}/{entry['id']}/clock_out/",
        json={"break_minutes": 30},
        headers=headers(ADVISOR_LA),
    )
    assert (closed.json()["hours_worked"], closed.json()["status"]) == ("8.00", "completed")
    assert (await client.get(f"{ENTRIES}/current", headers=headers(ADVISOR_LA))).status_code == 404
    again = await client.post(f"{ENTRIES}/{entry['id']}/clock_out", headers=headers(ADVISOR_LA))
    assert again.status_code == 409


async def test_a_break_longer_than_the_shift_and_someone_elses_entry_are_refused(
    client: httpx.AsyncClient, headers: Headers, clock: Clock, database: Database
) -> None:
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=LOS_ANGELES))
    entry = (await client.post(ENTRIES, headers=headers(ADVISOR_LA))).json()
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=LOS_ANGELES))
    before = await snapshot(database, Base.metadata)
    too_long = await client.post(
        f"{ENTRIES}/{entry['id']}/clock_out",
        json={"break_minutes": 90},
        headers=headers(ADVISOR_LA),
    )
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["field"] == "break_minutes"
    other = await client.post(f"{ENTRIES}/{entry['id']}/clock_out", headers=headers(ADVISOR_IN))
    assert other.status_code == 403
    assert await snapshot(database, Base.metadata) == before


async def test_approving_accrues_sick_leave_and_nobody_approves_their_own(
    client: httpx.AsyncClient, headers: Headers, clock: Clock, nats_url: str
) -> None:
    since = time.time()
    worked = await shift_worked(
        client,
        clock,
        headers(ADVISOR_LA),
        datetime(2026, 3, 2, 9, tzinfo=LOS_ANGELES),
        30.5,
        breaks=30,
    )
    own = await shift_worked(
        client, clock, headers(HEAD_LA), datetime(2026, 3, 4, 9, tzinfo=LOS_ANGELES), 8
    )
    refused = await client.post(f"{ENTRIES}/{own['id']}/approve", headers=headers(HEAD_LA))
    assert refused.status_code == 409 and "your own" in refused.json()["detail"]
    approved = await client.post(f"{ENTRIES}/{worked['id']}/approve/", headers=headers(HEAD_LA))
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["approved_by"]) == (
        "approved",
        HEAD_LA.user_id,
    )
    balances = await client.get(
        "/api/hr/sick-leave/balances", params={"year": 2026}, headers=headers(ADVISOR_LA)
    )
    [balance] = balances.json()["results"]
    # 30 h worked at 1 h per 30 h: one hour
    assert (balance["worked_minutes"], balance["accrued_minutes"], balance["balance_hours"]) == (
        1800,
        60,
        "1.00",
    )
    assert (
        await client.post(f"{ENTRIES}/{worked['id']}/approve", headers=headers(HEAD_LA))
    ).status_code == 409
    [event] = await read_events(nats_url, "attendance.time_entry.approved", since=since)
    assert (event.data["entry_id"], event.data["sick_leave_accrued_minutes"]) == (worked["id"], 60)


async def test_bulk_approve_is_all_or_nothing_and_names_what_cannot_be(
    client: httpx.AsyncClient, headers: Headers, clock: Clock, database: Database
) -> None:
    advisor = headers(ADVISOR_LA)
    first = await shift_worked(
        client, clock, advisor, datetime(2026, 3, 2, 9, tzinfo=LOS_ANGELES), 8
    )
    second = await shift_worked(
        client, clock, advisor, datetime(2026, 3, 3, 9, tzinfo=LOS_ANGELES), 8
    )
    clock.set(datetime(2026, 3, 4, 9, tzinfo=LOS_ANGELES))
    still_open = (await client.post(ENTRIES, headers=advisor)).json()
    missing = "00000000-0000-4000-8000-000000000000"
    before = await snapshot(database, Base.metadata)
    ids = [first["id"], still_open["id"], second["id"], missing]
    refused = await client.post(
        f"{ENTRIES}/bulk_approve", json={"ids": ids}, headers=headers(HEAD_LA)
    )
    assert refused.status_code == 409
    assert [(p["field"], p["msg"]) for p in refused.json()["detail"]] == [
        ("ids.1", f"{still_open['id']}: still clocked in"),
        ("ids.3", f"{missing}: not found"),
    ]
    assert await snapshot(database, Base.metadata) == before
    done = await client.post(
        f"{ENTRIES}/bulk_approve",
        json={"ids": [first["id"], second["id"]]},
        headers=headers(HEAD_LA),
    )
    assert done.status_code == 200
    assert [e["status"] for e in done.json()] == ["approved", "approved"]


async def test_lists_and_sums_follow_the_filters_and_the_callers_scope(
    client: httpx.AsyncClient, headers: Headers, clock: Clock, admin: dict[str, str]
) -> None:
    await shift_worked(
        client, clock, headers(ADVISOR_LA), datetime(2026, 3, 2, 9, tzinfo=LOS_ANGELES), 8
    )
    await shift_worked(
        client, clock, headers(ADVISOR_LA), datetime(2026, 3, 3, 9, tzinfo=LOS_ANGELES), 6.5
    )
    await shift_worked(
        client, clock, headers(HEAD_LA), datetime(2026, 3, 3, 9, tzinfo=LOS_ANGELES), 4
    )
    mine = await client.get(ENTRIES, headers=headers(ADVISOR_LA))
    assert {e["employee"] for e in mine.json()["results"]} == {ADVISOR_LA.user_id}
    store = await client.get(ENTRIES, params={"date": "2026-03-03"}, headers=headers(HEAD_LA))
    assert store.json()["count"] == 2
    nobody = await client.get(ENTRIES, headers=headers(ADVISOR_IN))
    assert nobody.json()["count"] == 0
    summary = await client.get(
        f"{ENTRIES}/summary",
        params={"employee": ADVISOR_LA.user_id, "date_from": "2026-03-01", "date_to": "2026-03-31"},
        headers=admin,
    )
    assert summary.json() == {
        "count": 2,
        "total_hours": "14.50",
        "approved_hours": "0.00",
        "by_status": {"completed": 2},
        "by_employee": [{"employee": ADVISOR_LA.user_id, "entries": 2, "hours": "14.50"}],
    }
    bad = await client.get(ENTRIES, params={"status": "sleeping"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "status"
