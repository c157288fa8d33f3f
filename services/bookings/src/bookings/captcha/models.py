"""ALTCHA solutions already accepted: each solution counts once (replays are refused)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bookings.db import Base


class SpentSolution(Base):
    __tablename__ = "captcha_solutions"
    __table_args__ = (Index("ix_captcha_solutions_expires_at", "expires_at"),)

    challenge: Mapped[str] = mapped_column(String(128), primary_key=True)
    # After this the signed challenge is refused as expired anyway: the row may go.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
