"""The transition table, every pair: as the rule (``transitions.check`` for each changer) and
through the admin's PATCH (every current status x every target): allowed changes land with a
history row and an event, refused ones are 409s naming the current and allowed statuses and
change nothing."""

from __future__ import annotations

import itertools
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from bookings.bookings import transitions
from bookings.bookings.transitions import TABLE, BookingStatus, Changer
from bookings.models import Booking, BookingChange
from common.db import Database
from common.errors import Conflict
from common.testing.helpers import read_events
from tests.conftest import STORE_A, fingerprint

EXPECTED = {
    ("pending", "approved"),
    ("pending", "rejected"),
    ("pending", "cancelled"),
    ("approved", "in_progress"),
    ("approved", "cancelled"),
    ("in_progress", "completed"),
    ("completed", "paid"),
}
PAIRS = list(itertools.product(BookingStatus, BookingStatus))


def test_the_table_is_the_issue_s_table() -> None:
    assert {(a.value, b.value) for a, following in TABLE.items() for b in following} == EXPECTED


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair_for_every_changer(current: BookingStatus, target: BookingStatus) -> None:
    in_table = (current.value, target.value) in EXPECTED
    may = {
        Changer.admin: in_table and target != BookingStatus.paid,
        Changer.invoicing: in_table and target == BookingStatus.paid,
        Changer.customer: in_table and target == BookingStatus.cancelled,
    }
    for changer, allowed in may.items():
        if allowed:
            transitions.check(current, target, changer)
            assert target in transitions.allowed(current, changer)
            continue
        with pytest.raises(Conflict) as refused:
            transitions.check(current, target, changer)
        assert f"Current status: {current}" in refused.value.detail
        assert target not in transitions.allowed(current, changer)


async def _booking_in(database: Database, status: BookingStatus) -> uuid.UUID:
    booking_id = uuid.uuid4()
    starts = datetime.now(UTC) + timedelta(days=5)
    async with database.session() as session:
        session.add(
            Booking(
                id=booking_id,
                status=status.value,
                name="Ann",
                email="ann@example.com",
                email_key="ann@example.com",
                store_id=STORE_A,
                slot_date=starts.date(),
                slot_time=starts.time().replace(microsecond=0),
                time_zone="UTC",
                starts_at=starts,
                notes="",
                quoted_amount=Decimal("50.00"),
                currency="USD",
            )
        )
    return booking_id


@pytest.mark.usefixtures("stores")
@pytest.mark.parametrize("current", list(BookingStatus), ids=str)
async def test_the_admin_s_patch_follows_the_table_from(
    current: BookingStatus,
    client: httpx.AsyncClient,
    database: Database,
    admin: dict[str, str],
    nats_url: str,
) -> None:
    since = time.time()
    moved: list[str] = []
    for target in BookingStatus:
        booking_id = await _booking_in(database, current)
        body: dict[str, str] = {"status": target.value}
        if target in transitions.NEEDS_REASON:
            body["reason"] = "Customer asked"
        before = await fingerprint(database)
        response = await client.patch(f"/api/bookings/{booking_id}", json=body, headers=admin)
        allowed = (current.value, target.value) in EXPECTED and target != BookingStatus.paid
        if not allowed:
            assert response.status_code == 409, (target, response.text)
            detail = response.json()["detail"]
            assert f"Current status: {current}" in detail
            options = ", ".join(transitions.allowed(current, Changer.admin)) or "none"
            assert f"allowed: {options}." in detail
            assert await fingerprint(database) == before
            continue
        assert response.status_code == 200, (target, response.text)
        answer = response.json()
        assert answer["status"] == target.value
        assert answer["allowed_transitions"] == list(transitions.allowed(target, Changer.admin))
        assert [(h["from_status"], h["to_status"]) for h in answer["history"]] == [
            (current, target)
        ]
        async with database.session() as session:
            rows = (
                (
                    await session.execute(
                        select(BookingChange).where(BookingChange.booking_id == booking_id)
                    )
                )
                .scalars()
                .all()
            )
        assert [(row.to_status, row.changed_by, row.actor) for row in rows] == [
            (target, "admin", "admin-1")
        ]
        moved.append(str(booking_id))
    if moved:
        events = await read_events(
            nats_url, "bookings.booking.status_changed", expected=len(moved), since=since
        )
        assert sorted(
            event.data["booking_id"] for event in events if event.data["from_status"] == current
        ) == sorted(moved)


@pytest.mark.usefixtures("stores")
async def test_reject_and_cancel_need_a_reason(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    for target in ("rejected", "cancelled"):
        booking_id = await _booking_in(database, BookingStatus.pending)
        refused = await client.patch(
            f"/api/bookings/{booking_id}", json={"status": target}, headers=admin
        )
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["field"] == "reason"
        done = await client.patch(
            f"/api/bookings/{booking_id}",
            json={"status": target, "reason": "Out of parts"},
            headers=admin,
        )
        assert done.status_code == 200 and done.json()["reason"] == "Out of parts"
