"""Who may call the intake routes: every row of ``INTAKE_ROWS`` by the six kinds of caller,
as ``tests.test_permissions`` checks the others (refused callers change no row, allowed ones
get the route's success), each against an order of store A arranged, through the API, in the
one stage where that step succeeds. The AI routes talk to the local Messages API stub."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from common.roles import Role
from common.testing.permissions import Row, row_id
from tests.ai.stub import API_KEY, Stub, messages_api
from tests.conftest import STORE_B, Shop
from tests.intake.helpers import (
    CLEAN,
    CLEAN_MAPPINGS,
    approved_order,
    catalog_product,
    ok,
    step,
    upload,
)
from tests.intake.permission_rows import GROUP, INTAKE_ROWS, ORDER
from tests.procurement import vendor
from tests.test_permissions import (  # as_role, reset: fixtures
    OTHER_STORE,
    Case,
    Reset,
    as_role,  # noqa: F401
    check,
    reset,  # noqa: F401
    snapshot,
)

PIPELINE_STAGES = ("approved", "uploaded", "processed", "matched", "priced", "final", "items")

# (method, path) → the stage ``intake`` arranges so that the route succeeds.
STAGES: dict[tuple[str, str], str] = {
    ("POST", f"{ORDER}/upload-manifest"): "approved",
    ("GET", f"{ORDER}/manifest-rows"): "uploaded",
    ("POST", f"{ORDER}/preview-standardize"): "uploaded",
    ("POST", f"{ORDER}/process-manifest"): "uploaded",
    ("POST", f"{ORDER}/suggest-formulas"): "uploaded",
    ("POST", f"{ORDER}/ai-cleanup-rows"): "processed",
    ("GET", f"{ORDER}/ai-cleanup-status"): "processed",
    ("GET", f"{ORDER}/job-status"): "processed",
    ("POST", f"{ORDER}/clear-manifest-rows"): "processed",
    ("POST", f"{ORDER}/match-products"): "processed",
    ("GET", f"{ORDER}/delete-preview"): "processed",
    ("POST", f"{ORDER}/purge-delete"): "processed",
    ("POST", f"{ORDER}/cancel-ai-cleanup"): "matched",
    ("POST", f"{ORDER}/undo-product-matching"): "matched",
    ("GET", f"{ORDER}/match-results"): "matched",
    ("POST", f"{ORDER}/review-matches"): "matched",
    ("POST", f"{ORDER}/update-manifest-pricing"): "matched",
    ("POST", f"{ORDER}/clear-pricing"): "priced",
    ("POST", f"{ORDER}/finalize-rows"): "priced",
    ("POST", f"{ORDER}/create-items"): "final",
    ("POST", f"{ORDER}/check-in-items"): "items",
    ("GET", "/api/inventory/batch-groups"): "items",
    ("GET", GROUP): "items",
    ("POST", f"{GROUP}/process"): "items",
    ("POST", f"{GROUP}/check-in"): "items",
    ("POST", f"{GROUP}/detach"): "items",
    ("GET", "/api/inventory/product-refs"): "ref",
    ("POST", "/api/inventory/product-refs"): "product",
    **{(method, "/api/inventory/product-refs/{ref_id}"): "ref" for method in ("GET", "PUT", "PATCH", "DELETE")},
    ("GET", "/api/inventory/categories"): "category",
    ("POST", "/api/inventory/categories"): "nothing",
    **{(method, "/api/inventory/categories/{category_id}"): "category" for method in ("GET", "PUT", "PATCH", "DELETE")},
    ("GET", "/api/inventory/products"): "product",
    ("POST", "/api/inventory/products"): "catalog_product",
    **{(method, "/api/inventory/products/{product_id}"): "product" for method in ("GET", "PUT", "PATCH", "DELETE")},
    ("GET", "/api/inventory/templates"): "template",
    ("POST", "/api/inventory/templates"): "nothing",
    **{(method, "/api/inventory/templates/{template_id}"): "template" for method in ("GET", "PUT", "PATCH", "DELETE")},
    ("POST", "/api/ai/chat"): "nothing",
    ("GET", "/api/ai/models"): "nothing",
}  # fmt: skip

TEMPLATE = {
    "name": "Lots Co. manifests",
    "headers": ["Item Description", "Brand", "UPC", "Qty", "Unit Cost", "Retail"],
    "mappings": {"title": "[Item Description] | trim", "quantity": "[Qty] | integer"},
}
CHAT = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 50}


@dataclass
class Intake:
    """What a row's placeholders and body name."""

    placeholders: dict[str, str] = field(default_factory=dict)
    number: str = ""  # the order's
    vendor: str = ""
    product: str = ""
    row: int = 0  # a manifest row's id
    items: list[str] = field(default_factory=list)  # the order's units
    group_items: list[str] = field(default_factory=list)  # the placeholder group's units
    location: str = ""


@pytest.fixture
async def stub() -> AsyncIterator[Stub]:
    async with messages_api() as running:
        yield running


@pytest.fixture
def settings_overrides(tmp_path: Path, stub: Stub) -> dict[str, Any]:
    """AI configured against the stub, so its routes and steps can succeed."""
    return {"attachments_dir": tmp_path / "attachments", "ai_api_key": API_KEY,
            "ai_base_url": stub.url}  # fmt: skip


async def intake(shop: Shop, stage: str) -> Intake:
    """The objects of one stage, made by the admin in store A: an approved order, then each
    pipeline step up to ``stage`` on the clean manifest (``PIPELINE_STAGES``); or a vendor
    and a catalog product (``catalog_product``), with its matching metadata (``product``),
    and a vendor ref to it (``ref``); a category; a template; or nothing."""
    client, admin = shop.client, shop.admin
    if stage == "nothing":
        return Intake()
    if stage == "category":
        made = await ok(await client.post("/api/inventory/categories", json={"name": "Phones"},
                                          headers=admin), 201)  # fmt: skip
        return Intake({"category_id": made["id"]})
    if stage == "template":
        made = await ok(await client.post("/api/inventory/templates", json=TEMPLATE,
                                          headers=admin), 201)  # fmt: skip
        return Intake({"template_id": made["id"]})
    if stage in ("catalog_product", "product", "ref"):
        supplier = (await vendor(client, admin, "REFS-CO"))["id"]
        product = str(await catalog_product(shop.database, "Apple iPhone 13 128GB"))
        found = Intake({"product_id": product}, vendor=supplier, product=product)
        if stage != "catalog_product":
            await ok(await client.post("/api/inventory/products", json={"catalog_product_id": product},
                                       headers=admin), 201)  # fmt: skip
        if stage == "ref":
            made = await ok(await client.post("/api/inventory/product-refs", json={
                "vendor_id": supplier, "product_id": product, "vendor_item_number": "LL-1001"},
                headers=admin), 201)  # fmt: skip
            found.placeholders["ref_id"] = made["id"]
        return found
    reached = PIPELINE_STAGES.index(stage)
    made = await approved_order(shop)
    order_id = made["id"]
    found = Intake({"order_id": order_id}, number=made["number"], vendor=made["vendor_id"])
    if reached >= PIPELINE_STAGES.index("uploaded"):
        await ok(await upload(client, admin, order_id, CLEAN))
    if reached >= PIPELINE_STAGES.index("processed"):
        await ok(await step(client, admin, order_id, "process-manifest",
                            {"mappings": CLEAN_MAPPINGS}))  # fmt: skip
    if reached >= PIPELINE_STAGES.index("matched"):
        await catalog_product(shop.database, "Sony WH-1000XM4 Headphones", brand="Sony")
        await ok(await step(client, admin, order_id, "match-products"))
        results = await ok(await step(client, admin, order_id, "match-results", method="GET"))
        found.row = results["rows"][0]["id"]
    if reached >= PIPELINE_STAGES.index("priced"):
        await ok(await step(client, admin, order_id, "update-manifest-pricing",
                            {"rule": {"basis": "retail", "percent": "60"}}))  # fmt: skip
    if reached >= PIPELINE_STAGES.index("final"):
        await ok(await step(client, admin, order_id, "finalize-rows", {}))
    if reached >= PIPELINE_STAGES.index("items"):
        await ok(await step(client, admin, order_id, "create-items"))
        found.location = (await shop.location("FLOOR"))["id"]
        units = await ok(await client.get("/api/inventory/items", params={
            "purchase_order": order_id, "page_size": 100}, headers=admin))  # fmt: skip
        found.items = [unit["id"] for unit in units["results"]]
        groups = await ok(await client.get("/api/inventory/batch-groups",
                                           params={"purchase_order": order_id}, headers=admin))  # fmt: skip
        largest = max(groups["results"], key=lambda group: group["item_count"])
        found.placeholders["group_id"] = largest["id"]
        found.group_items = [unit["id"] for unit in units["results"]
                             if unit["batch_group_id"] == largest["id"]]  # fmt: skip
    return found


def body_of(row: Row, found: Intake) -> Any:
    """A valid body for the row, or None."""
    bodies: dict[tuple[str, str], Any] = {
        ("POST", f"{ORDER}/preview-standardize"): {"mappings": CLEAN_MAPPINGS, "limit": 2},
        ("POST", f"{ORDER}/process-manifest"): {"mappings": CLEAN_MAPPINGS},
        ("POST", f"{ORDER}/purge-delete"): {"confirm_order_number": found.number},
        ("POST", f"{ORDER}/review-matches"): {
            "decisions": [{"row_id": found.row, "decision": "reject"}]
        },
        ("POST", f"{ORDER}/update-manifest-pricing"): {
            "rule": {"basis": "retail", "percent": "60"}
        },
        ("POST", f"{ORDER}/finalize-rows"): {},
        ("POST", f"{ORDER}/check-in-items"): {
            "item_ids": found.items,
            "location_id": found.location,
        },
        ("POST", f"{GROUP}/process"): {"price": "5.99", "location_id": found.location},
        ("POST", f"{GROUP}/check-in"): {"location_id": found.location},
        ("POST", f"{GROUP}/detach"): {"item_id": found.group_items[0] if found.group_items else ""},
        ("POST", "/api/inventory/product-refs"): {
            "vendor_id": found.vendor,
            "product_id": found.product,
            "vendor_item_number": "LL-2002",
        },
        ("PUT", "/api/inventory/product-refs/{ref_id}"): {"description": "Blue, boxed"},
        ("PATCH", "/api/inventory/product-refs/{ref_id}"): {"unit_cost": "120.0000"},
        ("POST", "/api/inventory/categories"): {"name": "Tablets"},
        ("PUT", "/api/inventory/categories/{category_id}"): {"description": "Smartphones"},
        ("PATCH", "/api/inventory/categories/{category_id}"): {"name": "Mobile phones"},
        ("POST", "/api/inventory/products"): {
            "catalog_product_id": found.product,
            "brand": "Apple",
        },
        ("PUT", "/api/inventory/products/{product_id}"): {"brand": "Apple", "model": "A2482"},
        ("PATCH", "/api/inventory/products/{product_id}"): {"upcs": ["194252707722"]},
        ("POST", "/api/inventory/templates"): TEMPLATE,
        ("PUT", "/api/inventory/templates/{template_id}"): {"name": "Lots Co. (v2)"},
        ("PATCH", "/api/inventory/templates/{template_id}"): {"name": "Lots Co. (v3)"},
        ("POST", "/api/ai/chat"): CHAT,
    }
    return bodies.get((row.method, row.path))


def preparer(shop: Shop) -> Callable[[Row, bool], Awaitable[Case]]:
    async def prepare(row: Row, slash: bool) -> Case:
        found = await intake(shop, STAGES[(row.method, row.path)])
        url = row.path
        for name, value in found.placeholders.items():
            url = url.replace("{" + name + "}", value)
        assert "{" not in url, f"{row_id(row)}: nothing arranged for a placeholder of {url}"
        files = None
        if row.path.endswith("/upload-manifest"):
            files = {"file": ("lot-4471.csv", CLEAN, "text/csv")}
        return Case(url + "/" if slash else url, body_of(row, found), files)

    return prepare


def test_every_intake_row_has_a_stage() -> None:
    assert {(row.method, row.path) for row in INTAKE_ROWS} == set(STAGES)


@pytest.mark.parametrize("row", INTAKE_ROWS, ids=row_id)
async def test_intake_permission(
    row: Row,
    shop: Shop,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],  # noqa: F811
    reset: Reset,  # noqa: F811
) -> None:
    """The row's status for each of the six kinds of caller (the failure names the caller)."""
    await check(shop, app, as_role, reset, row, prepare=preparer(shop))


SLASHED = [
    "POST /api/inventory/orders/{order_id}/process-manifest",
    "GET /api/inventory/batch-groups/{group_id}",
    "DELETE /api/inventory/templates/{template_id}",
]


@pytest.mark.parametrize("row", [row for row in INTAKE_ROWS if row_id(row) in SLASHED],
                         ids=lambda row: row_id(row) + "/")  # fmt: skip
async def test_intake_permission_with_trailing_slash(
    row: Row,
    shop: Shop,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],  # noqa: F811
    reset: Reset,  # noqa: F811
) -> None:
    callers = (None, Role.consignee, Role.advisor, Role.system_admin)
    await check(shop, app, as_role, reset, row, callers, slash=True, prepare=preparer(shop))


async def test_staff_of_another_store_are_refused_the_orders_steps(
    shop: Shop, staff: Callable[..., dict[str, str]]
) -> None:
    """An advisor of store B reaches neither store A's order steps nor its batch groups (403,
    nothing changed), and lists none of its groups."""
    found = await intake(shop, "items")
    other = staff(Role.advisor, STORE_B)
    order_id, group_id = found.placeholders["order_id"], found.placeholders["group_id"]
    for method, url, body in (
        ("GET", f"/api/inventory/orders/{order_id}/match-results", None),
        ("POST", f"/api/inventory/orders/{order_id}/clear-pricing", None),
        ("GET", f"/api/inventory/batch-groups/{group_id}", None),
        ("POST", f"/api/inventory/batch-groups/{group_id}/check-in", {"location_id": found.location}),
    ):  # fmt: skip
        before = await snapshot(shop.database)
        response = await shop.client.request(method, url, json=body, headers=other)
        assert (response.status_code, response.json()) == (403, OTHER_STORE), url
        assert await snapshot(shop.database) == before, f"{method} {url}: refused, yet changed"
    listed = await ok(await shop.client.get("/api/inventory/batch-groups", headers=other))
    assert listed["count"] == 0
