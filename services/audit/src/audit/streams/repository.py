"""Queries of the consumed streams: registering one, and moving its progress forward."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from audit.db import EVENT_TABLES
from audit.streams.models import ConsumedStream


class StreamRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def register(self, name: str, subjects: list[str], durable: str) -> None:
        statement = pg_insert(ConsumedStream).values(
            name=name, subjects=subjects, durable=durable, last_sequence=0, recorded=0, flagged=0
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[ConsumedStream.name], set_={"subjects": subjects}
            )
        )

    async def progress(
        self, name: str, *, sequence: int, recorded: int, flagged: int, at: datetime
    ) -> None:
        values: dict[str, object] = {
            "last_sequence": func.greatest(ConsumedStream.last_sequence, sequence),
            "recorded": ConsumedStream.recorded + recorded,
            "flagged": ConsumedStream.flagged + flagged,
        }
        if recorded:
            values["last_recorded_at"] = at
        await self.session.execute(
            update(ConsumedStream).where(ConsumedStream.name == name).values(**values)
        )

    async def all(self) -> list[ConsumedStream]:
        return list(
            (await self.session.execute(select(ConsumedStream).order_by(ConsumedStream.name)))
            .scalars()
            .all()
        )

    async def dead_letters(self) -> dict[str, int]:
        """Dead-lettered messages per subscriber (the durable consumer's name)."""
        table = EVENT_TABLES.dead_letters
        rows = await self.session.execute(
            select(table.c.subscriber, func.count()).group_by(table.c.subscriber)
        )
        return {row[0]: int(row[1]) for row in rows}
