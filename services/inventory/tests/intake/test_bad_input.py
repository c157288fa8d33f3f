"""Bad manifests and bad steps get a 4xx naming the problem, and nothing is half-written: a
file that is not a CSV, one over the byte or the row cap, duplicate headers, a chain that does
not parse or names an unknown column (with its position), a price below zero, a step out of
order (the 409 names the step that must come first), a batch group given a second product."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from common.testing.permissions import snapshot
from inventory.manifests.models import Manifest, ManifestRow, RawRow
from inventory.tables import Base
from tests.conftest import Shop
from tests.intake.helpers import CLEAN, CLEAN_MAPPINGS, approved_order, ok, step, upload
from tests.invariants import outbox_events


async def counts(shop: Shop) -> tuple[int, int, int]:
    async with shop.database.session() as session:
        return (
            int(await session.scalar(select(func.count()).select_from(Manifest)) or 0),
            int(await session.scalar(select(func.count()).select_from(RawRow)) or 0),
            int(await session.scalar(select(func.count()).select_from(ManifestRow)) or 0),
        )


async def test_files_that_are_not_manifests_are_refused(shop: Shop) -> None:
    order = await approved_order(shop)
    cases: list[tuple[bytes, int, str]] = [
        (b"%PDF-1.4\n\x00\x01binary", 415, "not a CSV (it holds NUL characters)"),
        (b"PK\x03\x04 not really a zip", 415, "looks like a zip but is not readable"),
        (b"", 415, "The manifest is empty."),
        (b"Title,Price\n", 422, "a header row but no data rows"),
        (b"Title,Price,title \nA,1,2\n", 422, "The header row has duplicates: 'Title' (column 1) and 'title' (column 3)"),
        (b"Title,Price\nA,1,2,3\n", 422, "Row 1 has 4 cells with values past the 2 headed columns"),
        (b"Title,Price\nA,1\n title,PRICE\nB,2\n", 422, "Row 2 repeats the header row (two exports joined?); remove it."),
    ]  # fmt: skip
    for data, status, message in cases:
        response = await upload(shop.client, shop.admin, order["id"], data)
        assert response.status_code == status, (data[:20], response.text)
        assert message in str(response.json()["detail"]), response.text
    assert await counts(shop) == (0, 0, 0)


async def test_a_manifest_over_the_byte_cap_is_413_before_it_is_read(shop: Shop) -> None:
    order = await approved_order(shop)
    fifty_mb = b"Title,Price\n" + b"x" * (50 * 1024 * 1024)
    response = await upload(shop.client, shop.admin, order["id"], fifty_mb)
    assert response.status_code == 413, response.text[:200]
    assert await counts(shop) == (0, 0, 0)


async def test_a_manifest_over_the_row_cap_is_refused(shop: Shop) -> None:
    order = await approved_order(shop)
    rows = b"".join(b"Item %d,1\n" % number for number in range(200_001))
    response = await upload(shop.client, shop.admin, order["id"], b"Title,Qty\n" + rows)
    assert response.status_code == 422, response.text[:200]
    assert response.json()["detail"] == "The manifest has more than 100,000 rows (the cap)."
    assert await counts(shop) == (0, 0, 0)


async def test_bad_chains_are_422_naming_the_mapping_and_the_position(shop: Shop) -> None:
    order = await approved_order(shop)
    await ok(await upload(shop.client, shop.admin, order["id"]))
    bad = {
        **CLEAN_MAPPINGS,
        "brand": "[Brnad] | trim",
        "model": "[Model] | trim(",
        "colour": "[Brand]",
    }
    for name in ("preview-standardize", "process-manifest"):
        response = await step(shop.client, shop.admin, order["id"], name, {"mappings": bad})
        assert response.status_code == 422, response.text
        problems = {problem["field"]: problem for problem in response.json()["detail"]}
        assert problems["mappings.brand"]["position"] == 0
        assert problems["mappings.brand"]["msg"].startswith(
            "Unknown column [Brnad]; the manifest has [Item Description]"
        )
        assert problems["mappings.model"]["msg"].endswith(
            "found the end of the chain (at position 15)"
        )
        assert "Unknown standard column 'colour'" in problems["mappings.colour"]["msg"]
    assert (await counts(shop))[2] == 0


async def test_a_price_below_zero_names_the_row_and_nothing_is_written(shop: Shop) -> None:
    order = await approved_order(shop)
    negative = CLEAN.replace(b"1,150.00,299.00", b"1,-150.00,299.00")
    await ok(await upload(shop.client, shop.admin, order["id"], negative))
    response = await step(
        shop.client, shop.admin, order["id"], "process-manifest", {"mappings": CLEAN_MAPPINGS}
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "rows.2.unit_cost"
    assert problem["msg"] == "Row 2: unit_cost '-150.00' is below zero"
    assert (await counts(shop))[2] == 0
    skipped = await ok(await step(shop.client, shop.admin, order["id"], "process-manifest",
                                  {"mappings": CLEAN_MAPPINGS, "skip_invalid": True}))  # fmt: skip
    assert (skipped["rows_written"], skipped["rows_skipped"]) == (5, 1)
    pricing = await step(shop.client, shop.admin, order["id"], "update-manifest-pricing",
                         {"rows": [{"row_id": 1, "proposed_price": "-1.00"}]})  # fmt: skip
    assert (
        pricing.status_code == 422
        and pricing.json()["detail"][0]["field"] == "rows.0.proposed_price"
    )


async def test_steps_out_of_order_name_the_step_that_must_come_first(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    order = await approved_order(shop)
    order_id, number = order["id"], order["number"]

    async def refused(name: str, first: str, body: Any = None, method: str = "POST") -> None:
        response = await step(client, admin, order_id, name, body, method=method)
        assert response.status_code == 409, (name, response.text)
        assert response.json()["detail"] == f"Order {number}: {first} must come first." or (
            f"{first} must come first" in response.json()["detail"]
        ), (name, response.text)

    for name, method in (
        ("manifest-rows", "GET"),
        ("preview-standardize", "POST"),
        ("process-manifest", "POST"),
    ):
        await refused(name, "upload-manifest", method=method)
    await ok(await upload(client, admin, order_id))
    for name, method in (("match-products", "POST"), ("update-manifest-pricing", "POST"),
                         ("finalize-rows", "POST"), ("create-items", "POST"), ("match-results", "GET")):  # fmt: skip
        await refused(name, "process-manifest", {} if name != "match-results" else None, method)
    await ok(await step(client, admin, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS}))
    await refused("update-manifest-pricing", "match-products", {})
    await refused("finalize-rows", "match-products", {})
    await refused(
        "review-matches", "match-products", {"decisions": [{"row_id": 1, "decision": "reject"}]}
    )
    await refused("create-items", "finalize-rows")
    await ok(await step(client, admin, order_id, "match-products"))
    unpriced = await step(client, admin, order_id, "finalize-rows", {})
    assert unpriced.status_code == 409
    assert (
        "rows 1, 2, 3, 4, 5, 6 have no price; update-manifest-pricing or a final_price must come first"
        in unpriced.json()["detail"]
    )
    await ok(
        await step(
            client,
            admin,
            order_id,
            "update-manifest-pricing",
            {"rule": {"basis": "cost", "percent": "100"}},
        )
    )
    again = await step(client, admin, order_id, "upload-manifest")
    assert again.status_code == 422  # no file
    reupload = await upload(client, admin, order_id)
    assert (
        reupload.status_code == 409
        and "clear-manifest-rows must come first" in reupload.json()["detail"]
    )
    rematch = await step(client, admin, order_id, "match-products")
    assert (
        rematch.status_code == 409 and "clear-pricing must come first" in rematch.json()["detail"]
    )
    reprocess = await step(
        client, admin, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS}
    )
    assert (
        reprocess.status_code == 409
        and "clear-pricing must come first" in reprocess.json()["detail"]
    )


async def test_a_batch_group_never_gets_a_second_product(shop: Shop) -> None:
    from tests.intake.helpers import known_products

    client, admin = shop.client, shop.admin
    products = await known_products(shop)
    order = await approved_order(shop)
    await ok(await upload(client, admin, order["id"]))
    await ok(
        await step(client, admin, order["id"], "process-manifest", {"mappings": CLEAN_MAPPINGS})
    )
    await ok(await step(client, admin, order["id"], "match-products"))
    await ok(
        await step(
            client,
            admin,
            order["id"],
            "update-manifest-pricing",
            {"rule": {"basis": "retail", "percent": "50"}},
        )
    )
    await ok(await step(client, admin, order["id"], "finalize-rows", {}))
    await ok(await step(client, admin, order["id"], "create-items"))
    items = (await client.get("/api/inventory/items", params={"purchase_order": order["id"], "page_size": 50},
                              headers=admin)).json()["results"]  # fmt: skip
    units_of = Counter(item["batch_group_id"] for item in items)
    iphones = [item for item in items if item["product_id"] == str(products["iphone"])]
    assert sorted(units_of[item["batch_group_id"]] for item in iphones) == [1, 2, 2]
    # a unit of the two good iPhones' group (the listing's order among units made together
    # is not fixed, so the unit is chosen by its group's size, not by its place)
    iphone = next(item for item in iphones if units_of[item["batch_group_id"]] == 2)
    before = await snapshot(shop.database, Base.metadata)
    mixed = await client.patch(f"/api/inventory/items/{iphone['id']}",
                               json={"product_id": str(products["galaxy"])}, headers=admin)  # fmt: skip
    assert (
        mixed.status_code == 409
        and "detach the unit from its batch group first" in mixed.json()["detail"]
    )
    assert await snapshot(shop.database, Base.metadata) == before
    group = iphone["batch_group_id"]
    updates = len(await outbox_events(shop.database, "inventory.item.updated"))
    detached = await ok(await client.post(f"/api/inventory/batch-groups/{group}/detach",
                                          json={"item_id": iphone["id"]}, headers=admin))  # fmt: skip
    assert detached["item_count"] == 1  # the group had two good iPhones; the other stays
    [announced] = (await outbox_events(shop.database, "inventory.item.updated"))[updates:]
    assert announced["actor"] == "admin-1" and announced["data"]["item_id"] == iphone["id"]
    assert announced["data"]["changed"] == ["batch_group_id", "processing_tier"]
    assert announced["data"]["product_id"] == str(products["iphone"])
    moved = await ok(await client.patch(f"/api/inventory/items/{iphone['id']}",
                                        json={"product_id": str(products["galaxy"])}, headers=admin))  # fmt: skip
    assert (moved["batch_group_id"], moved["processing_tier"]) == (None, "individual")
    stranger = next(item for item in items if item["batch_group_id"] not in (None, group))
    wrong = await client.post(f"/api/inventory/batch-groups/{group}/detach", json={"item_id": stranger["id"]},
                              headers=admin)  # fmt: skip
    assert wrong.status_code == 422 and "is not in batch group" in wrong.json()["detail"][0]["msg"]
    assert len(await outbox_events(shop.database, "inventory.item.updated")) == updates + 2


async def test_row_ids_and_limits_are_json_integers_only(shop: Shop) -> None:
    """``true`` is not row 1 nor a limit of 1, ``"5"`` is not row 5 (strict bodies, issue 11)."""
    order = await approved_order(shop)
    await ok(await upload(shop.client, shop.admin, order["id"]))
    for name, body, field in (
        ("preview-standardize", {"mappings": CLEAN_MAPPINGS, "limit": True}, "limit"),
        ("review-matches", {"decisions": [{"row_id": True, "decision": "reject"}]}, "decisions.0.row_id"),
        ("update-manifest-pricing", {"rows": [{"row_id": "5", "proposed_price": "4.99"}]}, "rows.0.row_id"),
        ("finalize-rows", {"rows": [{"row_id": 1.0, "final_price": "4.99"}]}, "rows.0.row_id"),
    ):  # fmt: skip
        response = await step(shop.client, shop.admin, order["id"], name, body)
        assert response.status_code == 422, (name, response.text)
        assert [error["field"] for error in response.json()["detail"]] == [field], name
