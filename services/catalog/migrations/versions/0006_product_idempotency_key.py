"""products: the Idempotency-Key of the request that created the product, and its body's hash

A retried POST /api/products with the same key (inventory's intake sends one derived from
the manifest row) answers the product it made; another body with that key is refused.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("products", sa.Column("idempotency_key", sa.String(length=200), nullable=True))
    op.add_column("products", sa.Column("request_hash", sa.String(length=64), nullable=True))
    op.create_unique_constraint(
        op.f("uq_products_idempotency_key"), "products", ["idempotency_key"]
    )


def downgrade() -> None:
    op.drop_constraint(op.f("uq_products_idempotency_key"), "products", type_="unique")
    op.drop_column("products", "request_hash")
    op.drop_column("products", "idempotency_key")
