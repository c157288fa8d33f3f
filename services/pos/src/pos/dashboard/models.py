"""What inventory reported oversold (``inventory.item.oversold``), kept for the alerts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from pos.db import Base


class OversoldAlert(Base):
    """``inventory.item.oversold``: a sale inventory could not honour (for the dashboard)."""

    __tablename__ = "oversold_alerts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the event's id
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    sale_id: Mapped[str] = mapped_column(String(64), default="")
    receipt_number: Mapped[str] = mapped_column(String(40), default="")
    sku: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
