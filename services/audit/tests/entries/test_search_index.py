"""?search= and an actor within a store are served by their indexes (migration 0002): the
query the list builds spells the trigram index's expression exactly, so PostgreSQL can use
it (a query that drifted from the expression could only scan); a search matches inside any
searched column but never across two of them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Select, select, text

from audit.entries.repository import EntryFilters, filtered
from audit.models import AuditEntry
from common.db import Database
from common.events.envelope import Envelope
from tests.conftest import STORE_A, STORE_B, record, sale_event

pytestmark = pytest.mark.usefixtures("stores")


async def plan(database: Database, statement: Select[Any], *priced_out: str) -> str:
    """EXPLAIN of ``statement`` with sequential scans and the ``priced_out`` plan types
    switched off, so the planner says which index can answer it even on a small log."""
    async with database.session() as session:
        connection = await session.connection()
        compiled = statement.compile(dialect=connection.dialect)
        for kind in ("seqscan", *priced_out):
            await session.execute(text(f"SET LOCAL enable_{kind} = off"))
        result = await connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
        return "\n".join(line for (line,) in result)


async def partition_indexes(database: Database, parent: str) -> set[str]:
    """The names of the partitions' copies of the parent's index ``parent``."""
    async with database.session() as session:
        rows = await session.execute(
            text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = CAST(:parent AS regclass)"
            ),
            {"parent": parent},
        )
        return {name for (name,) in rows}


async def test_a_search_is_answered_from_the_trigram_index(database: Database) -> None:
    await record(database, [sale_event(note="a needle in the payload")])
    copies = await partition_indexes(database, "ix_audit_entries_search")
    assert copies, "no partition carries the search index"
    explained = await plan(
        database, filtered(select(AuditEntry.id), EntryFilters(search="needle")), "indexscan"
    )
    assert "Bitmap Index Scan" in explained and any(name in explained for name in copies), explained


async def test_an_actor_in_a_store_is_counted_from_the_index_alone(database: Database) -> None:
    await record(database, [sale_event(STORE_A, actor="cashier-a")])
    copies = await partition_indexes(database, "ix_audit_entries_actor_store")
    explained = await plan(
        database,
        filtered(select(AuditEntry.id), EntryFilters(actor="cashier-a", store=STORE_A)),
        "bitmapscan",
    )
    assert "Index Only Scan" in explained, explained
    assert all(name in explained for name in copies if name.startswith("entries_")), explained


async def test_a_search_matches_inside_each_column_and_never_across_two(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    product = Envelope(
        type="catalog.product.updated",
        source="catalog",
        actor="admin-1",
        data={"product_id": "p-7", "name": "Pixel 9"},
    )
    rows = await record(database, [product, sale_event(STORE_B, actor="cashier-b")])
    by_action = {row.action: row.id for row in rows}

    async def found(term: str) -> list[int]:
        answer = await client.get("/api/logs/", params={"search": term}, headers=admin)
        assert answer.status_code == 200, answer.text
        return [row["id"] for row in answer.json()["results"]]

    assert await found("product.UPDATED") == [by_action["catalog.product.updated"]]  # action
    assert await found("CASHIER-B") == [by_action["pos.sale.completed"]]  # actor
    assert await found("pixel") == [by_action["catalog.product.updated"]]  # payload
    # The actor's end and the entity id's start are adjacent only across the separator.
    assert await found("admin-1p-7") == []
    assert await found("updatedadmin") == []
