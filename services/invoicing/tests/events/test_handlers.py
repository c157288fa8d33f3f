"""Other services' events through real JetStream: catalog's stores and auth's customers build
their read-models (an older event never overwrites a newer one); every POS sale becomes one
issued, paid invoice with one payment per tender, and its void voids it and reverses them;
replaying either event, under the same or a new event id, changes nothing; a payload
breaking the contract is dead-lettered at once."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select

from common.db import Database
from common.events.envelope import Envelope
from common.testing.events import eventually, publish_event
from common.testing.helpers import read_events
from invoicing.models import EVENT_TABLES, Customer, Invoice, Payment, Store
from tests.conftest import CUSTOMER, CUSTOMER_NAME, CUSTOMER_NUMBER, STORE_A


def _store(store_id: uuid.UUID, name: str) -> dict[str, object]:
    return {
        "store_id": str(store_id),
        "code": "LA-01",
        "name": name,
        "time_zone": "America/Los_Angeles",
        "is_active": True,
    }


async def _store_named(database: Database, store_id: uuid.UUID, name: str) -> bool:
    async with database.session() as session:
        store = await session.get(Store, store_id)
    return store is not None and store.name == name


async def test_store_events_build_the_read_model(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    store = uuid.uuid4()
    await publish_event(nats_url, "catalog.store.created", _store(store, "Venice Beach"))
    await eventually(lambda: _store_named(database, store, "Venice Beach"))
    now = datetime.now(UTC)
    newer = Envelope(
        type="catalog.store.updated", source="catalog", time=now, data=_store(store, "Venice")
    )
    older = Envelope(
        type="catalog.store.updated",
        source="catalog",
        time=now - timedelta(minutes=1),
        data=_store(store, "Old name"),
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
    async with database.session() as session:
        kept = await session.get(Store, store)
    assert kept is not None and kept.time_zone == "America/Los_Angeles"


async def test_a_store_with_a_zone_nobody_knows_counts_its_days_in_utc(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    store = uuid.uuid4()
    await publish_event(
        nats_url,
        "catalog.store.created",
        {**_store(store, "Atlantis"), "time_zone": "Mars/Olympus"},
    )
    await eventually(lambda: _store_named(database, store, "Atlantis"))
    async with database.session() as session:
        kept = await session.get(Store, store)
    assert kept is not None and kept.time_zone == "UTC"


def _user(user_id: str, number: str | None, first: str, active: bool = True) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "email": f"{user_id}@example.com",
        "first_name": first,
        "last_name": "Nowak",
        "role": "customer" if number else "advisor",
        "store_ids": [],
        "is_active": active,
        "customer_number": number,
    }


async def test_customers_come_from_auth_and_staff_do_not(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    await publish_event(nats_url, "auth.user.created", _user("staff-1", None, "Ewa"))
    await publish_event(nats_url, "auth.user.registered", _user("cust-1", "CUS-000777", "Jörg"))

    async def kept() -> bool:
        async with database.session() as session:
            return await session.get(Customer, "cust-1") is not None

    await eventually(kept)
    await publish_event(nats_url, "auth.user.deactivated", _user("cust-1", "CUS-000777", "Jörg"))

    async def deactivated() -> bool:
        async with database.session() as session:
            customer = await session.get(Customer, "cust-1")
        return customer is not None and not customer.is_active

    await eventually(deactivated)
    async with database.session() as session:
        assert await session.get(Customer, "staff-1") is None
        customer = await session.get(Customer, "cust-1")
    assert customer is not None and customer.name == "Jörg Nowak"


async def test_a_store_event_breaking_the_contract_is_dead_lettered_at_once(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    bad = await publish_event(nats_url, "catalog.store.created", {"store_id": "not-a-uuid"})

    async def dead_lettered() -> bool:
        async with database.session() as session:
            row = (
                await session.execute(
                    select(EVENT_TABLES.dead_letters).where(
                        EVENT_TABLES.dead_letters.c.event_id == bad.id
                    )
                )
            ).first()
        return row is not None and row.attempts == 1 and "store_id" in row.error

    await eventually(dead_lettered)


# -- POS sales ------------------------------------------------------------------------------


def sale(
    *,
    sale_id: uuid.UUID | None = None,
    completed_at: str = "2026-11-29T15:12:00+00:00",
    customer_number: str | None = CUSTOMER_NUMBER,
) -> dict[str, Any]:
    """A sale as POS's sale_payload writes it: 379.00 less 10 % on a screen, plus a 25.00 case,
    8.75 % tax: 366.10 + 32.03 = 398.13, paid 300.00 by card and 98.13 in cash."""
    return {
        "sale_id": str(sale_id or uuid.uuid4()),
        "receipt_number": "NYC-01-2026-000042",
        "store_id": str(STORE_A),
        "register_id": str(uuid.uuid4()),
        "drawer_id": str(uuid.uuid4()),
        "cashier_id": "cashier-7",
        "customer_number": customer_number,
        "currency": "USD",
        "lines": [
            {
                "line_id": "1",
                "kind": "unit",
                "sku": "ITM-000123",
                "name": "iPhone 13 128GB",
                "item_id": str(uuid.uuid4()),
                "article_id": None,
                "quantity": "1",
                "unit_price": "379.00",
                "discount_percent": "10.00",
                "discount_amount": "37.90",
                "line_total": "341.10",
            },
            {
                "line_id": "2",
                "kind": "quantity",
                "sku": "CASE-CLR",
                "name": "Clear case",
                "item_id": None,
                "article_id": str(uuid.uuid4()),
                "quantity": "1",
                "unit_price": "25.00",
                "discount_percent": "0.00",
                "discount_amount": "0.00",
                "line_total": "25.00",
            },
        ],
        "subtotal": "366.10",
        "discount_percent": "0.00",
        "discount_total": "0.00",
        "tax_rate": "0.0875",
        "tax_total": "32.03",
        "total": "398.13",
        "payments": [
            {"method": "card", "amount": "300.00", "tendered": None},
            {"method": "cash", "amount": "98.13", "tendered": "100.00"},
        ],
        "change_due": "1.87",
        "completed_at": completed_at,
    }


async def invoices_of(database: Database, sale_id: str) -> list[Invoice]:
    async with database.session() as session:
        rows = await session.scalars(select(Invoice).where(Invoice.source_id == sale_id))
        return list(rows.all())


async def payments_of(database: Database, invoice_id: uuid.UUID) -> list[Payment]:
    async with database.session() as session:
        rows = await session.scalars(
            select(Payment).where(Payment.invoice_id == invoice_id).order_by(Payment.amount.desc())
        )
        return list(rows.all())


async def inbox_count(database: Database, subscriber: str) -> int:
    async with database.session() as session:
        inbox = EVENT_TABLES.inbox
        return int(
            await session.scalar(
                select(func.count()).select_from(inbox).where(inbox.c.subscriber == subscriber)
            )
            or 0
        )


async def test_a_pos_sale_becomes_one_paid_invoice_however_often_it_arrives(
    books: Any, database: Database, nats_url: str
) -> None:
    since = time.time()
    payload = sale()
    first = await publish_event(nats_url, "pos.sale.completed", payload, times=3)
    again = await publish_event(nats_url, "pos.sale.completed", payload, times=2)  # new event id

    async def invoiced() -> bool:
        return await inbox_count(database, "pos-sales-completed") == 2

    await eventually(invoiced)
    [invoice] = await invoices_of(database, payload["sale_id"])
    assert (invoice.status, invoice.source, invoice.total, invoice.paid_amount) == (
        "paid",
        "pos_sale",
        Decimal("398.13"),
        Decimal("398.13"),
    )
    assert invoice.number == "INV-NYC-01-2026-000001"
    assert (invoice.customer_id, invoice.customer_name) == (
        "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
        CUSTOMER_NAME,
    )
    assert [(line.description, line.net) for line in invoice.lines] == [
        ("iPhone 13 128GB", Decimal("341.10")),
        ("Clear case", Decimal("25.00")),
    ]
    assert invoice.tax_total == Decimal("32.03")
    payments = await payments_of(database, invoice.id)
    assert [(p.method, p.amount, p.paid_on.isoformat()) for p in payments] == [
        ("card", Decimal("300.00"), "2026-11-29"),
        ("cash", Decimal("98.13"), "2026-11-29"),
    ]
    recorded = await read_events(nats_url, "invoicing.payment.recorded", expected=2, since=since)
    assert sorted(event.data["amount"] for event in recorded) == ["300.00", "98.13"]
    assert {event.data["source_id"] for event in recorded} == {payload["sale_id"]}
    assert (
        recorded[-1].data["status_after"] == "paid" and recorded[-1].data["balance_after"] == "0.00"
    )
    issued = await read_events(nats_url, "invoicing.invoice.issued", since=since)
    assert [event.data["source_id"] for event in issued] == [payload["sale_id"]]
    assert first.id != again.id


async def test_a_voided_sale_voids_its_invoice_and_reverses_its_payments_once(
    books: Any, database: Database, nats_url: str
) -> None:
    since = time.time()
    payload = sale()
    await publish_event(nats_url, "pos.sale.completed", payload)
    await eventually(lambda: _invoiced(database, payload["sale_id"]))
    voided = {
        "sale_id": payload["sale_id"],
        "store_id": str(STORE_A),
        "reason": "Customer changed mind",
    }
    await publish_event(nats_url, "pos.sale.voided", voided, times=2)
    await publish_event(nats_url, "pos.sale.voided", voided)  # a new event id: still one void

    async def handled() -> bool:
        return await inbox_count(database, "pos-sales-voided") == 2

    await eventually(handled)
    [invoice] = await invoices_of(database, payload["sale_id"])
    assert (invoice.status, invoice.paid_amount, invoice.number) == (
        "void",
        Decimal("0.00"),
        "INV-NYC-01-2026-000001",
    )
    assert invoice.void_reason == "POS sale voided: Customer changed mind"
    payments = await payments_of(database, invoice.id)
    assert len(payments) == 2 and all(payment.reversed_at is not None for payment in payments)
    events = await read_events(nats_url, "invoicing.invoice.voided", since=since)
    assert len(events) == 1
    assert sorted(item["amount"] for item in events[0].data["reversed_payments"]) == [
        "300.00",
        "98.13",
    ]


async def _invoiced(database: Database, sale_id: str) -> bool:
    return len(await invoices_of(database, sale_id)) == 1


async def test_a_void_arriving_before_its_sale_voids_the_invoice_when_it_is_made(
    books: Any, database: Database, nats_url: str
) -> None:
    payload = sale()
    await publish_event(
        nats_url, "pos.sale.voided", {"sale_id": payload["sale_id"], "reason": "Rang up twice"}
    )
    await eventually(lambda: _voids_handled(database))
    await publish_event(nats_url, "pos.sale.completed", payload)
    await eventually(lambda: _invoiced(database, payload["sale_id"]))
    [invoice] = await invoices_of(database, payload["sale_id"])
    assert invoice.status == "void" and invoice.number == "INV-NYC-01-2026-000001"
    assert all(p.reversed_at is not None for p in await payments_of(database, invoice.id))


async def _voids_handled(database: Database) -> bool:
    return await inbox_count(database, "pos-sales-voided") == 1


async def test_a_walk_in_sale_at_a_store_in_kiritimati_is_dated_by_its_clock(
    books: Any, database: Database, nats_url: str
) -> None:
    payload = {
        **sale(customer_number=None, completed_at="2026-12-31T10:30:00+00:00"),
        "store_id": "0000000c-0000-4000-8000-00000000000c",
    }
    await publish_event(nats_url, "pos.sale.completed", payload)
    await eventually(lambda: _invoiced(database, payload["sale_id"]))
    [invoice] = await invoices_of(database, payload["sale_id"])
    # 10:30 UTC on 31 December is 00:30 on 1 January 2027 at UTC+14: next year's first number
    assert invoice.invoice_date is not None and invoice.invoice_date.isoformat() == "2027-01-01"
    assert invoice.number == "INV-KIR-01-2027-000001"
    assert (invoice.customer_id, invoice.customer_name) == (None, "Walk-in customer")


async def test_a_sale_whose_total_does_not_add_up_is_dead_lettered_not_invoiced(
    books: Any, database: Database, nats_url: str
) -> None:
    payload = {**sale(), "total": "400.00"}
    bad = await publish_event(nats_url, "pos.sale.completed", payload)

    async def dead_lettered() -> bool:
        async with database.session() as session:
            row = (
                await session.execute(
                    select(EVENT_TABLES.dead_letters).where(
                        EVENT_TABLES.dead_letters.c.event_id == bad.id
                    )
                )
            ).first()
        return row is not None and "398.13" in row.error

    await eventually(dead_lettered)
    assert await invoices_of(database, payload["sale_id"]) == []


def completed_booking(
    booking_id: str | None = None, *, customer_id: str | None = CUSTOMER, **fields: Any
) -> dict[str, Any]:
    """A booking as bookings' ``bookings.booking.completed`` carries it: two quoted issues."""
    return {
        "booking_id": booking_id or str(uuid.uuid4()),
        "store_id": str(STORE_A),
        "customer_id": customer_id,
        "customer_number": CUSTOMER_NUMBER if customer_id else None,
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
                "issue_id": 1,
            },
            {"description": "Battery", "quantity": "1.000", "unit_price": "99.00", "issue_id": 2},
        ],
        "completed_at": "2026-11-30T16:00:00+00:00",
        **fields,
    }


async def test_a_completed_booking_becomes_one_issued_invoice_however_often_it_arrives(
    books: Any, database: Database, nats_url: str
) -> None:
    since = time.time()
    payload = completed_booking()
    await publish_event(nats_url, "bookings.booking.completed", payload, times=2)
    await publish_event(nats_url, "bookings.booking.completed", payload)  # a new event id

    async def handled() -> bool:
        return await inbox_count(database, "bookings-completed") == 2

    await eventually(handled)
    [invoice] = await invoices_of(database, payload["booking_id"])
    assert (invoice.status, invoice.source, invoice.total, invoice.tax_total) == (
        "issued",
        "booking",
        Decimal("228.00"),
        Decimal("0.00"),
    )
    assert (invoice.customer_id, invoice.customer_name) == (CUSTOMER, CUSTOMER_NAME)
    assert [(line.description, line.net) for line in invoice.lines] == [
        ("Cracked screen", Decimal("129.00")),
        ("Battery", Decimal("99.00")),
    ]
    issued = await read_events(nats_url, "invoicing.invoice.issued", since=since)
    assert [(e.data["source"], e.data["source_id"]) for e in issued] == [
        ("booking", payload["booking_id"])
    ]


async def test_a_booking_without_a_known_customer_is_invoiced_to_the_name_booked(
    books: Any, database: Database, nats_url: str
) -> None:
    walk_in = completed_booking(customer_id=None)
    staff = completed_booking(customer_id="staff-without-a-customer-number")
    for payload in (walk_in, staff):
        await publish_event(nats_url, "bookings.booking.completed", payload)

    async def both() -> bool:
        return all([await invoices_of(database, p["booking_id"]) for p in (walk_in, staff)])

    await eventually(both)
    for payload in (walk_in, staff):
        [invoice] = await invoices_of(database, payload["booking_id"])
        assert (invoice.customer_id, invoice.customer_name, invoice.customer_email) == (
            None,
            "Ann Lee",
            "ann@example.com",
        )


async def test_a_booking_whose_lines_do_not_make_its_quote_is_dead_lettered_not_invoiced(
    books: Any, database: Database, nats_url: str
) -> None:
    payload = completed_booking(quoted_amount="250.00")
    bad = await publish_event(nats_url, "bookings.booking.completed", payload)

    async def dead_lettered() -> bool:
        async with database.session() as session:
            row = (
                await session.execute(
                    select(EVENT_TABLES.dead_letters).where(
                        EVENT_TABLES.dead_letters.c.event_id == bad.id
                    )
                )
            ).first()
        return row is not None and "228.00" in row.error

    await eventually(dead_lettered)
    assert await invoices_of(database, payload["booking_id"]) == []


async def test_the_revocation_read_model_ends_sessions_auth_ended(
    client: httpx.AsyncClient, auth_headers: Any, nats_url: str
) -> None:
    """auth.user.tokens_invalidated reaches invoicing's revocation read-model (its writes take
    ``revocation_version_seq``): a token issued before the not-before instant is refused."""
    user = str(uuid.uuid4())
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    await publish_event(
        nats_url,
        "auth.user.tokens_invalidated",
        {"user_id": user, "not_before": an_hour_ago.isoformat(), "reason": "password_changed"},
    )
    before = auth_headers("system_admin", user_id=user, iat=an_hour_ago - timedelta(hours=1))
    after = auth_headers("system_admin", user_id=user)

    async def ended() -> bool:
        answer = await client.get("/api/invoices/", headers=before)
        return answer.status_code == 401 and answer.json()["detail"] == (
            "This session has ended: log in again."
        )

    await eventually(ended)
    assert (await client.get("/api/invoices/", headers=after)).status_code == 200
