"""HR departments: staff read the company's and their stores'; a branch head writes their
store's; company-wide ones only a system admin; clocking in names an active one of the store."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import ADVISOR_LA, HEAD_IN, HEAD_LA, IN, LA, Staff

pytestmark = pytest.mark.usefixtures("stores")
Headers = Callable[[Staff], dict[str, str]]
URL = "/api/hr/departments"


async def test_branch_heads_write_their_stores_and_staff_read_them(
    client: httpx.AsyncClient, headers: Headers, admin: dict[str, str]
) -> None:
    company = await client.post(URL, json={"name": "Head office"}, headers=headers(HEAD_LA))
    assert company.status_code == 403
    assert (await client.post(URL, json={"name": "Head office"}, headers=admin)).status_code == 201
    mine = await client.post(
        URL, json={"name": "Repairs", "store_id": str(LA)}, headers=headers(HEAD_LA)
    )
    assert mine.status_code == 201
    theirs = await client.post(
        URL, json={"name": "Repairs", "store_id": str(IN)}, headers=headers(HEAD_LA)
    )
    assert theirs.status_code == 403
    await client.post(URL, json={"name": "Till", "store_id": str(IN)}, headers=headers(HEAD_IN))
    listed = await client.get(URL, headers=headers(ADVISOR_LA))
    assert sorted(d["name"] for d in listed.json()["results"]) == ["Head office", "Repairs"]


async def test_clocking_in_for_a_department_of_another_store_is_refused(
    client: httpx.AsyncClient, headers: Headers
) -> None:
    kolkata = (
        await client.post(URL, json={"name": "Till", "store_id": str(IN)}, headers=headers(HEAD_IN))
    ).json()
    refused = await client.post(
        "/api/hr/time-entries", json={"department_id": kolkata["id"]}, headers=headers(ADVISOR_LA)
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "department_id"
    mine = (
        await client.post(
            URL, json={"name": "Floor", "store_id": str(LA)}, headers=headers(HEAD_LA)
        )
    ).json()
    clocked = await client.post(
        "/api/hr/time-entries", json={"department_id": mine["id"]}, headers=headers(ADVISOR_LA)
    )
    assert clocked.status_code == 201 and clocked.json()["department_id"] == mine["id"]
    used = await client.delete(f"{URL}/{mine['id']}", headers=headers(HEAD_LA))
    assert used.status_code == 409
    huge = await client.get(f"{URL}/99999999999", headers=headers(ADVISOR_LA))
    assert huge.status_code == 422
