"""Selling: carts on an open drawer, units from the read-model, payment, receipt numbers,
events on JetStream, idempotency, voids."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, select, update

from common.testing.helpers import read_events
from pos.carts.models import Cart
from pos.cash.models import Drawer, DrawerMovement
from pos.db import EVENT_TABLES
from pos.shelf.models import SellableItem
from tests.till import STORE_A, STORE_B, Till


async def test_cash_sale_of_a_unit_and_an_article(till: Till, nats_url: str) -> None:
    since = time.time()
    await till.unit("ITM-000001", "379.00")
    await till.article("CASE-1", "19.99")
    drawer = await till.drawer("100.00")
    cart = await till.cart(drawer, "ITM-000001", "case-1")
    more = await till.client.post(
        f"/api/pos/carts/{cart['id']}/add-item",
        json={"sku": "CASE-1", "quantity": "2"},
        headers=till.cashier(),
    )
    assert more.status_code == 200, more.text
    lines = more.json()["lines"]
    assert [(line["sku"], line["quantity"]) for line in lines] == [
        ("ITM-000001", "1.000"),
        ("CASE-1", "3.000"),
    ]
    done = await till.client.post(
        f"/api/pos/carts/{cart['id']}/complete",
        json={"payment_method": "cash", "cash_tendered": "500.00"},
        headers=till.cashier(),
    )
    assert done.status_code == 200, done.text
    sale = done.json()
    # 379.00 + 3 x 19.99 = 438.97; tax 8.75 % = 38.409875 → 38.41; total 477.38
    assert (sale["subtotal"], sale["tax_total"], sale["total"]) == ("438.97", "38.41", "477.38")
    assert (sale["cash_amount"], sale["change_due"]) == ("477.38", "22.62")
    assert re.fullmatch(r"NYC-01-\d{4}-000001", sale["receipt_number"])
    assert sale["status"] == "completed"

    async with till.database.session() as session:
        movements = (
            await session.execute(
                select(DrawerMovement.kind, DrawerMovement.amount).order_by(DrawerMovement.id)
            )
        ).all()
        unit = await session.scalar(select(SellableItem).where(SellableItem.sku == "ITM-000001"))
    assert [(kind, str(amount)) for kind, amount in movements] == [
        ("opening", "100.00"),
        ("cash_sale", "500.00"),
        ("change", "-22.62"),
    ]
    assert unit is not None and unit.status == "sold" and not unit.sellable

    sold = await read_events(nats_url, "pos.item.sold", expected=2, since=since)
    assert sorted((event.data["sku"], event.data["quantity"]) for event in sold) == [
        ("CASE-1", "3"),
        ("ITM-000001", "1"),
    ]
    assert {event.data["receipt_number"] for event in sold} == {sale["receipt_number"]}
    assert {event.data["store_id"] for event in sold} == {str(STORE_A)}
    completed = await read_events(nats_url, "pos.sale.completed", since=since)
    assert completed[0].data["total"] == "477.38"
    assert completed[0].data["payments"] == [
        {"method": "cash", "amount": "477.38", "tendered": "500.00"}
    ]

    drawer_now = await till.client.get(f"/api/pos/drawers/{drawer['id']}", headers=till.cashier())
    assert drawer_now.json()["expected_amount"] == "577.38"


async def test_receipt_numbers_count_up_per_store(till: Till) -> None:
    for sku in ("U-1", "U-2", "U-3"):
        await till.unit(sku)
    drawer = await till.drawer()
    numbers = [(await till.sell(drawer, sku))["receipt_number"] for sku in ("U-1", "U-2", "U-3")]
    assert [number[-6:] for number in numbers] == ["000001", "000002", "000003"]


async def test_a_unit_sits_in_one_open_cart_only(till: Till) -> None:
    await till.unit("ITM-7")
    drawer = await till.drawer()
    first = await till.cart(drawer, "ITM-7")
    second = await till.cart(drawer)
    taken = await till.client.post(
        f"/api/pos/carts/{second['id']}/add-item", json={"sku": "ITM-7"}, headers=till.cashier()
    )
    assert taken.status_code == 409
    assert first["id"] in taken.json()["detail"] and "ITM-7" in taken.json()["detail"]
    # removing it from the first cart frees it
    removed = await till.client.delete(
        f"/api/pos/carts/{first['id']}/lines/1", headers=till.cashier()
    )
    assert removed.status_code == 200 and removed.json()["lines"] == []
    retry = await till.client.post(
        f"/api/pos/carts/{second['id']}/add-item", json={"sku": "ITM-7"}, headers=till.cashier()
    )
    assert retry.status_code == 200, retry.text


async def test_what_cannot_be_added(till: Till) -> None:
    await till.unit("SOLD-1", status="sold", sellable=False)
    await till.unit("OTHER-STORE", store=STORE_B)
    await till.unit("UNIT-2")
    drawer = await till.drawer()
    cart = await till.cart(drawer)
    url = f"/api/pos/carts/{cart['id']}/add-item"
    unknown = await till.client.post(url, json={"sku": "NOPE-9"}, headers=till.cashier())
    assert unknown.status_code == 404 and "NOPE-9" in unknown.json()["detail"]
    sold = await till.client.post(url, json={"sku": "SOLD-1"}, headers=till.cashier())
    assert sold.status_code == 409 and "not on the shelf" in sold.json()["detail"]
    other = await till.client.post(url, json={"sku": "OTHER-STORE"}, headers=till.cashier())
    assert other.status_code == 409 and "another store" in other.json()["detail"]
    many = await till.client.post(
        url, json={"sku": "UNIT-2", "quantity": "2"}, headers=till.cashier()
    )
    assert many.status_code == 422 and "quantity" in many.json()["detail"]
    for bad in (
        {"sku": "UNIT-2", "quantity": "0"},
        {"sku": "UNIT-2", "quantity": "-1"},
        {"sku": "UNIT-2", "discount_percent": "101"},
    ):
        refused = await till.client.post(url, json=bad, headers=till.cashier())
        assert refused.status_code == 422, bad


async def test_discounts_above_the_advisor_cap_need_a_branch_head(till: Till) -> None:
    await till.unit("ITM-D", "200.00")
    drawer = await till.drawer()
    cart = await till.cart(drawer)
    url = f"/api/pos/carts/{cart['id']}/add-item"
    big = await till.client.post(
        url, json={"sku": "ITM-D", "discount_percent": "25"}, headers=till.cashier()
    )
    assert big.status_code == 403 and "branch head" in big.json()["detail"]
    by_head = await till.client.post(
        url, json={"sku": "ITM-D", "discount_percent": "25"}, headers=till.head()
    )
    assert by_head.status_code == 200, by_head.text
    line = by_head.json()["lines"][0]
    assert (line["discount_amount"], line["line_total"]) == ("50.00", "150.00")
    small = await till.client.post(
        f"/api/pos/carts/{cart['id']}/discount",
        json={"discount_percent": "10"},
        headers=till.cashier(),
    )
    assert small.status_code == 200
    # 150.00 - 15.00 = 135.00; tax 11.8125 → 11.81; total 146.81
    assert (small.json()["discount_total"], small.json()["total"]) == ("15.00", "146.81")


async def test_payment_rules(till: Till) -> None:
    await till.unit("ITM-P", "100.00")
    drawer = await till.drawer()
    empty = await till.cart(drawer)
    url = f"/api/pos/carts/{empty['id']}/complete"
    refused = await till.client.post(url, json={"payment_method": "card"}, headers=till.cashier())
    assert refused.status_code == 422 and "empty" in refused.json()["detail"]
    cart = await till.cart(drawer, "ITM-P")  # total 108.75
    url = f"/api/pos/carts/{cart['id']}/complete"
    for body, words in (
        ({"payment_method": "cash", "cash_tendered": "100.00"}, "less than the total"),
        ({"payment_method": "cash"}, "cash_tendered"),
        ({"payment_method": "card", "card_amount": "100.00"}, "must equal the total"),
        ({"payment_method": "split", "card_amount": "108.75", "cash_tendered": "5"}, "less than"),
        (
            {"payment_method": "split", "card_amount": "50.00", "cash_tendered": "20.00"},
            "cash part",
        ),
        ({"payment_method": "split", "card_amount": "50.00"}, "both"),
    ):
        response = await till.client.post(url, json=body, headers=till.cashier())
        assert response.status_code == 422, (body, response.text)
        assert words in response.json()["detail"], (body, response.text)
    split = await till.client.post(
        url,
        json={"payment_method": "split", "card_amount": "50.00", "cash_tendered": "60.00"},
        headers=till.cashier(),
    )
    assert split.status_code == 200, split.text
    assert (split.json()["cash_amount"], split.json()["change_due"]) == ("58.75", "1.25")
    async with till.database.session() as session:
        in_drawer = await session.scalar(select(func.sum(DrawerMovement.amount)))
    assert in_drawer == Decimal("158.75")  # 100 opening + 60 tendered - 1.25 change


async def test_fifty_parallel_completes_with_one_key_make_one_sale(till: Till) -> None:
    await till.unit("ITM-K", "10.00")
    drawer = await till.drawer()
    cart = await till.cart(drawer, "ITM-K")
    url = f"/api/pos/carts/{cart['id']}/complete"
    headers = {**till.cashier(), "Idempotency-Key": "sale-key-1"}
    body = {"payment_method": "cash", "cash_tendered": "20.00"}
    responses = await asyncio.gather(
        *(till.client.post(url, json=body, headers=headers) for _ in range(50))
    )
    assert {response.status_code for response in responses} == {200}
    assert len({response.json()["receipt_number"] for response in responses}) == 1
    assert (
        sum(response.headers.get("Idempotent-Replayed") == "true" for response in responses) == 49
    )
    async with till.database.session() as session:
        sales = await session.scalar(select(func.count()).where(Cart.status == "completed"))
        cash = await session.scalar(select(func.count()).where(DrawerMovement.kind == "cash_sale"))
    assert (sales, cash) == (1, 1)
    other_body = await till.client.post(url, json={"payment_method": "card"}, headers=headers)
    assert other_body.status_code == 422 and "different body" in other_body.json()["detail"]
    without_key = await till.client.post(url, json=body, headers=till.cashier())
    assert without_key.status_code == 409 and "completed" in without_key.json()["detail"]


async def test_the_client_cart_id_makes_creation_retry_safe(till: Till) -> None:
    drawer = await till.drawer()
    body = {"drawer_id": drawer["id"], "id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a"}
    first = await till.client.post("/api/pos/carts", json=body, headers=till.cashier())
    again = await till.client.post("/api/pos/carts", json=body, headers=till.cashier())
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] == body["id"]


async def test_void_puts_units_back_and_refunds_cash(till: Till, nats_url: str) -> None:
    since = time.time()
    await till.unit("ITM-V", "50.00")
    drawer = await till.drawer("0.00")
    sale = await till.sell(drawer, "ITM-V", payment_method="cash", cash_tendered="60.00")
    url = f"/api/pos/carts/{sale['id']}/void"
    by_cashier = await till.client.post(url, json={"reason": "Wrong item"}, headers=till.cashier())
    assert by_cashier.status_code == 403
    voided = await till.client.post(url, json={"reason": "Wrong item"}, headers=till.head())
    assert voided.status_code == 200 and voided.json()["status"] == "voided"
    twice = await till.client.post(url, json={"reason": "Wrong item"}, headers=till.head())
    assert twice.status_code == 409 and "voided" in twice.json()["detail"]
    no_reason = await till.client.post(url, json={}, headers=till.head())
    assert no_reason.status_code == 422
    event = (await read_events(nats_url, "pos.sale.voided", since=since))[0]
    assert event.data["sale_id"] == sale["id"] and event.data["reason"] == "Wrong item"
    again = await till.cart(drawer, "ITM-V")  # sellable again
    assert again["lines"][0]["sku"] == "ITM-V"
    drawer_now = await till.client.get(f"/api/pos/drawers/{drawer['id']}", headers=till.cashier())
    assert drawer_now.json()["expected_amount"] == "0.00"  # 60 in, 5.63 change, 54.38 refunded


async def test_a_closed_drawer_sells_nothing(till: Till) -> None:
    await till.unit("ITM-C")
    drawer = await till.drawer()
    cart = await till.cart(drawer, "ITM-C")
    busy = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/close",
        json={"counted_amount": "100.00"},
        headers=till.cashier(),
    )
    assert busy.status_code == 409 and cart["id"] in busy.json()["detail"]
    await till.client.delete(f"/api/pos/carts/{cart['id']}/lines/1", headers=till.cashier())
    closed = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/close",
        json={"counted_amount": "100.00"},
        headers=till.cashier(),
    )
    assert closed.status_code == 200, closed.text
    refused = await till.client.post(
        "/api/pos/carts", json={"drawer_id": drawer["id"]}, headers=till.cashier()
    )
    assert refused.status_code == 409 and "closed" in refused.json()["detail"]


async def test_completing_on_a_drawer_closed_meanwhile_is_refused(till: Till) -> None:
    """A close that won a race against the sale (the API refuses to close a drawer with
    carts holding items, so the row is closed directly here): the sale is refused, unwritten."""
    await till.unit("ITM-RACE")
    drawer = await till.drawer()
    cart = await till.cart(drawer, "ITM-RACE")
    async with till.database.session() as session:
        await session.execute(
            update(Drawer).where(Drawer.id == uuid.UUID(drawer["id"])).values(status="closed")
        )
    refused = await till.client.post(
        f"/api/pos/carts/{cart['id']}/complete",
        json={"payment_method": "card"},
        headers=till.cashier(),
    )
    assert refused.status_code == 409 and "closed" in refused.json()["detail"]
    async with till.database.session() as session:
        stored = await session.get(Cart, uuid.UUID(cart["id"]))
        assert stored is not None and stored.status == "open" and stored.receipt_number is None


async def test_explicit_null_on_a_line_is_refused_naming_the_field(till: Till) -> None:
    await till.article("CASE-N", "10.00")
    drawer = await till.drawer()
    cart = await till.cart(drawer, "CASE-N")
    url = f"/api/pos/carts/{cart['id']}/lines/1"
    for field in ("quantity", "discount_percent"):
        refused = await till.client.patch(url, json={field: None}, headers=till.cashier())
        assert refused.status_code == 422, (field, refused.text)
        assert [error["field"] for error in refused.json()["detail"]] == [field]
    for bad in ({"quantity": True}, {"discount_percent": False}):
        refused = await till.client.patch(url, json=bad, headers=till.cashier())
        assert refused.status_code == 422, bad
    now = await till.client.get(f"/api/pos/carts/{cart['id']}", headers=till.cashier())
    assert now.json()["lines"][0]["quantity"] == "1.000" and now.json()["total"] == "10.88"


async def test_a_sale_s_events_leave_in_line_order_then_the_sale(till: Till) -> None:
    """The outbox keeps the order the sale wrote its events in: each line's
    ``pos.item.sold`` by line number, then ``pos.sale.completed``."""
    for sku in ("ORD-1", "ORD-2", "ORD-3"):
        await till.unit(sku, "5.00")
    drawer = await till.drawer()
    sale = await till.sell(drawer, "ORD-3", "ORD-1", "ORD-2")
    outbox = EVENT_TABLES.outbox
    async with till.database.session() as session:
        rows = (
            await session.execute(
                select(outbox.c.subject, outbox.c.envelope)
                .where(outbox.c.subject.in_(["pos.item.sold", "pos.sale.completed"]))
                .order_by(outbox.c.seq)
            )
        ).all()
    assert [
        (subject, envelope["data"].get("line_id"), envelope["data"].get("sku"))
        for subject, envelope in rows
    ] == [
        ("pos.item.sold", "1", "ORD-3"),
        ("pos.item.sold", "2", "ORD-1"),
        ("pos.item.sold", "3", "ORD-2"),
        ("pos.sale.completed", None, None),
    ]
    assert {envelope["data"]["sale_id"] for _, envelope in rows} == {sale["id"]}


BACKGROUND_TABLES = ("event_outbox", "event_inbox", "event_dead_letters", "revocation_")


async def test_add_item_and_complete_are_one_read_and_few_writes(till: Till) -> None:
    """add-item of a unit is one read (the cart, the unit and the lines, locked) and one
    write; completing a sale with no consigned unit is one read (cart, drawer, units and
    lines, locked), the receipt number (with the relay's NOTIFY) and one write, and never
    looks at the consignment shares' tables."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # the app's background tasks share the engine (outbox relay, consumers, revocations);
        # the sale's own write names the outbox too, and its cart
        background = any(table in statement for table in BACKGROUND_TABLES)
        if not background or "carts" in statement:
            statements.append(statement)

    engine = till.database.engine.sync_engine
    await till.unit("ITM-000001", "10.00")
    await till.unit("ITM-000002", "20.00")
    drawer = await till.drawer("100.00")
    cart = await till.cart(drawer, "ITM-000001")

    event.listen(engine, "before_cursor_execute", count)
    try:
        added = await till.client.post(
            f"/api/pos/carts/{cart['id']}/add-item",
            json={"sku": "itm-000002"},
            headers=till.cashier(),
        )
        adding = list(statements)
        statements.clear()
        done = await till.client.post(
            f"/api/pos/carts/{cart['id']}/complete",
            json={"payment_method": "cash", "cash_tendered": "50.00"},
            headers=till.cashier(),
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert added.status_code == 200, added.text
    assert [line["sku"] for line in added.json()["lines"]] == ["ITM-000001", "ITM-000002"]
    assert added.json()["subtotal"] == "30.00"
    assert len(adding) == 2, adding
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    assert len(statements) == 3, statements
    assert not any("consignment_ledger" in s or "agreements" in s for s in statements)
