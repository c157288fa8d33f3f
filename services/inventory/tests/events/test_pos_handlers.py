"""Selling from POS's events, published to JetStream here as POS would publish them."""

from __future__ import annotations

import time
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from common.db import Database
from common.testing.events import eventually, publish_event
from common.testing.helpers import read_events
from inventory.db import EVENT_TABLES
from inventory.items.models import ItemEvent
from inventory.ledger.models import LedgerRow
from tests.conftest import STORE_A, Shop
from tests.invariants import ledger_mismatches


def sold(
    sku: str, sale_id: str, line_id: str = "1", quantity: str = "1", **extra: Any
) -> dict[str, Any]:
    return {
        "sale_id": sale_id,
        "line_id": line_id,
        "receipt_number": "NYC-01-2026-000042",
        "store_id": str(STORE_A),
        "sku": sku,
        "quantity": quantity,
        "unit_price": "379.00",
        **extra,
    }


async def ledger_rows(database: Database, voucher_id: str) -> list[LedgerRow]:
    async with database.session() as session:
        rows = await session.execute(
            select(LedgerRow).where(LedgerRow.voucher_id == voucher_id).order_by(LedgerRow.id)
        )
        return list(rows.scalars())


async def shelf_item(shop: Shop, sku: str) -> dict[str, Any]:
    floor = await shop.location(f"F-{sku}"[:40])
    item = await shop.item(sku=sku, price="379.00", location_id=floor["id"])
    ready = await shop.client.post(f"/api/inventory/items/{item['id']}/ready", headers=shop.admin)
    assert ready.status_code == 200, ready.text
    return dict(ready.json())


async def test_a_sold_event_replayed_ten_times_changes_stock_once(
    shop: Shop, database: Database, nats_url: str
) -> None:
    item = await shelf_item(shop, "RS-SOLD-1")
    sale_id = str(uuid.uuid4())
    since = time.time()
    envelope = await publish_event(nats_url, "pos.item.sold", sold("RS-SOLD-1", sale_id), times=10)

    async def is_sold() -> bool:
        response = await shop.client.get(f"/api/inventory/items/{item['id']}", headers=shop.admin)
        return bool(response.json()["status"] == "sold")

    await eventually(is_sold)
    async with database.session() as session:
        inbox = await session.scalar(
            select(func.count())
            .select_from(EVENT_TABLES.inbox)
            .where(EVENT_TABLES.inbox.c.event_id == envelope.id)
        )
    assert inbox == 1
    [row] = await ledger_rows(database, sale_id)
    assert (row.voucher_type, row.quantity_change, row.quantity_after) == ("pos_sale", -1, 0)
    history = await shop.client.get(
        "/api/inventory/item-history",
        params={"item": item["id"], "event_type": "sold"},
        headers=shop.admin,
    )
    assert history.json()["count"] == 1
    [changed] = await read_events(nats_url, "inventory.item.status_changed", since=since)
    assert (changed.data["sku"], changed.data["status"], changed.data["sellable"]) == (
        "RS-SOLD-1",
        "sold",
        False,
    )
    # POS republishing the same sale line under a new event id changes nothing either
    await publish_event(nats_url, "pos.item.sold", sold("RS-SOLD-1", sale_id))
    await eventually(lambda: _inbox_count(database, 2))
    assert len(await ledger_rows(database, sale_id)) == 1
    assert await ledger_mismatches(database) == []


async def _inbox_count(database: Database, expected: int) -> bool:
    async with database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(EVENT_TABLES.inbox)
            .where(EVENT_TABLES.inbox.c.subscriber.like("%pos-items-sold%"))
        )
    return count == expected


async def test_quantity_sale_issues_from_the_store_default_location(
    shop: Shop, database: Database, nats_url: str
) -> None:
    await shop.article("CABLE-USBC-1")
    floor = await shop.location("FLOOR", is_default=True)
    await shop.receive("CABLE-USBC-1", floor, "5")
    sale_id = str(uuid.uuid4())
    await publish_event(
        nats_url, "pos.item.sold", sold("CABLE-USBC-1", sale_id, quantity="2"), times=3
    )

    async def issued() -> bool:
        return await shop.balance("CABLE-USBC-1", floor) == 3

    await eventually(issued)
    [row] = await ledger_rows(database, sale_id)
    assert row.location_id == uuid.UUID(floor["id"]) and row.quantity_change == -2


async def test_a_store_without_locations_gets_a_sales_floor(
    shop: Shop, database: Database, nats_url: str
) -> None:
    await shop.article("CABLE-USBC-2")
    sale_id = str(uuid.uuid4())
    since = time.time()
    await publish_event(nats_url, "pos.item.sold", sold("CABLE-USBC-2", sale_id))
    await eventually(lambda: _has_rows(database, sale_id))
    locations = await shop.client.get(
        "/api/inventory/locations", params={"store": str(STORE_A)}, headers=shop.admin
    )
    results = locations.json()["results"]
    assert len(results) == 1, results
    [floor] = results
    assert (floor["code"], floor["name"], floor["is_default"]) == ("FLOOR", "Sales floor", True)
    assert await shop.balance("CABLE-USBC-2", floor) == -1, "the sale is recorded, not dropped"
    [oversold] = await read_events(nats_url, "inventory.item.oversold", since=since)
    assert oversold.data["kind"] == "quantity" and oversold.data["shortfall"] == "1"
    assert oversold.data["sale_id"] == sale_id


async def _has_rows(database: Database, voucher_id: str) -> bool:
    return bool(await ledger_rows(database, voucher_id))


async def test_a_unit_no_longer_sellable_is_recorded_as_oversold(
    shop: Shop, database: Database, nats_url: str
) -> None:
    item = await shop.item(sku="RS-INTAKE-1", price="120.00")
    sale_id = str(uuid.uuid4())
    since = time.time()
    await publish_event(nats_url, "pos.item.sold", sold("RS-INTAKE-1", sale_id))
    [oversold] = await read_events(nats_url, "inventory.item.oversold", since=since)
    assert oversold.data["reason"].startswith("unit is intake")
    assert oversold.data["item"]["item_id"] == item["id"] and oversold.data["kind"] == "unit"
    async with database.session() as session:
        events = (
            await session.execute(
                select(ItemEvent.event_type).where(ItemEvent.item_id == uuid.UUID(item["id"]))
            )
        ).scalars()
        assert list(events) == ["created", "oversold"]
    current = await shop.client.get(f"/api/inventory/items/{item['id']}", headers=shop.admin)
    assert current.json()["status"] == "intake"
    assert await ledger_rows(database, sale_id) == []


async def test_unknown_sku_in_a_sale_is_announced(shop: Shop, nats_url: str) -> None:
    sale_id = str(uuid.uuid4())
    since = time.time()
    await publish_event(nats_url, "pos.item.sold", sold("NO-SUCH-SKU-9", sale_id))
    [oversold] = await read_events(nats_url, "inventory.item.oversold", since=since)
    assert (oversold.data["reason"], oversold.data["sku"]) == ("unknown_sku", "NO-SUCH-SKU-9")


async def test_a_void_puts_units_and_quantities_back_once(
    shop: Shop, database: Database, nats_url: str
) -> None:
    item = await shelf_item(shop, "RS-VOID-1")
    await shop.article("CABLE-USBC-3")
    floor = await shop.location("FLOOR", is_default=True)
    await shop.receive("CABLE-USBC-3", floor, "4")
    sale_id = str(uuid.uuid4())
    await publish_event(nats_url, "pos.item.sold", sold("RS-VOID-1", sale_id, line_id="1"))
    await publish_event(
        nats_url, "pos.item.sold", sold("CABLE-USBC-3", sale_id, line_id="2", quantity="3")
    )

    async def both_sold() -> bool:
        return len(await ledger_rows(database, sale_id)) == 2

    await eventually(both_sold)
    voided = {"sale_id": sale_id, "store_id": str(STORE_A), "reason": "customer changed mind"}
    await publish_event(nats_url, "pos.sale.voided", voided, times=3)

    async def back() -> bool:
        return len(await ledger_rows(database, sale_id)) == 4

    await eventually(back)
    rows = await ledger_rows(database, sale_id)
    assert [row.voucher_type for row in rows] == ["pos_sale", "pos_sale", "pos_void", "pos_void"]
    assert {row.reverses_id for row in rows[2:]} == {rows[0].id, rows[1].id}
    assert await shop.balance("CABLE-USBC-3", floor) == 4
    current = await shop.client.get(f"/api/inventory/items/{item['id']}", headers=shop.admin)
    assert current.json()["status"] == "on_shelf" and current.json()["sold_at"] is None
    # a second void of the same sale (a new event id) finds nothing left to reverse
    await publish_event(nats_url, "pos.sale.voided", voided)
    await eventually(lambda: _voids_consumed(database, 2))
    assert len(await ledger_rows(database, sale_id)) == 4
    assert await ledger_mismatches(database) == []
    assert Decimal(4) == await shop.balance("CABLE-USBC-3", floor)


async def _voids_consumed(database: Database, expected: int) -> bool:
    async with database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(EVENT_TABLES.inbox)
            .where(EVENT_TABLES.inbox.c.subscriber.like("%pos-sales-voided%"))
        )
    return count == expected


async def _dead_letters(database: Database, subscriber: str) -> list[Any]:
    table = EVENT_TABLES.dead_letters
    async with database.session() as session:
        rows = await session.execute(
            select(table.c.event_id, table.c.error, table.c.attempts).where(
                table.c.subscriber == subscriber
            )
        )
        return list(rows.all())


async def test_a_malformed_sale_is_dead_lettered_at_once(
    shop: Shop, database: Database, nats_url: str
) -> None:
    """A sale line without a SKU (or with a quantity that is no number) can never apply:
    it goes to the dead letters on its first delivery, naming the field, and changes nothing."""
    await shop.article("CABLE-USBC-4")
    floor = await shop.location("FLOOR", is_default=True)
    await shop.receive("CABLE-USBC-4", floor, "5")
    no_sku = {key: value for key, value in sold("X", str(uuid.uuid4())).items() if key != "sku"}
    missing = await publish_event(nats_url, "pos.item.sold", no_sku)
    garbled = await publish_event(
        nats_url, "pos.item.sold", sold("CABLE-USBC-4", str(uuid.uuid4()), quantity="two")
    )

    async def both_dead() -> bool:
        return len(await _dead_letters(database, "pos-items-sold")) == 2

    await eventually(both_dead)
    letters = {row.event_id: row for row in await _dead_letters(database, "pos-items-sold")}
    assert letters[missing.id].attempts == 1 and "sku" in letters[missing.id].error
    assert letters[garbled.id].attempts == 1 and "quantity" in letters[garbled.id].error
    assert await ledger_rows(database, str(garbled.data["sale_id"])) == []
    assert await shop.balance("CABLE-USBC-4", floor) == 5
    async with database.session() as session:
        claimed = await session.scalar(
            select(func.count())
            .select_from(EVENT_TABLES.inbox)
            .where(EVENT_TABLES.inbox.c.event_id.in_([missing.id, garbled.id]))
        )
    assert claimed == 0, "a payload that broke its contract never reached the handler"


async def test_a_sale_line_without_line_id_is_recorded_under_its_sku(
    shop: Shop, database: Database, nats_url: str
) -> None:
    """Older POS events carry no ``line_id``: the SKU names the line, once."""
    await shop.article("CABLE-USBC-5")
    floor = await shop.location("FLOOR", is_default=True)
    await shop.receive("CABLE-USBC-5", floor, "5")
    sale_id = str(uuid.uuid4())
    line = {key: value for key, value in sold("CABLE-USBC-5", sale_id).items() if key != "line_id"}
    await publish_event(nats_url, "pos.item.sold", line, times=2)
    await publish_event(nats_url, "pos.item.sold", line)  # the same line, a new event id
    await eventually(lambda: _has_rows(database, sale_id))
    await eventually(lambda: _inbox_count(database, 2))
    [row] = await ledger_rows(database, sale_id)
    assert (row.voucher_line, row.quantity_change) == ("CABLE-USBC-5", -1)
    assert await shop.balance("CABLE-USBC-5", floor) == 4
