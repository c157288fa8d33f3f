"""Deciding exceptions: the person's branch head or an admin, never the person, never twice;
a rejected location voids the record; each decision is announced."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from attendance.geofences.geometry import EARTH_RADIUS_M
from common.roles import Role
from common.testing.helpers import read_events
from tests.conftest import ADVISOR_LA, HEAD_IN, HEAD_LA, LA, LA_POINT, Staff, punch

pytestmark = pytest.mark.usefixtures("stores")
Headers = Callable[[Staff], dict[str, str]]
FAR = (LA_POINT[0] + math.degrees(600 / EARTH_RADIUS_M), LA_POINT[1])


async def _held(client: httpx.AsyncClient, who: dict[str, str]) -> dict[str, Any]:
    entry = (await punch(client, "check-in", who, FAR)).json()
    return dict(entry["approvals"][0])


async def test_the_branch_head_rejects_with_a_note_and_the_record_is_void(
    client: httpx.AsyncClient, headers: Headers, nats_url: str
) -> None:
    since = time.time()
    approval = await _held(client, headers(ADVISOR_LA))
    no_note = await client.post(
        f"/api/attendance/approvals/{approval['id']}/reject", json={}, headers=headers(HEAD_LA)
    )
    assert no_note.status_code == 422 and no_note.json()["detail"][0]["field"] == "note"
    rejected = await client.post(
        f"/api/attendance/approvals/{approval['id']}/reject",
        json={"note": "Not at the store"},
        headers=headers(HEAD_LA),
    )
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["decided_by"]) == (
        "rejected",
        HEAD_LA.user_id,
    )
    today = (await client.get("/api/attendance/me/today", headers=headers(ADVISOR_LA))).json()
    assert today["entries"][0]["status"] == "rejected"
    again = await client.post(
        f"/api/attendance/approvals/{approval['id']}/approve", headers=headers(HEAD_LA)
    )
    assert again.status_code == 409
    [event] = await read_events(nats_url, "attendance.exception.rejected", since=since)
    assert event.data["approval_id"] == approval["id"] and event.data["note"] == "Not at the store"


async def test_nobody_decides_their_own_and_another_store_cannot(
    client: httpx.AsyncClient, headers: Headers, auth_headers: Callable[..., dict[str, str]]
) -> None:
    own = await _held(client, headers(HEAD_LA))
    mine = await client.post(
        f"/api/attendance/approvals/{own['id']}/approve", headers=headers(HEAD_LA)
    )
    assert mine.status_code == 403 and "your own" in mine.json()["detail"]
    elsewhere = await client.post(
        f"/api/attendance/approvals/{own['id']}/approve", headers=headers(HEAD_IN)
    )
    assert elsewhere.status_code == 403
    admin_self = auth_headers(Role.system_admin, user_id=HEAD_LA.user_id)
    assert (
        await client.post(f"/api/attendance/approvals/{own['id']}/approve", headers=admin_self)
    ).status_code == 403
    other_admin = auth_headers(Role.system_admin, user_id="admin-2")
    decided = await client.post(
        f"/api/attendance/approvals/{own['id']}/approve", headers=other_admin
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"


async def test_the_list_is_the_callers_stores_and_pending_by_default(
    client: httpx.AsyncClient, headers: Headers, admin: dict[str, str]
) -> None:
    approval = await _held(client, headers(ADVISOR_LA))
    assert (await client.get("/api/attendance/approvals", headers=headers(HEAD_IN))).json()[
        "count"
    ] == 0
    assert (await client.get("/api/attendance/approvals", headers=admin)).json()["count"] == 1
    await client.post(
        f"/api/attendance/approvals/{approval['id']}/approve", headers=headers(HEAD_LA)
    )
    pending = await client.get("/api/attendance/approvals", headers=headers(HEAD_LA))
    approved = await client.get(
        "/api/attendance/approvals",
        params={"status": "approved", "store": str(LA)},
        headers=headers(HEAD_LA),
    )
    assert pending.json()["count"] == 0 and approved.json()["count"] == 1
