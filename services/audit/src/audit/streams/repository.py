"""Queries of the consumed streams (registering one, their progress) and the log's writer:
a batch of rows in two statements, so a batch costs the same few round trips at any size.

``claim_and_lock`` puts the batch's event ids in the inbox and locks the month's registry
row (one statement, two CTEs); ``append`` writes the rows (``INSERT ... SELECT FROM
json_to_recordset``: the batch as one JSON text), moves the month's head, adds to the action counts and moves the
stream's progress (one statement, four CTEs). Under a loaded machine every round trip to
PostgreSQL costs a scheduling delay; a batch of 1,000 events costs four of them (with
BEGIN and COMMIT), where one statement per step cost ten.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from audit.db import EVENT_TABLES
from audit.entries.models import AuditEntry
from audit.entries.repository import ADD_COUNTS_SQL, LOG_SUBSCRIBER, CountDelta, count_arrays
from audit.streams.models import ConsumedStream

WRITTEN = [column for column in AuditEntry.__table__.columns if column.name != "id"]
_RECORD_TYPES = {
    "recorded_at": "timestamptz",
    "occurred_at": "timestamptz",
    "event_id": "uuid",
    "store_id": "uuid",
    "stream_sequence": "bigint",
    "position": "bigint",
    "schema_version": "integer",
}
# A batch travels as one JSON text (orjson, in C) that PostgreSQL unpacks itself: arrays
# of 20 columns cost psycopg a Python escape per element, ten times the rest of a batch.
_ROW_TYPE = ", ".join(f"{c.name} {_RECORD_TYPES.get(c.name, 'text')}" for c in WRITTEN)
_NAMES = ", ".join(column.name for column in WRITTEN)
CLAIM_AND_LOCK = text(
    "WITH claimed AS ("
    " INSERT INTO event_inbox (subscriber, event_id, subject)"
    " SELECT :subscriber, e.event_id, e.subject"
    " FROM json_to_recordset(CAST(:events AS json)) AS e(event_id uuid, subject text)"
    " ON CONFLICT DO NOTHING RETURNING event_id),"
    " head AS (SELECT head_position, head_hash FROM log_months WHERE month = :month FOR UPDATE)"
    " SELECT (SELECT coalesce(array_agg(event_id), '{}') FROM claimed) AS fresh,"
    " (SELECT count(*) FROM head) AS registered,"
    " (SELECT head_position FROM head) AS position, (SELECT head_hash FROM head) AS hash"
)
APPEND = text(
    f"WITH entries AS (INSERT INTO audit_entries ({_NAMES})"
    f" SELECT {_NAMES} FROM json_to_recordset(CAST(:rows AS json)) AS r({_ROW_TYPE})),"
    " head AS (UPDATE log_months SET rows = rows + :added, head_position = :head_position,"
    " head_hash = :head_hash WHERE month = :month),"
    f" counts AS ({ADD_COUNTS_SQL}),"
    " progress AS (UPDATE consumed_streams SET"
    " last_sequence = greatest(last_sequence, :sequence), recorded = recorded + :added,"
    " flagged = flagged + :flagged, last_recorded_at = :at WHERE name = :stream)"
    " SELECT 1"
)


@dataclass(frozen=True)
class Head:
    """A month's chain head, locked for this transaction (None: no registry row)."""

    position: int
    hash: str | None


class LogWriter:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim_and_lock(
        self, events: Sequence[tuple[uuid.UUID, str]], month: date
    ) -> tuple[set[uuid.UUID], Head | None]:
        """The ids not in the inbox before (now in it), and the month's head, locked."""
        row = (
            await self.session.execute(
                CLAIM_AND_LOCK,
                {
                    "subscriber": LOG_SUBSCRIBER,
                    "events": orjson.dumps(
                        [{"event_id": event_id, "subject": subject} for event_id, subject in events]
                    ).decode(),
                    "month": month,
                },
            )
        ).one()
        head = Head(int(row.position), row.hash) if row.registered else None
        return set(row.fresh), head

    async def append(
        self,
        rows: Sequence[dict[str, Any]],
        counts: Sequence[CountDelta],
        *,
        month: date,
        stream: str,
        sequence: int,
        flagged: int,
        at: datetime,
    ) -> None:
        """The rows (chained already), the month's new head, the counts, the progress."""
        await self.session.execute(
            APPEND,
            {
                "rows": orjson.dumps(list(rows)).decode(),
                **count_arrays(counts),
                "added": len(rows),
                "head_position": rows[-1]["position"],
                "head_hash": rows[-1]["hash"],
                "month": month,
                "sequence": sequence,
                "flagged": flagged,
                "at": at,
                "stream": stream,
            },
        )


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
