"""Catalog test fixtures: a migrated database and the app on real PostgreSQL + NATS."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from catalog.config import CatalogSettings
from catalog.main import build_app
from catalog.models import Base
from common.db import Database
from common.migrations import upgrade_head
from common.roles import Role
from common.testing.helpers import running_app, truncate_all

pytest_plugins = ["common.testing.plugin"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(scope="session")
def catalog_db(fresh_database: Callable[[str], str]) -> str:
    url = fresh_database("catalog")
    upgrade_head(MIGRATIONS, url)
    return url


@pytest.fixture
async def settings(catalog_db: str, nats_url: str, public_key_pem: str) -> CatalogSettings:
    await truncate_all(catalog_db, Base.metadata)
    return CatalogSettings(
        database_url=catalog_db, nats_url=nats_url, jwt_public_keys=public_key_pem
    )


@pytest.fixture
def app(settings: CatalogSettings) -> FastAPI:
    return build_app(settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(app) as client:
        yield client


@pytest.fixture
def admin(auth_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth_headers(Role.system_admin, user_id="admin-1")


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
def database(client: httpx.AsyncClient, app: FastAPI) -> Database:
    """The running app's database (for arranging rows directly and checking what was stored)."""
    database: Database = app.state.database
    return database


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    """``as_role(Role.customer)`` → bearer headers for that role; ``as_role(None)`` → anonymous."""

    def headers(role: Role | None) -> dict[str, str]:
        return auth_headers(role, user_id=f"user-{role.value}") if role else {}

    return headers
