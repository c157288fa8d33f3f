"""Intake through the gateway, with real events: an advisor uploads a vendor manifest to an
approved order, standardises it, matches it (UPC against a catalog product inventory learnt
from catalog's event), prices and finalises the rows; delivering the order creates the units
in batch groups; checked in, they reach POS's sellable read-model and a cart takes one by SKU
— while a unit still in intake is refused by POS."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import httpx
from test_pos_flow import eventually, open_shop

from common.testing.helpers import read_events

PASSWORD = "intake e2e passphrase"
MANIFEST = (
    b"Item Description,Brand,UPC,Vendor SKU,Qty,Unit Cost,Retail,Condition\n"
    b"E2E Pixel 7 128GB Obsidian,Google,840244700645,LV-1,2,150.00,399.00,Good\n"
    b"E2E Pixel 7 128GB Obsidian,Google,840244700645,LV-1,1,150.00,399.00,Fair\n"
    b"E2E braided USB-C cable 1m,Generic,,LV-2,3,1.10,9.99,New\n"
)
MAPPINGS = {
    "title": "[Item Description] | trim",
    "brand": "[Brand] | trim",
    "upc": "[UPC]",
    "vendor_sku": "[Vendor SKU]",
    "quantity": "[Qty] | integer",
    "unit_cost": "[Unit Cost] | money",
    "retail_price": "[Retail] | money",
    "condition": "[Condition]",
}


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, (response.request.url.path, response.text)
    return dict(response.json())


async def test_a_manifest_becomes_units_pos_sells(platform, admin_headers) -> None:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
        admin = admin_headers
        shop, location_id, drawer_id = await open_shop(client, admin, "E2E-INTAKE")
        await ok(await client.post("/api/accounts/users/", json={
            "email": "e2e-intake-advisor@example.com", "password": PASSWORD, "role": "advisor",
            "store_ids": [shop.store_id]}, headers=admin), 201)  # fmt: skip
        login = await ok(await client.post("/api/auth/login", json={
            "email": "e2e-intake-advisor@example.com", "password": PASSWORD}))  # fmt: skip
        advisor = {"Authorization": f"Bearer {login['access']}"}

        # catalog's product, known to inventory through catalog.product.created, given its UPC
        department = await ok(await client.post("/api/departments", json={"name": "E2E Phones"},
                                                headers=admin), 201)  # fmt: skip
        product = await ok(await client.post("/api/products", json={
            "name": "E2E Google Pixel 7 128GB", "department": department["slug"],
            "base_price": "399.00"}, headers=admin), 201)  # fmt: skip
        metadata = await eventually(
            lambda: client.post(
                "/api/inventory/products",
                json={
                    "catalog_product_id": product["id"],
                    "brand": "Google",
                    "upcs": ["840244700645"],
                },
                headers=advisor,
            ),
            ok=lambda response: response.status_code == 201,
        )
        assert metadata.status_code == 201, metadata.text

        # an approved order: this test's own approval template (orders of 750,000 and up),
        # signed by the admin — an advisor never signs their own order
        await ok(await client.post("/api/approvals/templates", json={
            "name": "E2E intake lots", "min_amount": "750000.00",
            "signers": [{"role": "system_admin"}], "min_signatures": 1}, headers=admin), 201)  # fmt: skip
        vendor = await ok(await client.post("/api/inventory/vendors", json={
            "code": "E2E-LOTS", "name": "E2E Liquidation Lots"}, headers=advisor), 201)  # fmt: skip
        order = await eventually(
            lambda: client.post(
                "/api/inventory/orders",
                json={
                    "vendor_id": vendor["id"],
                    "store_id": shop.store_id,
                    "lines": [
                        {"description": "Manifest lot", "quantity": "1", "unit_cost": "750000.00"}
                    ],
                },
                headers=advisor,
            ),
            ok=lambda response: response.status_code == 201,
        )
        assert order.status_code == 201, order.text
        orders = f"/api/inventory/orders/{order.json()['id']}"
        submitted = await ok(await client.post(f"{orders}/submit", headers=advisor))
        assert submitted["status"] == "pending_approval", submitted
        await ok(await client.post(f"{orders}/sign", json={"comment": "lot ok"}, headers=admin))

        # the pipeline, step by step, as the advisor
        uploaded = await ok(await client.post(f"{orders}/upload-manifest", files={
            "file": ("lot-e2e.csv", MANIFEST, "text/csv")}, headers=advisor))  # fmt: skip
        assert uploaded["status"] == "approved" and uploaded["manifest"]["row_count"] == 3
        processed = await ok(await client.post(f"{orders}/process-manifest",
                                               json={"mappings": MAPPINGS}, headers=advisor))  # fmt: skip
        assert (processed["rows_written"], processed["units"]) == (3, 6)
        matched = await ok(await client.post(f"{orders}/match-products", headers=advisor))
        assert matched["rows"] == 3
        results = await ok(await client.get(f"{orders}/match-results", headers=advisor))
        by_row = {row["row_no"]: row for row in results["rows"]}
        assert [(by_row[n]["match_method"], by_row[n]["matched_product_id"]) for n in (1, 2)] == [
            ("upc", product["id"])
        ] * 2
        assert by_row[3]["matched_product_id"] is None

        # the cable matches nothing: review creates its product in catalog, as inventory
        # (a service token with products:create), under a key derived from the row
        since = time.time()
        create = {"decisions": [{"row_id": by_row[3]["id"], "decision": "create"}]}
        reviewed = await ok(await client.post(f"{orders}/review-matches", json=create,
                                              headers=advisor))  # fmt: skip
        assert reviewed == {"reviewed": 1, "created_products": 1}
        [announced] = await read_events(
            platform.nats_url, "catalog.product.created", expected=1, since=since
        )
        assert announced.actor == "service:inventory", announced
        new_product = announced.data["product_id"]
        results = await ok(await client.get(f"{orders}/match-results", headers=advisor))
        row = next(row for row in results["rows"] if row["row_no"] == 3)
        assert (row["matched_product_id"], row["match_method"]) == (new_product, "created")
        made = await ok(await client.get(f"/api/products/{announced.data['slug']}"))
        assert (made["id"], made["name"], made["base_price"]) == (
            new_product, "E2E braided USB-C cable 1m", "9.99")  # fmt: skip
        # the same review again (a retry): catalog answers the product it made, no second one
        await ok(await client.post(f"{orders}/review-matches", json=create, headers=advisor))
        found = await ok(await client.get("/api/products", params={"search": "E2E braided"}))
        assert [product["id"] for product in found["results"]] == [new_product]
        priced = await ok(await client.post(f"{orders}/update-manifest-pricing", json={
            "rule": {"basis": "retail", "percent": "80"}}, headers=advisor))  # fmt: skip
        assert priced["priced"] == 3
        final = await ok(await client.post(f"{orders}/finalize-rows", json={
            "rows": [{"row_id": by_row[3]["id"], "final_price": "6.50"}]}, headers=advisor))  # fmt: skip
        assert final["all_final"] is True

        since = time.time()
        delivered = await ok(await client.post(f"{orders}/deliver", headers=advisor))
        assert delivered["status"] == "delivered"
        created = await read_events(
            platform.nats_url, "inventory.item.created", expected=6, since=since
        )
        assert {event.data["store_id"] for event in created} == {shop.store_id}

        items = (await ok(await client.get("/api/inventory/items", params={
            "purchase_order": order.json()["id"], "page_size": 50}, headers=advisor)))["results"]  # fmt: skip
        assert len(items) == 6 and {item["status"] for item in items} == {"intake"}
        groups = (await ok(await client.get("/api/inventory/batch-groups", params={
            "purchase_order": order.json()["id"]}, headers=advisor)))["results"]  # fmt: skip
        sizes = Counter((group["product_id"], group["condition"], group["item_count"])
                        for group in groups)  # fmt: skip
        assert sizes == Counter({(product["id"], "good", 2): 1, (product["id"], "fair", 1): 1,
                                 (new_product, "new", 3): 1})  # fmt: skip
        pixels = [item for item in items if item["product_id"] == product["id"]]
        assert {item["price"] for item in pixels} == {"319.20"}  # 80 % of the retail price

        # POS refuses a unit still in intake: it is not sellable
        cable = next(item for item in items if item["product_id"] == new_product)
        probe = await ok(await client.post("/api/pos/carts/", json={"drawer_id": drawer_id},
                                           headers=admin), 201)  # fmt: skip
        refused = await client.post(f"/api/pos/carts/{probe['id']}/add-item/",
                                    json={"sku": cable["sku"]}, headers=admin)  # fmt: skip
        assert 400 <= refused.status_code < 500, refused.text

        # check in: the good Pixels as their batch group, the rest in bulk
        good = next(group for group in groups if group["condition"] == "good")
        await ok(await client.post(f"/api/inventory/batch-groups/{good['id']}/process",
                                   json={"location_id": location_id}, headers=advisor))  # fmt: skip
        checked = await ok(await client.post(f"/api/inventory/batch-groups/{good['id']}/check-in",
                                             headers=advisor))  # fmt: skip
        assert checked["items_by_status"] == {"on_shelf": 2}
        rest = [item["id"] for item in items if item["batch_group_id"] != good["id"]]
        bulk = await ok(await client.post(f"{orders}/check-in-items", json={
            "item_ids": rest, "location_id": location_id}, headers=advisor))  # fmt: skip
        assert bulk == {"checked_in": 4, "remaining_in_intake": 0}
        done = await ok(await client.post(f"{orders}/mark-complete", headers=advisor))
        assert done["status"] == "complete"

        # every unit is now sellable in POS: a cart takes each by SKU, at inventory's price
        for item in items:
            cart = await ok(await client.post("/api/pos/carts/", json={"drawer_id": drawer_id},
                                              headers=admin), 201)  # fmt: skip
            added = await eventually(
                lambda cart_id=cart["id"], sku=item["sku"]: client.post(
                    f"/api/pos/carts/{cart_id}/add-item/", json={"sku": sku}, headers=admin
                ),
                ok=lambda response: response.status_code == 200,
            )
            assert added.status_code == 200, added.text
            [line] = added.json()["lines"]
            assert (line["sku"], line["unit_price"]) == (item["sku"], item["price"]), line
