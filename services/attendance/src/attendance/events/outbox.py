"""attendance's outbox: events written in the transaction of the change, validated against
their contracts."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.db import EVENT_TABLES
from attendance.events.contracts import PUBLISHED
from common.events.contracts import Published
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="attendance", contracts=PUBLISHED)


async def announce(session: AsyncSession, event: Published, verb: str, actor: str | None) -> None:
    """Write ``event`` on the one of its subjects that ends in ``.{verb}`` (``created``...)."""
    await outbox.publish(session, event, verb=verb, actor=actor)
