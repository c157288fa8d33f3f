"""Who may call which inventory route: every route by every kind of caller, against the seeds.

``MATRIX`` is the contract, one row per (method, route) the app serves, with the
status each caller gets. Read it next to the seeds' permission columns:

- 000 "Inventory": ``/api/stock-ledgers`` (read-only), ``/api/stock-entries``
  (drafts, post, cancel), ``/api/serials``, ``/api/price-logs`` (read-only) and
  ``/api/inventory-config`` are ``system_admin`` only.
- 002 "Products & Items" / "Item History" and 004 "Locations" under
  ``/api/inventory``: Staff, that is ``advisor`` and up (consignee stands apart and
  is refused); the item lookup by SKU is public.
- 002 "Vendors" and "Purchase Orders", 004 depo_procurement: ``/api/inventory/vendors``
  and every purchase-order route, under ``/api/inventory/purchase-orders`` and again,
  identically, under ``/api/inventory/orders``, are Staff's; so are the approval flows
  under ``/api/approvals/flows``. Approval templates, and removing a signature from a flow
  (by flow or by order), are ``system_admin`` only.
- 002 intake (the pipeline steps under ``/api/inventory/orders/:id/``, batch groups, vendor
  product refs, categories, products, CSV templates) and ``/api/ai/``: Staff. Their rows
  (``tests.intake.permission_rows``) are run by ``tests.intake.test_permissions``, which
  arranges each step's order in the stage where it succeeds.

Staff other than ``system_admin`` act only on the stores their token's ``stores``
claim lists: the matrix's advisor and branch head (and, so that their 403 is the
role's and not the store's, the customer and consignee) carry the test store A, and
the tests after the matrix prove that staff of store B get 403 on store A's items,
locations, purchase orders and approval flows, and never see store A's rows in their
listings.

Anonymous callers of a protected route get 401 with ``WWW-Authenticate: Bearer``,
roles below the requirement 403, and a refused request changes no stored row and
queues no event (nor stores or removes an attachment file). Allowed callers send a valid
request, on an object arranged in the one state where the route succeeds, and get the
route's success status (200 read/update/action, 201 create, 204 delete).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from common.db import Database
from common.roles import Role
from common.testing.helpers import truncate_all
from common.testing.permissions import (
    CALLERS,
    Row,
    caller_id,
    infrastructure_rows,
    matrix_gaps,
    nats_connected,
    row_id,
    served_routes,
)
from common.testing.permissions import snapshot as snapshot_tables
from inventory.approvals.models import ApprovalFlow
from inventory.tables import Base
from tests.conftest import STORE_A, STORE_B, Shop, open_stores
from tests.intake.permission_rows import INTAKE_ROWS, READ_ONLY_POSTS
from tests.procurement import act, order, template, vendor

PURCHASE_ORDERS = "/api/inventory/purchase-orders"
ORDERS = "/api/inventory/orders"  # seed 002's name for the same routes

# fmt: off
PURCHASE_ORDER_ROWS: list[Row] = [
    #   method    path (under /api/inventory)                       anon cust cons  adv head admin
    Row("GET",    "/api/inventory/purchase-orders",                 401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders",                 401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/inventory/purchase-orders/{order_id}",      401, 403, 403, 200, 200, 200),
    Row("PUT",    "/api/inventory/purchase-orders/{order_id}",      401, 403, 403, 200, 200, 200),
    Row("PATCH",  "/api/inventory/purchase-orders/{order_id}",      401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/purchase-orders/{order_id}",      401, 403, 403, 204, 204, 204),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/submit",           401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/mark-paid",        401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/revert-paid",      401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/mark-shipped",     401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/revert-shipped",   401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/deliver",          401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/revert-delivered", 401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/mark-complete",    401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/cancel",           401, 403, 403, 200, 200, 200),
    Row("PATCH",  "/api/inventory/purchase-orders/{order_id}/state",            401, 403, 403, 200, 200, 200),
    Row("GET",    "/api/inventory/purchase-orders/{order_id}/transitions",      401, 403, 403, 200, 200, 200),
    Row("GET",    "/api/inventory/purchase-orders/{order_id}/items",            401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/items",            401, 403, 403, 201, 201, 201),
    Row("PUT",    "/api/inventory/purchase-orders/{order_id}/items/{line_id}",  401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/purchase-orders/{order_id}/items/{line_id}",  401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/receive-stock",    401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/inventory/purchase-orders/{order_id}/received-items",   401, 403, 403, 200, 200, 200),
    Row("GET",    "/api/inventory/purchase-orders/{order_id}/approval-flow",    401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/approval-flow",    401, 403, 403, 201, 201, 201),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/sign",             401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/reject",           401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/purchase-orders/{order_id}/signatures/{user_id}",
                                                                                401, 403, 403, 403, 403, 200),
    Row("GET",    "/api/inventory/purchase-orders/{order_id}/attachments",      401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/purchase-orders/{order_id}/attachments",      401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/inventory/purchase-orders/{order_id}/attachments/{attachment_id}",
                                                                                401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/purchase-orders/{order_id}/attachments/{attachment_id}",
                                                                                401, 403, 403, 204, 204, 204),
]
# fmt: on


def under_orders(rows: list[Row]) -> list[Row]:
    """The purchase-order rows for the identical routes under /api/inventory/orders."""
    return [row._replace(path=ORDERS + row.path.removeprefix(PURCHASE_ORDERS)) for row in rows]


# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("inventory"),  # docs and health: public
    #   method    path                                             anon cust cons  adv head admin
    # 000 stock ledger: read-only, system_admin.
    Row("GET",    "/api/stock-ledgers",                             401, 403, 403, 403, 403, 200),
    Row("GET",    "/api/stock-ledgers/{row_id}",                    401, 403, 403, 403, 403, 200),
    # 000 stock entries: system_admin (drafts, then post / cancel).
    Row("GET",    "/api/stock-entries",                             401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/stock-entries",                             401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/stock-entries/{entry_id}",                  401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/stock-entries/{entry_id}",                  401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/stock-entries/{entry_id}",                  401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/stock-entries/{entry_id}",                  401, 403, 403, 403, 403, 204),
    Row("POST",   "/api/stock-entries/{entry_id}/post",             401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/stock-entries/{entry_id}/cancel",           401, 403, 403, 403, 403, 200),
    # 000 serials: system_admin.
    Row("GET",    "/api/serials",                                   401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/serials",                                   401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/serials/{serial_id}",                       401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/serials/{serial_id}",                       401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/serials/{serial_id}",                       401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/serials/{serial_id}",                       401, 403, 403, 403, 403, 204),
    # 000 price logs: read-only, system_admin.
    Row("GET",    "/api/price-logs",                                401, 403, 403, 403, 403, 200),
    Row("GET",    "/api/price-logs/{log_id}",                       401, 403, 403, 403, 403, 200),
    # 000 inventory configuration: system_admin.
    Row("GET",    "/api/inventory-config",                          401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/inventory-config",                          401, 403, 403, 403, 403, 200),
    # 002 Products & Items: Staff (advisor and up), own stores.
    Row("GET",    "/api/inventory/items",                           401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/items",                           401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/inventory/items/{item_id}",                 401, 403, 403, 200, 200, 200),
    Row("PUT",    "/api/inventory/items/{item_id}",                 401, 403, 403, 200, 200, 200),
    Row("PATCH",  "/api/inventory/items/{item_id}",                 401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/items/{item_id}",                 401, 403, 403, 204, 204, 204),
    Row("POST",   "/api/inventory/items/{item_id}/check-in",        401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/items/{item_id}/ready",           401, 403, 403, 200, 200, 200),
    # 002 item lookup by SKU: PUBLIC.
    Row("GET",    "/api/inventory/items/lookup/{sku}",              200, 200, 200, 200, 200, 200),
    # 002 Item History: Staff, own stores.
    Row("GET",    "/api/inventory/item-history",                    401, 403, 403, 200, 200, 200),
    # 004 Locations: Staff, own stores.
    Row("GET",    "/api/inventory/locations",                       401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/locations",                       401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/inventory/locations/{location_id}",         401, 403, 403, 200, 200, 200),
    Row("PUT",    "/api/inventory/locations/{location_id}",         401, 403, 403, 200, 200, 200),
    Row("PATCH",  "/api/inventory/locations/{location_id}",         401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/locations/{location_id}",         401, 403, 403, 204, 204, 204),
    # 004 stock on hand: Staff, own stores.
    Row("GET",    "/api/inventory/stock",                           401, 403, 403, 200, 200, 200),
    # 002 vendors: Staff (vendors belong to no store).
    Row("GET",    "/api/inventory/vendors",                         401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/vendors",                         401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/inventory/vendors/{vendor_id}",             401, 403, 403, 200, 200, 200),
    Row("PUT",    "/api/inventory/vendors/{vendor_id}",             401, 403, 403, 200, 200, 200),
    Row("PATCH",  "/api/inventory/vendors/{vendor_id}",             401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/vendors/{vendor_id}",             401, 403, 403, 204, 204, 204),
    # 002/004 purchase orders: Staff, own stores; removing a signature is system_admin's.
    # The same rows again under /api/inventory/orders (``PURCHASE_ORDER_ROWS`` below).
    *PURCHASE_ORDER_ROWS,
    *under_orders(PURCHASE_ORDER_ROWS),
    # 004 approval templates: system_admin.
    Row("GET",    "/api/approvals/templates",                       401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/approvals/templates",                       401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/approvals/templates/{template_id}",         401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/approvals/templates/{template_id}",         401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/approvals/templates/{template_id}",         401, 403, 403, 403, 403, 204),
    # 004 approval flows: Staff, their stores' objects; removing a signature is system_admin's.
    Row("GET",    "/api/approvals/flows",                           401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/approvals/flows",                           401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/approvals/flows/object/{object_type}/{object_id}",
                                                                    401, 403, 403, 200, 200, 200),
    Row("GET",    "/api/approvals/flows/{flow_id}",                 401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/approvals/flows/{flow_id}/sign",            401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/approvals/flows/{flow_id}/reject",          401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/approvals/flows/{flow_id}/signatures/{user_id}",
                                                                    401, 403, 403, 403, 403, 200),
    # 002 intake pipeline, batch groups, product refs, categories, products, templates, AI:
    # Staff (run by tests.intake.test_permissions, against the arrangements of each step).
    *INTAKE_ROWS,
]
# fmt: on

ARTICLE_SKU = "PERM-ART-1"
DENIED = {"detail": "You do not have permission to perform this action."}
OTHER_STORE = {"detail": "You can only act on your own store."}
OTHER_STORES_APPROVAL = {"detail": "You can only act on your own store's approvals."}
PDF = b"%PDF-1.4\n%%EOF"
STAFF = (Role.advisor, Role.branch_head)


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    """Bearer headers per caller: everyone but the system admin is assigned store A;
    ``as_role(None)`` → anonymous."""

    def headers(role: Role | None) -> dict[str, str]:
        if role is None:
            return {}
        stores = [] if role == Role.system_admin else [str(STORE_A)]
        return auth_headers(role, user_id=f"user-{role.value}", stores=stores)

    return headers


@dataclass(frozen=True)
class StoreObjects:
    """One store's places and units, each fit for the one route that acts on it."""

    store: uuid.UUID
    floor: str  # the default location; units and stock sit here
    shelf: str  # an empty location nothing refers to: it can be deleted
    item: str  # an intake unit with price and location: update, check in
    ready_item: str  # another such unit: mark ready
    loose_item: str  # an intake unit without a location, never in stock: it can be deleted
    item_sku: str


async def store_objects(shop: Shop, store: uuid.UUID) -> StoreObjects:
    floor = await shop.location("FLOOR", store, is_default=True)
    shelf = await shop.location("SHELF", store)
    item = await shop.item(store_id=str(store), price="99.00", location_id=floor["id"])
    ready = await shop.item(
        store_id=str(store), name="Used iPad", price="199.00", location_id=floor["id"]
    )
    loose = await shop.item(store_id=str(store), name="Unsorted unit")
    return StoreObjects(
        store=store,
        floor=floor["id"],
        shelf=shelf["id"],
        item=item["id"],
        ready_item=ready["id"],
        loose_item=loose["id"],
        item_sku=item["sku"],
    )


@dataclass(frozen=True)
class Arranged:
    """What the rows' placeholders point at (store A's objects, and seed 000's)."""

    a: StoreObjects
    draft_entry: str = ""
    posted_entry: str = ""
    serial: str = ""
    ledger_row: str = ""
    price_log: str = ""


SEED_000_RECORDS = ("/api/stock-ledgers", "/api/stock-entries", "/api/serials", "/api/price-logs")


async def arrange(shop: Shop, row: Row, signer: dict[str, str]) -> Arranged | Procured | None:
    """What ``row`` acts on, and no more (so each case stays quick): for vendors, purchase
    orders and approvals the objects of the row's ``STAGES`` stage (``procure``); nothing for
    docs, health and the configuration; store A's places and units for the other
    /api/inventory routes; and for seed 000's records also an article received into store A's
    floor (a posted entry, so a ledger row), a draft entry, a serial registered by hand and
    the price log of a unit."""
    stage = STAGES.get((row.method, canonical(row.path)))
    if stage is not None:
        return await procure(shop, stage, signer)
    if not row.path.startswith(("/api/inventory/", *SEED_000_RECORDS)):
        return None
    a = await store_objects(shop, STORE_A)
    if row.path.startswith("/api/inventory/"):
        return Arranged(a=a)
    await shop.article(ARTICLE_SKU)
    posted = await shop.receive(ARTICLE_SKU, {"id": a.floor}, "5", cost="2.00")
    draft = await shop.entry(
        "receipt", {"sku": ARTICLE_SKU, "quantity": "2", "target_location_id": a.floor}, post=False
    )
    serial = await shop.client.post(
        "/api/serials",
        json={"serial_number": "SN-LEAF-1", "sku": ARTICLE_SKU, "location_id": a.floor},
        headers=shop.admin,
    )
    assert serial.status_code == 201, serial.text
    ledger = await shop.client.get(
        "/api/stock-ledgers", params={"voucher_id": posted["id"]}, headers=shop.admin
    )
    assert ledger.status_code == 200 and ledger.json()["count"] == 1, ledger.text
    logs = await shop.client.get(
        "/api/price-logs", params={"subject_id": a.item}, headers=shop.admin
    )
    assert logs.status_code == 200 and logs.json()["count"] == 1, logs.text
    return Arranged(
        a=a,
        draft_entry=draft["id"],
        posted_entry=posted["id"],
        serial=serial.json()["id"],
        ledger_row=str(ledger.json()["results"][0]["id"]),
        price_log=str(logs.json()["results"][0]["id"]),
    )


def target(row: Row, arranged: Arranged) -> str:
    """The id, key or SKU a row's ``{placeholder}`` stands for."""
    a = arranged.a
    if row.path == "/api/inventory/items/{item_id}" and row.method == "DELETE":
        return a.loose_item
    return {
        "/api/stock-ledgers/{row_id}": arranged.ledger_row,
        "/api/stock-entries/{entry_id}": arranged.draft_entry,
        "/api/stock-entries/{entry_id}/post": arranged.draft_entry,
        "/api/stock-entries/{entry_id}/cancel": arranged.posted_entry,
        "/api/serials/{serial_id}": arranged.serial,
        "/api/price-logs/{log_id}": arranged.price_log,
        "/api/inventory/items/{item_id}": a.item,
        "/api/inventory/items/{item_id}/check-in": a.item,
        "/api/inventory/items/{item_id}/ready": a.ready_item,
        "/api/inventory/items/lookup/{sku}": a.item_sku,
        "/api/inventory/locations/{location_id}": a.shelf,
    }[row.path]


def body_for(row: Row, arranged: Arranged) -> Any:
    """A valid body (nothing in it clashes with the arranged rows), or None."""
    floor = arranged.a.floor
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/api/stock-entries"): {
            "entry_type": "receipt",
            "reference": "Permission matrix",
            "lines": [{"sku": ARTICLE_SKU, "quantity": "1", "target_location_id": floor}],
        },
        ("PUT", "/api/stock-entries/{entry_id}"): {"reference": "Delivery note 2"},
        ("PATCH", "/api/stock-entries/{entry_id}"): {"reference": "Delivery note 2"},
        ("POST", "/api/serials"): {"serial_number": "SN-NEW-1", "sku": ARTICLE_SKU},
        ("PUT", "/api/serials/{serial_id}"): {"notes": "checked"},
        ("PATCH", "/api/serials/{serial_id}"): {"status": "damaged"},
        ("POST", "/api/inventory/items"): {"name": "New unit", "store_id": str(STORE_A)},
        ("PUT", "/api/inventory/items/{item_id}"): {"price": "89.00"},
        ("PATCH", "/api/inventory/items/{item_id}"): {"condition": "fair"},
        ("POST", "/api/inventory/items/{item_id}/check-in"): {"condition": "like_new"},
        ("POST", "/api/inventory/locations"): {
            "store_id": str(STORE_A),
            "code": "NEW-BIN",
            "name": "New bin",
        },
        ("PUT", "/api/inventory/locations/{location_id}"): {"name": "Top shelf"},
        ("PATCH", "/api/inventory/locations/{location_id}"): {"description": "By the till"},
    }
    return bodies.get((row.method, row.path))


@dataclass(frozen=True)
class Case:
    url: str
    json: Any
    files: Any = None  # a multipart upload


def case_for(row: Row, arranged: Arranged | Procured | None, *, slash: bool) -> Case:
    if isinstance(arranged, Procured):
        url = row.path
        for name, value in arranged.placeholders.items():
            url = url.replace("{" + name + "}", value)
        assert "{" not in url, f"{row_id(row)}: nothing arranged for a placeholder of {url}"
        upload = row.method == "POST" and url.endswith("/attachments")
        files = {"file": ("quote.pdf", PDF, "application/pdf")} if upload else None
        return Case(url + "/" if slash else url, procured_body(row, arranged), files)
    if arranged is None:  # docs, health and the configuration: no placeholder, fixed bodies
        body = {"default_low_stock_threshold": "3"} if row.method == "PUT" else None
        return Case(row.path + "/" if slash else row.path, body)
    url = row.path
    if "{" in url:
        name = url[url.index("{") + 1 : url.index("}")]
        url = url.replace("{" + name + "}", target(row, arranged))
    return Case(url + "/" if slash else url, body_for(row, arranged))


# -- purchasing: vendors, purchase orders, approvals -----------------------------------------

ORDER = PURCHASE_ORDERS + "/{order_id}"
VENDOR = "/api/inventory/vendors/{vendor_id}"
TEMPLATE = "/api/approvals/templates/{template_id}"
FLOW = "/api/approvals/flows/{flow_id}"
SIGNER = Role.branch_head  # signs the flow a signature-removal row removes a signature from
SIGNER_ID = f"user-{SIGNER.value}"  # as ``as_role`` names them
FREIGHT = {"description": "Freight", "quantity": "1", "unit_cost": "5.00"}


def canonical(path: str) -> str:
    """The path under /api/inventory/purchase-orders of a /api/inventory/orders route (the
    same route); any other path unchanged."""
    if path == ORDERS or path.startswith(ORDERS + "/"):
        return PURCHASE_ORDERS + path.removeprefix(ORDERS)
    return path


# (method, canonical path) → the stage ``procure`` arranges so that the route succeeds.
STAGES: dict[tuple[str, str], str] = {
    ("GET", "/api/inventory/vendors"): "vendor",
    ("POST", "/api/inventory/vendors"): "nothing",
    **{(method, VENDOR): "vendor" for method in ("GET", "PUT", "PATCH", "DELETE")},
    ("GET", PURCHASE_ORDERS): "draft",
    ("POST", PURCHASE_ORDERS): "vendor",
    **{(method, ORDER): "draft" for method in ("GET", "PUT", "PATCH", "DELETE")},
    ("POST", f"{ORDER}/submit"): "draft",
    ("POST", f"{ORDER}/mark-paid"): "approved",
    ("POST", f"{ORDER}/revert-paid"): "paid",
    ("POST", f"{ORDER}/mark-shipped"): "approved",
    ("POST", f"{ORDER}/revert-shipped"): "shipped",
    ("POST", f"{ORDER}/deliver"): "approved",
    ("POST", f"{ORDER}/revert-delivered"): "delivered",
    ("POST", f"{ORDER}/mark-complete"): "received",
    ("POST", f"{ORDER}/cancel"): "draft",
    ("PATCH", f"{ORDER}/state"): "approved",
    ("GET", f"{ORDER}/transitions"): "draft",
    ("GET", f"{ORDER}/items"): "draft",
    ("POST", f"{ORDER}/items"): "draft",
    ("PUT", f"{ORDER}/items/{{line_id}}"): "draft",
    ("DELETE", f"{ORDER}/items/{{line_id}}"): "draft",
    ("POST", f"{ORDER}/receive-stock"): "stocked",
    ("GET", f"{ORDER}/received-items"): "received",
    ("GET", f"{ORDER}/approval-flow"): "pending",
    ("POST", f"{ORDER}/approval-flow"): "reopened",
    ("POST", f"{ORDER}/sign"): "pending",
    ("POST", f"{ORDER}/reject"): "pending",
    ("DELETE", f"{ORDER}/signatures/{{user_id}}"): "signed",
    ("GET", f"{ORDER}/attachments"): "attached",
    ("POST", f"{ORDER}/attachments"): "draft",
    ("GET", f"{ORDER}/attachments/{{attachment_id}}"): "attached",
    ("DELETE", f"{ORDER}/attachments/{{attachment_id}}"): "attached",
    ("GET", "/api/approvals/templates"): "template",
    ("POST", "/api/approvals/templates"): "nothing",
    **{(method, TEMPLATE): "template" for method in ("GET", "PUT", "DELETE")},
    ("GET", "/api/approvals/flows"): "pending",
    ("POST", "/api/approvals/flows"): "reopened",
    ("GET", "/api/approvals/flows/object/{object_type}/{object_id}"): "pending",
    ("GET", FLOW): "pending",
    ("POST", f"{FLOW}/sign"): "pending",
    ("POST", f"{FLOW}/reject"): "pending",
    ("DELETE", f"{FLOW}/signatures/{{user_id}}"): "signed",
}

PROCUREMENT_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/inventory/vendors"): {"code": "NEW-VENDOR", "name": "New Vendor Ltd"},
    ("PUT", VENDOR): {"phone": "+1 212 555 0199"},
    ("PATCH", VENDOR): {"notes": "Net 30"},
    ("PUT", ORDER): {"notes": "Quote Q-5512"},
    ("PATCH", ORDER): {"expected_delivery": "2026-12-03"},
    ("PATCH", f"{ORDER}/state"): {"status": "paid"},
    ("POST", f"{ORDER}/items"): {"description": "Handling", "quantity": "1", "unit_cost": "2.00"},
    ("PUT", f"{ORDER}/items/{{line_id}}"): {
        "description": "Express freight",
        "quantity": "1",
        "unit_cost": "9.00",
    },
    ("POST", f"{ORDER}/sign"): {"comment": "Prices checked"},
    ("POST", f"{ORDER}/reject"): {"reason": "Quote expired"},
    ("POST", "/api/approvals/templates"): {
        "name": "Large orders",
        "min_amount": "1000.00",
        "signers": [{"role": "branch_head"}],
    },
    ("PUT", TEMPLATE): {"name": "Every order", "signers": [{"role": "branch_head"}]},
    ("POST", f"{FLOW}/sign"): {"comment": "Prices checked"},
    ("POST", f"{FLOW}/reject"): {"reason": "Quote expired"},
}


@dataclass(frozen=True)
class Procured:
    """Store A's purchasing objects a row acts on: the values of its placeholders, and what
    a body names (the vendor, the order, its first line, a location of its store)."""

    placeholders: dict[str, str]
    vendor: str = ""
    order: str = ""
    line: int = 0
    location: str = ""


async def procure(shop: Shop, stage: str, signer: dict[str, str]) -> Procured:
    """The objects of one stage, in store A, orders created by the admin (so every other
    caller may sign: a requester never signs their own order):

    - nothing; template: an approval template; vendor: a vendor;
    - draft: a draft order with one free-text line; attached: the same with a PDF attached;
    - approved, paid, shipped, delivered: the draft submitted while no template exists (so
      approved at once), then marked paid, shipped or delivered;
    - received: approved, then its line received at a location of store A (so delivered,
      every line received); stocked: approved with an article line, and a location;
    - pending: submitted under a template with one advisor slot (a pending flow);
      reopened: pending, its flow then cancelled in the database (pending approval, no flow);
      signed: submitted under a template needing two advisors' signatures, signed by one
      (``signer``).
    """
    client, admin = shop.client, shop.admin
    if stage == "nothing":
        return Procured({})
    if stage == "template":
        made = await template(client, admin, [{"role": "advisor"}])
        return Procured({"template_id": made["id"]})
    supplier = (await vendor(client, admin))["id"]
    if stage == "vendor":
        return Procured({"vendor_id": supplier}, vendor=supplier)
    if stage in ("pending", "reopened"):
        await template(client, admin, [{"role": "advisor"}])
    elif stage == "signed":
        await template(client, admin, [{"role": "advisor"}] * 2, min_signatures=2)
    line: dict[str, Any] = FREIGHT
    if stage == "stocked":
        await shop.article(ARTICLE_SKU)
        line = {"sku": ARTICLE_SKU, "quantity": "2", "unit_cost": "3.00"}
    made = await order(client, admin, supplier, [line])
    order_id, line_id = made["id"], made["lines"][0]["id"]
    url = f"{PURCHASE_ORDERS}/{order_id}"
    values = {
        "order_id": order_id,
        "line_id": str(line_id),
        "object_type": "purchase_order",
        "object_id": order_id,
    }
    if stage == "attached":
        uploaded = await client.post(
            f"{url}/attachments",
            files={"file": ("quote.pdf", PDF, "application/pdf")},
            headers=admin,
        )
        assert uploaded.status_code == 201, uploaded.text
        values["attachment_id"] = uploaded.json()["id"]
    if stage not in ("draft", "attached"):
        submitted = await act(client, admin, order_id, "submit")
        flowing = stage in ("pending", "reopened", "signed")
        status = "pending_approval" if flowing else "approved"
        assert submitted.status_code == 200, submitted.text
        assert submitted.json()["status"] == status, submitted.text
    moves = {"paid": "mark-paid", "shipped": "mark-shipped", "delivered": "deliver"}
    if stage in moves:
        moved = await act(client, admin, order_id, moves[stage])
        assert moved.status_code == 200 and moved.json()["status"] == stage, moved.text
    location = ""
    if stage in ("received", "stocked"):
        location = (await shop.location("FLOOR", STORE_A))["id"]
    if stage == "received":
        received = await client.post(
            f"{url}/receive-stock",
            json={"lines": [{"line_id": line_id, "quantity": "1", "location_id": location}]},
            headers=admin,
        )
        assert received.status_code == 201, received.text
    if stage in ("pending", "reopened", "signed"):
        flow = await client.get(
            f"/api/approvals/flows/object/purchase_order/{order_id}", headers=admin
        )
        assert flow.status_code == 200 and flow.json()["status"] == "pending", flow.text
        values["flow_id"] = flow.json()["id"]
    if stage == "reopened":
        async with shop.database.session() as session:
            await session.execute(
                update(ApprovalFlow)
                .where(ApprovalFlow.id == uuid.UUID(values["flow_id"]))
                .values(status="cancelled")
            )
            await session.commit()
    if stage == "signed":
        signed = await client.post(f"{url}/sign", json={}, headers=signer)
        assert signed.status_code == 200 and signed.json()["signed"] == 1, signed.text
        values["user_id"] = SIGNER_ID
    return Procured(values, vendor=supplier, order=order_id, line=line_id, location=location)


def procured_body(row: Row, procured: Procured) -> Any:
    """A valid body for a purchasing row, or None."""
    key = (row.method, canonical(row.path))
    if key == ("POST", PURCHASE_ORDERS):
        return {"vendor_id": procured.vendor, "store_id": str(STORE_A), "lines": [FREIGHT]}
    if key == ("POST", f"{ORDER}/receive-stock"):
        line = {"line_id": procured.line, "quantity": "1", "location_id": procured.location}
        return {"lines": [line]}
    if key == ("POST", "/api/approvals/flows"):
        return {"object_type": "purchase_order", "object_id": procured.order}
    return PROCUREMENT_BODIES.get(key)


def stored_files(app: FastAPI) -> list[str]:
    """The attachment files on disk."""
    folder = Path(app.state.settings.attachments_dir)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


async def snapshot(database: Database) -> dict[str, list[str]]:
    return await snapshot_tables(database, Base.metadata)


Reset = Callable[[], Awaitable[None]]


@pytest.fixture
def reset(shop: Shop, service_db: str) -> Reset:
    """Back to the two bare stores, for the next allowed caller of a write row."""

    async def empty() -> None:
        await truncate_all(service_db, Base.metadata)
        await open_stores(shop.database)

    return empty


async def send(shop: Shop, row: Row, case: Case, caller: Role | None, as_role: Any) -> Any:
    response = await shop.client.request(
        row.method, case.url, json=case.json, files=case.files, headers=as_role(caller)
    )
    expected = row.expected(caller)
    assert response.status_code == expected, (
        f"{row.method} {case.url} as {caller_id(caller)}: "
        f"{response.status_code} {response.text[:300]}"
    )
    return response


async def check(
    shop: Shop,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],
    reset: Reset,
    row: Row,
    callers: tuple[Role | None, ...] = CALLERS,
    *,
    slash: bool = False,
    prepare: Callable[[Row, bool], Awaitable[Case]] | None = None,
) -> None:
    """Every caller of ``callers`` on one row. The refused ones go first, all against one
    arrangement: each gets its 401/403 and leaves every stored row and file as it was. Then
    the allowed ones: a read (a GET, or one of the ``READ_ONLY_POSTS``) shares the
    arrangement; each write after the first starts from the bare stores again (the first
    write used the objects up: deleted, signed …) and must change a stored row. ``prepare``
    arranges a row's case instead of ``arrange`` + ``case_for`` (the intake rows')."""

    async def arranged_case() -> Case:
        if prepare is not None:
            return await prepare(row, slash)
        return case_for(row, await arrange(shop, row, as_role(SIGNER)), slash=slash)

    refused = [caller for caller in callers if row.expected(caller) in (401, 403)]
    allowed = [caller for caller in callers if caller not in refused]
    reads = row.method == "GET" or row.path in READ_ONLY_POSTS
    case = await arranged_case()
    await nats_connected(app)
    before = await snapshot(shop.database)
    files = stored_files(app)
    for caller in refused:
        response = await send(shop, row, case, caller, as_role)
        if row.expected(caller) == 401:
            assert response.headers.get("www-authenticate") == "Bearer"
            assert isinstance(response.json()["detail"], str)
        else:
            assert response.json() == DENIED
        where = f"{row.method} {case.url} as {caller_id(caller)}"
        assert await snapshot(shop.database) == before, f"{where}: refused, yet changed rows"
        assert stored_files(app) == files, f"{where}: refused, yet stored or removed a file"
    for index, caller in enumerate(allowed):
        if not reads and index > 0:
            await reset()
            case = await arranged_case()
            before = await snapshot(shop.database)
        await send(shop, row, case, caller, as_role)
        if not reads:
            changed = await snapshot(shop.database) != before
            assert changed, f"{row.method} {case.url} as {caller_id(caller)}: allowed, no change"


@pytest.mark.parametrize("row", [row for row in MATRIX if row not in INTAKE_ROWS], ids=row_id)
async def test_permission(
    row: Row,
    shop: Shop,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],
    reset: Reset,
) -> None:
    """The row's status for each of the six kinds of caller (the failure names the caller)."""
    await check(shop, app, as_role, reset, row)


# A sample of rows, sent with a trailing slash: one of each kind of route.
SLASHED = [
    "GET /api/stock-ledgers",
    "POST /api/stock-entries",
    "POST /api/stock-entries/{entry_id}/cancel",
    "DELETE /api/serials/{serial_id}",
    "PUT /api/inventory-config",
    "GET /api/inventory/items",
    "PATCH /api/inventory/items/{item_id}",
    "POST /api/inventory/items/{item_id}/ready",
    "GET /api/inventory/items/lookup/{sku}",
    "POST /api/inventory/locations",
    "DELETE /api/inventory/locations/{location_id}",
    "GET /api/inventory/stock",
    "GET /api/inventory/vendors",
    "POST /api/inventory/purchase-orders",
    "POST /api/inventory/orders/{order_id}/submit",
    "DELETE /api/inventory/purchase-orders/{order_id}/attachments/{attachment_id}",
    "GET /api/approvals/flows/{flow_id}",
    "DELETE /api/approvals/templates/{template_id}",
]
SLASHED_ROWS = [row for row in MATRIX if row_id(row) in SLASHED]


@pytest.mark.parametrize("row", SLASHED_ROWS, ids=lambda row: row_id(row) + "/")
async def test_permission_with_trailing_slash(
    row: Row,
    shop: Shop,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],
    reset: Reset,
) -> None:
    """``/api/inventory/items/`` and ``/api/inventory/items`` are the same route, same rules."""
    callers = (None, Role.consignee, Role.advisor, Role.system_admin)
    await check(shop, app, as_role, reset, row, callers, slash=True)


def test_slashed_sample_names_matrix_rows() -> None:
    assert set(SLASHED) <= {row_id(row) for row in MATRIX}


def test_every_route_has_exactly_one_permission_row(app: FastAPI) -> None:
    missing, stale, duplicated = matrix_gaps(app, MATRIX)
    assert not duplicated, "a route has two rows in the matrix"
    assert not missing, f"routes without a permission row in MATRIX: {missing}"
    assert not stale, f"rows for routes the app does not serve: {stale}"
    assert len(list(served_routes(app))) >= 124  # the walk really reached the included routers


def test_every_purchasing_row_has_an_arrangement() -> None:
    """Each vendor, purchase-order and approval row has a stage to arrange, and no stage is
    left without a row (/api/inventory/orders rows share their twins' stages; the intake
    steps under /api/inventory/orders have theirs in tests.intake.test_permissions)."""
    purchasing = ("/api/inventory/vendors", PURCHASE_ORDERS, ORDERS, "/api/approvals/")
    keys = {
        (row.method, canonical(row.path))
        for row in MATRIX
        if row.path.startswith(purchasing) and row not in INTAKE_ROWS
    }
    assert keys == set(STAGES)


def test_snapshots_hold_the_purchasing_tables() -> None:
    """A refused request is checked against every table, the new ones included."""
    assert {
        "vendors",
        "purchase_order_counters",
        "purchase_orders",
        "purchase_order_lines",
        "purchase_order_transitions",
        "purchase_order_attachments",
        "purchase_order_receipts",
        "approval_templates",
        "approval_flows",
        "approval_signatures",
        "event_outbox",
    } <= {table.name for table in Base.metadata.sorted_tables}


CREATES_UNDER = ("/items", "/receive-stock", "/approval-flow", "/attachments")
UPDATES_BY_DELETE = ("/items/{line_id}", "/signatures/{user_id}")  # answer the order / flow


def success_of(row: Row) -> int:
    if row.path.endswith("/ai-cleanup-rows"):
        return 202  # a job queued
    if row.path == "/api/ai/chat":
        return 200  # an answer; nothing is created
    if row.method == "POST" and ("{" not in row.path or row.path.endswith(CREATES_UNDER)):
        return 201
    if row.method == "DELETE" and not row.path.endswith(UPDATES_BY_DELETE):
        return 204
    return 200


def test_matrix_follows_the_seed_rules() -> None:
    """The table's shape, stated once more as rules, so a typo in one cell cannot slip
    through: 000 routes, approval templates and signature removal system_admin; the other
    /api/inventory routes, approval flows and the AI proxy Staff; the lookup public."""
    for row in MATRIX:
        statuses = tuple(row[2:])
        success = success_of(row)
        if not row.path.startswith("/api/") or row.path.startswith("/api/inventory/items/lookup/"):
            assert statuses == (200,) * 6, row
        elif "/signatures/" in row.path or row.path.startswith("/api/approvals/templates"):
            assert statuses == (401, 403, 403, 403, 403, success), row
        elif row.path.startswith(("/api/inventory/", "/api/approvals/flows", "/api/ai/")):
            assert statuses == (401, 403, 403, success, success, success), row
        else:
            assert statuses == (401, 403, 403, 403, 403, success), row


# -- object level: staff act on the stores their token lists, and only those ----------------


def store_requests(objects: StoreObjects) -> list[tuple[str, str, Any]]:
    """Every store-bound read and write on one store's objects, in an order that succeeds."""
    store = str(objects.store)
    return [
        ("GET", f"/api/inventory/items/{objects.item}", None),
        ("PUT", f"/api/inventory/items/{objects.item}", {"price": "89.00"}),
        ("PATCH", f"/api/inventory/items/{objects.item}", {"condition": "fair"}),
        ("POST", f"/api/inventory/items/{objects.item}/check-in", {"condition": "like_new"}),
        ("POST", f"/api/inventory/items/{objects.ready_item}/ready", None),
        ("DELETE", f"/api/inventory/items/{objects.loose_item}", None),
        ("GET", f"/api/inventory/locations/{objects.shelf}", None),
        ("PUT", f"/api/inventory/locations/{objects.shelf}", {"name": "Top shelf"}),
        ("PATCH", f"/api/inventory/locations/{objects.shelf}", {"description": "By the till"}),
        ("DELETE", f"/api/inventory/locations/{objects.shelf}", None),
        ("POST", "/api/inventory/items", {"name": "New unit", "store_id": store}),
        (
            "POST",
            "/api/inventory/locations",
            {"store_id": store, "code": "NEW-BIN", "name": "New bin"},
        ),
    ]


def success_status(method: str, url: str) -> int:
    if method == "POST" and url in ("/api/inventory/items", "/api/inventory/locations"):
        return 201
    return 204 if method == "DELETE" else 200


@pytest.mark.parametrize("role", STAFF, ids=caller_id)
async def test_staff_of_another_store_are_refused(
    role: Role, shop: Shop, app: FastAPI, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """An advisor or branch head of store B gets 403 on store A's units (read, update,
    check in, ready, delete) and locations (read, update, delete), and cannot create either
    in store A; nothing is stored and no event queued. The same requests on store B's own
    objects succeed, so the refusal is the store's, not the role's."""
    a = await store_objects(shop, STORE_A)
    b = await store_objects(shop, STORE_B)
    await nats_connected(app)
    of_b = auth_headers(role, user_id=f"{role.value}-of-b", stores=[str(STORE_B)])
    for method, url, body in store_requests(a):
        before = await snapshot(shop.database)
        response = await shop.client.request(method, url, json=body, headers=of_b)
        assert response.status_code == 403, f"{method} {url}: {response.text[:300]}"
        assert response.json() == OTHER_STORE, f"{method} {url}"
        assert await snapshot(shop.database) == before, f"{method} {url} changed stored rows"
    for method, url, body in store_requests(b):
        before = await snapshot(shop.database)
        response = await shop.client.request(method, url, json=body, headers=of_b)
        expected = success_status(method, url)
        assert response.status_code == expected, f"{method} {url}: {response.text[:300]}"
        if method != "GET":
            assert await snapshot(shop.database) != before, f"{method} {url} changed nothing"


def in_store(results: list[dict[str, Any]], field: str, ids: set[str]) -> set[str]:
    return {str(result[field]) for result in results} & ids


@pytest.mark.parametrize("role", STAFF, ids=caller_id)
async def test_staff_listings_leave_out_other_stores(
    role: Role, shop: Shop, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """Items, locations, stock and item history listed by staff of store B hold store B's
    rows and none of store A's, even when asked for store A (or one of its units) by name;
    a system admin's listings hold both stores' rows."""
    a = await store_objects(shop, STORE_A)
    b = await store_objects(shop, STORE_B)
    await shop.article(ARTICLE_SKU)
    await shop.receive(ARTICLE_SKU, {"id": a.floor}, "3")
    await shop.receive(ARTICLE_SKU, {"id": b.floor}, "4")
    of_b = auth_headers(role, user_id=f"{role.value}-of-b", stores=[str(STORE_B)])
    items = {
        "a": {a.item, a.ready_item, a.loose_item},
        "b": {b.item, b.ready_item, b.loose_item},
    }
    locations = {"a": {a.floor, a.shelf}, "b": {b.floor, b.shelf}}
    # (path, field naming the row's owner, store A's owners, store B's owners)
    listings = [
        ("/api/inventory/items", "id", items["a"], items["b"]),
        ("/api/inventory/locations", "id", locations["a"], locations["b"]),
        ("/api/inventory/stock", "location_id", {a.floor}, {b.floor}),  # the shelves are empty
        ("/api/inventory/item-history", "item_id", items["a"], items["b"]),
    ]
    for path, field, owned_by_a, owned_by_b in listings:
        params = {"page_size": "100"}
        staff = await shop.client.get(path, params=params, headers=of_b)
        assert staff.status_code == 200, f"{path}: {staff.text[:300]}"
        results = staff.json()["results"]
        assert staff.json()["count"] == len(results), path  # one page holds them all
        assert not in_store(results, field, owned_by_a), f"{path} shows store A's rows"
        assert in_store(results, field, owned_by_b) == owned_by_b, f"{path} hides store B's"
        assert {str(result[field]) for result in results} <= owned_by_b, path
        admin = await shop.client.get(path, params=params, headers=shop.admin)
        assert admin.status_code == 200, admin.text
        seen = {str(result[field]) for result in admin.json()["results"]}
        assert owned_by_a | owned_by_b <= seen, f"{path}: the admin misses rows"
    for path, params in [
        ("/api/inventory/items", {"store": str(STORE_A)}),
        ("/api/inventory/locations", {"store": str(STORE_A)}),
        ("/api/inventory/stock", {"store": str(STORE_A)}),
        ("/api/inventory/stock", {"location": a.floor}),
        ("/api/inventory/items", {"location": a.floor}),
        ("/api/inventory/item-history", {"item": a.item}),
    ]:
        response = await shop.client.get(path, params=params, headers=of_b)
        assert response.status_code == 200, f"{path} {params}: {response.text[:300]}"
        assert response.json()["count"] == 0, f"{path} {params}: {response.json()}"
        assert response.json()["results"] == [], f"{path} {params}"


@dataclass(frozen=True)
class StoreOrders:
    """One store's purchase orders: an approved one with a free-text line and a location to
    receive it at, and one pending approval (created by the admin) with its flow."""

    store: uuid.UUID
    approved: str
    line: int
    floor: str
    pending: str
    flow: str


async def store_orders(shop: Shop, *stores: uuid.UUID) -> list[StoreOrders]:
    supplier = (await vendor(shop.client, shop.admin))["id"]
    approved = {}
    for store in stores:  # submitted while no template exists: approved at once
        made = await order(shop.client, shop.admin, supplier, [FREIGHT], store_id=str(store))
        submitted = await act(shop.client, shop.admin, made["id"], "submit")
        assert submitted.json()["status"] == "approved", submitted.text
        approved[store] = made
    await template(shop.client, shop.admin, [{"role": "advisor"}])
    found = []
    for store in stores:
        made = await order(shop.client, shop.admin, supplier, [FREIGHT], store_id=str(store))
        submitted = await act(shop.client, shop.admin, made["id"], "submit")
        assert submitted.json()["status"] == "pending_approval", submitted.text
        flow = await shop.client.get(
            f"/api/approvals/flows/object/purchase_order/{made['id']}", headers=shop.admin
        )
        assert flow.status_code == 200, flow.text
        found.append(
            StoreOrders(
                store=store,
                approved=approved[store]["id"],
                line=approved[store]["lines"][0]["id"],
                floor=(await shop.location("FLOOR", store))["id"],
                pending=made["id"],
                flow=flow.json()["id"],
            )
        )
    return found


def order_requests(orders: StoreOrders, prefix: str) -> list[tuple[str, str, Any, Any]]:
    """(method, url, json, files): store-bound order reads and writes, in an order that
    succeeds; signing (which approves the pending order) comes last."""
    pending, approved = f"{prefix}/{orders.pending}", f"{prefix}/{orders.approved}"
    receive = {"lines": [{"line_id": orders.line, "quantity": "1", "location_id": orders.floor}]}
    return [
        ("GET", pending, None, None),
        ("PATCH", pending, {"notes": "Call before delivery"}, None),
        ("GET", f"{pending}/attachments", None, None),
        ("POST", f"{pending}/attachments", None, {"file": ("quote.pdf", PDF, "application/pdf")}),
        ("GET", f"{pending}/approval-flow", None, None),
        ("POST", f"{approved}/mark-paid", None, None),
        ("POST", f"{approved}/receive-stock", receive, None),
        ("POST", f"{pending}/sign", {"comment": "Prices checked"}, None),
    ]


def flow_requests(orders: StoreOrders) -> list[tuple[str, str, Any, Any]]:
    """Store-bound approval-flow reads; the writes are refused in the test itself."""
    return [
        ("GET", f"/api/approvals/flows/{orders.flow}", None, None),
        ("GET", f"/api/approvals/flows/object/purchase_order/{orders.pending}", None, None),
    ]


@pytest.mark.parametrize("role", STAFF, ids=caller_id)
async def test_staff_of_another_store_are_refused_on_orders(
    role: Role, shop: Shop, app: FastAPI, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """An advisor or branch head of store B gets 403 on store A's purchase orders (read,
    edit, attachments, approval flow, an action, receiving, signing) under both prefixes and
    on its approval flow (read, sign, reject, start); nothing is stored, no file written and
    no event queued. The same requests on store B's own orders succeed."""
    a, b = await store_orders(shop, STORE_A, STORE_B)
    await nats_connected(app)
    of_b = auth_headers(role, user_id=f"{role.value}-of-b", stores=[str(STORE_B)])
    start = {"object_type": "purchase_order", "object_id": a.pending}
    refused = [
        *order_requests(a, PURCHASE_ORDERS),
        *order_requests(a, ORDERS),
        *flow_requests(a),
        ("POST", f"/api/approvals/flows/{a.flow}/sign", {"comment": "ok"}, None),
        ("POST", f"/api/approvals/flows/{a.flow}/reject", {"reason": "No"}, None),
        ("POST", "/api/approvals/flows", start, None),
    ]
    for method, url, body, files in refused:
        before, stored = await snapshot(shop.database), stored_files(app)
        response = await shop.client.request(method, url, json=body, files=files, headers=of_b)
        assert response.status_code == 403, f"{method} {url}: {response.text[:300]}"
        expected = OTHER_STORES_APPROVAL if url.startswith("/api/approvals/") else OTHER_STORE
        assert response.json() == expected, f"{method} {url}"
        assert await snapshot(shop.database) == before, f"{method} {url} changed stored rows"
        assert stored_files(app) == stored, f"{method} {url} stored a file"
    for method, url, body, files in [*flow_requests(b), *order_requests(b, PURCHASE_ORDERS)]:
        before = await snapshot(shop.database)
        response = await shop.client.request(method, url, json=body, files=files, headers=of_b)
        creates = method == "POST" and url.endswith(("/attachments", "/receive-stock"))
        expected_status = 201 if creates else 200
        assert response.status_code == expected_status, f"{method} {url}: {response.text[:300]}"
        if method != "GET":
            assert await snapshot(shop.database) != before, f"{method} {url} changed nothing"


@pytest.mark.parametrize("role", STAFF, ids=caller_id)
async def test_staff_order_listings_leave_out_other_stores(
    role: Role, shop: Shop, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """Purchase orders (both prefixes) and approval flows listed by staff of store B hold
    store B's and none of store A's, even when asked for store A by name; a system admin's
    listings hold both stores'."""
    a, b = await store_orders(shop, STORE_A, STORE_B)
    of_b = auth_headers(role, user_id=f"{role.value}-of-b", stores=[str(STORE_B)])
    listings = [
        (PURCHASE_ORDERS, {a.approved, a.pending}, {b.approved, b.pending}),
        (ORDERS, {a.approved, a.pending}, {b.approved, b.pending}),
        ("/api/approvals/flows", {a.flow}, {b.flow}),
    ]
    for path, owned_by_a, owned_by_b in listings:
        params = {"page_size": "100"}
        staff = await shop.client.get(path, params=params, headers=of_b)
        assert staff.status_code == 200, f"{path}: {staff.text[:300]}"
        seen = {str(result["id"]) for result in staff.json()["results"]}
        assert staff.json()["count"] == len(seen), path
        assert seen == owned_by_b, f"{path}: {seen} (store A's: {owned_by_a})"
        admin = await shop.client.get(path, params=params, headers=shop.admin)
        assert admin.status_code == 200, admin.text
        everyone = {str(result["id"]) for result in admin.json()["results"]}
        assert owned_by_a | owned_by_b <= everyone, f"{path}: the admin misses rows"
    for path, params in [
        (PURCHASE_ORDERS, {"store": str(STORE_A)}),
        (ORDERS, {"store": str(STORE_A)}),
        ("/api/approvals/flows", {"object_type": "purchase_order", "status": "pending"}),
    ]:
        response = await shop.client.get(path, params=params, headers=of_b)
        assert response.status_code == 200, f"{path} {params}: {response.text[:300]}"
        ids = {str(result["id"]) for result in response.json()["results"]}
        assert not ids & {a.approved, a.pending, a.flow}, f"{path} {params}: {ids}"


async def test_staff_without_stores_see_nothing_and_act_on_nothing(
    shop: Shop, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """A branch head whose token lists no store at all is not a system admin in disguise."""
    a = await store_objects(shop, STORE_A)
    nobody = auth_headers(Role.branch_head, user_id="head-of-nothing", stores=[])
    for path in ("/api/inventory/items", "/api/inventory/locations", "/api/inventory/stock"):
        response = await shop.client.get(path, headers=nobody)
        assert response.status_code == 200, response.text
        assert response.json()["count"] == 0, (path, response.json())
    for url in (f"/api/inventory/items/{a.item}", f"/api/inventory/locations/{a.floor}"):
        response = await shop.client.get(url, headers=nobody)
        assert response.status_code == 403, (url, response.text)


async def test_bad_credentials_are_401(shop: Shop, mint_token: Callable[..., str]) -> None:
    """A token that does not verify, or a refresh token where an access token is due, is a
    401 on staff and admin routes (so the client knows to log in again), never a 403."""
    refresh = mint_token(role=Role.system_admin, token_type="refresh")
    for path in ("/api/inventory/items", "/api/inventory/stock", "/api/stock-entries"):
        for token in ("not-a-jwt", refresh):
            response = await shop.client.get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, (path, token[:10], response.text)
            assert response.headers.get("www-authenticate") == "Bearer"
