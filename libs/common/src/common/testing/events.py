"""Publishing another service's events to JetStream in a test, as that service would, and
waiting for the consumers under test to act on them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import nats

from common.events.bus import NatsBus
from common.events.envelope import Envelope


async def publish_event(
    nats_url: str,
    subject: str,
    data: dict[str, Any],
    *,
    actor: str | None = "user-1",
    envelope: Envelope | None = None,
    times: int = 1,
) -> Envelope:
    """Publish one envelope ``times`` times (each under its own Nats-Msg-Id, so JetStream's
    dedupe window does not hide the repeats: only inventory's inbox can)."""
    source = subject.split(".", 1)[0]
    envelope = envelope or Envelope(type=subject, source=source, actor=actor, data=data)
    bus = NatsBus(nats_url, name="test-publisher")
    await bus.connect()
    await bus.ensure_stream(source)
    await bus.close()
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        for attempt in range(times):
            await js.publish(
                subject, envelope.to_bytes(), headers={"Nats-Msg-Id": f"{envelope.id}-{attempt}"}
            )
    finally:
        await connection.close()
    return envelope


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("the consumer did not act in time")
        await asyncio.sleep(0.1)
