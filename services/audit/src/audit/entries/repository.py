"""Queries of the log: the action counts, one entry, and the filtered listing (newest first)
the list, the export and the counts share. (Rows are written by ``streams.repository``.)"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from audit.entries.models import NO_STORE, SEARCHED_TEXT, ActionCount, AuditEntry

# The inbox subscriber of the log: one row per event id, whichever stream carried it.
LOG_SUBSCRIBER = "audit-log"
ADD_COUNTS_SQL = (
    "INSERT INTO action_counts (action, store_id, source, entity_type, count, last_seen) "
    "SELECT * FROM unnest(CAST(:actions AS text[]), CAST(:stores AS uuid[]), "
    "CAST(:sources AS text[]), CAST(:entities AS text[]), CAST(:counts AS bigint[]), "
    "CAST(:seen AS timestamptz[])) "
    "ON CONFLICT (action, store_id) DO UPDATE SET count = action_counts.count + excluded.count, "
    "last_seen = greatest(action_counts.last_seen, excluded.last_seen)"
)
ADD_COUNTS = text(ADD_COUNTS_SQL)


@dataclass(frozen=True)
class EntryFilters:
    """What a list or an export asks for; ``stores`` is the caller's scope (None: all)."""

    entity: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    action: str | None = None
    store: uuid.UUID | None = None
    stores: frozenset[uuid.UUID] | None = None
    source: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None  # exclusive
    search: str | None = None
    flagged: bool | None = None


@dataclass(frozen=True)
class CountDelta:
    action: str
    store_id: uuid.UUID | None
    source: str
    entity_type: str | None
    rows: int
    seen: datetime


def counted_by_totals(filters: EntryFilters) -> bool:
    """Whether ``action_counts`` alone can count the rows ``filters`` match."""
    return all(
        value is None
        for value in (
            filters.entity_id,
            filters.actor,
            filters.source,
            filters.date_from,
            filters.date_to,
            filters.search,
            filters.flagged,
        )
    )


def count_arrays(deltas: Iterable[CountDelta]) -> dict[str, list[Any]]:
    """The deltas merged per (action, store) as the arrays ``ADD_COUNTS`` takes, in key
    order, so concurrent writers lock the count rows in one order and never deadlock."""
    merged: dict[tuple[str, uuid.UUID], CountDelta] = {}
    for delta in deltas:
        key = (delta.action, delta.store_id or NO_STORE)
        seen = merged.get(key)
        if seen is not None:
            delta = CountDelta(
                delta.action,
                delta.store_id,
                delta.source,
                delta.entity_type,
                seen.rows + delta.rows,
                max(seen.seen, delta.seen),
            )
        merged[key] = delta
    ordered = sorted(merged.items())
    return {
        "actions": [action for (action, _), _ in ordered],
        "stores": [store for (_, store), _ in ordered],
        "sources": [delta.source for _, delta in ordered],
        "entities": [delta.entity_type for _, delta in ordered],
        "counts": [delta.rows for _, delta in ordered],
        "seen": [delta.seen for _, delta in ordered],
    }


def _escaped(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filtered(statement: Select[Any], filters: EntryFilters) -> Select[Any]:
    """``statement`` over ``audit_entries`` narrowed by ``filters``."""
    conditions: list[Any] = []
    if filters.entity is not None:
        conditions.append(AuditEntry.entity_type == filters.entity)
    if filters.entity_id is not None:
        conditions.append(AuditEntry.entity_id == filters.entity_id)
    if filters.actor is not None:
        conditions.append(AuditEntry.actor == filters.actor)
    if filters.action is not None:
        conditions.append(AuditEntry.action == filters.action)
    if filters.store is not None:
        conditions.append(AuditEntry.store_id == filters.store)
    if filters.stores is not None:
        conditions.append(AuditEntry.store_id.in_(sorted(filters.stores)))
    if filters.source is not None:
        conditions.append(AuditEntry.source == filters.source)
    if filters.date_from is not None:
        conditions.append(AuditEntry.occurred_at >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(AuditEntry.occurred_at < filters.date_to)
    if filters.flagged is not None:
        conditions.append(
            AuditEntry.parse_error.is_not(None)
            if filters.flagged
            else AuditEntry.parse_error.is_(None)
        )
    if filters.search:  # one text of the searched columns, as the trigram index reads it
        conditions.append(SEARCHED_TEXT.ilike(_escaped(filters.search), escape="\\"))
    return statement.where(and_(*conditions)) if conditions else statement


class EntryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- writing -------------------------------------------------------------------------

    async def add_counts(self, deltas: Iterable[CountDelta]) -> None:
        """Add to (or, negative, take from) the rows counted per action and store; a count
        falling to zero is removed."""
        arrays = count_arrays(deltas)
        if not arrays["actions"]:
            return
        await self.session.execute(ADD_COUNTS, arrays)
        if any(rows < 0 for rows in arrays["counts"]):
            await self.session.execute(delete(ActionCount).where(ActionCount.count <= 0))

    # -- reading -------------------------------------------------------------------------

    async def get(self, entry_id: int) -> AuditEntry | None:
        return (
            await self.session.execute(select(AuditEntry).where(AuditEntry.id == entry_id))
        ).scalar_one_or_none()

    async def limit_time(self, seconds: float) -> None:
        """Cancel any statement of this transaction running longer than ``seconds``."""
        await self.session.execute(
            select(func.set_config("statement_timeout", f"{int(seconds * 1000)}ms", True))
        )

    async def count(self, filters: EntryFilters) -> int:
        """How many rows match: from ``action_counts`` when the filters are its dimensions
        (action, entity type, store, the caller's stores, or none), exact and at once
        whatever the size of the log; otherwise counted from the rows."""
        if counted_by_totals(filters):
            statement = select(func.coalesce(func.sum(ActionCount.count), 0))
            if filters.action is not None:
                statement = statement.where(ActionCount.action == filters.action)
            if filters.entity is not None:
                statement = statement.where(ActionCount.entity_type == filters.entity)
            if filters.store is not None:
                statement = statement.where(ActionCount.store_id == filters.store)
            if filters.stores is not None:
                statement = statement.where(ActionCount.store_id.in_(sorted(filters.stores)))
        else:
            statement = select(func.count()).select_from(
                filtered(select(AuditEntry.id), filters).subquery()
            )
        return int((await self.session.execute(statement)).scalar_one())

    async def count_up_to(self, filters: EntryFilters, limit: int) -> int:
        """The matching rows counted, stopping at ``limit + 1`` (an index scan that ends early
        where a full count would read every match). In the list's order, so PostgreSQL walks
        the index the page used: unordered, it chose a (parallel) sequential scan for a date
        range, reading every partition from its start (rows are in time order) — seconds at
        10M rows."""
        matching = (
            filtered(select(AuditEntry.id), filters)
            .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
            .limit(limit + 1)
            .subquery()
        )
        statement = select(func.count()).select_from(matching)
        return int((await self.session.execute(statement)).scalar_one())

    async def estimate(self, filters: EntryFilters) -> int:
        """PostgreSQL's estimate of the matching rows (its plan's row count, from the
        statistics ANALYZE keeps: no rows are read)."""
        connection = await self.session.connection()
        compiled = filtered(select(AuditEntry.id), filters).compile(
            dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
        )
        plan = (
            await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
        ).scalar_one()
        return int((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])

    async def page(self, statement: Select[Any], *, limit: int, offset: int) -> list[AuditEntry]:
        return list((await self.session.execute(statement.limit(limit).offset(offset))).scalars())

    def listing(self, filters: EntryFilters, *, newest_first: bool = True) -> Select[Any]:
        statement = filtered(select(AuditEntry), filters)
        if newest_first:
            return statement.order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
        return statement.order_by(AuditEntry.occurred_at.asc(), AuditEntry.id.asc())

    async def action_counts(
        self, stores: frozenset[uuid.UUID] | None
    ) -> list[tuple[str, str, str | None, int, datetime]]:
        """(action, source, entity type, rows, last seen) over the caller's stores."""
        statement = select(
            ActionCount.action,
            func.min(ActionCount.source),
            func.min(ActionCount.entity_type),
            func.sum(ActionCount.count),
            func.max(ActionCount.last_seen),
        ).group_by(ActionCount.action)
        if stores is not None:
            statement = statement.where(ActionCount.store_id.in_(sorted(stores)))
        rows = await self.session.execute(statement.order_by(ActionCount.action))
        return [(row[0], row[1], row[2], int(row[3]), row[4]) for row in rows]

    async def vocabulary(self) -> tuple[set[str], set[str], set[str]]:
        """Every action, source and entity type the log has seen (what filters may name)."""
        rows = (
            await self.session.execute(
                select(ActionCount.action, ActionCount.source, ActionCount.entity_type).distinct()
            )
        ).all()
        return (
            {row[0] for row in rows},
            {row[1] for row in rows},
            {row[2] for row in rows if row[2] is not None},
        )
