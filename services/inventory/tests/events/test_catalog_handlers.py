"""Inventory's read-models of catalog (stores, variants, spares) and price logs, built from
catalog's events published to JetStream here as catalog publishes them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from common.db import Database
from common.events.envelope import Envelope
from common.testing.events import eventually, publish_event
from inventory.articles.models import Article
from inventory.db import EVENT_TABLES
from inventory.stores.models import Store


def store_data(store_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    return {
        "store_id": str(store_id),
        "code": "SEA-01",
        "name": "Seattle",
        "time_zone": "America/Los_Angeles",
        "latitude": "47.6",
        "longitude": "-122.3",
        "is_headquarters": False,
        "is_active": True,
        "deleted": False,
        **extra,
    }


async def test_stores_come_from_catalog_events(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database, nats_url: str
) -> None:
    store_id = uuid.uuid4()
    body = {"store_id": str(store_id), "code": "FLOOR", "name": "Floor"}
    before = await client.post("/api/inventory/locations", json=body, headers=admin)
    assert before.status_code == 422 and "catalog" in str(before.json()["detail"])
    await publish_event(nats_url, "catalog.store.created", store_data(store_id))

    async def known() -> bool:
        async with database.session() as session:
            return await session.get(Store, store_id) is not None

    await eventually(known)
    created = await client.post("/api/inventory/locations", json=body, headers=admin)
    assert created.status_code == 201 and created.json()["store_code"] == "SEA-01"

    # an older update arriving late never overwrites a newer one
    stale = Envelope(
        type="catalog.store.updated",
        source="catalog",
        time=datetime.now(UTC) - timedelta(hours=1),
        data=store_data(store_id, name="Seattle (old name)"),
    )
    await publish_event(nats_url, "catalog.store.updated", {}, envelope=stale)
    await publish_event(nats_url, "catalog.store.deleted", store_data(store_id, deleted=True))

    async def deleted() -> bool:
        async with database.session() as session:
            store = await session.get(Store, store_id)
            return store is not None and store.deleted

    await eventually(deleted)
    async with database.session() as session:
        store = await session.get(Store, store_id)
        assert store is not None and store.name == "Seattle" and not store.is_active
    refused = await client.post(
        "/api/inventory/locations", json={**body, "code": "BACK"}, headers=admin
    )
    assert refused.status_code == 422


def variant_data(variant_id: uuid.UUID, sku: str, price: str, **extra: Any) -> dict[str, Any]:
    return {
        "variant_id": str(variant_id),
        "slug": sku.lower(),
        "sku": sku,
        "name": "iPhone 13 128GB Midnight",
        "product_id": str(uuid.uuid4()),
        "product_slug": "iphone-13",
        "product_name": "iPhone 13",
        "price": price,
        "currency": "USD",
        "attributes": {},
        "unit": None,
        "quality": None,
        "is_active": True,
        **extra,
    }


async def test_variants_become_stock_articles_and_their_price_changes_are_logged(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database, nats_url: str
) -> None:
    variant_id = uuid.uuid4()
    sku = f"IP13-{variant_id.hex[:6].upper()}"
    await publish_event(
        nats_url, "catalog.variant.created", variant_data(variant_id, sku, "419.00")
    )

    async def article_price(expected: str) -> bool:
        async with database.session() as session:
            article = await session.get(Article, variant_id)
            return article is not None and f"{article.price}" == expected

    await eventually(lambda: article_price("419.00"))
    updated = variant_data(variant_id, sku, "399.00", changed=["price_override"])
    await publish_event(nats_url, "catalog.variant.updated", updated, actor="admin-7", times=3)
    await eventually(lambda: article_price("399.00"))
    logs = await client.get("/api/price-logs", params={"sku": sku}, headers=admin)
    [log] = logs.json()["results"]
    assert (log["subject_type"], log["old_price"], log["new_price"]) == (
        "variant",
        "419.00",
        "399.00",
    )
    assert (log["source"], log["actor"]) == ("catalog.variant.updated", "admin-7")
    detail = await client.get(f"/api/price-logs/{log['id']}", headers=admin)
    assert detail.status_code == 200 and detail.json() == log


async def test_product_and_spare_price_changes_become_price_logs_once(
    client: httpx.AsyncClient, admin: dict[str, str], nats_url: str
) -> None:
    product_id, spare_id = str(uuid.uuid4()), str(uuid.uuid4())
    product = {
        "product_id": product_id,
        "slug": "iphone-13-refurbished",
        "name": "iPhone 13 (refurbished)",
        "status": "active",
        "base_price": "379.00",
        "currency": "USD",
        "old_price": "399.00",
        "new_price": "379.00",
        "changed_by": "admin-2",
    }
    await publish_event(nats_url, "catalog.product.price_changed", product, times=5)
    spare = {
        "spare_id": spare_id,
        "part_number": "IP13-SCR-OLED",
        "name": "OLED screen",
        "currency": "USD",
    }
    await publish_event(nats_url, "catalog.spare.created", {**spare, "price": "89.00"})
    await publish_event(
        nats_url,
        "catalog.spare.price_changed",
        {**spare, "old_price": "89.00", "new_price": "85.00", "changed_by": "admin-3"},
        times=2,
    )

    async def logged() -> bool:
        response = await client.get("/api/price-logs", headers=admin)
        return bool(response.json()["count"] >= 2)

    await eventually(logged)
    logs = (await client.get("/api/price-logs", headers=admin)).json()["results"]
    by_type = {log["subject_type"]: log for log in logs}
    assert len(logs) == 2, "each event once, however often delivered"
    assert (by_type["product"]["subject_id"], by_type["product"]["old_price"]) == (
        product_id,
        "399.00",
    )
    assert by_type["product"]["new_price"] == "379.00" and by_type["product"]["actor"] == "admin-2"
    assert (by_type["spare"]["sku"], by_type["spare"]["new_price"]) == ("IP13-SCR-OLED", "85.00")
    filtered = await client.get("/api/price-logs", params={"subject_type": "spare"}, headers=admin)
    assert [log["subject_id"] for log in filtered.json()["results"]] == [spare_id]


async def test_a_store_event_breaking_its_contract_is_dead_lettered_at_once(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    """No retries for a payload that can never apply: one attempt, the field named."""
    store_id = uuid.uuid4()
    broken = {key: value for key, value in store_data(store_id).items() if key != "code"}
    envelope = await publish_event(nats_url, "catalog.store.created", broken)
    table = EVENT_TABLES.dead_letters

    async def dead() -> bool:
        async with database.session() as session:
            found = await session.scalar(
                select(func.count()).select_from(table).where(table.c.event_id == envelope.id)
            )
        return bool(found)

    await eventually(dead)
    async with database.session() as session:
        error, attempts = (
            await session.execute(
                select(table.c.error, table.c.attempts).where(table.c.event_id == envelope.id)
            )
        ).one()
        assert await session.get(Store, store_id) is None
    assert attempts == 1 and "code" in error
