"""indexes for ?ordering=price and ?ordering=name on products

Measured with bench `shopfloor-bench catalog` (100k products): ordering by -price
read and sorted every row (300 ms); with the index it is a backward index scan (1 ms).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_products_base_price", "products", ["base_price"], unique=False)
    op.create_index("ix_products_name", "products", ["name"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_products_name", table_name="products")
    op.drop_index("ix_products_base_price", table_name="products")
