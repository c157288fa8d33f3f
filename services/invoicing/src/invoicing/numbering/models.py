"""The last invoice number taken per store and year: the row every issuing transaction locks."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from invoicing.db import Base


class InvoiceCounter(Base):
    __tablename__ = "invoice_counters"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
