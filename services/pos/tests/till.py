"""The till every POS test works at: two stores as catalog's events would have stored them,
the read-model's units and articles, registers and drawers opened through the API.

Stores, units and articles are other services'; most tests arrange those read-model rows
directly (``Till``), and ``tests/events/test_handlers.py`` proves the events build them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from common.db import Database
from common.roles import Role
from pos.shelf.models import Article, ArticleKind, SellableItem
from pos.shops.models import Store

STORE_A = uuid.UUID("0000000a-0000-4000-8000-00000000000a")
STORE_B = uuid.UUID("0000000b-0000-4000-8000-00000000000b")
CASHIER = "cashier-1"
HEAD = "head-1"


async def open_stores(database: Database) -> None:
    """Stores A (8.75 % tax) and B, as catalog's events would have stored them."""
    async with database.session() as session:
        session.add_all(
            [
                Store(
                    id=STORE_A,
                    code="NYC-01",
                    name="Manhattan",
                    time_zone="America/New_York",
                    tax_rate=Decimal("0.0875"),
                ),
                Store(id=STORE_B, code="BOS-01", name="Boston", time_zone="America/New_York"),
            ]
        )


@dataclass
class Till:
    """Two stores, and helpers to stock the read-model and work a register as a cashier."""

    client: httpx.AsyncClient
    database: Database
    auth_headers: Callable[..., dict[str, str]]

    def cashier(self, user: str = CASHIER, store: uuid.UUID = STORE_A) -> dict[str, str]:
        return self.auth_headers(Role.advisor, user_id=user, stores=[str(store)])

    def head(self, store: uuid.UUID = STORE_A) -> dict[str, str]:
        return self.auth_headers(Role.branch_head, user_id=HEAD, stores=[str(store)])

    async def unit(
        self, sku: str, price: str = "100.00", store: uuid.UUID = STORE_A, **fields: Any
    ) -> SellableItem:
        values: dict[str, Any] = {"status": "on_shelf", "sellable": True, **fields}
        unit = SellableItem(
            id=uuid.uuid4(),
            sku=sku,
            name=f"Unit {sku}",
            price=Decimal(price),
            store_id=store,
            synced_at=datetime.now(UTC),
            **values,
        )
        async with self.database.session() as session:
            session.add(unit)
        return unit

    async def article(self, sku: str, price: str = "10.00") -> Article:
        article = Article(
            id=uuid.uuid4(),
            kind=ArticleKind.variant,
            sku=sku,
            name=f"Article {sku}",
            price=Decimal(price),
            synced_at=datetime.now(UTC),
        )
        async with self.database.session() as session:
            session.add(article)
        return article

    async def register(self, code: str = "REG-1", store: uuid.UUID = STORE_A) -> dict[str, Any]:
        response = await self.client.post(
            "/api/pos/registers",
            json={"store_id": str(store), "code": code, "name": f"Register {code}"},
            headers=self.head(store),
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def drawer(
        self, opening: str = "100.00", headers: dict[str, str] | None = None, code: str = "REG-1"
    ) -> dict[str, Any]:
        register = await self.register(code)
        response = await self.client.post(
            "/api/pos/drawers",
            json={"register_id": register["id"], "opening_amount": opening},
            headers=headers or self.cashier(),
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def cart(self, drawer: dict[str, Any], *skus: str) -> dict[str, Any]:
        response = await self.client.post(
            "/api/pos/carts", json={"drawer_id": drawer["id"]}, headers=self.cashier()
        )
        assert response.status_code == 201, response.text
        cart = dict(response.json())
        for sku in skus:
            added = await self.client.post(
                f"/api/pos/carts/{cart['id']}/add-item", json={"sku": sku}, headers=self.cashier()
            )
            assert added.status_code == 200, added.text
            cart = dict(added.json())
        return cart

    async def sell(self, drawer: dict[str, Any], *skus: str, **payment: str) -> dict[str, Any]:
        cart = await self.cart(drawer, *skus)
        body = payment or {"payment_method": "card"}
        response = await self.client.post(
            f"/api/pos/carts/{cart['id']}/complete", json=body, headers=self.cashier()
        )
        assert response.status_code == 200, response.text
        return dict(response.json())
