"""Who may call which POS route: every route by every kind of caller, against seed 002.

``MATRIX`` is the contract, one row per (method, route) the app serves, with the status
each caller gets. Seed 002's POS column: Staff / Employee+ → ``advisor`` and up (registers,
drawers, carts, receipts); Manager+ → ``branch_head`` and up (void, supplemental drawer,
bank transactions, revenue goals); dashboard "Yes" → any signed-in caller (who sees only
their own stores' numbers). ``consignee`` stands apart and is refused staff routes.

Everyone but the system admin carries store A in their token; the advisor is the cashier of
the arranged drawers (a drawer is its cashier's or a branch head's). The tests after the
matrix prove that staff of store B get 403 on store A's objects and do not see them listed.
A refused request changes no stored row; an allowed write changes something."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

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
)
from common.testing.permissions import snapshot as snapshot_tables
from pos.shelf.models import SellableItem
from pos.tables import metadata
from tests.consignment.test_permissions import MATRIX as CONSIGNMENT_MATRIX
from tests.till import STORE_A, STORE_B, Till, open_stores

STAFF = (401, 403, 403, 200, 200, 200)
STAFF_NEW = (401, 403, 403, 201, 201, 201)
STAFF_GONE = (401, 403, 403, 204, 204, 204)
MANAGER = (401, 403, 403, 403, 200, 200)
MANAGER_NEW = (401, 403, 403, 403, 201, 201)
MANAGER_GONE = (401, 403, 403, 403, 204, 204)
SIGNED_IN = (401, 200, 200, 200, 200, 200)

REGISTER = "/api/pos/registers/{register_id}"
DRAWER = "/api/pos/drawers/{drawer_id}"
CART = "/api/pos/carts/{cart_id}"
BANK = "/api/pos/bank-transactions/{transaction_id}"
GOAL = "/api/pos/revenue-goals/{goal_id}"
RECEIPT = "/api/pos/receipts/{receipt_number}"

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("pos"),
    # POS's stores and their tax rate: Staff read their own; the rate is system_admin's.
    Row("GET",    "/api/pos/stores",                    *STAFF),
    Row("GET",    "/api/pos/stores/{store_id}",         *STAFF),
    Row("PATCH",  "/api/pos/stores/{store_id}",         401, 403, 403, 403, 403, 200),
    # 002 registers: Staff.
    Row("GET",    "/api/pos/registers",                 *STAFF),
    Row("POST",   "/api/pos/registers",                 *STAFF_NEW),
    Row("GET",    REGISTER,                             *STAFF),
    Row("PUT",    REGISTER,                             *STAFF),
    Row("PATCH",  REGISTER,                             *STAFF),
    Row("DELETE", REGISTER,                             *STAFF_GONE),
    # 002 drawers: Employee+.
    Row("GET",    "/api/pos/drawers",                   *STAFF),
    Row("POST",   "/api/pos/drawers",                   *STAFF_NEW),
    Row("GET",    DRAWER,                               *STAFF),
    Row("GET",    DRAWER + "/movements",                *STAFF),
    Row("POST",   DRAWER + "/close",                    *STAFF),
    Row("POST",   DRAWER + "/handoff",                  *STAFF),
    Row("POST",   DRAWER + "/drop",                     *STAFF),
    # 002 carts: Employee+; void Manager+.
    Row("GET",    "/api/pos/carts",                     *STAFF),
    Row("POST",   "/api/pos/carts",                     *STAFF_NEW),
    Row("GET",    CART,                                 *STAFF),
    Row("POST",   CART + "/add-item",                   *STAFF),
    Row("PATCH",  CART + "/lines/{line_id}",            *STAFF),
    Row("DELETE", CART + "/lines/{line_id}",            *STAFF),
    Row("POST",   CART + "/discount",                   *STAFF),
    Row("POST",   CART + "/complete",                   *STAFF),
    Row("POST",   CART + "/void",                       *MANAGER),
    # 002 cash management: Manager+.
    Row("GET",    "/api/pos/supplemental",              *MANAGER),
    Row("POST",   "/api/pos/supplemental/draw",         *MANAGER),
    Row("POST",   "/api/pos/supplemental/return",       *MANAGER),
    Row("POST",   "/api/pos/supplemental/audit",        *MANAGER),
    Row("GET",    "/api/pos/supplemental/transactions", *MANAGER),
    Row("GET",    "/api/pos/bank-transactions",         *MANAGER),
    Row("POST",   "/api/pos/bank-transactions",         *MANAGER_NEW),
    Row("GET",    BANK,                                 *MANAGER),
    Row("PUT",    BANK,                                 *MANAGER),
    Row("PATCH",  BANK,                                 *MANAGER),
    Row("DELETE", BANK,                                 *MANAGER_GONE),
    Row("PATCH",  BANK + "/complete",                   *MANAGER),
    # 002 receipts: Employee+; revenue goals: Manager+.
    Row("GET",    "/api/pos/receipts",                  *STAFF),
    Row("GET",    RECEIPT,                              *STAFF),
    Row("GET",    RECEIPT + "/text",                    *STAFF),
    Row("GET",    RECEIPT + "/pdf",                     *STAFF),
    Row("GET",    "/api/pos/revenue-goals",             *MANAGER),
    Row("POST",   "/api/pos/revenue-goals",             *MANAGER_NEW),
    Row("GET",    GOAL,                                 *MANAGER),
    Row("PUT",    GOAL,                                 *MANAGER),
    Row("PATCH",  GOAL,                                 *MANAGER),
    Row("DELETE", GOAL,                                 *MANAGER_GONE),
    # 002 dashboard: any signed-in caller (numbers of their own stores only).
    Row("GET",    "/api/pos/dashboard/metrics",         *SIGNED_IN),
    Row("GET",    "/api/pos/dashboard/alerts",          *SIGNED_IN),
]
# fmt: on

DENIED = {"detail": "You do not have permission to perform this action."}


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    def headers(role: Role | None) -> dict[str, str]:
        if role is None:
            return {}
        stores = [] if role == Role.system_admin else [str(STORE_A)]
        return auth_headers(role, user_id=f"user-{role.value}", stores=stores)

    return headers


@dataclass
class Counter:
    """Store A's objects, each fit for the rows that act on it."""

    ids: dict[str, str] = field(default_factory=dict)


async def arrange(till: Till, as_role: Callable[[Role | None], dict[str, str]]) -> Counter:
    """Register 1 with the advisor's drawer 1: an open cart holding unit U-1 and a completed
    cash sale of U-2; register 2 with the advisor's empty drawer 2 (close, hand off, drop);
    register 3 free (open a drawer, edit, remove); U-3 on the shelf; a drop into the safe;
    a pending bank deposit; a revenue goal."""
    cashier = as_role(Role.advisor)
    head = as_role(Role.branch_head)
    client = till.client
    for sku in ("U-1", "U-2", "U-3"):
        await till.unit(sku, "40.00")
    registers = []
    for code in ("R1", "R2", "R3"):
        made = await client.post(
            "/api/pos/registers",
            json={"store_id": str(STORE_A), "code": code, "name": code},
            headers=head,
        )
        assert made.status_code == 201, made.text
        registers.append(made.json()["id"])
    drawers = []
    for register in registers[:2]:
        opened = await client.post(
            "/api/pos/drawers",
            json={"register_id": register, "opening_amount": "300.00"},
            headers=cashier,
        )
        assert opened.status_code == 201, opened.text
        drawers.append(opened.json()["id"])
    carts = []
    for sku in ("U-2", "U-1"):
        cart = await client.post("/api/pos/carts", json={"drawer_id": drawers[0]}, headers=cashier)
        added = await client.post(
            f"/api/pos/carts/{cart.json()['id']}/add-item", json={"sku": sku}, headers=cashier
        )
        assert added.status_code == 200, added.text
        carts.append(cart.json()["id"])
    sale = await client.post(
        f"/api/pos/carts/{carts[0]}/complete",
        json={"payment_method": "cash", "cash_tendered": "50.00"},
        headers=cashier,
    )
    assert sale.status_code == 200, sale.text
    dropped = await client.post(
        f"/api/pos/drawers/{drawers[0]}/drop", json={"amount": "200.00"}, headers=cashier
    )
    assert dropped.status_code == 200, dropped.text
    bank = await client.post(
        "/api/pos/bank-transactions",
        json={"store_id": str(STORE_A), "kind": "deposit", "amount": "100.00"},
        headers=head,
    )
    assert bank.status_code == 201, bank.text
    goal = await client.post(
        "/api/pos/revenue-goals",
        json={"store_id": str(STORE_A), "day": "2026-11-29", "amount": "1500.00"},
        headers=head,
    )
    assert goal.status_code == 201, goal.text
    return Counter(
        {
            "register_id": registers[2],
            "register_1": registers[0],
            "drawer_id": drawers[1],
            "drawer_1": drawers[0],
            "cart_id": carts[1],
            "sale_id": carts[0],
            "line_id": "1",
            "transaction_id": bank.json()["id"],
            "goal_id": goal.json()["id"],
            "store_id": str(STORE_A),
            "receipt_number": sale.json()["receipt_number"],
        }
    )


def case_for(row: Row, counter: Counter) -> tuple[str, Any]:
    """The URL (placeholders filled) and a valid body."""
    if not counter.ids:  # docs and health: nothing arranged, no body
        return row.path, None
    ids = counter.ids
    url = row.path
    if row.path == CART + "/void":
        url = url.replace("{cart_id}", ids["sale_id"])
    for name, value in ids.items():
        url = url.replace("{" + name + "}", value)
    if row.path == "/api/pos/supplemental":  # the admin has no store of their own to default to
        url += f"?store={STORE_A}"
    store = str(STORE_A)
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/api/pos/registers"): {"store_id": store, "code": "R9", "name": "New"},
        ("PATCH", "/api/pos/stores/{store_id}"): {"tax_rate": "0.0900"},
        ("PUT", REGISTER): {"name": "Back counter"},
        ("PATCH", REGISTER): {"is_active": False},
        ("POST", "/api/pos/drawers"): {"register_id": ids["register_id"], "opening_amount": "50"},
        ("POST", DRAWER + "/close"): {"counted_amount": "299.00"},
        ("POST", DRAWER + "/handoff"): {"counted_amount": "300.00", "incoming_cashier_id": "u-9"},
        ("POST", DRAWER + "/drop"): {"amount": "100.00"},
        ("POST", "/api/pos/carts"): {"drawer_id": ids["drawer_1"]},
        ("POST", CART + "/add-item"): {"sku": "U-3"},
        ("PATCH", CART + "/lines/{line_id}"): {"discount_percent": "5"},
        ("POST", CART + "/discount"): {"discount_percent": "5"},
        ("POST", CART + "/complete"): {"payment_method": "card"},
        ("POST", CART + "/void"): {"reason": "Customer changed their mind"},
        ("POST", "/api/pos/supplemental/draw"): {
            "store_id": store,
            "amount": "20.00",
            "drawer_id": ids["drawer_1"],
        },
        ("POST", "/api/pos/supplemental/return"): {"store_id": store, "amount": "10.00"},
        ("POST", "/api/pos/supplemental/audit"): {"store_id": store, "counted_amount": "199.00"},
        ("POST", "/api/pos/bank-transactions"): {
            "store_id": store,
            "kind": "change_pickup",
            "amount": "50.00",
        },
        ("PUT", BANK): {"amount": "90.00"},
        ("PATCH", BANK): {"reference": "DEP-1"},
        ("POST", "/api/pos/revenue-goals"): {
            "store_id": store,
            "day": "2026-11-30",
            "amount": "900.00",
        },
        ("PUT", GOAL): {"amount": "1600.00"},
        ("PATCH", GOAL): {"notes": "Black Friday"},
    }
    return url, bodies.get((row.method, row.path))


async def snapshot(database: Database) -> dict[str, list[str]]:
    return await snapshot_tables(database, metadata)


Reset = Callable[[], Awaitable[None]]


@pytest.fixture
def reset(till: Till, service_db: str) -> Reset:
    async def empty() -> None:
        await truncate_all(service_db, metadata)
        await open_stores(till.database)

    return empty


@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_permission(
    row: Row,
    till: Till,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],
    reset: Reset,
) -> None:
    """The row's status for each of the six kinds of caller: refused ones first against one
    arrangement (nothing may change), then each allowed one (writes from a fresh one)."""
    arranged = row.path.startswith("/api/")
    counter = await arrange(till, as_role) if arranged else Counter()
    await nats_connected(app)
    url, body = case_for(row, counter)
    before = await snapshot(till.database)
    refused = [caller for caller in CALLERS if row.expected(caller) in (401, 403)]
    allowed = [caller for caller in CALLERS if caller not in refused]
    for caller in refused:
        response = await till.client.request(row.method, url, json=body, headers=as_role(caller))
        where = f"{row.method} {url} as {caller_id(caller)}"
        assert response.status_code == row.expected(caller), f"{where}: {response.text[:300]}"
        if response.status_code == 401:
            assert response.headers.get("www-authenticate") == "Bearer"
        else:
            assert response.json() == DENIED, where
        assert await snapshot(till.database) == before, f"{where}: refused, yet changed rows"
    for index, caller in enumerate(allowed):
        if row.method != "GET" and index > 0:
            await reset()
            counter = await arrange(till, as_role)
            url, body = case_for(row, counter)
            before = await snapshot(till.database)
        response = await till.client.request(row.method, url, json=body, headers=as_role(caller))
        where = f"{row.method} {url} as {caller_id(caller)}"
        assert response.status_code == row.expected(caller), f"{where}: {response.text[:300]}"
        if row.method != "GET":
            assert await snapshot(till.database) != before, f"{where}: allowed, changed nothing"


def test_every_route_has_exactly_one_permission_row(app: FastAPI) -> None:
    missing, stale, duplicated = matrix_gaps(app, [*MATRIX, *CONSIGNMENT_MATRIX])
    assert not duplicated, "a route has two rows in the matrix"
    assert not missing, f"routes without a permission row in MATRIX: {missing}"
    assert not stale, f"rows for routes the app does not serve: {stale}"


# -- object level: staff act on the stores their token lists, and only those ----------------


@pytest.mark.parametrize("role", [Role.advisor, Role.branch_head], ids=caller_id)
async def test_staff_of_another_store_are_refused(
    role: Role,
    till: Till,
    as_role: Callable[[Role | None], dict[str, str]],
    auth_headers: Callable[..., dict[str, str]],
) -> None:
    """Store B's advisor or branch head: 403 on every store-A object a route names, nothing
    stored; store A's rows absent from their listings."""
    counter = await arrange(till, as_role)
    before = await snapshot(till.database)
    stranger = auth_headers(role, user_id=f"b-{role.value}", stores=[str(STORE_B)])
    for row in MATRIX:
        if "{" not in row.path or row.expected(role) in (401, 403):
            continue
        url, body = case_for(row, counter)
        response = await till.client.request(row.method, url, json=body, headers=stranger)
        assert response.status_code == 403, f"{row.method} {url}: {response.text[:200]}"
    for path, body in (
        ("/api/pos/registers", {"store_id": str(STORE_A), "code": "RX", "name": "X"}),
        ("/api/pos/drawers", {"register_id": counter.ids["register_id"], "opening_amount": "1"}),
        ("/api/pos/carts", {"drawer_id": counter.ids["drawer_1"]}),
    ):
        response = await till.client.post(path, json=body, headers=stranger)
        assert response.status_code == 403, f"POST {path}: {response.text[:200]}"
    assert await snapshot(till.database) == before
    for path in ("/api/pos/registers", "/api/pos/drawers", "/api/pos/carts", "/api/pos/receipts"):
        listed = await till.client.get(path, headers=stranger)
        assert listed.status_code == 200 and listed.json()["count"] == 0, path


async def test_another_cashier_of_the_store_cannot_work_the_drawer(
    till: Till,
    as_role: Callable[[Role | None], dict[str, str]],
    auth_headers: Callable[..., dict[str, str]],
) -> None:
    """A drawer and its carts are their cashier's (or a branch head's): another advisor of
    the same store gets 403 and changes nothing."""
    counter = await arrange(till, as_role)
    before = await snapshot(till.database)
    colleague = auth_headers(Role.advisor, user_id="advisor-2", stores=[str(STORE_A)])
    for row in MATRIX:
        if row.method == "GET" or not row.path.startswith((DRAWER, CART)):
            continue
        if row.expected(Role.advisor) != 200 or row.path.endswith("/void"):
            continue
        url, body = case_for(row, counter)
        response = await till.client.request(row.method, url, json=body, headers=colleague)
        assert response.status_code == 403, f"{row.method} {url}: {response.text[:200]}"
    assert await snapshot(till.database) == before


async def test_units_are_not_sold_for_another_store(till: Till) -> None:
    """A unit of store B cannot be added to a store A cart (checked in the read-model)."""
    await till.unit("B-UNIT", store=STORE_B)
    drawer = await till.drawer()
    cart = await till.cart(drawer)
    response = await till.client.post(
        f"/api/pos/carts/{cart['id']}/add-item", json={"sku": "B-UNIT"}, headers=till.cashier()
    )
    assert response.status_code == 409
    async with till.database.session() as session:
        unit = await session.scalar(select(SellableItem).where(SellableItem.sku == "B-UNIT"))
    assert unit is not None and unit.held_by_cart_id is None
