"""The back office's booking setup is published (issue 13: audit logs only what is
published): issue presets, "other" issues, questions and a store's bookable hours, each
read back from JetStream with its payload and the admin as actor."""

from __future__ import annotations

import time

import httpx
import pytest

from common.testing.helpers import read_events
from tests.conftest import STORE_A


@pytest.mark.parametrize(
    ("path", "kind", "body"),
    [
        ("/api/issues", "issue", {"name": "Battery", "estimated_price": "79.00"}),
        ("/api/otherissues", "other_issue", {"name": "Water damage"}),
    ],
)
async def test_a_preset_is_published_when_created_changed_and_deleted(
    path: str,
    kind: str,
    body: dict[str, str],
    client: httpx.AsyncClient,
    admin: dict[str, str],
    nats_url: str,
) -> None:
    since = time.time()
    made = await client.post(path, json=body, headers=admin)
    assert made.status_code == 201, made.text
    url = f"{path}/{made.json()['id']}"
    assert (await client.patch(url, json={"is_active": False}, headers=admin)).status_code == 200
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await read_events(nats_url, f"bookings.{kind}.*", expected=3, since=since)
    assert [(e.type, e.data["is_active"], e.data["changed"]) for e in events] == [
        (f"bookings.{kind}.created", True, []),
        (f"bookings.{kind}.updated", False, ["is_active"]),
        (f"bookings.{kind}.deleted", False, []),
    ]
    assert {(e.data["id"], e.data["name"], e.actor) for e in events} == {
        (made.json()["id"], body["name"], "admin-1")
    }
    assert events[0].data["estimated_price"] == body.get("estimated_price")


async def test_a_question_is_published_with_its_version(
    client: httpx.AsyncClient, admin: dict[str, str], nats_url: str
) -> None:
    since = time.time()
    made = await client.post(
        "/api/questions",
        json={"question_set": "phone", "text": "Does it power on?", "required": True},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    url = f"/api/questions/{made.json()['id']}"
    reworded = await client.patch(url, json={"text": "Does it turn on?"}, headers=admin)
    assert reworded.status_code == 200, reworded.text
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await read_events(nats_url, "bookings.question.*", expected=3, since=since)
    assert [(e.type, e.data["text"], e.data["version"]) for e in events] == [
        ("bookings.question.created", "Does it power on?", 1),
        ("bookings.question.updated", "Does it turn on?", 2),
        ("bookings.question.deleted", "Does it turn on?", 2),
    ]
    assert events[1].data["changed"] == ["text"] and events[0].actor == "admin-1"


@pytest.mark.usefixtures("stores")
async def test_a_store_s_hours_are_published(
    client: httpx.AsyncClient, admin: dict[str, str], nats_url: str
) -> None:
    since = time.time()
    hours = {"monday": {"opens": "10:00", "closes": "16:00"}}
    url = f"/api/bookings/stores/{STORE_A}"
    set_ = await client.patch(url, json={"opening_hours": hours}, headers=admin)
    assert set_.status_code == 200, set_.text
    [event] = await read_events(nats_url, "bookings.store.hours_set", since=since)
    stored = {"monday": {"opens": "10:00:00", "closes": "16:00:00"}}  # as kept and answered
    assert event.data == {"store_id": str(STORE_A), "opening_hours": stored}
    assert event.actor == "admin-1"
