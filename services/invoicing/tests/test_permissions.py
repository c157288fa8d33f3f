"""Who may call which route: every route by every kind of caller (``common.testing.permissions``).

``MATRIX`` is the contract, one row per (method, route) the app serves. Seed 000's Invoicing
column says ``system_admin`` for invoices and payments, and seed 003's invoice actions are
superuser's: everyone else is refused (401 anonymous, 403 signed in). Reports are for system
admins and for branch heads on their own stores. Everyone but the system admin carries store
A in their token; the arranged invoices are store A's. A refused request leaves every stored
row unchanged; a branch head of store B is refused store A's reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from common.db import Database
from common.roles import Role
from common.testing.permissions import (
    CALLERS,
    Row,
    caller_id,
    infrastructure_rows,
    matrix_gaps,
    nats_connected,
    row_id,
    snapshot,
)
from invoicing.models import Base
from tests.conftest import STORE_A, STORE_B, Books, line

ADMIN = (401, 403, 403, 403, 403, 200)
ADMIN_NEW = (401, 403, 403, 403, 403, 201)
ADMIN_GONE = (401, 403, 403, 403, 403, 204)
HEADS = (401, 403, 403, 403, 200, 200)
INVOICE = "/api/invoices/{invoice_id}"
PAYMENT = "/api/payments/{payment_id}"
REPORTS = [
    "/api/reports",
    *(
        f"/api/reports/{name}"
        for name in (
            "revenue",
            "kpi-dashboard",
            "invoice-status",
            "monthly-invoices",
            "cash-flow",
            "customer-ltv",
            "product-revenue",
            "product-demand",
        )
    ),
]

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("invoicing"),
    # seed 000 Invoicing: system_admin
    Row("GET",    "/api/invoices",                     *ADMIN),
    Row("POST",   "/api/invoices",                     *ADMIN_NEW),
    Row("GET",    INVOICE,                             *ADMIN),
    Row("PUT",    INVOICE,                             *ADMIN),
    Row("PATCH",  INVOICE,                             *ADMIN),
    Row("DELETE", INVOICE,                             *ADMIN_GONE),
    Row("GET",    "/api/payments",                     *ADMIN),
    Row("POST",   "/api/payments",                     *ADMIN_NEW),
    Row("GET",    PAYMENT,                             *ADMIN),
    Row("PUT",    PAYMENT,                             *ADMIN),
    Row("PATCH",  PAYMENT,                             *ADMIN),
    Row("DELETE", PAYMENT,                             *ADMIN_GONE),
    # seed 003 invoice actions (superuser → system_admin)
    Row("GET",    "/api/invoices/propose",             *ADMIN),
    Row("POST",   INVOICE + "/issue",                  *ADMIN),
    Row("POST",   INVOICE + "/void",                   *ADMIN),
    Row("GET",    INVOICE + "/download",               *ADMIN),
    Row("POST",   INVOICE + "/mark-as-paid",           *ADMIN_NEW),
    Row("GET",    INVOICE + "/delete-preview",         *ADMIN),
    Row("POST",   INVOICE + "/force-delete",           *ADMIN),
    Row("POST",   "/api/invoices/bulk-delete",         *ADMIN),
    # seed 003 reports: system admins, branch heads on their own stores
    *(Row("GET", path, *HEADS) for path in REPORTS),
]
# fmt: on

# Which arranged invoice a row acts on: the draft where only a draft can take the call.
ON_DRAFT = {("PUT", INVOICE), ("PATCH", INVOICE), ("DELETE", INVOICE), ("POST", INVOICE + "/issue")}


def body_for(row: Row, arranged: dict[str, str]) -> Any:
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/api/invoices"): {
            "store_id": str(STORE_A),
            "customer_name": "Walk-in",
            "lines": [line()],
        },
        ("PUT", INVOICE): {"notes": "Call first"},
        ("PATCH", INVOICE): {"lines": [line("80.00")]},
        ("POST", "/api/payments"): {
            "invoice_id": arranged["issued"],
            "amount": "10.00",
            "method": "cash",
        },
        ("PUT", PAYMENT): {"amount": "15.00"},
        ("PATCH", PAYMENT): {"reference": "Receipt 7"},
        ("POST", INVOICE + "/void"): {"reason": "Wrong customer"},
        ("POST", INVOICE + "/mark-as-paid"): {"method": "bank_transfer"},
        ("POST", INVOICE + "/force-delete"): {"reason": "Duplicate"},
        ("POST", "/api/invoices/bulk-delete"): {"ids": [arranged["draft"]]},
    }
    return bodies.get((row.method, row.path))


async def arrange(books: Books) -> dict[str, str]:
    """A draft, and an issued invoice of 100.00 with a payment of 20.00, in store A."""
    draft = await books.draft()
    issued = await books.issued()
    paid = await books.pay(issued["id"], "20.00")
    assert paid.status_code == 201, paid.text
    return {"draft": draft["id"], "issued": issued["id"], "payment": paid.json()["id"]}


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    def headers(role: Role | None) -> dict[str, str]:
        if role is None:
            return {}
        stores = [] if role == Role.system_admin else [str(STORE_A)]
        return auth_headers(role, user_id=f"user-{role.value}", stores=stores)

    return headers


def test_every_served_route_has_exactly_one_row(app: FastAPI) -> None:
    unlisted, unserved, duplicated = matrix_gaps(app, MATRIX)
    assert unlisted == [] and unserved == [] and not duplicated


@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_each_caller_gets_the_seed_permission(
    row: Row,
    app: FastAPI,
    books: Books,
    database: Database,
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    await nats_connected(app)
    arranged = await arrange(books)
    target = arranged["draft"] if (row.method, row.path) in ON_DRAFT else arranged["issued"]
    url = row.path.replace("{invoice_id}", target).replace("{payment_id}", arranged["payment"])
    params = {"store": str(STORE_A)} if row.path == "/api/invoices/propose" else None
    body = body_for(row, arranged)
    for caller in CALLERS:
        before = await snapshot(database, Base.metadata)
        response = await books.client.request(
            row.method, url, json=body, params=params, headers=as_role(caller)
        )
        assert response.status_code == row.expected(caller), (caller_id(caller), response.text)
        if response.status_code >= 400:
            assert await snapshot(database, Base.metadata) == before, caller_id(caller)


async def test_a_branch_head_of_another_store_sees_none_of_store_a(books: Books) -> None:
    await books.issued()
    other = books.staff(Role.branch_head, STORE_B)
    own = books.staff(Role.branch_head, STORE_A)
    for path in REPORTS[1:]:
        refused = await books.client.get(path, params={"store": str(STORE_A)}, headers=other)
        assert refused.status_code == 403, (path, refused.text)
    mine = await books.client.get("/api/reports/revenue", headers=own)
    theirs = await books.client.get("/api/reports/revenue", headers=other)
    assert [row["store_code"] for row in mine.json()["rows"]] == ["NYC-01"]
    assert theirs.json()["rows"] == [] and theirs.json()["scope"]["stores"] == [str(STORE_B)]


async def test_a_refused_caller_cannot_even_learn_an_invoice_exists(books: Books) -> None:
    issued = await books.issued()
    for role in (Role.advisor, Role.branch_head, Role.customer):
        response = await books.client.get(
            f"/api/invoices/{issued['id']}", headers=books.staff(role)
        )
        assert response.status_code == 403, role


async def test_anonymous_gets_401_with_a_bearer_challenge(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/invoices")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
