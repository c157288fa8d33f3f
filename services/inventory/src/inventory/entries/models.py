"""``stock_entries`` and their lines: a receipt, issue, transfer or adjustment (a count)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import QUANTITY, Timestamps
from inventory.db import Base


class EntryType(StrEnum):
    receipt = "receipt"
    issue = "issue"
    transfer = "transfer"
    adjustment = "adjustment"


class EntryStatus(StrEnum):
    draft = "draft"
    posted = "posted"
    cancelled = "cancelled"


class StockEntry(Timestamps, Base):
    __tablename__ = "stock_entries"
    __table_args__ = (
        CheckConstraint(
            "entry_type IN ('receipt', 'issue', 'transfer', 'adjustment')", name="type_known"
        ),
        CheckConstraint("status IN ('draft', 'posted', 'cancelled')", name="status_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    entry_type: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    reference: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(64))
    posted_by: Mapped[str | None] = mapped_column(String(64))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by: Mapped[str | None] = mapped_column(String(64))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    lines: Mapped[list[StockEntryLine]] = relationship(
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="StockEntryLine.line_no",
        back_populates="entry",
    )


class StockEntryLine(Base):
    __tablename__ = "stock_entry_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    entry_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stock_entries.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer)
    stock_key_id: Mapped[int] = mapped_column(ForeignKey("stock_keys.id"))
    sku: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    source_location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    target_location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    serial_numbers: Mapped[list[str]] = mapped_column(JSONB, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped[StockEntry] = relationship(back_populates="lines")
