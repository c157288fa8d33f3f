"""``POST /api/products`` by another service and with an ``Idempotency-Key``.

Inventory's intake creates a product first seen on a manifest with its service credential
(a service token with ``products:create``, ``gateway.service_calls``) and a key derived
from the manifest row: a retry answers the product it made (200, same id, no second row,
no second event); the key with another body is a 422 naming it. A service token without
the scope is refused (403) and writes nothing.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from catalog.models import Product
from common.db import Database
from common.testing.helpers import read_events
from common.testing.plugin import TokenMinter
from tests.helpers import outbox_subjects

BODY: dict[str, Any] = {
    "name": "Intake Pixel 7 128GB",
    "description": "First seen on a vendor manifest",
    "base_price": "399.00",
    "currency": "USD",
    "status": "active",
    "attributes": {"brand": "Google", "model": "GVU6C"},
}


def service(mint_token: TokenMinter, *scopes: str, client: str = "inventory") -> dict[str, str]:
    token = mint_token(token_type="service", user_id=client, scopes=list(scopes))
    return {"Authorization": f"Bearer {token}"}


async def stored(database: Database) -> list[Product]:
    async with database.session() as session:
        return list((await session.execute(select(Product).order_by(Product.created_at))).scalars())


async def test_a_service_with_products_create_creates_a_product(
    client: httpx.AsyncClient, database: Database, mint_token: TokenMinter, nats_url: str
) -> None:
    since = time.time()
    response = await client.post(
        "/api/products", json=BODY, headers=service(mint_token, "products:create")
    )
    assert response.status_code == 201, response.text
    made = response.json()
    assert (made["name"], made["slug"], made["base_price"]) == (
        "Intake Pixel 7 128GB",
        "intake-pixel-7-128gb",
        "399.00",
    )
    [row] = await stored(database)
    assert (row.id, row.name, row.attributes) == (
        uuid.UUID(made["id"]),
        "Intake Pixel 7 128GB",
        {"brand": "Google", "model": "GVU6C"},
    )
    assert row.idempotency_key is None and row.request_hash is None
    assert await outbox_subjects(database) == ["catalog.product.created"]
    [event] = await read_events(nats_url, "catalog.product.created", since=since)
    assert (event.data["product_id"], event.data["slug"], event.actor) == (
        made["id"],
        "intake-pixel-7-128gb",
        "service:inventory",
    )


async def test_a_service_without_the_scope_is_refused(
    client: httpx.AsyncClient, database: Database, mint_token: TokenMinter
) -> None:
    for headers in (service(mint_token), service(mint_token, "items:create", client="pos")):
        refused = await client.post(
            "/api/products", json=BODY, headers={**headers, "Idempotency-Key": "k-refused"}
        )
        assert refused.status_code == 403, refused.text
        assert "products:create" in refused.json()["detail"]
    # the scope admits creation only: the other product writes stay system_admin's
    scoped = service(mint_token, "products:create")
    await client.post("/api/products", json=BODY, headers=scoped)
    patched = await client.patch(
        "/api/products/intake-pixel-7-128gb", json={"name": "Renamed"}, headers=scoped
    )
    assert patched.status_code == 403, patched.text
    assert [row.name for row in await stored(database)] == ["Intake Pixel 7 128GB"]
    assert await outbox_subjects(database) == ["catalog.product.created"]


async def test_the_same_key_and_body_answer_the_same_product(
    client: httpx.AsyncClient, database: Database, mint_token: TokenMinter
) -> None:
    headers = {**service(mint_token, "products:create"), "Idempotency-Key": "row-7f3a"}
    first = await client.post("/api/products", json=BODY, headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post("/api/products", json=BODY, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    [row] = await stored(database)
    assert (str(row.id), row.idempotency_key) == (first.json()["id"], "row-7f3a")
    assert await outbox_subjects(database) == ["catalog.product.created"]  # no second event

    # another key, same body: a second product (the key, not the body, names the creation)
    other = await client.post(
        "/api/products", json=BODY, headers={**headers, "Idempotency-Key": "row-8b41"}
    )
    assert other.status_code == 201, other.text
    assert other.json()["slug"] == "intake-pixel-7-128gb-2"
    assert len(await stored(database)) == 2


async def test_the_same_key_with_another_body_is_a_422_naming_the_key(
    client: httpx.AsyncClient, database: Database, mint_token: TokenMinter, admin: dict[str, str]
) -> None:
    headers = {**service(mint_token, "products:create"), "Idempotency-Key": "row-c0de"}
    first = await client.post("/api/products", json=BODY, headers=headers)
    assert first.status_code == 201, first.text
    for body, who in (
        ({**BODY, "base_price": "349.00"}, headers),
        ({**BODY, "name": "Another product"}, {**admin, "Idempotency-Key": "row-c0de"}),
    ):
        refused = await client.post("/api/products", json=body, headers=who)
        assert refused.status_code == 422, refused.text
        detail = refused.json()["detail"]
        assert "row-c0de" in detail and "intake-pixel-7-128gb" in detail, detail
    [row] = await stored(database)
    assert row.base_price == 399 and row.name == "Intake Pixel 7 128GB"
    assert await outbox_subjects(database) == ["catalog.product.created"]


async def test_an_admin_retry_with_a_key_creates_no_second_row(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    headers = {**admin, "Idempotency-Key": "3f1b9c52-6d0e-4f7a-9b3e-2c8d5a7e1f04"}
    answers = [await client.post("/api/products", json=BODY, headers=headers) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [201, 200, 200]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert len(await stored(database)) == 1
    async with database.session() as session:
        keyed = await session.scalar(
            select(func.count()).select_from(Product).where(Product.idempotency_key.is_not(None))
        )
    assert keyed == 1
    assert await outbox_subjects(database) == ["catalog.product.created"]


async def test_a_blank_or_overlong_key_is_a_422(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    for key in ("", "k" * 201):
        refused = await client.post(
            "/api/products", json=BODY, headers={**admin, "Idempotency-Key": key}
        )
        assert refused.status_code == 422, refused.text
    assert await stored(database) == []
