"""Catalog test fixtures: the shared service fixtures (a migrated database, the app on real
PostgreSQL + NATS, ``client``, ``database``, ``admin``) and catalog's own arrangements."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from catalog.config import CatalogSettings
from catalog.main import build_app
from catalog.models import Base
from common.roles import Role
from common.testing.service import ServiceUnderTest

pytest_plugins = ["common.testing.plugin", "common.testing.service"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return ServiceUnderTest(
        package="catalog",
        migrations=MIGRATIONS,
        metadata=Base.metadata,
        settings_class=CatalogSettings,
        build_app=build_app,
    )


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    """Uploaded files go to the test's own folder (never the checkout's var/)."""
    return {"attachments_dir": tmp_path / "files"}


@pytest.fixture
async def taxonomy(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, str]:
    """department → category → subcategory, plus a brand, a unit and a quality."""
    department = (
        await client.post("/api/departments", json={"name": "Phones & Tablets"}, headers=admin)
    ).json()
    category = (
        await client.post(
            "/api/categories",
            json={"name": "Smartphones", "department": department["slug"]},
            headers=admin,
        )
    ).json()
    subcategory = (
        await client.post(
            "/api/subcategories",
            json={"name": "Refurbished iPhones", "category": category["slug"]},
            headers=admin,
        )
    ).json()
    brand = (await client.post("/api/brands/", json={"name": "Apple"}, headers=admin)).json()
    unit = (
        await client.post("/api/units", json={"name": "Piece", "symbol": "pc"}, headers=admin)
    ).json()
    quality = (
        await client.post("/api/qualities", json={"name": "Grade A", "rank": 1}, headers=admin)
    ).json()
    return {
        "department": department["slug"],
        "category": category["slug"],
        "subcategory": subcategory["slug"],
        "brand": str(brand["id"]),
        "unit": unit["slug"],
        "quality": quality["slug"],
    }


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    """``as_role(Role.customer)`` → bearer headers for that role; ``as_role(None)`` → anonymous."""

    def headers(role: Role | None) -> dict[str, str]:
        return auth_headers(role, user_id=f"user-{role.value}") if role else {}

    return headers
