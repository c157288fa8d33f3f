"""the revocation read-model's version sequence

0001 created the revocation read-model's tables (revocation_state, revocation_tokens,
revocation_users) but not ``revocation_version_seq``, which every write of
``common.revocations`` takes its version from (Alembic does not autogenerate
sequences). Created as catalog's 0004 does.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("revocation_version_seq")))


def downgrade() -> None:
    op.execute(sa.schema.DropSequence(sa.Sequence("revocation_version_seq")))
