"""Alembic environment of the attendance database (its own history)."""

from __future__ import annotations

from attendance.models import Base
from common.migrations import run_env

run_env(Base.metadata)
