"""A product first seen during intake is created in catalog through its API, as inventory
(a service token from auth), then gets its matching metadata — against a stand-in for auth
and catalog served in a thread (``tests.ai.stub``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from inventory.intake_products.models import CatalogProduct, ProductProfile
from inventory.manifests.models import ManifestRow
from inventory.product_refs.models import VendorProductRef
from tests.ai.stub import Stub, services_in_a_thread
from tests.conftest import Shop
from tests.intake.helpers import CLEAN_MAPPINGS, approved_order, ok, step, upload


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
    # without a key two requests are two products (as catalog's own route makes them); with
    # the client's key a repeat reaches the product catalog made for it, never a second one
    services.product_keys.clear()
    repeat = {key: value for key, value in body.items() if key != "upcs"}
    other = await ok(await shop.client.post("/api/inventory/products", json=repeat,
                                            headers=shop.admin), 201)  # fmt: skip
    assert other["id"] != made["id"] and len(services.requests) == 2
    keyed = {**shop.admin, "Idempotency-Key": "till-3-product-1"}
    cable = {"name": "USB-C cable", "base_price": "9.99"}
    first = await ok(await shop.client.post("/api/inventory/products", json=cable,
                                            headers=keyed), 201)  # fmt: skip
    again = await shop.client.post("/api/inventory/products", json=cable, headers=keyed)
    assert again.status_code == 409, again.text  # catalog answered the same product
    assert f"Product {first['id']} already has matching metadata" in again.json()["detail"]
    unkeyed, client_key, repeated = services.product_keys
    assert client_key == repeated != unkeyed and client_key.startswith("inventory-product:")
    async with shop.database.session() as session:
        profiles = list((await session.execute(select(ProductProfile))).scalars())
        products = list((await session.execute(select(CatalogProduct))).scalars())
    assert len(profiles) == 3 and len(products) == 3


async def test_a_manifest_row_no_product_matches_creates_one_in_catalog(
    shop: Shop, services: Stub
) -> None:
    """review-matches ``create``: catalog makes the product (as inventory, with a key derived
    from the order, the row and what it says), the row links it, its UPC and vendor item
    number name it from now on. Two rows of one vendor SKU get one product; the same row
    created again (after an undo, as a retry would) reaches the same product, not a second."""
    client, admin = shop.client, shop.admin
    services.requests.clear()
    services.product_keys.clear()
    made = await approved_order(shop)
    order_id = made["id"]
    await ok(await upload(client, admin, order_id))
    await ok(await step(client, admin, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS}))
    summary = await ok(await step(client, admin, order_id, "match-products"))
    assert summary["matched"] == 0  # inventory knows no product yet
    results = await ok(await step(client, admin, order_id, "match-results", method="GET"))
    by_row = {row["row_no"]: row for row in results["rows"]}

    # rows 1 and 4: the iPhone (LL-1001) in two conditions; row 5: a cable without a UPC
    decisions = [{"row_id": by_row[n]["id"], "decision": "create"} for n in (1, 4, 5)]
    reviewed = await ok(await step(client, admin, order_id, "review-matches",
                                   {"decisions": decisions}))  # fmt: skip
    assert reviewed == {"reviewed": 3, "created_products": 2}
    assert [(sent["name"], sent["base_price"]) for sent in services.requests] == [
        ("Apple iPhone 13 128GB Midnight", "429.00"),
        ("Generic braided USB-C cable 2m", "12.99"),
    ]
    assert services.requests[0]["attributes"] == {"brand": "Apple", "model": "A2482"}
    iphone_key, cable_key = services.product_keys
    assert iphone_key and iphone_key.startswith("inventory-intake-product:")
    assert cable_key and cable_key != iphone_key

    results = await ok(await step(client, admin, order_id, "match-results", method="GET"))
    linked = {row["row_no"]: row for row in results["rows"]}
    iphone = linked[1]["matched_product_id"]
    cable = linked[5]["matched_product_id"]
    assert iphone is not None and cable is not None and iphone != cable
    assert linked[4]["matched_product_id"] == iphone
    assert {linked[n]["match_status"] for n in (1, 4, 5)} == {"matched"}
    async with shop.database.session() as session:
        rows = {row.row_no: row for row in (await session.execute(select(ManifestRow))).scalars()}
        catalog = {str(p.id): p for p in (await session.execute(select(CatalogProduct))).scalars()}
        profile = await session.get(ProductProfile, uuid.UUID(iphone))
        refs = {
            ref.vendor_item_number: str(ref.product_id)
            for ref in (await session.execute(select(VendorProductRef))).scalars()
        }
    assert str(rows[1].matched_product_id) == iphone and rows[1].match_method == "created"
    assert set(catalog) == {iphone, cable}
    assert catalog[iphone].name == "Apple iPhone 13 128GB Midnight" and not catalog[iphone].deleted
    assert profile is not None and (profile.brand, profile.model) == ("Apple", "A2482")
    assert profile.upcs == ["194252707722"]
    assert (refs["LL-1001"], refs["LL-1004"]) == (iphone, cable)

    # undo and create the cable's row again: the same key and body, catalog's same product
    await ok(await step(client, admin, order_id, "undo-product-matching"))
    await ok(await step(client, admin, order_id, "match-products"))
    again = await ok(await step(client, admin, order_id, "review-matches", {"decisions": [
        {"row_id": by_row[5]["id"], "decision": "create"}]}))  # fmt: skip
    assert again == {"reviewed": 1, "created_products": 1}
    assert services.product_keys[-1] == cable_key and len(services.requests) == 3
    async with shop.database.session() as session:
        row = await session.get(ManifestRow, by_row[5]["id"])
        products = (
            await session.execute(select(func.count()).select_from(CatalogProduct))
        ).scalar()
    assert row is not None and str(row.matched_product_id) == cable
    assert products == 2
