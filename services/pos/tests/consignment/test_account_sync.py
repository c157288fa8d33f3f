"""auth's ``auth.user.*`` events keep a consignee account's profile (name, email, phone) and
user flag in step with auth, on real JetStream: a redelivery changes nothing, an older event
never overwrites a newer one, a user deactivated in auth shows so on the account, a user
without an account is not given one, and tokens_invalidated (on the same subjects) says
nothing of the profile. A change is published as ``pos.consignment.account.updated`` with
the fields it changed, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from common.events.envelope import Envelope
from common.testing.events import eventually, publish_event
from pos.consignment.models import Consignee
from pos.db import EVENT_TABLES
from tests.consignment.shop import CONSIGNEE, Consignment
from tests.till import Till


def user(**changes: Any) -> dict[str, Any]:
    return {
        "user_id": CONSIGNEE,
        "email": "ada@new.example",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "+44 20 5550 0100",
        "role": "consignee",
        "store_ids": [],
        "is_active": True,
        "customer_number": None,
        **changes,
    }


async def publish(nats_url: str, subject: str, data: dict[str, Any], at: datetime) -> None:
    envelope = Envelope(type=subject, source="auth", actor="admin", data=data, time=at)
    await publish_event(nats_url, subject, data, envelope=envelope, times=2)


async def account(till: Till, user_id: str = CONSIGNEE) -> Consignee | None:
    async with till.database.session() as session:
        return await session.get(Consignee, user_id)


async def test_auth_events_keep_the_account_in_step_newest_first(till: Till, nats_url: str) -> None:
    await Consignment(till).account()
    now = datetime.now(UTC)
    await publish(nats_url, "auth.user.updated", user(changed=["last_name"]), now)

    async def renamed() -> bool:
        found = await account(till)
        return found is not None and found.last_name == "Lovelace"

    await eventually(renamed)
    shown = await till.client.get(f"/api/consignment/accounts/{CONSIGNEE}", headers=till.head())
    body = shown.json()
    assert (body["first_name"], body["last_name"], body["email"], body["phone"]) == (
        "Ada",
        "Lovelace",
        "ada@new.example",
        "+44 20 5550 0100",
    )
    assert (body["user_active"], body["status"]) == (True, "active")

    # an older event (delivered late) loses; the deactivation, newer, wins
    await publish(nats_url, "auth.user.updated", user(last_name="Byron"), now - timedelta(1))
    await publish(
        nats_url, "auth.user.deactivated", user(is_active=False), now + timedelta(seconds=1)
    )

    async def deactivated() -> bool:
        found = await account(till)
        return found is not None and not found.user_active

    await eventually(deactivated)
    # tokens_invalidated is on auth.user.* too: its payload has no profile and changes nothing
    await publish(
        nats_url,
        "auth.user.tokens_invalidated",
        {"user_id": CONSIGNEE, "not_before": now.isoformat(), "reason": "deactivated"},
        now + timedelta(seconds=2),
    )
    marker = user(user_id="marker", last_name="Marker")
    await Consignment(till).account("marker")
    await publish(nats_url, "auth.user.updated", marker, now + timedelta(seconds=3))

    async def marker_seen() -> bool:  # same subscription, in order: the ones before were seen
        found = await account(till, "marker")
        return found is not None and found.synced_at is not None

    await eventually(marker_seen)
    shown = await till.client.get(f"/api/consignment/accounts/{CONSIGNEE}", headers=till.head())
    body = shown.json()
    assert (body["last_name"], body["user_active"], body["status"]) == (
        "Lovelace",
        False,
        "active",
    )
    found = await account(till)
    assert found is not None and found.synced_at == now + timedelta(seconds=1)
    # each change is published once (delivered twice, the older event and tokens_invalidated:
    # nothing), with the fields it changed, as auth's actor did it
    updates = [
        data
        for subject, data in await Consignment(till).events()
        if subject == "pos.consignment.account.updated" and data["user_id"] == CONSIGNEE
    ]
    assert [(data["changed"], data["last_name"], data["user_active"]) for data in updates] == [
        (["email", "last_name", "phone"], "Lovelace", True),
        (["user_active"], "Lovelace", False),
    ]
    assert (updates[0]["email"], updates[0]["phone"]) == ("ada@new.example", "+44 20 5550 0100")
    async with till.database.session() as session:
        actors = (
            await session.scalars(
                select(EVENT_TABLES.outbox.c.envelope["actor"].astext).where(
                    EVENT_TABLES.outbox.c.subject == "pos.consignment.account.updated"
                )
            )
        ).all()
    assert set(actors) == {"admin"}


async def test_a_user_without_an_account_is_not_given_one(till: Till, nats_url: str) -> None:
    await Consignment(till).account("marker")
    now = datetime.now(UTC)
    await publish(nats_url, "auth.user.created", user(user_id="stranger"), now)
    await publish(nats_url, "auth.user.updated", user(user_id="marker"), now)

    async def marker_seen() -> bool:
        found = await account(till, "marker")
        return found is not None and found.synced_at is not None

    await eventually(marker_seen)
    assert await account(till, "stranger") is None
