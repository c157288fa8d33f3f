"""The intake pipeline on a real vendor-style manifest, step by step: upload, the raw rows,
preview and standardise, match (UPC, vendor ref, fuzzy), review, price, finalise, create the
units in batch groups, process and check them in, complete the order — each answer, the
stored rows and the published events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from common.testing.permissions import nats_connected
from inventory.items.models import Item, ItemEvent
from inventory.manifests.models import ManifestRow
from tests.conftest import Shop
from tests.intake.helpers import (
    CLEAN_MAPPINGS,
    approved_order,
    known_products,
    ok,
    step,
    upload,
)


async def outbox_subjects(shop: Shop) -> list[str]:
    from inventory.db import EVENT_TABLES

    async with shop.database.session() as session:
        outbox = EVENT_TABLES.outbox
        rows = await session.execute(select(outbox.c.subject).order_by(outbox.c.seq))
        return list(rows.scalars())


async def test_a_clean_manifest_goes_from_upload_to_the_shelf(shop: Shop, app: FastAPI) -> None:
    client, admin = shop.client, shop.admin
    products = await known_products(shop)
    made = await approved_order(shop)
    order_id = made["id"]
    ref = await client.post(
        "/api/inventory/product-refs",
        json={"vendor_id": made["vendor_id"], "product_id": str(products["galaxy"]),
              "vendor_item_number": "ll-1002"},
        headers=admin,
    )  # fmt: skip
    assert ref.status_code == 201, ref.text

    uploaded = await ok(await upload(client, admin, order_id), 200)
    manifest = uploaded["manifest"]
    assert uploaded["number"] == made["number"]
    assert (manifest["file_type"], manifest["encoding"], manifest["delimiter"]) == (
        "csv",
        "utf-8",
        ",",
    )
    assert manifest["row_count"] == 6 and manifest["headers"][0] == "Item Description"
    assert manifest["template_id"] is None and manifest["preview"][0][0].startswith("Apple iPhone")

    raw = await ok(await step(client, admin, order_id, "manifest-rows", method="GET",
                              params={"search": "iphone", "limit": 1}))  # fmt: skip
    assert raw["total_rows"] == 6 and raw["matching_rows"] == 2 and len(raw["rows"]) == 1
    assert raw["rows"][0]["row_no"] == 1
    assert {column["name"] for column in raw["standard_columns"]} >= {"title", "upc", "quantity"}
    assert "regex_extract" in {function["name"] for function in raw["functions"]}

    preview = await ok(await step(client, admin, order_id, "preview-standardize",
                                  {"mappings": CLEAN_MAPPINGS, "search_term": "sony", "limit": 5}))  # fmt: skip
    assert (preview["total_rows"], preview["invalid_rows"], preview["matching_rows"]) == (6, 0, 1)
    [sony] = preview["rows"]
    assert sony["values"]["quantity"] == 3 and sony["values"]["unit_cost"] == "95.5000"
    assert sony["values"]["condition"] == "new"
    async with shop.database.session() as session:
        assert (
            await session.scalar(select(func.count()).select_from(ManifestRow)) == 0
        )  # preview wrote nothing

    processed = await ok(await step(client, admin, order_id, "process-manifest",
                                    {"mappings": CLEAN_MAPPINGS, "save_template": {"name": "Lots Co."}}))  # fmt: skip
    assert (processed["rows_written"], processed["rows_skipped"], processed["units"]) == (6, 0, 13)
    assert processed["template_id"] is not None
    again = await ok(
        await step(client, admin, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS})
    )
    assert again["rows_written"] == 6  # idempotent: the same rows again
    async with shop.database.session() as session:
        rows = list(
            (await session.execute(select(ManifestRow).order_by(ManifestRow.row_no))).scalars()
        )
    assert len(rows) == 6
    assert (rows[0].upc, rows[0].specs, rows[0].retail_price) == (
        "194252707722",
        {"storage": "128"},
        Decimal("429.00"),
    )
    assert rows[1].condition == "like_new" and rows[4].brand == "Generic"

    summary = await ok(await step(client, admin, order_id, "match-products"))
    assert summary["rows"] == 6
    results = await ok(await step(client, admin, order_id, "match-results", method="GET"))
    by_row = {row["row_no"]: row for row in results["rows"]}
    assert (by_row[1]["match_method"], by_row[1]["matched_product_id"]) == (
        "upc",
        str(products["iphone"]),
    )
    assert (by_row[2]["match_method"], by_row[2]["matched_product_id"]) == (
        "vendor_ref",
        str(products["galaxy"]),
    )
    assert by_row[3]["match_status"] == "matched" and by_row[3]["matched_product_id"] == str(
        products["sony"]
    )
    assert by_row[6]["match_status"] == "matched" and by_row[6]["matched_product_id"] == str(
        products["switch"]
    )
    assert (
        by_row[5]["match_status"] in ("unmatched", "suggested")
        and by_row[5]["matched_product_id"] is None
    )
    assert summary["matched"] == 5

    reviewed = await ok(await step(client, admin, order_id, "review-matches",
                                   {"decisions": [{"row_id": by_row[5]["id"], "decision": "reject"}]}))  # fmt: skip
    assert reviewed == {"reviewed": 1, "created_products": 0}
    rerun = await ok(await step(client, admin, order_id, "match-products"))
    assert rerun["rejected"] == 1 and rerun["reviewed"] == 1  # a new run keeps the decision

    priced = await ok(await step(client, admin, order_id, "update-manifest-pricing",
                                 {"rule": {"basis": "retail", "percent": "60"},
                                  "rows": [{"row_id": by_row[5]["id"], "proposed_price": "4.99"}]}))  # fmt: skip
    assert priced["priced"] == 6 and priced["unpriced"] == 0
    final = await ok(await step(client, admin, order_id, "finalize-rows",
                                {"rows": [{"row_id": by_row[3]["id"], "final_price": "199.00"}]}))  # fmt: skip
    assert final == {"finalized": 6, "remaining": 0, "all_final": True}

    await nats_connected(app)
    before = await outbox_subjects(shop)
    created = await ok(await step(client, admin, order_id, "create-items"))
    assert created == {"items": 13, "batch_groups": 6, "created": True}
    assert (await ok(await step(client, admin, order_id, "create-items")))["created"] is False
    subjects = (await outbox_subjects(shop))[len(before) :]
    assert subjects.count("inventory.item.created") == 13

    items = await ok(await client.get("/api/inventory/items", params={"purchase_order": order_id,
                                                                      "page_size": 100}, headers=admin))  # fmt: skip
    assert items["count"] == 13
    iphones = [item for item in items["results"] if item["product_id"] == str(products["iphone"])]
    assert len(iphones) == 3 and {item["price"] for item in iphones} == {"257.40"}
    assert {item["condition"] for item in iphones} == {"good", "fair"}  # two batch groups
    assert all(
        item["status"] == "intake" and item["processing_tier"] == "batch"
        for item in items["results"]
    )
    sony_units = [item for item in items["results"] if item["product_id"] == str(products["sony"])]
    assert {item["price"] for item in sony_units} == {"199.00"} and sony_units[0]["cost"] == "95.50"
    assert sony_units[0]["attributes"] == {}

    groups = await ok(await client.get("/api/inventory/batch-groups", params={"purchase_order": order_id},
                                       headers=admin))  # fmt: skip
    assert groups["count"] == 6
    by_title = {group["title"]: group for group in groups["results"]}
    cables = by_title["Generic braided USB-C cable 2m"]
    assert (cables["product_id"], cables["item_count"], cables["items_by_status"]) == (
        None,
        5,
        {"intake": 5},
    )

    floor = await shop.location("FLOOR")
    processed_group = await ok(await client.post(f"/api/inventory/batch-groups/{cables['id']}/process",
                                                 json={"price": "5.99", "location_id": floor["id"]},
                                                 headers=admin))  # fmt: skip
    assert processed_group["status"] == "processed" and processed_group["price"] == "5.99"
    checked = await ok(
        await client.post(f"/api/inventory/batch-groups/{cables['id']}/check-in", headers=admin)
    )
    assert checked["status"] == "checked_in" and checked["items_by_status"] == {"on_shelf": 5}
    assert await shop.balance(_sku_of(items, cables["id"]), floor) == 1

    delivered = await ok(
        await client.post(f"/api/inventory/orders/{order_id}/deliver", headers=admin)
    )
    assert delivered["status"] == "delivered"  # the units exist already: deliver creates none
    incomplete = await client.post(f"/api/inventory/orders/{order_id}/mark-complete", headers=admin)
    assert (
        incomplete.status_code == 409 and "8 units still in intake" in incomplete.json()["detail"]
    )
    rest = [item["id"] for item in items["results"] if item["batch_group_id"] != cables["id"]]
    bulk = await ok(await step(client, admin, order_id, "check-in-items",
                               {"item_ids": rest, "location_id": floor["id"]}))  # fmt: skip
    assert bulk == {"checked_in": 8, "remaining_in_intake": 0}
    done = await ok(
        await client.post(f"/api/inventory/orders/{order_id}/mark-complete", headers=admin)
    )
    assert done["status"] == "complete"
    async with shop.database.session() as session:
        shelf = await session.scalar(
            select(func.count()).select_from(Item).where(Item.status == "on_shelf")
        )
        checked_in = await session.scalar(
            select(func.count()).select_from(ItemEvent).where(ItemEvent.event_type == "checked_in")
        )
    assert shelf == 13 and checked_in == 13
    learned = await ok(await client.get("/api/inventory/product-refs", params={"vendor": made["vendor_id"]},
                                        headers=admin))  # fmt: skip
    assert learned["count"] == 1  # the ref made above; rejected rows teach nothing


def _sku_of(items: dict[str, Any], group_id: str) -> str:
    return next(item["sku"] for item in items["results"] if item["batch_group_id"] == group_id)
