"""Checks on the stored ledger that every stock test can call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import text

from common.db import Database

MISMATCHES = text(
    """
    SELECT b.stock_key_id, b.location_id, b.quantity, COALESCE(l.total, 0) AS ledger
    FROM stock_balances b
    LEFT JOIN (
        SELECT stock_key_id, location_id, SUM(quantity_change) AS total
        FROM stock_ledger GROUP BY stock_key_id, location_id
    ) l USING (stock_key_id, location_id)
    WHERE b.quantity <> COALESCE(l.total, 0)
    UNION ALL
    SELECT l.stock_key_id, l.location_id, NULL, l.total
    FROM (
        SELECT stock_key_id, location_id, SUM(quantity_change) AS total
        FROM stock_ledger GROUP BY stock_key_id, location_id
    ) l
    LEFT JOIN stock_balances b USING (stock_key_id, location_id)
    WHERE b.stock_key_id IS NULL
    """
)

BROKEN_CHAINS = text(
    """
    SELECT id FROM (
        SELECT id, quantity_after,
               SUM(quantity_change) OVER (
                   PARTITION BY stock_key_id, location_id ORDER BY id
               ) AS running
        FROM stock_ledger
    ) rows WHERE quantity_after <> running
    """
)


async def ledger_mismatches(database: Database) -> list[tuple[object, ...]]:
    """Balances that differ from their ledger's sum, and ledger rows whose quantity_after
    is not the running sum (both empty when the ledger is consistent)."""
    async with database.session() as session:
        mismatches = [tuple(row) for row in (await session.execute(MISMATCHES)).all()]
        broken = [tuple(row) for row in (await session.execute(BROKEN_CHAINS)).all()]
    return mismatches + broken


async def negative_balances(database: Database) -> list[Decimal]:
    async with database.session() as session:
        rows = await session.execute(text("SELECT quantity FROM stock_balances WHERE quantity < 0"))
        return [row[0] for row in rows.all()]


async def outbox_subjects(database: Database, prefix: str = "") -> list[str]:
    async with database.session() as session:
        rows = await session.execute(
            text("SELECT subject FROM event_outbox WHERE subject LIKE :p ORDER BY seq"),
            {"p": prefix + "%"},
        )
        return [row[0] for row in rows.all()]


async def outbox_events(database: Database, prefix: str = "") -> list[dict[str, Any]]:
    """The envelopes written to the outbox (``type``, ``actor``, ``data``...), oldest first."""
    async with database.session() as session:
        rows = await session.execute(
            text("SELECT envelope FROM event_outbox WHERE subject LIKE :p ORDER BY seq"),
            {"p": prefix + "%"},
        )
        return [dict(row[0]) for row in rows.all()]
