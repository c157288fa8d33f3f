"""Who may call which route: every route by every kind of caller (``common.testing.permissions``).

``MATRIX`` is the contract, one row per (method, route) the app serves. Everyone but the system
admin carries store A in their token; the arranged note is store A's. A refused request leaves
every stored row unchanged; staff of store B are refused store A's note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bookings.models import Base
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
from tests.conftest import STORE_A, STORE_B

STAFF = (401, 403, 403, 200, 200, 200)
STAFF_NEW = (401, 403, 403, 201, 201, 201)
MANAGER = (401, 403, 403, 403, 200, 200)
ADMIN_GONE = (401, 403, 403, 403, 403, 204)
NOTE = "/api/bookings/notes/{note_id}"

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("bookings"),
    Row("GET",    "/api/bookings/notes", *STAFF),
    Row("POST",   "/api/bookings/notes", *STAFF_NEW),
    Row("GET",    NOTE,              *STAFF),
    Row("PUT",    NOTE,              *MANAGER),
    Row("PATCH",  NOTE,              *MANAGER),
    Row("DELETE", NOTE,              *ADMIN_GONE),
]
# fmt: on

BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/bookings/notes"): {"store_id": str(STORE_A), "title": "Till roll low"},
    ("PUT", NOTE): {"title": "Till roll ordered"},
    ("PATCH", NOTE): {"body": "Arrives Tuesday"},
}


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


@pytest.mark.usefixtures("stores")
@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_each_caller_gets_the_seed_permission(
    row: Row,
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    admin: dict[str, str],
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    await nats_connected(app)
    made = await client.post(
        "/api/bookings/notes", json={"store_id": str(STORE_A), "title": "Arranged"}, headers=admin
    )
    assert made.status_code == 201, made.text
    url = row.path.replace("{note_id}", made.json()["id"])
    body = BODIES.get((row.method, row.path))
    for caller in CALLERS:
        before = await snapshot(database, Base.metadata)
        response = await client.request(row.method, url, json=body, headers=as_role(caller))
        assert response.status_code == row.expected(caller), (caller_id(caller), response.text)
        if response.status_code >= 400:
            assert await snapshot(database, Base.metadata) == before, caller_id(caller)


@pytest.mark.usefixtures("stores")
async def test_staff_of_another_store_are_refused_its_note(
    client: httpx.AsyncClient,
    database: Database,
    admin: dict[str, str],
    auth_headers: Callable[..., dict[str, str]],
) -> None:
    made = await client.post(
        "/api/bookings/notes", json={"store_id": str(STORE_A), "title": "A's"}, headers=admin
    )
    note = made.json()["id"]
    for role in (Role.advisor, Role.branch_head):
        other = auth_headers(role, user_id=f"b-{role.value}", stores=[str(STORE_B)])
        before = await snapshot(database, Base.metadata)
        assert (await client.get(f"/api/bookings/notes/{note}", headers=other)).status_code == 403
        refused = await client.patch(
            f"/api/bookings/notes/{note}", json={"title": "x"}, headers=other
        )
        assert refused.status_code == 403
        assert await snapshot(database, Base.metadata) == before
