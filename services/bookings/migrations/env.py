"""Alembic environment of the bookings database (its own history)."""

from __future__ import annotations

from bookings.models import Base
from common.migrations import run_env

run_env(Base.metadata)
