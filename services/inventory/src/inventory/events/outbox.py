"""Inventory's outbox: every payload is checked against ``PUBLISHED`` before it is written.

``publish_many`` writes many events of one transaction as multi-row inserts (20,000 units
created from a manifest are 20 statements, not 20,000) with the same checks and the one
NOTIFY ``Outbox.publish`` gives. (It belongs in ``common.events.outbox`` as
``Outbox.publish_many``; written here while common is frozen for this change.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentelemetry import propagate
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.contracts import Published
from common.events.envelope import Envelope
from common.events.outbox import Outbox
from inventory.db import EVENT_TABLES
from inventory.events.contracts import PUBLISHED

outbox = Outbox(EVENT_TABLES, source="inventory", contracts=PUBLISHED)
CHUNK = 1000


async def publish_many(
    session: AsyncSession, events: Sequence[Published], *, actor: str | None
) -> None:
    if not events:
        return
    contracts = outbox.contracts
    headers: dict[str, str] = {}
    propagate.inject(headers)
    rows: list[dict[str, Any]] = []
    for event in events:
        if len(event.subjects) != 1:
            raise ValueError(f"{type(event).__name__} has several subjects: use outbox.publish")
        subject = event.subjects[0]
        payload = contracts.validate(subject, event) if contracts else event.payload()
        envelope = Envelope(type=subject, source=outbox.source, actor=actor, data=payload)
        rows.append(
            {
                "id": envelope.id,
                "subject": subject,
                "envelope": envelope.model_dump(mode="json"),
                "headers": headers,
            }
        )
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(outbox.tables.outbox), rows[start : start + CHUNK])
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": outbox.channel})
