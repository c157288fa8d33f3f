"""Who may call which consignment route, against seed 002's Consignment section: accounts,
agreements and payouts Manager+ (``branch_head`` and up, their stores); items Staff
(``advisor`` and up); the portal the ``consignee`` role only (their own data).

``MATRIX`` is imported by ``tests/test_permissions.py``'s every-route check. One
arrangement per row serves its refused callers (nothing may change); each allowed write
gets a fresh one. Store B's staff get 403 on store A's objects; another consignee's item
is 404 in the portal (tests/consignment/test_portal.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from common.roles import Role
from common.testing.helpers import truncate_all
from common.testing.permissions import CALLERS, Row, caller_id, row_id
from common.testing.permissions import snapshot as snapshot_tables
from pos.consignment.models import EntryKind, LedgerEntry
from pos.tables import metadata
from tests.consignment.shop import Consignment, store_day
from tests.till import STORE_A, STORE_B, Till, open_stores

MANAGER = (401, 403, 403, 403, 200, 200)
MANAGER_NEW = (401, 403, 403, 403, 201, 201)
MANAGER_GONE = (401, 403, 403, 403, 204, 204)
STAFF = (401, 403, 403, 200, 200, 200)
STAFF_NEW = (401, 403, 403, 201, 201, 201)
STAFF_GONE = (401, 403, 403, 204, 204, 204)
CONSIGNEE_ONLY = (401, 403, 200, 403, 403, 403)

ACCOUNT = "/api/consignment/accounts/{user_id}"
AGREEMENT = "/api/consignment/agreements/{agreement_id}"
ITEM = "/api/consignment/items/{consigned_id}"
PAYOUT = "/api/consignment/payouts/{payout_id}"

# fmt: off
MATRIX: list[Row] = [
    Row("GET",    "/api/consignment/accounts",          *MANAGER),
    Row("POST",   "/api/consignment/accounts",          *MANAGER_NEW),
    Row("GET",    ACCOUNT,                              *MANAGER),
    Row("PATCH",  ACCOUNT,                              *MANAGER),
    Row("DELETE", ACCOUNT,                              *MANAGER),
    Row("GET",    "/api/consignment/agreements",        *MANAGER),
    Row("POST",   "/api/consignment/agreements",        *MANAGER_NEW),
    Row("GET",    AGREEMENT,                            *MANAGER),
    Row("PUT",    AGREEMENT,                            *MANAGER),
    Row("PATCH",  AGREEMENT,                            *MANAGER),
    Row("DELETE", AGREEMENT,                            *MANAGER_GONE),
    Row("GET",    "/api/consignment/items",             *STAFF),
    Row("POST",   "/api/consignment/items",             *STAFF_NEW),
    Row("GET",    ITEM,                                 *STAFF),
    Row("PUT",    ITEM,                                 *STAFF),
    Row("PATCH",  ITEM,                                 *STAFF),
    Row("DELETE", ITEM,                                 *STAFF_GONE),
    Row("GET",    "/api/consignment/payouts",           *MANAGER),
    Row("POST",   "/api/consignment/payouts",           *MANAGER_NEW),
    Row("POST",   "/api/consignment/payouts/generate",  *MANAGER_NEW),
    Row("GET",    PAYOUT,                               *MANAGER),
    Row("PUT",    PAYOUT,                               *MANAGER),
    Row("PATCH",  PAYOUT,                               *MANAGER),
    Row("DELETE", PAYOUT,                               *MANAGER_GONE),
    Row("PATCH",  PAYOUT + "/pay",                      *MANAGER),
    Row("GET",    "/api/consignment/my/items",          *CONSIGNEE_ONLY),
    Row("GET",    "/api/consignment/my/items/{consigned_id}", *CONSIGNEE_ONLY),
    Row("GET",    "/api/consignment/my/payouts",        *CONSIGNEE_ONLY),
    Row("GET",    "/api/consignment/my/summary",        *CONSIGNEE_ONLY),
]
# fmt: on

DENIED = {"detail": "You do not have permission to perform this action."}
ME = "user-consignee"  # the consignee caller of ``as_role``
TODAY = store_day()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    def headers(role: Role | None) -> dict[str, str]:
        if role is None:
            return {}
        stores = [] if role in (Role.system_admin, Role.consignee) else [str(STORE_A)]
        return auth_headers(role, user_id=f"user-{role.value}", stores=stores)

    return headers


@dataclass
class Arranged:
    ids: dict[str, str] = field(default_factory=dict)


async def owed(till: Till, item: dict[str, Any], amount: str) -> None:
    """A share owed for ``item``, as a sale would have stored it (tests/consignment/
    test_sales.py proves the sale does; here it saves the sale's dozen requests per row)."""
    async with till.database.session() as session:
        session.add(
            LedgerEntry(
                kind=EntryKind.share,
                consignee_id=item["consignee_id"],
                consigned_item_id=uuid.UUID(item["id"]),
                agreement_id=uuid.UUID(item["agreement_id"]),
                sale_id=uuid.uuid4(),
                line_no=1,
                receipt_number="NYC-01-2026-000001",
                price=Decimal(amount) * 2,
                discount=Decimal("0.00"),
                share_percent=Decimal("50.00"),
                fee=Decimal("0.00"),
                amount=Decimal(amount),
                occurred_at=datetime.now(UTC),
            )
        )


async def arrange(till: Till) -> Arranged:
    """The caller consignee with an agreement, a share owed (in a pending payout for today)
    and an item on the floor; consignee-2 with nothing (to close); consignee-3 owed a share
    no payout took (to generate); a free unit to take in."""
    shop = Consignment(till)
    for user in (ME, "consignee-2", "consignee-3"):
        await shop.account(user)
    agreement = await shop.agreement(ME)
    third = await shop.agreement("consignee-3")
    await owed(till, await shop.item(agreement, "M-SOLD"), "50.00")
    floor = await shop.item(agreement, "M-FLOOR")
    free = await till.unit("FREE-1")
    generated = await till.client.post(
        "/api/consignment/payouts",
        json={
            "consignee_id": ME,
            "period_start": TODAY.isoformat(),
            "period_end": TODAY.isoformat(),
        },
        headers=till.head(),
    )
    assert generated.status_code == 201, generated.text
    await owed(till, await shop.item(third, "T-SOLD"), "20.00")
    return Arranged(
        {
            "user_id": "consignee-2",
            "agreement_id": agreement["id"],
            "consigned_id": floor["id"],
            "payout_id": generated.json()["id"],
            "free_unit": str(free.id),
        }
    )


def case_for(row: Row, arranged: Arranged) -> tuple[str, Any]:
    ids = arranged.ids
    url = row.path
    for name, value in ids.items():
        url = url.replace("{" + name + "}", value)
    week = {
        "period_start": (TODAY - timedelta(days=7)).isoformat(),
        "period_end": TODAY.isoformat(),
    }
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/api/consignment/accounts"): {"store_id": str(STORE_A), "user_id": "new-one"},
        ("PATCH", ACCOUNT): {"notes": "Vintage guitars"},
        ("POST", "/api/consignment/agreements"): {
            "consignee_id": "consignee-2",
            "share_percent": "40.00",
            "starts_on": "2026-01-01",
        },
        ("PUT", AGREEMENT): {"share_percent": "45.00"},
        ("PATCH", AGREEMENT): {"fee_per_item": "1.00"},
        ("POST", "/api/consignment/items"): {
            "agreement_id": ids.get("agreement_id", ""),
            "item_id": ids.get("free_unit", ""),
        },
        ("PUT", ITEM): {"list_price": "90.00"},
        ("PATCH", ITEM): {"list_price": "80.00"},
        ("POST", "/api/consignment/payouts"): {"consignee_id": "consignee-3", **week},
        ("POST", "/api/consignment/payouts/generate"): week,
        ("PUT", PAYOUT): {"notes": "Friday"},
        ("PATCH", PAYOUT): {"notes": "Monday"},
        ("PATCH", PAYOUT + "/pay"): {"method": "check", "reference": "CHK-7"},
    }
    return url, bodies.get((row.method, row.path))


@pytest.fixture
def reset(till: Till, service_db: str) -> Callable[[], Any]:
    async def empty() -> None:
        await truncate_all(service_db, metadata)
        await open_stores(till.database)

    return empty


@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_permission(
    row: Row,
    till: Till,
    as_role: Callable[[Role | None], dict[str, str]],
    reset: Callable[[], Any],
) -> None:
    arranged = await arrange(till)
    url, body = case_for(row, arranged)
    before = await snapshot_tables(till.database, metadata)
    refused = [caller for caller in CALLERS if row.expected(caller) in (401, 403)]
    allowed = [caller for caller in CALLERS if caller not in refused]
    for caller in refused:
        response = await till.client.request(row.method, url, json=body, headers=as_role(caller))
        where = f"{row.method} {url} as {caller_id(caller)}"
        assert response.status_code == row.expected(caller), f"{where}: {response.text[:300]}"
        if response.status_code == 403:
            assert response.json() == DENIED, where
    refusals = f"{row.method} {url}: refused"
    assert await snapshot_tables(till.database, metadata) == before, f"{refusals}, yet changed"
    for index, caller in enumerate(allowed):
        if row.method != "GET" and index > 0:
            await reset()
            arranged = await arrange(till)
            url, body = case_for(row, arranged)
            before = await snapshot_tables(till.database, metadata)
        response = await till.client.request(row.method, url, json=body, headers=as_role(caller))
        where = f"{row.method} {url} as {caller_id(caller)}"
        assert response.status_code == row.expected(caller), f"{where}: {response.text[:300]}"
        if row.method != "GET":
            assert await snapshot_tables(till.database, metadata) != before, f"{where}: no change"


async def test_staff_of_another_store_are_refused_and_see_nothing(
    till: Till, auth_headers: Callable[..., dict[str, str]]
) -> None:
    arranged = await arrange(till)
    before = await snapshot_tables(till.database, metadata)
    for role in (Role.advisor, Role.branch_head):
        stranger = auth_headers(role, user_id=f"b-{role.value}", stores=[str(STORE_B)])
        for row in MATRIX:
            if "{" not in row.path or row.expected(role) in (401, 403) or "/my/" in row.path:
                continue
            url, body = case_for(row, arranged)
            response = await till.client.request(row.method, url, json=body, headers=stranger)
            assert response.status_code == 403, f"{row.method} {url}: {response.text[:200]}"
        for path in ("accounts", "agreements", "items", "payouts"):
            listed = await till.client.get(f"/api/consignment/{path}", headers=stranger)
            if listed.status_code == 200:
                assert listed.json()["count"] == 0, path
    generate = await till.client.post(
        "/api/consignment/payouts/generate",
        json={"period_start": TODAY.isoformat(), "period_end": TODAY.isoformat()},
        headers=auth_headers(Role.branch_head, user_id="b-head", stores=[str(STORE_B)]),
    )
    assert generate.status_code == 200 and generate.json()["payouts"] == []
    assert await snapshot_tables(till.database, metadata) == before
