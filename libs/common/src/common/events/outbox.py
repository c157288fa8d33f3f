"""Writing an event into the outbox in the same transaction as the change it describes.

The row and a ``NOTIFY`` are part of the caller's transaction: if the change
rolls back, so does the event; when it commits, the relay wakes at once.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import propagate
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.envelope import Envelope
from common.events.tables import EventTables


def notify_channel(source: str) -> str:
    return f"shopfloor_outbox_{source}".replace("-", "_")


class Outbox:
    """A service's outbox: ``await outbox.add(session, "pos.item.sold", {...}, actor=...)``."""

    def __init__(self, tables: EventTables, source: str) -> None:
        self.tables = tables
        self.source = source
        self.channel = notify_channel(source)

    async def add(
        self,
        session: AsyncSession,
        subject: str,
        data: dict[str, Any],
        *,
        actor: str | None = None,
        schema_version: int = 1,
    ) -> Envelope:
        if not subject.startswith(self.source + "."):
            raise ValueError(
                f"{self.source} may only publish under '{self.source}.>', not {subject}"
            )
        envelope = Envelope(
            type=subject, source=self.source, actor=actor, data=data, schema_version=schema_version
        )
        headers: dict[str, str] = {}
        propagate.inject(headers)  # W3C traceparent of the request that caused the event
        await session.execute(
            insert(self.tables.outbox).values(
                id=envelope.id,
                subject=subject,
                envelope=envelope.model_dump(mode="json"),
                headers=headers,
            )
        )
        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": self.channel})
        return envelope
