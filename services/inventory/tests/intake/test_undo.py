"""Undoing each step, in reverse order: clear-pricing, undo-product-matching,
clear-manifest-rows (refused once items exist, naming them), the delete preview and the
purge (the order number typed again; all or nothing; refused once units are stock). Each
undo leaves the pipeline where the step had found it, so the step runs again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from common.testing.permissions import snapshot
from inventory.batches.models import BatchGroup
from inventory.items.models import Item
from inventory.manifests.models import Manifest, ManifestRow
from inventory.orders.models import PurchaseOrder
from inventory.tables import Base
from tests.conftest import Shop
from tests.intake.helpers import CLEAN_MAPPINGS, approved_order, known_products, ok, step, upload

RULE = {"rule": {"basis": "retail", "percent": "50"}}


async def staged_rows(shop: Shop) -> list[ManifestRow]:
    async with shop.database.session() as session:
        return list(
            (await session.execute(select(ManifestRow).order_by(ManifestRow.row_no))).scalars()
        )


async def through(shop: Shop, last: str) -> dict[str, Any]:
    """An order taken through the pipeline up to and including ``last``."""
    await known_products(shop)
    order = await approved_order(shop)
    steps: list[tuple[str, Any]] = [
        ("process-manifest", {"mappings": CLEAN_MAPPINGS}),
        ("match-products", None),
        ("update-manifest-pricing", RULE),
        ("finalize-rows", {}),
        ("create-items", None),
    ]
    await ok(await upload(shop.client, shop.admin, order["id"]))
    for name, body in steps:
        await ok(await step(shop.client, shop.admin, order["id"], name, body))
        if name == last:
            break
    return order


async def test_clear_pricing_undoes_proposed_and_final_prices(shop: Shop) -> None:
    order = await through(shop, "finalize-rows")
    assert {row.pricing_stage for row in await staged_rows(shop)} == {"final"}
    assert (await ok(await step(shop.client, shop.admin, order["id"], "clear-pricing"))) == {
        "cleared": 6
    }
    rows = await staged_rows(shop)
    assert {(row.pricing_stage, row.proposed_price, row.final_price) for row in rows} == {
        ("unpriced", None, None)
    }
    assert all(row.matched_product_id is not None for row in rows[:4])  # matching stays
    created = await step(shop.client, shop.admin, order["id"], "create-items")
    assert (
        created.status_code == 409
        and "finalize-rows must come first (6 rows are not final)" in created.json()["detail"]
    )
    await ok(
        await step(shop.client, shop.admin, order["id"], "update-manifest-pricing", RULE)
    )  # runs again


async def test_undo_product_matching_clears_every_match(shop: Shop) -> None:
    order = await through(shop, "match-products")
    assert any(row.match_status == "matched" for row in await staged_rows(shop))
    assert (
        await ok(await step(shop.client, shop.admin, order["id"], "undo-product-matching"))
    ) == {"cleared": 6}
    rows = await staged_rows(shop)
    assert {(row.match_status, row.matched_product_id, row.match_method) for row in rows} == {
        (None, None, None)
    }
    assert all(row.match_candidates == [] for row in rows)
    async with shop.database.session() as session:
        manifest = (await session.execute(select(Manifest))).scalar_one()
    assert manifest.matched_at is None and manifest.standardized_at is not None
    priced = await step(shop.client, shop.admin, order["id"], "update-manifest-pricing", RULE)
    assert priced.status_code == 409 and "match-products must come first" in priced.json()["detail"]


async def test_undos_refuse_while_a_later_steps_work_exists(shop: Shop) -> None:
    order = await through(shop, "finalize-rows")
    undo = await step(shop.client, shop.admin, order["id"], "undo-product-matching")
    assert (
        undo.status_code == 409
        and "its rows are priced; clear-pricing must come first" in undo.json()["detail"]
    )
    await ok(await step(shop.client, shop.admin, order["id"], "create-items"))
    for name in ("clear-pricing", "undo-product-matching"):
        response = await step(shop.client, shop.admin, order["id"], name)
        assert response.status_code == 409 and "items exist" in response.json()["detail"]
    cleared = await step(shop.client, shop.admin, order["id"], "clear-manifest-rows")
    assert cleared.status_code == 409
    assert "13 items were created from its manifest rows" in cleared.json()["detail"]


async def test_clear_manifest_rows_undoes_standardising(shop: Shop) -> None:
    order = await through(shop, "match-products")
    assert (await ok(await step(shop.client, shop.admin, order["id"], "clear-manifest-rows"))) == {
        "cleared": 6
    }
    assert await staged_rows(shop) == []
    raw = await ok(await step(shop.client, shop.admin, order["id"], "manifest-rows", method="GET"))
    assert raw["total_rows"] == 6  # the upload stays
    matched = await step(shop.client, shop.admin, order["id"], "match-products")
    assert (
        matched.status_code == 409
        and "process-manifest must come first" in matched.json()["detail"]
    )
    await ok(await upload(shop.client, shop.admin, order["id"]))  # a new upload may replace it now
    await ok(
        await step(
            shop.client, shop.admin, order["id"], "process-manifest", {"mappings": CLEAN_MAPPINGS}
        )
    )


async def test_the_delete_preview_lists_what_a_purge_removes_and_the_purge_removes_it(
    shop: Shop,
) -> None:
    order = await through(shop, "create-items")
    preview = await ok(
        await step(shop.client, shop.admin, order["id"], "delete-preview", method="GET")
    )
    assert preview["can_delete"] is True and preview["blockers"] == []
    plan = {entry["artifact"]: entry["count"] for entry in preview["plan"]}
    assert plan == {
        "items": 13, "batch groups": 6, "intake jobs": 0, "manifest rows": 6, "raw rows": 6,
        "manifest file": 1, "attachments": 0, "transitions": 3, "order": 1,
    }  # fmt: skip
    assert [entry["step"] for entry in preview["plan"]] == list(range(1, 10))

    before = await snapshot(shop.database, Base.metadata)
    wrong = await step(
        shop.client, shop.admin, order["id"], "purge-delete", {"confirm_order_number": "PO-1"}
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "confirm_order_number"
    assert await snapshot(shop.database, Base.metadata) == before

    purged = await ok(await step(shop.client, shop.admin, order["id"], "purge-delete",
                                 {"confirm_order_number": order["number"].lower()}))  # fmt: skip
    assert purged["deleted"]["items"] == 13 and purged["deleted"]["order"] == 1
    async with shop.database.session() as session:
        for model in (PurchaseOrder, Item, BatchGroup, ManifestRow, Manifest):
            assert await session.scalar(select(func.count()).select_from(model)) == 0, (
                model.__name__
            )
    gone = await shop.client.get(f"/api/inventory/orders/{order['id']}", headers=shop.admin)
    assert gone.status_code == 404


async def test_a_purge_is_refused_once_units_are_stock(shop: Shop) -> None:
    order = await through(shop, "create-items")
    floor = await shop.location("FLOOR")
    items = (await shop.client.get("/api/inventory/items", params={"purchase_order": order["id"]},
                                   headers=shop.admin)).json()["results"]  # fmt: skip
    await ok(await step(shop.client, shop.admin, order["id"], "check-in-items",
                        {"item_ids": [items[0]["id"]], "location_id": floor["id"]}))  # fmt: skip
    preview = await ok(
        await step(shop.client, shop.admin, order["id"], "delete-preview", method="GET")
    )
    assert preview["can_delete"] is False
    assert preview["blockers"] == [
        "units left intake (1 on_shelf): they are stock now",
        "1 units have stock-ledger rows",
    ]
    before = await snapshot(shop.database, Base.metadata)
    refused = await step(
        shop.client,
        shop.admin,
        order["id"],
        "purge-delete",
        {"confirm_order_number": order["number"]},
    )
    assert (
        refused.status_code == 409
        and "cannot be purged: units left intake" in refused.json()["detail"]
    )
    assert await snapshot(shop.database, Base.metadata) == before


async def test_deliver_creates_the_units_once_the_rows_are_final(shop: Shop) -> None:
    early = await through(shop, "match-products")
    delivered = await ok(
        await shop.client.post(f"/api/inventory/orders/{early['id']}/deliver", headers=shop.admin)
    )
    assert delivered["status"] == "delivered"
    async with shop.database.session() as session:
        assert (
            await session.scalar(select(func.count()).select_from(Item)) == 0
        )  # rows not final: no units
    await ok(
        await shop.client.post(
            f"/api/inventory/orders/{early['id']}/revert-delivered", headers=shop.admin
        )
    )
    await ok(await step(shop.client, shop.admin, early["id"], "update-manifest-pricing", RULE))
    await ok(await step(shop.client, shop.admin, early["id"], "finalize-rows", {}))
    await ok(
        await shop.client.post(f"/api/inventory/orders/{early['id']}/deliver", headers=shop.admin)
    )
    async with shop.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Item)) == 13
        assert await session.scalar(select(func.count()).select_from(BatchGroup)) == 6
    again = await ok(await step(shop.client, shop.admin, early["id"], "create-items"))
    assert again == {"items": 13, "batch_groups": 6, "created": False}
