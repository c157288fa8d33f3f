"""Other services' events through real JetStream: catalog's stores and auth's users build the
read-models (an older event never overwrites a newer one; a payload breaking the contract is
dead-lettered at once); invoicing's payment marks a completed booking paid, once, however often
it is delivered; completing a quoted booking publishes what invoicing needs."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bookings.models import EVENT_TABLES, Booking, BookingChange, Customer, Issue, Store
from common.db import Database
from common.events.envelope import Envelope
from common.roles import Role
from common.testing.events import eventually, publish_event
from common.testing.helpers import read_events
from tests.conftest import STORE_A, add_customer, add_issues, book


def _store(store_id: uuid.UUID, name: str) -> dict[str, object]:
    return {
        "store_id": str(store_id),
        "code": "LA-01",
        "name": name,
        "address": "1 Ocean Front Walk",
        "time_zone": "America/Los_Angeles",
        "is_active": True,
        "deleted": False,
    }


async def _store_named(database: Database, store_id: uuid.UUID, name: str) -> bool:
    async with database.session() as session:
        store = await session.get(Store, store_id)
    return store is not None and store.name == name


async def test_store_events_build_the_read_model_and_keep_the_hours(
    client: httpx.AsyncClient, database: Database, nats_url: str, admin: dict[str, str]
) -> None:
    store = uuid.uuid4()
    await publish_event(nats_url, "catalog.store.created", _store(store, "Venice Beach"))
    await eventually(lambda: _store_named(database, store, "Venice Beach"))
    hours = {"saturday": {"opens": "10:00", "closes": "14:00"}}
    set_hours = await client.patch(
        f"/api/bookings/stores/{store}", json={"opening_hours": hours}, headers=admin
    )
    assert set_hours.status_code == 200, set_hours.text
    now = datetime.now(UTC)
    newer = Envelope(
        type="catalog.store.updated",
        source="catalog",
        time=now,
        data={**_store(store, "Venice"), "changed": ["name"]},
    )
    older = Envelope(
        type="catalog.store.updated",
        source="catalog",
        time=now - timedelta(minutes=1),
        data={**_store(store, "Old name"), "changed": ["name"]},
    )
    await publish_event(nats_url, newer.type, {}, envelope=newer)
    await eventually(lambda: _store_named(database, store, "Venice"))
    await publish_event(nats_url, older.type, {}, envelope=older, times=2)
    marker = uuid.uuid4()
    await publish_event(nats_url, "catalog.store.created", _store(marker, "marker"))
    await eventually(
        lambda: _store_named(database, marker, "marker")
    )  # the older ones were handled
    assert await _store_named(database, store, "Venice")
    listed = (await client.get("/api/bookings/stores")).json()["results"]
    venice = next(item for item in listed if item["id"] == str(store))
    assert venice["opening_hours"] == {"saturday": {"opens": "10:00:00", "closes": "14:00:00"}}
    await publish_event(
        nats_url, "catalog.store.deleted", {**_store(store, "Venice"), "deleted": True}
    )

    async def closed() -> bool:
        async with database.session() as session:
            row = await session.get(Store, store)
        return row is not None and not row.is_active

    await eventually(closed)


async def test_user_events_make_customers_whose_bookings_are_theirs(
    client: httpx.AsyncClient,
    database: Database,
    nats_url: str,
    auth_headers: Any,
) -> None:
    user = str(uuid.uuid4())
    payload = {
        "user_id": user,
        "email": "Eve@Example.com",
        "first_name": "Eve",
        "last_name": "Adams",
        "phone": None,
        "role": "customer",
        "store_ids": [],
        "is_active": True,
        "customer_number": "CUS-000042",
    }
    await publish_event(nats_url, "auth.user.registered", payload)
    # tokens_invalidated shares the prefix but is no user: never dead-lettered by the customers'
    # subscription; the revocation read-model takes it (tokens issued before an hour ago end)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    await publish_event(
        nats_url,
        "auth.user.tokens_invalidated",
        {"user_id": user, "not_before": an_hour_ago.isoformat(), "reason": "logout"},
    )

    async def known() -> bool:
        async with database.session() as session:
            row = await session.get(Customer, user)
        return row is not None and row.customer_number == "CUS-000042"

    await eventually(known)
    async with database.session() as session:
        assert (
            await session.scalar(select(func.count()).select_from(EVENT_TABLES.dead_letters)) == 0
        )
    booked = await _booked(client, database, email="eve@example.com")
    mine = await client.get(
        "/api/bookings", params={"mine": "true"}, headers=auth_headers(Role.customer, user_id=user)
    )
    assert [b["id"] for b in mine.json()["results"]] == [booked]

    async def ended(headers: dict[str, str], detail: str) -> bool:
        answer = await client.get("/api/bookings", params={"mine": "true"}, headers=headers)
        return answer.status_code == 401 and answer.json()["detail"] == detail

    # a token issued before the not-before instant is refused (the revocation read-model)
    before = auth_headers(Role.customer, user_id=user, iat=an_hour_ago - timedelta(hours=1))
    await eventually(lambda: ended(before, "This session has ended: log in again."))
    await publish_event(nats_url, "auth.user.deactivated", {**payload, "is_active": False})

    async def gone() -> bool:
        async with database.session() as session:
            row = await session.get(Customer, user)
        return row is not None and not row.is_active

    await eventually(gone)
    # the deactivated customer's tokens are refused altogether now
    await eventually(lambda: ended(auth_headers(Role.customer, user_id=user), "User is inactive."))


async def test_a_payload_breaking_the_contract_is_dead_lettered_at_once(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    bad = await publish_event(nats_url, "auth.user.created", {"user_id": "u-1"})  # no email
    dead = EVENT_TABLES.dead_letters

    async def dead_lettered() -> bool:
        # the customers' subscription refuses it for its email; the revocation read-model
        # (it reads auth.> for is_active) refuses it too, in a row of its own. Both are waited
        # for: a row written after this test ended would land in the next test's database.
        async with database.session() as session:
            rows = {
                row.subscriber: row
                for row in await session.execute(select(dead).where(dead.c.event_id == bad.id))
            }
        customers, revocations = rows.get("auth-users-created"), rows.get("revocations")
        return (
            customers is not None
            and customers.attempts == 1
            and "email" in customers.error
            and revocations is not None
            and "is_active" in revocations.error
        )

    await eventually(dead_lettered)


async def _booked(client: httpx.AsyncClient, database: Database, **fields: Any) -> str:
    await _store_a(database)
    return str((await book(client, **fields))["id"])


async def _store_a(database: Database) -> None:
    async with database.session() as session:
        if await session.get(Store, STORE_A) is None:
            session.add(
                Store(
                    id=STORE_A,
                    code="NYC-01",
                    name="Manhattan",
                    time_zone="America/New_York",
                    synced_at=datetime.now(UTC),
                )
            )


def _payment(
    booking_id: str, invoice_id: uuid.UUID, status_after: str = "paid", source: str = "booking"
) -> dict[str, Any]:
    """invoicing.payment.recorded as invoicing publishes it (issue 12's fields)."""
    return {
        "payment_id": str(uuid.uuid4()),
        "invoice_id": str(invoice_id),
        "invoice_number": "INV-NYC-01-2026-000001",
        "store_id": str(STORE_A),
        "source": source,
        "source_id": booking_id,
        "amount": "228.00",
        "currency": "USD",
        "method": "card",
        "paid_on": "2026-12-02",
        "balance_after": "0.00" if status_after == "paid" else "100.00",
        "status_after": status_after,
        "changed": [],
    }


async def test_completing_asks_for_the_invoice_and_the_paid_invoice_marks_the_booking_paid_once(
    client: httpx.AsyncClient, database: Database, nats_url: str, admin: dict[str, str]
) -> None:
    since = time.time()
    await _store_a(database)
    await add_customer(database, "cust-7", "ann@example.com", customer_number="CUS-000007")
    screen, battery = await add_issues(
        database,
        Issue(name="Cracked screen", estimated_price=Decimal("129.00")),
        Issue(name="Battery", estimated_price=Decimal("99.00")),
    )
    booked = await book(
        client,
        email="ann@example.com",
        name="Ann Lee",
        phone="+1 212 555 0100",
        details={"issues": [screen, battery]},
    )
    booking_id = booked["id"]
    for status in ("approved", "in_progress", "completed"):
        moved = await client.patch(
            f"/api/bookings/{booking_id}", json={"status": status}, headers=admin
        )
        assert moved.status_code == 200, moved.text
    (completed,) = await read_events(nats_url, "bookings.booking.completed", since=since)
    assert completed.data == {
        "booking_id": booking_id,
        "store_id": str(STORE_A),
        "customer_id": "cust-7",
        "customer_number": "CUS-000007",
        "customer_name": "Ann Lee",
        "customer_email": "ann@example.com",
        "customer_phone": "+1 212 555 0100",
        "currency": "USD",
        "quoted_amount": "228.00",
        "lines": [
            {
                "description": "Cracked screen",
                "quantity": "1.000",
                "unit_price": "129.00",
                "issue_id": screen,
            },
            {
                "description": "Battery",
                "quantity": "1.000",
                "unit_price": "99.00",
                "issue_id": battery,
            },
        ],
        "completed_at": completed.data["completed_at"],
    }

    invoice = uuid.uuid4()
    await publish_event(
        nats_url, "invoicing.payment.recorded", _payment(booking_id, invoice, "partially_paid")
    )
    await publish_event(
        nats_url,
        "invoicing.payment.recorded",
        _payment(str(uuid.uuid4()), uuid.uuid4(), source="pos_sale"),
    )
    paid = _payment(booking_id, invoice)
    envelope = await publish_event(nats_url, "invoicing.payment.recorded", paid, times=3)
    await publish_event(
        nats_url,
        "invoicing.payment.recorded",
        paid,
        envelope=Envelope(type="invoicing.payment.recorded", source="invoicing", data=paid),
    )  # a replay under a new id

    async def is_paid() -> bool:
        async with database.session() as session:
            row = await session.get(Booking, uuid.UUID(booking_id))
        return row is not None and row.status == "paid"

    await eventually(is_paid)
    marker = await _booked(client, database)
    await publish_event(
        nats_url, "invoicing.payment.recorded", _payment(marker, uuid.uuid4(), "partially_paid")
    )

    async def marker_seen() -> bool:
        async with database.session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(EVENT_TABLES.inbox)
                .where(EVENT_TABLES.inbox.c.subscriber == "invoicing-payments")
            )
        return (count or 0) >= 5

    await eventually(marker_seen)  # every delivery above was handled
    async with database.session() as session:
        booking = await session.get(Booking, uuid.UUID(booking_id))
        changes = (
            await session.execute(
                select(BookingChange.to_status, BookingChange.changed_by)
                .where(BookingChange.booking_id == uuid.UUID(booking_id))
                .order_by(BookingChange.id)
            )
        ).all()
        dead = await session.scalar(select(func.count()).select_from(EVENT_TABLES.dead_letters))
    assert booking is not None and booking.invoice_id == invoice
    assert [tuple(change) for change in changes] == [
        ("pending", "customer"),
        ("approved", "admin"),
        ("in_progress", "admin"),
        ("completed", "admin"),
        ("paid", "invoicing"),
    ]
    assert dead == 0
    paid_events = [
        e
        for e in await read_events(
            nats_url, "bookings.booking.status_changed", expected=4, since=since
        )
        if e.data["to_status"] == "paid"
    ]
    assert len(paid_events) == 1 and paid_events[0].data["changed_by"] == "invoicing"
    del envelope


async def test_a_payment_for_an_unknown_booking_is_dead_lettered(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    bad = await publish_event(
        nats_url, "invoicing.payment.recorded", _payment(str(uuid.uuid4()), uuid.uuid4())
    )

    async def dead_lettered() -> bool:
        async with database.session() as session:
            row = (
                await session.execute(
                    select(EVENT_TABLES.dead_letters).where(
                        EVENT_TABLES.dead_letters.c.event_id == bad.id
                    )
                )
            ).first()
        return row is not None and "unknown booking" in row.error

    await eventually(dead_lettered)


@pytest.mark.parametrize(
    ("quote", "lines"),
    [
        (
            "250.00",
            [
                ("Cracked screen", "129.00"),
                ("Battery", "99.00"),
                ("Additional work (as quoted)", "22.00"),
            ],
        ),
        ("200.00", [("Repair as quoted: Cracked screen, Battery", "200.00")]),
    ],
)
async def test_the_invoice_lines_add_up_to_the_quote(
    client: httpx.AsyncClient,
    database: Database,
    nats_url: str,
    admin: dict[str, str],
    quote: str,
    lines: list[tuple[str, str]],
) -> None:
    since = time.time()
    await _store_a(database)
    screen, battery = await add_issues(
        database,
        Issue(name="Cracked screen", estimated_price=Decimal("129.00")),
        Issue(name="Battery", estimated_price=Decimal("99.00")),
    )
    booked = await book(client, details={"issues": [screen, battery]})
    for body in (
        {"status": "approved", "quoted_amount": quote},
        {"status": "in_progress"},
        {"status": "completed"},
    ):
        assert (
            await client.patch(f"/api/bookings/{booked['id']}", json=body, headers=admin)
        ).status_code == 200
    (completed,) = await read_events(nats_url, "bookings.booking.completed", since=since)
    assert [(line["description"], line["unit_price"]) for line in completed.data["lines"]] == lines
    assert completed.data["quoted_amount"] == quote


async def test_a_quoted_booking_without_a_store_cannot_complete(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    await _store_a(database)
    (screen,) = await add_issues(database, Issue(name="Screen", estimated_price=Decimal("10.00")))
    booked = await book(client, store=None, details={"issues": [screen]})
    for status in ("approved", "in_progress"):
        assert (
            await client.patch(
                f"/api/bookings/{booked['id']}", json={"status": status}, headers=admin
            )
        ).status_code == 200
    refused = await client.patch(
        f"/api/bookings/{booked['id']}", json={"status": "completed"}, headers=admin
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "store_id"
    done = await client.patch(
        f"/api/bookings/{booked['id']}",
        json={"status": "completed", "store_id": str(STORE_A)},
        headers=admin,
    )
    assert done.status_code == 200 and done.json()["status"] == "completed"
