"""Monthly partitions made ahead of time (invisible to Alembic's comparison), the trigger that
keeps the log append-only, and retention dropping whole months — on the record."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from audit.config import AuditSettings
from audit.models import EVENT_TABLES, ActionCount, AuditEntry, Base, LogMonth
from audit.partitions.maintenance import PartitionKeeper
from audit.partitions.months import add_months, month_of
from audit.partitions.repository import MonthRepository
from audit.partitions.service import PartitionService
from common.db import Database
from common.testing.helpers import migration_drift, read_events
from tests.conftest import record, sale_event, wait_for_rows


async def partitions(database: Database) -> set[date]:
    async with database.session() as session:
        found: set[date] = await MonthRepository(session).partitions()
    return found


async def test_the_current_month_and_three_ahead_exist_at_start_up(
    client: httpx.AsyncClient, database: Database, settings: AuditSettings
) -> None:
    current = month_of(datetime.now(UTC))
    ahead = {add_months(current, step) for step in range(4)}
    assert ahead <= await partitions(database)
    async with database.session() as session:
        months = set((await session.execute(select(LogMonth.month))).scalars())
    assert ahead <= months
    await PartitionKeeper(database, settings).ensure_ahead()  # again: nothing changes
    assert ahead <= await partitions(database)
    # the partitions live outside the schema Alembic compares: the models still match
    assert migration_drift(settings.database_url, Base.metadata) == []


async def test_rows_can_be_added_but_never_changed_or_removed(
    client: httpx.AsyncClient, database: Database
) -> None:
    [row] = await record(database, [sale_event()])
    for statement in (
        update(AuditEntry).where(AuditEntry.id == row.id).values(actor="someone else"),
        delete(AuditEntry).where(AuditEntry.id == row.id),
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with database.session() as session:
                await session.execute(statement)
    async with database.session() as session:
        kept = await session.get(AuditEntry, (row.id, row.recorded_at))
    assert kept is not None and kept.actor == "cashier-1"


async def test_retention_drops_whole_old_months_and_records_the_drop(
    client: httpx.AsyncClient, database: Database, settings: AuditSettings, nats_url: str
) -> None:
    now = datetime.now(UTC)
    current = month_of(now)
    old, kept = add_months(current, -14), add_months(current, -12)
    at = {month: datetime(month.year, month.month, 15, tzinfo=UTC) for month in (old, kept)}
    store = uuid.uuid4()
    old_rows = await record(database, [sale_event(store), sale_event(store)], now=at[old])
    kept_rows = await record(database, [sale_event(store)], now=at[kept])
    assert {row.recorded_at for row in old_rows} == {at[old]}
    keeper = PartitionKeeper(database, settings.model_copy(update={"audit_retention_months": 12}))
    since = now.timestamp()

    dropped = await keeper.apply_retention(now)

    months_dropped = [item.month for item in dropped]
    assert old in months_dropped and kept not in months_dropped
    async with database.session() as session:  # a second replica, a moment later
        assert await PartitionService(session).drop(old, now=now, retention_months=12) is None
    assert old not in await partitions(database) and kept in await partitions(database)
    async with database.session() as session:
        registry = await session.get(LogMonth, old)
        counted = await session.scalar(
            select(ActionCount.count).where(ActionCount.store_id == store)
        )
        inbox = EVENT_TABLES.inbox
        remembered = set((await session.execute(select(inbox.c.event_id))).scalars())
    assert registry is not None and registry.dropped_at is not None
    assert (registry.rows, registry.head_hash) == (2, old_rows[-1].hash)
    assert counted == 1  # the kept month's sale only
    assert not {row.event_id for row in old_rows} & remembered
    assert kept_rows[0].event_id in remembered
    [event] = await read_events(nats_url, "audit.partition.dropped", since=since)
    assert event.data["rows"] == 2 and event.data["head_hash"] == old_rows[-1].hash
    # ... and the drop is itself a row of the log, through the AUDIT stream
    [logged] = await wait_for_rows(database, 1, AuditEntry.event_id == event.id)
    assert (logged.action, logged.actor) == ("audit.partition.dropped", None)


async def test_no_retention_keeps_everything(
    client: httpx.AsyncClient, database: Database, settings: AuditSettings
) -> None:
    ancient = datetime(2001, 1, 10, tzinfo=UTC)
    await record(database, [sale_event()], now=ancient)
    assert await PartitionKeeper(database, settings).apply_retention() == []  # retention 0
    assert date(2001, 1, 1) in await partitions(database)
    async with database.session() as session:
        await session.execute(text("DROP TABLE audit_partitions.entries_2001_01"))
