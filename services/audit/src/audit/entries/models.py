"""The activity log: one row per event, append-only, in monthly range partitions.

``audit_entries`` is partitioned by ``recorded_at`` (when audit wrote the row, UTC months),
so a month that has ended never changes again: its chain head is final. The partitions
themselves live in the ``audit_partitions`` schema (``audit_partitions.entries_2026_12``),
created ahead of time by ``partitions``; the migration creates the parent, its indexes
(inherited by every partition) and the trigger refusing UPDATE and DELETE.

``action_counts`` keeps how many rows each action has per store, updated in the same
transaction as the rows, so ``GET /api/audit/actions`` never counts millions of rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Text,
    Uuid,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from audit.db import Base

ENTRY_ID = Sequence("audit_entries_id_seq", metadata=Base.metadata)
# action_counts cannot key on NULL: events naming no store are counted under this id.
NO_STORE = uuid.UUID(int=0)


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        # A key of a partitioned table must hold the partition key.
        PrimaryKeyConstraint("id", "recorded_at"),
        Index("ix_audit_entries_occurred", "occurred_at", "id"),
        Index("ix_audit_entries_action", "action", "occurred_at", "id"),
        Index("ix_audit_entries_actor", "actor", "occurred_at", "id"),
        # An actor within a store (or a branch head's stores) without a heap fetch per row.
        Index("ix_audit_entries_actor_store", "actor", "store_id", "occurred_at", "id"),
        Index("ix_audit_entries_store", "store_id", "occurred_at", "id"),
        Index("ix_audit_entries_entity", "entity_type", "entity_id", "occurred_at", "id"),
        Index("ix_audit_entries_source", "source", "occurred_at", "id"),
        Index("ix_audit_entries_chain", "position"),
        {"postgresql_partition_by": "RANGE (recorded_at)"},
    )

    id: Mapped[int] = mapped_column(BigInteger, ENTRY_ID, server_default=ENTRY_ID.next_value())
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    stream: Mapped[str] = mapped_column(String(64))
    stream_sequence: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str | None] = mapped_column(String(200))
    entity_type: Mapped[str | None] = mapped_column(String(100))
    entity_id: Mapped[str | None] = mapped_column(String(200))
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    request_id: Mapped[str | None] = mapped_column(String(128))
    trace_id: Mapped[str | None] = mapped_column(String(32))
    schema_version: Mapped[int | None] = mapped_column(Integer)
    # The masked payload as the exact canonical JSON text that was hashed (NULL when the
    # event could not be parsed); ``raw`` keeps such an event's masked bytes as text.
    payload: Mapped[str | None] = mapped_column(Text)
    parse_error: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str | None] = mapped_column(Text)
    # The hash chain of the row's partition (integrity/chain.py).
    position: Mapped[int] = mapped_column(BigInteger)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# ?search= matches a substring (ILIKE) of any of these columns. The list reads them as one
# text, joined by a unit separator (a non-word character, so no trigram and no ILIKE match
# spans two columns), which a pg_trgm GIN index serves: the query must spell the index's
# expression exactly, so both are built here, from literals (no bound parameters).
SEARCHED_COLUMNS = ("action", "actor", "entity_id", "payload", "raw")
# The separator as a plain literal holding the character itself: how PostgreSQL spells the
# index's expression back, so Alembic's comparison of models and database sees them equal.
SEARCH_SEPARATOR: ColumnElement[str] = literal_column("'\x1f'")


def _searched_text() -> ColumnElement[str]:
    """The searched columns as one text (the index's expression)."""
    columns = [
        func.coalesce(getattr(AuditEntry, name), literal_column("''")) for name in SEARCHED_COLUMNS
    ]
    joined: ColumnElement[str] = columns[0]
    for column in columns[1:]:
        joined = joined.op("||")(SEARCH_SEPARATOR).op("||")(column)
    return joined


# Built once: the index and every search read this one expression.
SEARCHED_TEXT = _searched_text()


# Declared beside the table (its columns name it), so metadata and migrations carry it.
SEARCH_INDEX = Index(
    "ix_audit_entries_search",
    SEARCHED_TEXT.label("searched"),
    postgresql_using="gin",
    postgresql_ops={"searched": "gin_trgm_ops"},
)
AuditEntry.__table__.append_constraint(SEARCH_INDEX)  # type: ignore[attr-defined]


class ActionCount(Base):
    """Rows per action and store (``NO_STORE`` for events naming none)."""

    __tablename__ = "action_counts"

    action: Mapped[str] = mapped_column(String(200), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str | None] = mapped_column(String(100))
    count: Mapped[int] = mapped_column(BigInteger)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
