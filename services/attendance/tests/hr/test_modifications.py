"""Modification requests change an entry only when a manager approves them; the entry keeps
its earlier version in its history; a denial carries the reviewer's note."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from common.testing.helpers import read_events
from tests.conftest import (
    ADVISOR_IN,
    ADVISOR_LA,
    HEAD_IN,
    HEAD_LA,
    LA,
    LA_POINT,
    Clock,
    Staff,
    make_schedule,
    make_shift,
    punch,
)

pytestmark = pytest.mark.usefixtures("stores")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
Headers = Callable[[Staff], dict[str, str]]
REQUESTS = "/api/hr/modification-requests"


async def late_day(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> dict[str, Any]:
    shift = await make_shift(client, admin, LA, "09:00", "17:00")
    await make_schedule(client, admin, ADVISOR_LA, shift)
    clock.set(datetime(2026, 3, 2, 9, 20, tzinfo=LOS_ANGELES))
    await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)
    clock.set(datetime(2026, 3, 2, 17, 0, tzinfo=LOS_ANGELES))
    entry = (await punch(client, "check-out", headers(ADVISOR_LA), LA_POINT)).json()
    assert entry["late_minutes"] == 20
    clock.set(datetime(2026, 3, 3, 8, 0, tzinfo=LOS_ANGELES))
    return dict(entry)


async def test_the_change_applies_only_on_approval_and_the_original_is_kept(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock, nats_url: str
) -> None:
    since = time.time()
    entry = await late_day(client, admin, headers, clock)
    asked = await client.post(
        REQUESTS,
        json={
            "entry_id": entry["id"],
            "clock_in": "2026-03-02T17:00:00Z",
            "reason": "Door tablet was down",
        },
        headers=headers(ADVISOR_LA),
    )
    assert asked.status_code == 201, asked.text
    [requested] = await read_events(nats_url, "attendance.modification.requested", since=since)
    assert (requested.data["request_id"], requested.data["entry_id"]) == (
        asked.json()["id"],
        entry["id"],
    )
    assert (requested.data["clock_in"], requested.data["clock_out"]) == (
        "2026-03-02T17:00:00Z",
        None,
    )
    assert requested.actor == ADVISOR_LA.user_id
    unchanged = (
        await client.get(f"/api/hr/time-entries/{entry['id']}", headers=headers(ADVISOR_LA))
    ).json()
    assert unchanged["clock_in"] == entry["clock_in"] and unchanged["history"] == []
    assert unchanged["late_minutes"] == 20

    approved = await client.post(
        f"{REQUESTS}/{asked.json()['id']}/approve", headers=headers(HEAD_LA)
    )
    assert approved.status_code == 200, approved.text
    changed = (
        await client.get(f"/api/hr/time-entries/{entry['id']}", headers=headers(ADVISOR_LA))
    ).json()
    assert changed["clock_in"] == "2026-03-02T17:00:00Z" and changed["late_minutes"] == 0
    [revision] = changed["history"]
    assert revision["before"]["clock_in"] == "2026-03-02T17:20:00+00:00"
    assert revision["before"]["late_seconds"] == 1200 and revision["after"]["late_seconds"] == 0
    assert (revision["revised_by"], revision["modification_id"]) == (
        HEAD_LA.user_id,
        asked.json()["id"],
    )
    [event] = await read_events(nats_url, "attendance.modification.approved", since=since)
    assert event.data["changed"] == ["clock_in", "late_seconds"]


async def test_a_denial_needs_a_note_and_changes_nothing(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    entry = await late_day(client, admin, headers, clock)
    asked = await client.post(
        REQUESTS,
        json={"entry_id": entry["id"], "break_minutes": 0, "reason": "No break taken"},
        headers=headers(ADVISOR_LA),
    )
    own = await client.post(f"{REQUESTS}/{asked.json()['id']}/approve", headers=headers(ADVISOR_LA))
    assert own.status_code == 403
    elsewhere = await client.post(
        f"{REQUESTS}/{asked.json()['id']}/approve", headers=headers(HEAD_IN)
    )
    assert elsewhere.status_code == 403
    silent = await client.post(
        f"{REQUESTS}/{asked.json()['id']}/deny", json={}, headers=headers(HEAD_LA)
    )
    assert silent.status_code == 422
    denied = await client.post(
        f"{REQUESTS}/{asked.json()['id']}/deny",
        json={"review_note": "CCTV shows a break"},
        headers=headers(HEAD_LA),
    )
    assert (denied.json()["status"], denied.json()["review_note"]) == (
        "denied",
        "CCTV shows a break",
    )
    kept = (
        await client.get(f"/api/hr/time-entries/{entry['id']}", headers=headers(HEAD_LA))
    ).json()
    assert kept["history"] == [] and kept["clock_in"] == entry["clock_in"]
    listed = await client.get(REQUESTS, params={"status": "denied"}, headers=headers(ADVISOR_LA))
    assert listed.json()["count"] == 1
    assert (await client.get(REQUESTS, headers=headers(ADVISOR_IN))).json()["count"] == 0


async def test_what_cannot_be_changed_is_refused(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    entry = await late_day(client, admin, headers, clock)
    cases = [
        ({"entry_id": entry["id"], "reason": "nothing"}, 422),
        (
            {"entry_id": entry["id"], "clock_out": "2026-03-02T16:00:00Z", "reason": "x"},
            422,
        ),  # before in
        (
            {"entry_id": entry["id"], "clock_out": "2026-03-09T01:00:00Z", "reason": "x"},
            422,
        ),  # future
        ({"entry_id": entry["id"], "clock_in": "2026-03-02T17:00:00", "reason": "x"}, 422),  # naive
    ]
    for body, status in cases:
        response = await client.post(REQUESTS, json=body, headers=headers(ADVISOR_LA))
        assert response.status_code == status, (body, response.text)
    someone_else = await client.post(
        REQUESTS,
        json={"entry_id": entry["id"], "break_minutes": 5, "reason": "x"},
        headers=headers(ADVISOR_IN),
    )
    assert someone_else.status_code == 403
    await client.post(f"/api/hr/time-entries/{entry['id']}/approve", headers=headers(HEAD_LA))
    final = await client.post(
        REQUESTS,
        json={"entry_id": entry["id"], "break_minutes": 5, "reason": "x"},
        headers=headers(ADVISOR_LA),
    )
    assert final.status_code == 409 and "approved" in final.json()["detail"]
