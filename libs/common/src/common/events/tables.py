"""The outbox, inbox and dead-letter tables, added to each service's own MetaData.

Call ``event_tables(Base.metadata)`` once in the service's models module so
Alembic's autogenerate puts them in the service's first migration.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB


@dataclass(frozen=True)
class EventTables:
    outbox: Table
    inbox: Table
    dead_letters: Table


def event_tables(metadata: MetaData) -> EventTables:
    """The three tables on ``metadata`` (created once; later calls return the same ones)."""
    if "event_outbox" in metadata.tables:
        return EventTables(
            metadata.tables["event_outbox"],
            metadata.tables["event_inbox"],
            metadata.tables["event_dead_letters"],
        )
    outbox = Table(
        "event_outbox",
        metadata,
        Column("seq", BigInteger, Identity(always=True), primary_key=True),
        Column("id", Uuid, nullable=False, unique=True),
        Column("subject", String(200), nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text, nullable=True),
        Index("ix_event_outbox_unsent", "seq", postgresql_where=text("sent_at IS NULL")),
    )
    inbox = Table(
        "event_inbox",
        metadata,
        Column("subscriber", String(200), primary_key=True),
        Column("event_id", Uuid, primary_key=True),
        Column("subject", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    dead_letters = Table(
        "event_dead_letters",
        metadata,
        Column("id", BigInteger, Identity(always=True), primary_key=True),
        Column("subscriber", String(200), nullable=False),
        Column("event_id", Uuid, nullable=True),
        Column("subject", String(200), nullable=False),
        Column("payload", Text, nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return EventTables(outbox, inbox, dead_letters)
