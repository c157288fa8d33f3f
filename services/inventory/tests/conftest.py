"""Inventory test fixtures: common's (a migrated database, settings, the app on real
PostgreSQL + NATS, its client) for the inventory service, and the ``shop`` arrangement.

Stores and articles are catalog's, reaching inventory as events; most tests
arrange those read-model rows directly (``shop``), and ``events/test_catalog_handlers``
proves the events themselves build them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.db import Database
from common.roles import Role
from common.testing.service import ServiceUnderTest
from inventory.articles.models import Article
from inventory.config import InventorySettings
from inventory.main import build_app
from inventory.stores.models import Store
from inventory.tables import Base

pytest_plugins = ["common.testing.plugin", "common.testing.service"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
STORE_A = uuid.UUID("0000000a-0000-4000-8000-00000000000a")
STORE_B = uuid.UUID("0000000b-0000-4000-8000-00000000000b")


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return ServiceUnderTest(
        package="inventory",
        migrations=MIGRATIONS,
        metadata=Base.metadata,
        settings_class=InventorySettings,
        build_app=build_app,
        settings={"attachment_max_bytes": 64 * 1024},
    )


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    """Attachments of each test in a folder of its own."""
    return {"attachments_dir": tmp_path / "attachments"}


@pytest.fixture
def staff(auth_headers: Callable[..., dict[str, str]]) -> Callable[..., dict[str, str]]:
    """``staff(Role.advisor, STORE_A)`` → headers of a user assigned to that store."""

    def headers(role: Role = Role.advisor, *stores: uuid.UUID) -> dict[str, str]:
        return auth_headers(
            role, user_id=f"{role.value}-{len(stores)}", stores=[str(s) for s in stores]
        )

    return headers


@dataclass
class Shop:
    """Two stores (A and B) as catalog announced them, and helpers to arrange stock."""

    client: httpx.AsyncClient
    database: Database
    admin: dict[str, str]

    async def article(
        self,
        sku: str,
        *,
        price: str = "10.00",
        kind: str = "variant",
        product: uuid.UUID | None = None,
    ) -> Article:
        article = Article(
            id=uuid.uuid4(),
            kind=kind,
            sku=sku,
            name=f"Article {sku}",
            product_id=product,
            price=Decimal(price),
        )
        async with self.database.session() as session:
            session.add(article)
            await session.commit()
        return article

    async def location(self, code: str, store: uuid.UUID = STORE_A, **extra: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/api/inventory/locations",
            json={"store_id": str(store), "code": code, "name": code.title(), **extra},
            headers=self.admin,
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def entry(
        self, entry_type: str, *lines: dict[str, Any], post: bool = True
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/api/stock-entries",
            json={"entry_type": entry_type, "lines": list(lines)},
            headers=self.admin,
        )
        assert response.status_code == 201, response.text
        entry = dict(response.json())
        if post:
            posted = await self.client.post(
                f"/api/stock-entries/{entry['id']}/post", headers=self.admin
            )
            assert posted.status_code == 200, posted.text
            entry = dict(posted.json())
        return entry

    async def receive(
        self, sku: str, location: dict[str, Any], quantity: str, cost: str | None = None
    ) -> dict[str, Any]:
        line: dict[str, Any] = {
            "sku": sku,
            "quantity": quantity,
            "target_location_id": location["id"],
        }
        if cost is not None:
            line["unit_cost"] = cost
        return await self.entry("receipt", line)

    async def balance(self, sku: str, location: dict[str, Any]) -> Decimal:
        response = await self.client.get(
            "/api/inventory/stock",
            params={"sku": sku, "location": location["id"], "include_zero": "true"},
            headers=self.admin,
        )
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        return Decimal(results[0]["quantity"]) if results else Decimal(0)

    async def item(self, **fields: Any) -> dict[str, Any]:
        body = {"name": "Used iPhone 13", "store_id": str(STORE_A), **fields}
        response = await self.client.post("/api/inventory/items", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return dict(response.json())


async def open_stores(database: Database) -> None:
    """Stores A and B, as catalog's events would have stored them."""
    async with database.session() as session:
        session.add_all(
            [
                Store(id=STORE_A, code="NYC-01", name="Manhattan"),
                Store(id=STORE_B, code="BOS-01", name="Boston"),
            ]
        )
        await session.commit()


@pytest.fixture
async def shop(client: httpx.AsyncClient, database: Database, admin: dict[str, str]) -> Shop:
    await open_stores(database)
    return Shop(client=client, database=database, admin=admin)
