"""A product first seen during intake is created in catalog through its API, as inventory
(a service token from auth), then gets its matching metadata — against a stand-in for auth
and catalog served in a thread (``tests.ai.stub``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from inventory.intake_products.models import CatalogProduct, ProductProfile
from tests.ai.stub import Stub, services_in_a_thread
from tests.conftest import Shop
from tests.intake.helpers import ok


@pytest.fixture(scope="module")
def services() -> Iterator[Stub]:
    with services_in_a_thread() as running:
        yield running


@pytest.fixture
def settings_overrides(tmp_path: Path, services: Stub) -> dict[str, Any]:
    return {
        "attachments_dir": tmp_path / "attachments",
        "service_client_id": "inventory",
        "service_client_secret": "stub-secret-not-a-secret",
        "service_urls": {"auth": services.url, "catalog": services.url},
    }


async def test_a_new_product_is_created_in_catalog_then_described(
    shop: Shop, services: Stub
) -> None:
    services.requests.clear()
    body = {"name": "Apple iPhone 14 128GB", "base_price": "529.00", "brand": "Apple",
            "model": "A2649", "upcs": ["194253401049"]}  # fmt: skip
    made = await ok(await shop.client.post("/api/inventory/products", json=body,
                                           headers=shop.admin), 201)  # fmt: skip
    [sent] = services.requests
    assert sent["name"] == "Apple iPhone 14 128GB" and sent["base_price"] == "529.00"
    assert sent["attributes"] == {"brand": "Apple", "model": "A2649"}
    assert (made["name"], made["brand"], made["upcs"]) == (
        "Apple iPhone 14 128GB",
        "Apple",
        ["194253401049"],
    )
    async with shop.database.session() as session:
        product = await session.get(CatalogProduct, uuid.UUID(made["id"]))
        profile = await session.get(ProductProfile, uuid.UUID(made["id"]))
    assert product is not None and product.slug.startswith("apple-iphone-14-128gb")
    assert profile is not None and profile.model == "A2649"

    taken = await shop.client.post("/api/inventory/products", json=body, headers=shop.admin)
    assert taken.status_code == 409, taken.text  # its UPC names the product: catalog not asked
    assert taken.json()["detail"][0]["field"] == "upcs" and len(services.requests) == 1
    repeat = {key: value for key, value in body.items() if key != "upcs"}
    again = await shop.client.post("/api/inventory/products", json=repeat, headers=shop.admin)
    assert again.status_code == 409, again.text  # catalog answered the same product (same key)
    assert "already has matching metadata" in again.json()["detail"]
    assert len(services.requests) == 2
    async with shop.database.session() as session:
        profiles = list((await session.execute(select(ProductProfile))).scalars())
    assert len(profiles) == 1
