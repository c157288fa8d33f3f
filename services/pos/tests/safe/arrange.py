"""Arranging cash management: the safe's and the bank runs' routes, drops, the safe's status
and what is stored (shared by the safe's, the bank runs' and the cash ledger's tests)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from common.roles import Role
from pos.cash.models import DrawerMovement, SafeTransaction
from tests.till import STORE_A, Till

SAFE = "/api/pos/supplemental"
BANK = "/api/pos/bank-transactions"


def admin(till: Till) -> dict[str, str]:
    return till.auth_headers(Role.system_admin, user_id="admin-1")


async def drop(till: Till, drawer: dict[str, Any], amount: str) -> None:
    response = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/drop", json={"amount": amount}, headers=till.cashier()
    )
    assert response.status_code == 200, response.text


async def move_safe(
    till: Till, action: str, amount: str, drawer: dict[str, Any] | None = None, **extra: str
) -> httpx.Response:
    """A draw or return on store A's safe by its branch head."""
    body = {"store_id": str(STORE_A), "amount": amount, **extra}
    if drawer is not None:
        body["drawer_id"] = drawer["id"]
    return await till.client.post(f"{SAFE}/{action}", json=body, headers=till.head())


async def safe_status(till: Till, store: uuid.UUID = STORE_A) -> dict[str, Any]:
    response = await till.client.get(SAFE, params={"store": str(store)}, headers=admin(till))
    assert response.status_code == 200, response.text
    return dict(response.json())


async def expected_in_drawer(till: Till, drawer: dict[str, Any]) -> str:
    response = await till.client.get(f"/api/pos/drawers/{drawer['id']}", headers=till.head())
    return str(response.json()["expected_amount"])


async def stored_counts(till: Till) -> tuple[int, int]:
    """(safe rows, drawer movement rows)."""
    async with till.database.session() as session:
        safe = await session.scalar(select(func.count()).select_from(SafeTransaction))
        moves = await session.scalar(select(func.count()).select_from(DrawerMovement))
    return int(safe or 0), int(moves or 0)


async def bank_run(till: Till, kind: str, amount: str, **fields: str) -> dict[str, Any]:
    response = await till.client.post(
        BANK,
        json={"store_id": str(STORE_A), "kind": kind, "amount": amount, **fields},
        headers=till.head(),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def fields_named(response: httpx.Response) -> set[str]:
    return {error["field"] for error in response.json()["detail"]}
