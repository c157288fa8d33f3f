"""Work locations (seed 002 Core): the open stores a staff member works at, from their token."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from common.roles import Role
from tests.helpers import create


async def test_staff_see_the_open_stores_of_their_token(
    client: httpx.AsyncClient, admin: dict[str, str], auth_headers: Callable[..., dict[str, str]]
) -> None:
    paris = await create(client, admin, "/api/stores", {"code": "PAR-01", "name": "Paris"})
    lyon = await create(client, admin, "/api/stores", {"code": "LYS-01", "name": "Lyon"})
    closed = await create(
        client, admin, "/api/stores", {"code": "NCE-01", "name": "Nice", "is_active": False}
    )
    gone = await create(client, admin, "/api/stores", {"code": "BOD-01", "name": "Bordeaux"})
    await client.delete(f"/api/stores/{gone['id']}", headers=admin)
    await create(client, admin, "/api/stores", {"code": "MRS-01", "name": "Marseille"})

    stores = [paris["id"], closed["id"], gone["id"], "not-a-uuid"]
    advisor = auth_headers(Role.advisor, stores=stores)
    response = await client.get("/api/core/locations/", headers=advisor)
    assert response.status_code == 200, response.text
    assert [row["code"] for row in response.json()] == ["PAR-01"], (
        "only their stores, and only the open ones"
    )
    assert set(response.json()[0]) == {
        "id",
        "code",
        "name",
        "address",
        "phone",
        "time_zone",
        "is_headquarters",
    }

    head = auth_headers(Role.branch_head, stores=[lyon["id"], paris["id"]])
    listed = await client.get("/api/core/locations", headers=head)
    assert [row["code"] for row in listed.json()] == ["LYS-01", "PAR-01"]

    none = await client.get("/api/core/locations", headers=auth_headers(Role.advisor))
    assert none.json() == []

    everywhere = await client.get("/api/core/locations", headers=admin)
    assert [row["code"] for row in everywhere.json()] == ["LYS-01", "MRS-01", "PAR-01"]
