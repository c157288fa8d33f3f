"""POS's read-models come from other services' events on real JetStream: stores from
catalog, sellable units from inventory (replays change nothing, older events never
overwrite newer ones, a unit POS sold stays unsellable), oversold reports."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from common.db import Database
from common.events.envelope import Envelope
from common.testing.events import eventually, publish_event
from pos.customers.models import Customer
from pos.dashboard.models import OversoldAlert
from pos.db import EVENT_TABLES
from pos.shelf.models import Article, SellableItem
from pos.shops.models import Store
from tests.till import STORE_A, Till


def unit_payload(item_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    return {
        "item_id": str(item_id),
        "sku": "ITM-000777",
        "name": "iPhone 13 128GB (used)",
        "category": "smartphones",
        "brand": "Apple",
        "condition": "good",
        "status": "on_shelf",
        "sellable": True,
        "price": "379.00",
        "currency": "USD",
        "store_id": str(STORE_A),
        "location_id": None,
        **changes,
    }


async def _unit(database: Database, item_id: uuid.UUID) -> SellableItem | None:
    async with database.session() as session:
        return await session.get(SellableItem, item_id)


async def test_stores_arrive_from_catalog(till: Till, nats_url: str) -> None:
    store_id = uuid.uuid4()
    data = {
        "store_id": str(store_id),
        "code": "CHI-01",
        "name": "Chicago",
        "address": "1 Loop",
        "phone": "+1 312 555 0100",
        "time_zone": "America/Chicago",
        "is_active": True,
        "deleted": False,
    }
    await publish_event(nats_url, "catalog.store.created", data)

    async def stored() -> bool:
        async with till.database.session() as session:
            store = await session.get(Store, store_id)
        return store is not None and store.time_zone == "America/Chicago"

    await eventually(stored)
    register = await till.client.post(
        "/api/pos/registers",
        json={"store_id": str(store_id), "code": "REG-1", "name": "Front"},
        headers=till.auth_headers("system_admin", user_id="admin-1"),
    )
    assert register.status_code == 201, register.text
    assert register.json()["store_code"] == "CHI-01"


async def test_units_arrive_from_inventory_once_and_in_order(till: Till, nats_url: str) -> None:
    item_id = uuid.uuid4()
    now = datetime.now(UTC)
    created = Envelope(
        type="inventory.item.created",
        source="inventory",
        actor="u",
        data=unit_payload(item_id, status="intake", sellable=False),
        time=now,
    )
    ready = Envelope(
        type="inventory.item.status_changed",
        source="inventory",
        actor="u",
        data=unit_payload(item_id, from_status="intake", event="ready"),
        time=now + timedelta(seconds=1),
    )
    await publish_event(nats_url, created.type, created.data, envelope=created)
    await publish_event(nats_url, ready.type, ready.data, envelope=ready, times=10)

    async def sellable() -> bool:
        unit = await _unit(till.database, item_id)
        return unit is not None and unit.sellable

    await eventually(sellable)
    # the older "created" event replayed later does not take the unit off the shelf
    await publish_event(
        nats_url,
        created.type,
        created.data,
        envelope=Envelope(
            type=created.type,
            source="inventory",
            actor="u",
            data=created.data,
            time=now,
        ),
    )
    marker = Envelope(  # same subject, so the same ordered consumer: seen → the replay was too
        type="inventory.item.created",
        source="inventory",
        actor="u",
        data=unit_payload(uuid.uuid4(), sku="ITM-MARKER"),
        time=now + timedelta(seconds=2),
    )
    await publish_event(nats_url, marker.type, marker.data, envelope=marker)

    async def marker_seen() -> bool:
        async with till.database.session() as session:
            found = await session.scalar(
                select(func.count()).where(SellableItem.sku == "ITM-MARKER")
            )
        return bool(found)

    await eventually(marker_seen)
    unit = await _unit(till.database, item_id)
    assert unit is not None and unit.sellable and unit.status == "on_shelf"
    assert unit.price == Decimal("379.00")

    drawer = await till.drawer()
    cart = await till.cart(drawer, "itm-000777")
    assert cart["lines"][0]["unit_price"] == "379.00"


async def test_a_unit_pos_sold_stays_sold_whatever_arrives(till: Till, nats_url: str) -> None:
    """Inventory may still announce the unit on the shelf (a price change made before it
    heard of the sale): POS has sold it and does not sell it twice."""
    unit = await till.unit("ITM-000777")
    drawer = await till.drawer()
    await till.sell(drawer, "ITM-000777")
    later = Envelope(
        type="inventory.item.updated",
        source="inventory",
        actor="u",
        data=unit_payload(unit.id, price="349.00", changed=["price"]),
        time=datetime.now(UTC) + timedelta(seconds=5),
    )
    await publish_event(nats_url, later.type, later.data, envelope=later)

    async def repriced() -> bool:
        stored = await _unit(till.database, unit.id)
        return stored is not None and stored.price == Decimal("349.00")

    await eventually(repriced)
    stored = await _unit(till.database, unit.id)
    assert stored is not None and not stored.sellable
    cart = await till.client.post(
        "/api/pos/carts", json={"drawer_id": drawer["id"]}, headers=till.cashier()
    )
    refused = await till.client.post(
        f"/api/pos/carts/{cart.json()['id']}/add-item",
        json={"sku": "ITM-000777"},
        headers=till.cashier(),
    )
    assert refused.status_code == 409 and "not on the shelf" in refused.json()["detail"]


async def test_oversold_reports_are_kept_once(till: Till, nats_url: str) -> None:
    data = {
        "sale_id": str(uuid.uuid4()),
        "line_id": "1",
        "receipt_number": "NYC-01-2026-000009",
        "store_id": str(STORE_A),
        "sku": "ITM-000123",
        "reason": "unit is sold",
        "kind": "unit",
    }
    await publish_event(nats_url, "inventory.item.oversold", data, times=3)

    async def kept() -> bool:
        async with till.database.session() as session:
            return bool(await session.scalar(select(func.count()).select_from(OversoldAlert)))

    await eventually(kept)
    async with till.database.session() as session:
        rows = (await session.scalars(select(OversoldAlert))).all()
    assert [(row.sku, row.reason) for row in rows] == [("ITM-000123", "unit is sold")]


async def test_customers_arrive_from_auth_and_are_checked_on_a_sale(
    till: Till, nats_url: str
) -> None:
    user = {
        "user_id": str(uuid.uuid4()),
        "email": "maria@store.example",
        "first_name": "Maria",
        "last_name": "Lopez",
        "role": "customer",
        "store_ids": [],
        "is_active": True,
        "customer_number": "CUS-000042",
    }
    await publish_event(nats_url, "auth.user.registered", user)
    staff = {**user, "user_id": str(uuid.uuid4()), "role": "advisor", "customer_number": None}
    await publish_event(nats_url, "auth.user.created", staff)

    async def known() -> bool:
        async with till.database.session() as session:
            return await session.get(Customer, user["user_id"]) is not None

    await eventually(known)
    drawer = await till.drawer()
    with_customer = await till.client.post(
        "/api/pos/carts",
        json={"drawer_id": drawer["id"], "customer_number": "cus-000042"},
        headers=till.cashier(),
    )
    assert with_customer.status_code == 201, with_customer.text
    assert with_customer.json()["customer_number"] == "CUS-000042"
    unknown = await till.client.post(
        "/api/pos/carts",
        json={"drawer_id": drawer["id"], "customer_number": "CUS-999999"},
        headers=till.cashier(),
    )
    assert unknown.status_code == 422 and "CUS-999999" in unknown.json()["detail"]

    await publish_event(nats_url, "auth.user.deactivated", {**user, "is_active": False})

    async def gone() -> bool:
        async with till.database.session() as session:
            customer = await session.get(Customer, user["user_id"])
        return customer is not None and not customer.is_active

    await eventually(gone)
    inactive = await till.client.post(
        "/api/pos/carts",
        json={"drawer_id": drawer["id"], "customer_number": "CUS-000042"},
        headers=till.cashier(),
    )
    assert inactive.status_code == 422
    async with till.database.session() as session:
        customers = await session.scalar(select(func.count()).select_from(Customer))
    assert customers == 1  # the advisor is no customer


async def test_a_malformed_payload_is_dead_lettered_at_once(till: Till, nats_url: str) -> None:
    """A unit event without its SKU cannot become a sellable unit: dead-lettered on its
    first delivery with the contract's complaint (no retries), and the next event of the
    same subscription is applied."""
    broken = unit_payload(uuid.uuid4())
    del broken["sku"]
    await publish_event(nats_url, "inventory.item.created", broken)
    good = uuid.uuid4()
    await publish_event(nats_url, "inventory.item.created", unit_payload(good, sku="ITM-OK-1"))

    async def dead_lettered() -> bool:
        async with till.database.session() as session:
            rows = (await session.execute(select(EVENT_TABLES.dead_letters))).all()
        return bool(rows)

    await eventually(dead_lettered)
    async with till.database.session() as session:
        [letter] = (await session.execute(select(EVENT_TABLES.dead_letters))).all()
    assert (letter.subscriber, letter.subject, letter.attempts) == (
        "inventory-items-created",
        "inventory.item.created",
        1,
    )
    assert "sku" in letter.error and "ItemChanged" in letter.error

    async def applied() -> bool:
        return await _unit(till.database, good) is not None

    await eventually(applied)
    async with till.database.session() as session:
        units = await session.scalar(select(func.count()).select_from(SellableItem))
    assert units == 1  # the good one only


async def test_consumed_payloads_are_lenient_where_pos_always_was(
    till: Till, nats_url: str
) -> None:
    """Optional fields may be missing or null (a variant without name or price, a store
    without address or time zone): the handler falls back as before, nothing is refused."""
    variant_id, store_id = uuid.uuid4(), uuid.uuid4()
    await publish_event(
        nats_url,
        "catalog.variant.created",
        {"variant_id": str(variant_id), "sku": "VAR-LENIENT", "name": None, "price": ""},
    )
    await publish_event(
        nats_url,
        "catalog.store.created",
        {"store_id": str(store_id), "code": "LEN-01", "name": "Lenient", "time_zone": None},
    )

    async def both() -> bool:
        async with till.database.session() as session:
            article = await session.scalar(select(Article).where(Article.id == variant_id))
            store = await session.get(Store, store_id)
        return article is not None and store is not None

    await eventually(both)
    async with till.database.session() as session:
        article = await session.scalar(select(Article).where(Article.id == variant_id))
        store = await session.get(Store, store_id)
        letters = await session.scalar(select(func.count()).select_from(EVENT_TABLES.dead_letters))
    assert article is not None and (article.name, article.price, article.currency) == (
        "VAR-LENIENT",
        None,
        "USD",
    )
    assert store is not None and (store.time_zone, store.address, store.is_active) == (
        "UTC",
        "",
        True,
    )
    assert letters == 0
