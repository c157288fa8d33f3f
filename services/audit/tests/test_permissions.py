"""Who may call which route: every route by every kind of caller (``common.testing.permissions``).

``MATRIX`` is the contract, one row per (method, route) the app serves: seed 000 and 004 say
system_admin; issue 13 adds branch heads for the log of their own stores (everyone but the
system admin carries store A in their token; the arranged entry is store A's). Chain
verification and stream status stay a system admin's. A refused request changes no row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI

from audit.models import Base
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
from tests.conftest import STORE_A, discovered, record, sale_event

READERS = (401, 403, 403, 403, 200, 200)  # system admin, and a branch head for their stores
ADMIN = (401, 403, 403, 403, 403, 200)

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("audit"),
    Row("GET", "/api/logs",             *READERS),
    Row("GET", "/api/logs/{entry_id}",  *READERS),
    Row("GET", "/api/logs/export",      *READERS),
    Row("GET", "/api/audit",            *READERS),
    Row("GET", "/api/audit/actions",    *READERS),
    Row("GET", "/api/audit/verify",     *ADMIN),
    Row("GET", "/api/audit/streams",    *ADMIN),
]
# fmt: on


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
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    await nats_connected(app)
    await discovered(app)  # its stream rows are written before the snapshots are compared
    [entry] = await record(database, [sale_event(STORE_A)])
    url = row.path.replace("{entry_id}", str(entry.id))
    params = {"month": f"{datetime.now(UTC):%Y-%m}"} if row.path.endswith("verify") else None
    for caller in CALLERS:
        before = await snapshot(database, Base.metadata)
        response = await client.request(row.method, url, params=params, headers=as_role(caller))
        assert response.status_code == row.expected(caller), (caller_id(caller), response.text)
        if response.status_code >= 400:
            assert await snapshot(database, Base.metadata) == before, caller_id(caller)
