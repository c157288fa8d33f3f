"""Alembic environment of the audit database (its own history)."""

from __future__ import annotations

from audit.models import Base
from common.migrations import run_env

run_env(Base.metadata)
