"""Intake's reference data announces every change (issue 13): manifest templates, intake
categories, intake products (inventory's metadata of a catalog product) and vendor product
refs — created, updated (the fields that changed; nothing when nothing did) and deleted (as it
was); a refused write (404, 409, 422) announces nothing."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import Shop
from tests.intake.helpers import catalog_product, ok
from tests.invariants import outbox_events
from tests.procurement import vendor
from tests.reference.test_reference_events import announced, verbs


async def refused(shop: Shop, *requests: tuple[str, str, Any, int]) -> None:
    for method, path, body, status in requests:
        response = await shop.client.request(method, path, json=body, headers=shop.admin)
        assert response.status_code == status, (method, path, response.text)


async def test_manifest_templates_announce_their_lifecycle(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    supplier = await vendor(client, admin, "LOTS-CO")
    body = {"name": "Lots", "vendor_id": supplier["id"], "headers": ["Title", "Qty"],
            "mappings": {"title": "[Title] | trim"}}  # fmt: skip
    made = await ok(await client.post("/api/inventory/templates", json=body, headers=admin), 201)
    url = f"/api/inventory/templates/{made['id']}"
    edited = await client.patch(
        url, json={"name": "Lots v2", "headers": ["Title", "Qty", "UPC"]}, headers=admin
    )
    assert edited.status_code == 200, edited.text
    assert (await client.put(url, json={"name": "Lots v2"}, headers=admin)).status_code == 200
    before = await announced(shop.database, "manifest_template")
    await refused(
        shop,
        ("POST", "/api/inventory/templates", {**body, "headers": ["Title", "Qty", "UPC"]}, 409),
        ("PATCH", url, {"mappings": {"title": "[Nope]"}}, 422),
        ("DELETE", f"/api/inventory/templates/{uuid.uuid4()}", None, 404),
    )
    assert await announced(shop.database, "manifest_template") == before
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await announced(shop.database, "manifest_template")
    assert verbs(events) == ["created", "updated", "deleted"]
    created, updated, deleted = (event["data"] for event in events)
    assert created == {
        "template_id": made["id"],
        "name": "Lots",
        "vendor_id": supplier["id"],
        "header_signature": made["header_signature"],
        "columns": 2,
        "changed": [],
    }
    assert updated["changed"] == ["header_signature", "headers", "name"]
    assert (
        updated["columns"] == 3 and updated["header_signature"] == edited.json()["header_signature"]
    )
    assert deleted == {**updated, "changed": []}
    assert events[0]["actor"] == "admin-1"


async def test_intake_categories_announce_their_lifecycle(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    spec = {"name": "storage", "label": "Storage", "kind": "choice", "choices": ["128GB"]}
    phones = await ok(await client.post("/api/inventory/categories", json={
        "name": "Phones", "spec_template": [spec]}, headers=admin), 201)  # fmt: skip
    used = await ok(await client.post("/api/inventory/categories", json={
        "name": "Used phones", "parent_id": phones["id"]}, headers=admin), 201)  # fmt: skip
    url = f"/api/inventory/categories/{phones['id']}"
    renamed = await client.patch(
        url, json={"name": "Smartphones", "description": ""}, headers=admin
    )
    assert renamed.status_code == 200, renamed.text
    before = await announced(shop.database, "intake_category")
    await refused(
        shop,
        ("POST", "/api/inventory/categories", {"name": "smartphones"}, 409),
        ("PATCH", url, {"parent_id": used["id"]}, 422),
        ("DELETE", url, None, 409),  # a category sits under it
        ("DELETE", f"/api/inventory/categories/{uuid.uuid4()}", None, 404),
    )
    assert await announced(shop.database, "intake_category") == before
    assert (
        await client.delete(f"/api/inventory/categories/{used['id']}", headers=admin)
    ).status_code == 204

    events = await announced(shop.database, "intake_category")
    assert verbs(events) == ["created", "created", "updated", "deleted"]
    created, child, updated, deleted = (event["data"] for event in events)
    assert created == {
        "category_id": phones["id"],
        "name": "Phones",
        "parent_id": None,
        "specs": ["storage"],
        "changed": [],
    }
    assert updated == {**created, "name": "Smartphones", "changed": ["name"]}
    assert child["parent_id"] == phones["id"] and deleted == child


async def test_intake_products_announce_their_lifecycle(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    iphone = await catalog_product(shop.database, "Apple iPhone 13 128GB", brand="Apple")
    pixel = await catalog_product(shop.database, "Google Pixel 8")
    body = {"catalog_product_id": str(iphone), "brand": "Apple", "model": "A2482",
            "upcs": ["194252707722"]}  # fmt: skip
    await ok(await client.post("/api/inventory/products", json=body, headers=admin), 201)
    url = f"/api/inventory/products/{iphone}"
    edited = await client.patch(
        url, json={"model": "A2633", "upcs": ["194252707722", "194252707739"]}, headers=admin
    )
    assert edited.status_code == 200, edited.text
    assert (await client.put(url, json={"model": "A2633"}, headers=admin)).status_code == 200
    before = await announced(shop.database, "intake_product")
    await refused(
        shop,
        ("POST", "/api/inventory/products", {**body, "catalog_product_id": str(pixel)}, 409),
        ("POST", "/api/inventory/products", {"catalog_product_id": str(uuid.uuid4())}, 422),
        ("POST", "/api/inventory/products", body, 409),  # it has metadata already
        ("PATCH", url, {"category_id": str(uuid.uuid4())}, 422),
        ("DELETE", f"/api/inventory/products/{pixel}", None, 404),
    )
    assert await announced(shop.database, "intake_product") == before
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await announced(shop.database, "intake_product")
    assert verbs(events) == ["created", "updated", "deleted"]
    created, updated, deleted = (event["data"] for event in events)
    assert created == {
        "product_id": str(iphone),
        "name": "Apple iPhone 13 128GB",
        "brand": "Apple",
        "model": "A2482",
        "category_id": None,
        "upcs": ["194252707722"],
        "changed": [],
    }
    assert updated == {
        **created,
        "model": "A2633",
        "upcs": ["194252707722", "194252707739"],
        "changed": ["model", "upcs"],
    }
    assert deleted == {**updated, "changed": []}


async def test_product_refs_announce_their_lifecycle(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    supplier = await vendor(client, admin, "LOTS-CO")
    galaxy = await catalog_product(shop.database, "Samsung Galaxy S21", brand="Samsung")
    await ok(await client.post("/api/inventory/products", json={
        "catalog_product_id": str(galaxy), "brand": "Samsung"}, headers=admin), 201)  # fmt: skip
    body = {"vendor_id": supplier["id"], "product_id": str(galaxy),
            "vendor_item_number": "LL-S21", "unit_cost": "210.0000"}  # fmt: skip
    made = await ok(await client.post("/api/inventory/product-refs", json=body, headers=admin), 201)
    url = f"/api/inventory/product-refs/{made['id']}"
    edited = await client.patch(
        url, json={"vendor_item_number": "LL-S21-128", "unit_cost": "199.5"}, headers=admin
    )
    assert edited.status_code == 200, edited.text
    assert (await client.put(url, json={"unit_cost": "199.5"}, headers=admin)).status_code == 200
    before = await announced(shop.database, "product_ref")
    await refused(
        shop,
        ("POST", "/api/inventory/product-refs", {**body, "vendor_item_number": "ll-s21-128"}, 409),
        ("POST", "/api/inventory/product-refs", {**body, "product_id": str(uuid.uuid4())}, 422),
        ("DELETE", f"/api/inventory/product-refs/{uuid.uuid4()}", None, 404),
    )
    assert await announced(shop.database, "product_ref") == before
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await announced(shop.database, "product_ref")
    assert verbs(events) == ["created", "updated", "deleted"]
    created, updated, deleted = (event["data"] for event in events)
    assert created == {
        "ref_id": made["id"],
        "vendor_id": supplier["id"],
        "product_id": str(galaxy),
        "vendor_item_number": "LL-S21",
        "unit_cost": "210.0000",
        "changed": [],
    }
    assert updated == {
        **created,
        "vendor_item_number": "LL-S21-128",
        "unit_cost": "199.5000",
        "changed": ["unit_cost", "vendor_item_number"],
    }
    assert deleted == {**updated, "changed": []}
    assert await outbox_events(shop.database, "inventory.intake_product.deleted") == []
