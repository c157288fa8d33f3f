"""Sick leave: accrued from approved work, approved only up to the balance, denied with a note.
A property (hypothesis, against the real database): whatever the order of work and requests,
balance = accrued - approved, never negative, accrued never above the yearly cap."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects.postgresql import insert

from attendance.hr.review import RequestStatus
from attendance.hr.sick_leave.accrual import accrue
from attendance.hr.sick_leave.models import SickLeaveRequest
from attendance.hr.sick_leave.repository import SickLeaveRepository
from attendance.hr.sick_leave.service import SickLeaveService
from attendance.models import Store, StorePolicy
from common.config import normalise_database_url
from common.db import Database
from common.errors import Conflict
from common.roles import Principal, Role
from common.testing.helpers import read_events
from tests.conftest import ADVISOR_IN, ADVISOR_LA, HEAD_LA, LA, Staff

Headers = Callable[[Staff], dict[str, str]]
REQUESTS = "/api/hr/sick-leave/requests"
YEAR = 2026

work = st.tuples(st.just("work"), st.integers(min_value=0, max_value=900))
ask = st.tuples(st.sampled_from(["approve", "deny"]), st.integers(min_value=1, max_value=240))


def test_accrual_is_one_minute_per_rate_minutes_capped_and_never_taken_back() -> None:
    assert accrue(worked_before=0, accrued_before=0, worked=1800, per_hours=30, cap_hours=40) == (
        1800,
        60,
    )
    assert accrue(worked_before=1800, accrued_before=60, worked=29, per_hours=30, cap_hours=40) == (
        1829,
        60,
    )
    assert accrue(worked_before=0, accrued_before=0, worked=10**6, per_hours=30, cap_hours=40) == (
        10**6,
        2400,
    )
    assert accrue(worked_before=3000, accrued_before=100, worked=0, per_hours=30, cap_hours=1) == (
        3000,
        100,
    )


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    per_hours=st.integers(min_value=1, max_value=40),
    cap_hours=st.integers(min_value=0, max_value=6),
    steps=st.lists(st.one_of(work, ask), min_size=1, max_size=12),
)
def test_balance_is_accrued_minus_approved_and_never_negative(
    service_db: str, per_hours: int, cap_hours: int, steps: list[tuple[str, int]]
) -> None:
    asyncio.run(_run(service_db, per_hours, cap_hours, steps))


async def _run(url: str, per_hours: int, cap_hours: int, steps: list[tuple[str, int]]) -> None:
    database = Database(normalise_database_url(url), pool_size=1)
    person = f"p-{uuid.uuid4().hex[:12]}"
    manager = Principal(user_id="head-x", role=Role.branch_head, store_ids=frozenset({str(LA)}))
    policy = StorePolicy(
        store_id=LA, sick_accrual_worked_hours=per_hours, sick_accrual_cap_hours=cap_hours
    )
    worked = accrued = approved = 0
    try:
        async with database.sessionmaker() as session:
            await session.execute(
                insert(Store)
                .values(id=LA, code="LA-01", name="LA", synced_at=datetime.now(UTC))
                .on_conflict_do_nothing()
            )
            leave = SickLeaveService(session, manager, now=datetime.now(UTC))
            for kind, minutes in steps:
                if kind == "work":
                    gained = await leave.accrue(person, YEAR, minutes, policy)
                    worked, accrued = accrue(
                        worked_before=worked,
                        accrued_before=accrued,
                        worked=minutes,
                        per_hours=per_hours,
                        cap_hours=cap_hours,
                    )
                    assert gained >= 0
                else:
                    request = await SickLeaveRepository(session).add(
                        SickLeaveRequest(
                            person_id=person,
                            store_id=LA,
                            start_date=date(YEAR, 5, 4),
                            end_date=date(YEAR, 5, 4),
                            minutes=minutes,
                            status=RequestStatus.pending,
                            requested_by=person,
                        )
                    )
                    if kind == "deny":
                        await leave.deny(request.id, "no")
                    elif minutes <= accrued - approved:
                        await leave.approve(request.id, "")
                        approved += minutes
                    else:
                        with pytest.raises(Conflict):
                            await leave.approve(request.id, "")
                balance = await SickLeaveRepository(session).balance_for_update(person, YEAR)
                assert (balance.accrued_minutes, balance.used_minutes) == (accrued, approved)
                assert balance.balance_minutes == accrued - approved >= 0
                assert balance.accrued_minutes <= cap_hours * 60
            await session.rollback()
    finally:
        await database.dispose()


async def _accrued(database: Database, person: str, minutes: int) -> None:
    async with database.session() as session:
        policy = StorePolicy(store_id=LA, sick_accrual_worked_hours=30, sick_accrual_cap_hours=40)
        manager = Principal(user_id="system", role=Role.system_admin)
        await SickLeaveService(session, manager, now=datetime.now(UTC)).accrue(
            person, YEAR, minutes, policy
        )


@pytest.mark.usefixtures("stores")
async def test_a_request_is_approved_up_to_the_balance_and_deducted(
    client: httpx.AsyncClient, headers: Headers, database: Database
) -> None:
    await _accrued(database, ADVISOR_LA.user_id, 30 * 60 * 5)  # 150 h worked: 5 h
    asked = await client.post(
        REQUESTS,
        json={"start_date": "2026-05-04", "hours": "6.00", "reason": "Flu"},
        headers=headers(ADVISOR_LA),
    )
    assert asked.status_code == 201, asked.text
    over = await client.post(f"{REQUESTS}/{asked.json()['id']}/approve", headers=headers(HEAD_LA))
    assert over.status_code == 409 and "Only 5.00 h" in over.json()["detail"]
    fits = await client.patch(
        f"{REQUESTS}/{asked.json()['id']}", json={"hours": "4.50"}, headers=headers(ADVISOR_LA)
    )
    assert fits.json()["minutes"] == 270
    done = await client.post(
        f"{REQUESTS}/{asked.json()['id']}/approve", json={}, headers=headers(HEAD_LA)
    )
    assert done.status_code == 200 and done.json()["status"] == "approved"
    [balance] = (
        await client.get("/api/hr/sick-leave/balances", headers=headers(ADVISOR_LA))
    ).json()["results"]
    assert (balance["used_hours"], balance["balance_hours"]) == ("4.50", "0.50")
    final = await client.patch(
        f"{REQUESTS}/{asked.json()['id']}", json={"hours": "1.00"}, headers=headers(ADVISOR_LA)
    )
    assert final.status_code == 409


@pytest.mark.usefixtures("stores")
async def test_a_denial_says_why_and_nobody_reviews_their_own(
    client: httpx.AsyncClient, headers: Headers
) -> None:
    own = await client.post(
        REQUESTS, json={"start_date": "2026-05-04", "hours": "2"}, headers=headers(HEAD_LA)
    )
    assert (
        await client.post(
            f"{REQUESTS}/{own.json()['id']}/deny",
            json={"review_note": "x"},
            headers=headers(HEAD_LA),
        )
    ).status_code == 403
    asked = await client.post(
        REQUESTS, json={"start_date": "2026-05-04", "hours": "2"}, headers=headers(ADVISOR_LA)
    )
    silent = await client.post(
        f"{REQUESTS}/{asked.json()['id']}/deny", json={}, headers=headers(HEAD_LA)
    )
    assert silent.status_code == 422
    denied = await client.post(
        f"{REQUESTS}/{asked.json()['id']}/deny",
        json={"review_note": "Scheduled day off"},
        headers=headers(HEAD_LA),
    )
    assert (denied.json()["status"], denied.json()["review_note"]) == (
        "denied",
        "Scheduled day off",
    )
    stranger = await client.get(f"{REQUESTS}/{asked.json()['id']}", headers=headers(ADVISOR_IN))
    assert stranger.status_code == 403


@pytest.mark.usefixtures("stores")
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2026-05-04", "hours": "0"}, "hours"),
        ({"start_date": "2026-05-04", "hours": "0.01"}, "hours"),
        ({"start_date": "2026-05-04", "end_date": "2026-05-01", "hours": "8"}, "end_date"),
        ({"start_date": "2026-12-31", "end_date": "2027-01-02", "hours": "8"}, "end_date"),
    ],
    ids=["zero", "not-whole-minutes", "backwards", "two-years"],
)
async def test_a_request_that_cannot_be_is_named(
    client: httpx.AsyncClient, headers: Headers, body: dict[str, Any], field: str
) -> None:
    response = await client.post(REQUESTS, json=body, headers=headers(ADVISOR_LA))
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == field


@pytest.mark.usefixtures("stores")
async def test_a_request_is_published_when_filed_changed_and_withdrawn(
    client: httpx.AsyncClient, headers: Headers, nats_url: str
) -> None:
    """Audit logs what is published (issue 13); the reason (health) is not in the event."""
    since = time.time()
    asked = await client.post(
        REQUESTS,
        json={"start_date": "2026-05-04", "hours": "6.00", "reason": "Flu"},
        headers=headers(ADVISOR_LA),
    )
    assert asked.status_code == 201, asked.text
    url = f"{REQUESTS}/{asked.json()['id']}"
    changed = await client.patch(url, json={"hours": "4.50"}, headers=headers(ADVISOR_LA))
    assert changed.status_code == 200, changed.text
    assert (await client.delete(url, headers=headers(ADVISOR_LA))).status_code == 204

    events = await read_events(nats_url, "attendance.sick_leave.*", expected=3, since=since)
    assert [(e.type, e.data["minutes"], e.data["changed"]) for e in events] == [
        ("attendance.sick_leave.requested", 360, []),
        ("attendance.sick_leave.updated", 270, ["minutes"]),
        ("attendance.sick_leave.withdrawn", 270, []),
    ]
    assert {(e.data["request_id"], e.data["person_id"], e.actor) for e in events} == {
        (asked.json()["id"], ADVISOR_LA.user_id, ADVISOR_LA.user_id)
    }
    assert all("Flu" not in str(e.data) for e in events)
