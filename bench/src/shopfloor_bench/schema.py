"""The benchmark's own small table set: the event tables plus an effects table.

A MetaData of its own, as every service has: ``event_tables`` adds the outbox,
inbox and dead letters; ``effects`` is what the latency consumer writes.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Identity, Table, Uuid

from common.db import new_metadata
from common.events.tables import event_tables

METADATA = new_metadata()
TABLES = event_tables(METADATA)

effects = Table(
    "bench_effects",
    METADATA,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("effect_at", DateTime(timezone=True), nullable=False),
)
