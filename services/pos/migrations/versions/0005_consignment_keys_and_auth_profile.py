"""consignment: a consigned item's Idempotency-Key (one item per key, with its body's hash);
a consignee account's user flag and sync time from auth's user events

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('consigned_items', sa.Column('idempotency_key', sa.String(length=200), nullable=True))
    op.add_column('consigned_items', sa.Column('request_hash', sa.String(length=64), nullable=True))
    op.create_unique_constraint('uq_consigned_items_idempotency_key', 'consigned_items', ['idempotency_key'])
    op.add_column('consignees', sa.Column('user_active', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('consignees', sa.Column('synced_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('consignees', 'synced_at')
    op.drop_column('consignees', 'user_active')
    op.drop_constraint('uq_consigned_items_idempotency_key', 'consigned_items', type_='unique')
    op.drop_column('consigned_items', 'request_hash')
    op.drop_column('consigned_items', 'idempotency_key')
