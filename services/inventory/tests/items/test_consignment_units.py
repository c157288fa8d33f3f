"""A consignment unit: created by staff or by another service (POS, a service token with
``items:create``) with ``source`` consignment and the consignee as ``owner_id``; an
``Idempotency-Key`` makes a retry answer the same unit; the owner travels in the event."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import func, select

from common.db import Database
from common.testing.helpers import read_events
from common.testing.plugin import TokenMinter
from inventory.items.models import Item
from tests.conftest import STORE_A, Shop

UNIT = {
    "name": "Fender Telecaster 1978",
    "store_id": str(STORE_A),
    "source": "consignment",
    "owner_id": "consignee-42",
    "price": "1200.00",
    "category": "Guitars",
}


def service(mint_token: TokenMinter, *scopes: str) -> dict[str, str]:
    token = mint_token(token_type="service", user_id="pos", scopes=list(scopes))
    return {"Authorization": f"Bearer {token}"}


async def units(database: Database) -> int:
    async with database.session() as session:
        return int((await session.execute(select(func.count()).select_from(Item))).scalar_one())


async def test_pos_creates_a_consignment_unit_once_per_key(
    shop: Shop, database: Database, mint_token: TokenMinter, nats_url: str
) -> None:
    since = time.time()
    headers = {**service(mint_token, "items:create"), "Idempotency-Key": "consigned:abc"}
    before = await units(database)

    first = await shop.client.post("/api/inventory/items", json=UNIT, headers=headers)
    again = await shop.client.post("/api/inventory/items", json=UNIT, headers=headers)

    assert first.status_code == 201, first.text
    assert again.status_code == 200 and again.json() == first.json()
    body: dict[str, Any] = first.json()
    assert (body["source"], body["owner_id"], body["status"]) == (
        "consignment",
        "consignee-42",
        "intake",
    )
    assert body["created_by"] == "service:pos"
    assert await units(database) == before + 1
    [created] = await read_events(nats_url, "inventory.item.created", since=since)
    assert (created.data["owner_id"], created.data["source"]) == ("consignee-42", "consignment")
    assert created.data["item_id"] == body["id"]

    other = {**UNIT, "name": "Gibson Les Paul"}
    reused = await shop.client.post("/api/inventory/items", json=other, headers=headers)
    assert reused.status_code == 422 and "Idempotency-Key" in reused.json()["detail"]


async def test_a_service_without_the_scope_is_refused_and_staff_may_still_create(
    shop: Shop, database: Database, mint_token: TokenMinter
) -> None:
    before = await units(database)
    refused = await shop.client.post(
        "/api/inventory/items", json=UNIT, headers=service(mint_token, "users:create")
    )
    assert refused.status_code == 403 and "items:create" in refused.json()["detail"]
    assert await units(database) == before

    by_staff = await shop.client.post(
        "/api/inventory/items", json={**UNIT, "owner_id": "consignee-7"}, headers=shop.admin
    )
    assert by_staff.status_code == 201 and by_staff.json()["owner_id"] == "consignee-7"


async def test_an_owner_only_on_a_consignment_unit(shop: Shop, database: Database) -> None:
    before = await units(database)
    response = await shop.client.post(
        "/api/inventory/items", json={**UNIT, "source": "trade_in"}, headers=shop.admin
    )
    assert response.status_code == 422
    assert "owner_id" in str(response.json()["detail"])
    assert await units(database) == before
