"""Unit items: the consignee owning a consignment unit, and one unit per Idempotency-Key

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 20:33:11.250019
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('items', sa.Column('owner_id', sa.String(length=64), nullable=True))
    op.add_column('items', sa.Column('idempotency_key', sa.String(length=120), nullable=True))
    op.create_index(op.f('ix_items_owner_id'), 'items', ['owner_id'], unique=False)
    op.create_unique_constraint(op.f('uq_items_idempotency_key'), 'items', ['idempotency_key'])


def downgrade() -> None:
    op.drop_constraint(op.f('uq_items_idempotency_key'), 'items', type_='unique')
    op.drop_index(op.f('ix_items_owner_id'), table_name='items')
    op.drop_column('items', 'idempotency_key')
    op.drop_column('items', 'owner_id')
