"""GET /api/audit/verify recomputes a month: a clean chain is valid with its count and head;
a row changed, removed from the middle or from the end (the trigger disabled, as only a
database owner could) is named as the first broken row."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from audit.models import AuditEntry
from audit.partitions.months import month_label, month_of, qualified
from common.db import Database
from tests.conftest import record, sale_event


async def tamper(database: Database, entry: AuditEntry, statement: str) -> None:
    """Run ``statement`` on the entry's partition with the append-only trigger disabled."""
    partition = qualified(month_of(entry.recorded_at))
    async with database.session() as session:
        await session.execute(
            text(f"ALTER TABLE {partition} DISABLE TRIGGER audit_entries_append_only")
        )
        await session.execute(text(statement.format(partition=partition)), {"id": entry.id})
        await session.execute(
            text(f"ALTER TABLE {partition} ENABLE TRIGGER audit_entries_append_only")
        )


async def five_rows(database: Database) -> list[AuditEntry]:
    return await record(database, [sale_event() for _ in range(5)])


async def test_an_untouched_month_verifies_with_its_count_and_head(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    rows = await five_rows(database)
    month = month_label(month_of(rows[0].recorded_at))
    answer = await client.get("/api/audit/verify", params={"month": month}, headers=admin)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["valid"], body["rows"], body["head_hash"], body["first_broken"]) == (
        True,
        5,
        rows[-1].hash,
        None,
    )
    assert (body["recorded_rows"], body["recorded_head"]) == (5, rows[-1].hash)


async def test_a_changed_row_is_named(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    rows = await five_rows(database)
    await tamper(
        database, rows[2], 'UPDATE {partition} SET payload = \'{{"total":"0.01"}}\' WHERE id = :id'
    )
    month = month_label(month_of(rows[0].recorded_at))
    body = (await client.get("/api/audit/verify", params={"month": month}, headers=admin)).json()
    assert body["valid"] is False and body["rows"] == 5
    broken = body["first_broken"]
    assert (broken["id"], broken["position"], broken["event_id"]) == (
        rows[2].id,
        rows[2].position,
        str(rows[2].event_id),
    )
    assert "do not match its hash" in broken["reason"]


async def test_a_removed_row_breaks_the_run_of_positions(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    rows = await five_rows(database)
    await tamper(database, rows[1], "DELETE FROM {partition} WHERE id = :id")
    month = month_label(month_of(rows[0].recorded_at))
    body = (await client.get("/api/audit/verify", params={"month": month}, headers=admin)).json()
    assert body["valid"] is False and body["rows"] == 4
    assert body["first_broken"]["id"] == rows[2].id
    assert "missing" in body["first_broken"]["reason"]


async def test_a_removed_tail_shows_against_the_recorded_head(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    rows = await five_rows(database)
    await tamper(database, rows[4], "DELETE FROM {partition} WHERE id = :id")
    month = month_label(month_of(rows[0].recorded_at))
    body = (await client.get("/api/audit/verify", params={"month": month}, headers=admin)).json()
    assert (body["valid"], body["rows"], body["head_hash"]) == (False, 4, rows[3].hash)
    assert "removed from the end" in body["first_broken"]["reason"]


async def test_a_month_must_be_written_yyyy_mm_and_exist(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for month in ("2026-13", "december", "2026-1", "x" * 100):
        answer = await client.get("/api/audit/verify", params={"month": month}, headers=admin)
        assert answer.status_code == 422, (month, answer.text)
        assert answer.json()["detail"][0]["loc"] == ["query", "month"]
    missing = await client.get("/api/audit/verify", params={"month": "1999-01"}, headers=admin)
    assert missing.status_code == 404 and "1999-01" in missing.json()["detail"]
    assert (await client.get("/api/audit/verify", headers=admin)).status_code == 422
