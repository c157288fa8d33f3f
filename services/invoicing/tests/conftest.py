"""invoicing test fixtures: the shared ones of common.testing.service, stores and customers as
catalog and auth announced them (most tests arrange the read-model rows; tests/events proves
the events do), and ``Books``: the API as a back office uses it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.db import Database
from common.roles import Role
from common.testing.service import ServiceUnderTest
from invoicing.config import InvoicingSettings
from invoicing.main import build_app
from invoicing.models import Base, Customer, Store

pytest_plugins = ["common.testing.plugin", "common.testing.service"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
STORE_A = uuid.UUID("0000000a-0000-4000-8000-00000000000a")  # New York
STORE_B = uuid.UUID("0000000b-0000-4000-8000-00000000000b")  # Boston
STORE_K = uuid.UUID("0000000c-0000-4000-8000-00000000000c")  # Kiritimati, UTC+14
CUSTOMER = "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01"
CUSTOMER_NUMBER = "CUS-000042"
CUSTOMER_NAME = "Zoë Łukasiewicz-Ødegård"


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return ServiceUnderTest(
        package="invoicing",
        migrations=MIGRATIONS,
        metadata=Base.metadata,
        settings_class=InvoicingSettings,
        build_app=build_app,
    )


async def open_stores(database: Database) -> None:
    """Stores A, B and K and one customer, as catalog's and auth's events would have stored them."""
    now = datetime.now(UTC)
    async with database.session() as session:
        session.add_all(
            [
                Store(
                    id=STORE_A,
                    code="NYC-01",
                    name="Manhattan",
                    time_zone="America/New_York",
                    synced_at=now,
                ),
                Store(
                    id=STORE_B,
                    code="BOS-01",
                    name="Boston",
                    time_zone="America/New_York",
                    synced_at=now,
                ),
                Store(
                    id=STORE_K,
                    code="KIR-01",
                    name="Kiritimati",
                    time_zone="Pacific/Kiritimati",
                    synced_at=now,
                ),
                Customer(
                    id=CUSTOMER,
                    customer_number=CUSTOMER_NUMBER,
                    name=CUSTOMER_NAME,
                    email="zoe@example.com",
                    synced_at=now,
                ),
            ]
        )


@pytest.fixture
async def stores(database: Database) -> None:
    await open_stores(database)


def line(price: str = "100.00", quantity: str = "1", **more: Any) -> dict[str, Any]:
    return {"description": "Screen repair", "quantity": quantity, "unit_price": price, **more}


@dataclass
class Books:
    """The back office: a system admin creating, issuing and paying invoices through the API."""

    client: httpx.AsyncClient
    admin: dict[str, str]
    database: Database
    headers_for: Callable[..., dict[str, str]]

    async def draft(self, store: uuid.UUID = STORE_A, **body: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "store_id": str(store),
            "customer_id": CUSTOMER,
            "lines": [line()],
            **body,
        }
        if "customer_name" in body:
            payload.pop("customer_id")
        response = await self.client.post("/api/invoices", json=payload, headers=self.admin)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def issued(self, store: uuid.UUID = STORE_A, **body: Any) -> dict[str, Any]:
        return await self.draft(store, issue=True, **body)

    async def issue(self, invoice_id: str) -> httpx.Response:
        return await self.client.post(f"/api/invoices/{invoice_id}/issue", headers=self.admin)

    async def pay(self, invoice_id: str, amount: str, **body: Any) -> httpx.Response:
        return await self.client.post(
            "/api/payments",
            json={"invoice_id": invoice_id, "amount": amount, "method": "card", **body},
            headers=self.admin,
        )

    async def invoice(self, invoice_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/invoices/{invoice_id}", headers=self.admin)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def staff(self, role: Role, store: uuid.UUID = STORE_A) -> dict[str, str]:
        return self.headers_for(role, user_id=f"{role.value}-{store.hex[-4:]}", stores=[str(store)])


@pytest.fixture
async def books(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    database: Database,
    stores: None,
    auth_headers: Callable[..., dict[str, str]],
) -> Books:
    return Books(client, admin, database, auth_headers)


def money(value: str) -> Decimal:
    return Decimal(value)
