"""``serials`` (unique per product, with a status and a location) and ``serial_history``."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import Timestamps
from inventory.db import Base
from inventory.ledger.models import StockKey


class SerialStatus(StrEnum):
    in_stock = "in_stock"
    reserved = "reserved"
    issued = "issued"
    sold = "sold"
    returned = "returned"
    damaged = "damaged"
    scrapped = "scrapped"


HELD = frozenset({SerialStatus.in_stock, SerialStatus.reserved})


class Serial(Timestamps, Base):
    __tablename__ = "serials"
    __table_args__ = (
        UniqueConstraint("product_key", "serial_number", name="uq_serials_product_serial"),
        CheckConstraint(
            "status IN ('in_stock', 'reserved', 'issued', 'sold', 'returned', 'damaged', 'scrapped')",
            name="status_known",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    serial_number: Mapped[str] = mapped_column(String(120), index=True)
    stock_key_id: Mapped[int] = mapped_column(ForeignKey("stock_keys.id"), index=True)
    # the catalog product when known, else the stock key: "unique per product"
    product_key: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="in_stock")
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    notes: Mapped[str] = mapped_column(Text, default="")

    stock_key: Mapped[StockKey] = relationship(lazy="joined")


class SerialEvent(Base):
    __tablename__ = "serial_history"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    serial_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("serials.id", ondelete="CASCADE"), index=True
    )
    event_type: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    from_location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    voucher_type: Mapped[str | None] = mapped_column(String(20))
    voucher_id: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
