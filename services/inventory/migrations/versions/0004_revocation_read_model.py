"""the revocation read-model of common.revocations replaces revoked_users

Sessions end everywhere: revoked token ids (jti / session id) until they expire,
every user auth told us about with their not-before instant, and the time of
the newest auth event consumed. The durable consumer behind it is new
(``revocations`` on ``auth.>``) and reads auth's stream from its start, so the
tables fill themselves; revoked_users' rows come back from auth.user.deactivated.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("revocation_version_seq")))
    op.create_table(
        "revocation_users",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("tokens_valid_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_revocation_users")),
    )
    op.create_index(
        op.f("ix_revocation_users_version"), "revocation_users", ["version"], unique=False
    )
    op.create_table(
        "revocation_tokens",
        sa.Column("token_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_revocation_tokens")),
    )
    op.create_index(
        op.f("ix_revocation_tokens_version"), "revocation_tokens", ["version"], unique=False
    )
    op.create_table(
        "revocation_state",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocation_state")),
    )
    op.drop_table("revoked_users")


def downgrade() -> None:
    op.create_table(
        "revoked_users",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column(
            "revoked_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_revoked_users")),
    )
    op.drop_table("revocation_state")
    op.drop_index(op.f("ix_revocation_tokens_version"), table_name="revocation_tokens")
    op.drop_table("revocation_tokens")
    op.drop_index(op.f("ix_revocation_users_version"), table_name="revocation_users")
    op.drop_table("revocation_users")
    op.execute(sa.schema.DropSequence(sa.Sequence("revocation_version_seq")))
