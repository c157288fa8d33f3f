"""search and actor-within-store indexes

``?search=`` is served by a pg_trgm GIN index on the searched columns joined as one text
(``entries.models.SEARCHED_TEXT``: the list spells the same expression), and an actor within
a store (or a branch head's stores) by ``(actor, store_id, occurred_at, id)``, so neither
reads the rows it does not return. pg_trgm is a trusted extension (PostgreSQL 13+): the
database's owner may create it. Both indexes are built on the parent, so on every partition
and every partition made later; on a large log the build holds writes back until it ends
(the consumers wait, the events stay in JetStream, nothing is lost).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED = (
    "(coalesce(action, '') || E'\\x1f' || coalesce(actor, '') || E'\\x1f' "
    "|| coalesce(entity_id, '') || E'\\x1f' || coalesce(payload, '') || E'\\x1f' "
    "|| coalesce(raw, ''))"
)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_audit_entries_actor_store",
        "audit_entries",
        ["actor", "store_id", "occurred_at", "id"],
        unique=False,
    )
    op.execute(
        f"CREATE INDEX ix_audit_entries_search ON audit_entries USING gin ({SEARCHED} gin_trgm_ops)"
    )


def downgrade() -> None:
    op.drop_index("ix_audit_entries_search", table_name="audit_entries")
    op.drop_index("ix_audit_entries_actor_store", table_name="audit_entries")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
