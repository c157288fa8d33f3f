"""The cash at the register and in the safe: a drawer (one cashier's session on a register),
every movement of cash in or out of a drawer, and the safe's ledger.

These tables sit below the domains that move cash (drawers, carts, the safe, bank runs) so
each of them can write a movement without importing another: the drawer's expected cash is
always the sum of its movements, the safe's balance the one after its last row."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY
from pos.db import Base, text_enum


class DrawerStatus(StrEnum):
    open = "open"
    closed = "closed"


class MovementKind(StrEnum):
    """Why cash entered (+) or left (-) a drawer."""

    opening = "opening"
    cash_sale = "cash_sale"  # the cash tendered
    change = "change"  # given back (negative)
    drop = "drop"  # into the safe
    supplemental_draw = "supplemental_draw"  # from the safe
    supplemental_return = "supplemental_return"  # back to the safe
    void_refund = "void_refund"


class SafeKind(StrEnum):
    drop = "drop"
    draw = "draw"
    return_ = "return"
    audit = "audit"
    bank_deposit = "bank_deposit"
    change_pickup = "change_pickup"


class Drawer(Base):
    """One cashier's session on a register: opened with a count, closed with a count."""

    __tablename__ = "drawers"
    __table_args__ = (
        Index(
            "uq_drawers_one_open_per_register",
            "register_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
        CheckConstraint("status IN ('open', 'closed')", name="status_known"),
        Index("ix_drawers_store_opened", "store_id", "opened_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    register_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registers.id"))
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    cashier_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[DrawerStatus] = mapped_column(
        text_enum(DrawerStatus, 10), default=DrawerStatus.open
    )
    opening_amount: Mapped[Decimal] = mapped_column(MONEY)
    opening_denominations: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(64))
    counted_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    counted_denominations: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    expected_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    variance: Mapped[Decimal | None] = mapped_column(MONEY)
    handed_off_to_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    notes: Mapped[str] = mapped_column(Text, default="")


class DrawerMovement(Base):
    """Cash in or out of a drawer; the drawer's expected cash is the sum of its rows."""

    __tablename__ = "drawer_movements"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('opening', 'cash_sale', 'change', 'drop', 'supplemental_draw',"
            " 'supplemental_return', 'void_refund')",
            name="kind_known",
        ),
        Index("ix_drawer_movements_drawer", "drawer_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    drawer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drawers.id"))
    kind: Mapped[MovementKind] = mapped_column(text_enum(MovementKind, 30))
    amount: Mapped[Decimal] = mapped_column(MONEY)  # signed: + into the drawer, - out of it
    sale_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SafeTransaction(Base):
    """The store's supplemental drawer (the safe): every movement with the balance after it."""

    __tablename__ = "safe_transactions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('drop', 'draw', 'return', 'audit', 'bank_deposit', 'change_pickup')",
            name="kind_known",
        ),
        Index("ix_safe_transactions_store", "store_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    kind: Mapped[SafeKind] = mapped_column(text_enum(SafeKind, 20))
    amount: Mapped[Decimal] = mapped_column(MONEY)  # signed: + into the safe
    balance_after: Mapped[Decimal] = mapped_column(MONEY)
    counted_amount: Mapped[Decimal | None] = mapped_column(MONEY)  # audits
    variance: Mapped[Decimal | None] = mapped_column(MONEY)  # audits: counted - expected
    drawer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    bank_transaction_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
