"""Bank runs: a deposit (safe → bank) or a change pickup (bank → safe), pending until done."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY, Timestamps
from pos.db import Base, text_enum


class BankKind(StrEnum):
    deposit = "deposit"  # safe → bank
    change_pickup = "change_pickup"  # bank → safe


class BankStatus(StrEnum):
    pending = "pending"
    completed = "completed"


class BankTransaction(Timestamps, Base):
    """A bank run: a deposit (safe → bank) or a change pickup (bank → safe)."""

    __tablename__ = "bank_transactions"
    __table_args__ = (
        CheckConstraint("kind IN ('deposit', 'change_pickup')", name="kind_known"),
        CheckConstraint("status IN ('pending', 'completed')", name="status_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    kind: Mapped[BankKind] = mapped_column(text_enum(BankKind, 20))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    status: Mapped[BankStatus] = mapped_column(
        text_enum(BankStatus, 10), default=BankStatus.pending
    )
    reference: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by: Mapped[str | None] = mapped_column(String(64))
