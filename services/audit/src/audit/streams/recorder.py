"""Writing a batch of JetStream messages into the log, in one transaction:

1. each message has been read into a row-to-be (``reading.read``: never fails; what is not a
   valid event is kept raw and flagged);
2. the batch's event ids go into the inbox and the month's registry row is locked (one
   statement); ids already there (a redelivery, a republish) change nothing, and an id
   twice in the batch is written once;
3. the new rows are chained onto the month's head (``integrity.chain``) and written with
   the new head, the action counts and the stream's progress (one statement).

The caller acks the messages after this returns (the transaction has committed).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from audit.entries.repository import CountDelta
from audit.integrity.chain import genesis, line_tail, linked_hash, wire_time
from audit.partitions.months import month_label, month_of
from audit.partitions.service import PartitionService
from audit.streams.reading import EntryDraft, Received, read
from audit.streams.repository import Head, LogWriter, StreamRepository
from common.db import Database


@dataclass(frozen=True)
class Outcome:
    recorded: int
    repeated: int
    flagged: int


def chain_rows(
    drafts: Sequence[EntryDraft], *, month: date, prev_hash: str, position: int, at: datetime
) -> list[dict[str, Any]]:
    """The rows of ``drafts`` linked after (``prev_hash``, ``position``) in ``month``.

    The hash of each row is ``row_hash`` of its chained text; the line is built as
    ``linked_hash`` does (the opening fields as text, the rest encoded once per row, the
    batch's month and ``recorded_at`` once per batch): this runs while the month's head is
    locked, so every writer of the month waits on it."""
    label = month_label(month)
    recorded = wire_time(at)
    rows = []
    for draft in drafts:
        position += 1
        row: dict[str, Any] = {
            "recorded_at": at,
            "event_id": draft.event_id,
            "occurred_at": draft.occurred_at,
            "stream": draft.stream,
            "stream_sequence": draft.stream_sequence,
            "source": draft.source,
            "action": draft.action,
            "actor": draft.actor,
            "entity_type": draft.entity_type,
            "entity_id": draft.entity_id,
            "store_id": draft.store_id,
            "request_id": draft.request_id,
            "trace_id": draft.trace_id,
            "schema_version": draft.schema_version,
            "payload": draft.payload,
            "parse_error": draft.parse_error,
            "raw": draft.raw,
            "position": position,
            "prev_hash": prev_hash,
        }
        tail = line_tail(
            [
                draft.stream,
                str(draft.stream_sequence),
                draft.source,
                draft.action,
                draft.actor,
                draft.entity_type,
                draft.entity_id,
                None if draft.store_id is None else str(draft.store_id),
                draft.request_id,
                draft.trace_id,
                None if draft.schema_version is None else str(draft.schema_version),
                draft.parse_error,
                draft.payload,
                draft.raw,
            ]
        )
        prev_hash = linked_hash(
            prev_hash,
            label,
            position,
            str(draft.event_id),
            wire_time(draft.occurred_at),
            recorded,
            tail,
        )
        row["hash"] = prev_hash
        rows.append(row)
    return rows


class Recorder:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._months: set[date] = set()  # partitions known to exist

    async def _partition_for(self, moment: datetime) -> date:
        """The month's partition, created (in its own transaction) if the keeper has not."""
        month = month_of(moment)
        if month not in self._months:
            async with self.database.session() as session:
                await PartitionService(session).ensure([month])
            self._months.add(month)
        return month

    async def record(
        self, stream: str, messages: Sequence[Received], *, now: datetime | None = None
    ) -> Outcome:
        return await self.record_drafts(stream, [read(message) for message in messages], now=now)

    async def record_drafts(
        self, stream: str, drafts: Sequence[EntryDraft], *, now: datetime | None = None
    ) -> Outcome:
        at = now or datetime.now(UTC)
        month = await self._partition_for(at)
        unique: dict[uuid.UUID, EntryDraft] = {}
        for draft in drafts:
            unique.setdefault(draft.event_id, draft)
        async with self.database.session() as session:
            writer = LogWriter(session)
            events = [(draft.event_id, draft.action) for draft in unique.values()]
            fresh, head = await writer.claim_and_lock(events, month)
            if head is None:  # the month's registry row is missing (emptied): make it
                await PartitionService(session).head_for_update(month)
                head = Head(0, None)
            new = [draft for draft in unique.values() if draft.event_id in fresh]
            flagged = sum(1 for draft in new if draft.parse_error is not None)
            sequence = max((draft.stream_sequence for draft in drafts), default=0)
            if new:
                rows = chain_rows(
                    new,
                    month=month,
                    prev_hash=head.hash or genesis(month),
                    position=head.position,
                    at=at,
                )
                counts = [
                    CountDelta(d.action, d.store_id, d.source, d.entity_type, 1, d.occurred_at)
                    for d in new
                ]
                await writer.append(
                    rows,
                    counts,
                    month=month,
                    stream=stream,
                    sequence=sequence,
                    flagged=flagged,
                    at=at,
                )
            else:
                await StreamRepository(session).progress(
                    stream, sequence=sequence, recorded=0, flagged=0, at=at
                )
        return Outcome(recorded=len(new), repeated=len(drafts) - len(new), flagged=flagged)

    async def record_unrecordable(self, stream: str, draft: EntryDraft, error: str) -> Outcome:
        """Last resort for a message that failed every attempt: its masked text, flagged
        with the error, as a row of its own (a log never drops an event)."""
        failed = replace(
            draft,
            payload=None,
            parse_error=f"could not be recorded: {error}"[:2000],
            raw=draft.raw or draft.payload,
        )
        return await self.record_drafts(stream, [failed])
