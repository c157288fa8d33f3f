"""lookup indexes: SKUs ignoring case, the ledger by location

The routes find items, articles and stock keys by ``upper(sku)`` and page the ledger of
one location newest first; without these indexes each was a sequential scan (see
bench/README.md, "Inventory", for the figures before and after).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SKU_INDEXES = {
    "ix_articles_sku_upper": "articles",
    "ix_items_sku_upper": "items",
    "ix_stock_keys_sku_upper": "stock_keys",
}


def upgrade() -> None:
    for name, table in SKU_INDEXES.items():
        op.create_index(name, table, [sa.text("upper(sku)")])
    op.create_index("ix_stock_ledger_location", "stock_ledger", ["location_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_stock_ledger_location", table_name="stock_ledger")
    for name, table in SKU_INDEXES.items():
        op.drop_index(name, table_name=table)
