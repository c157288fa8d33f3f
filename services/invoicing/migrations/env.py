"""Alembic environment of the invoicing database (its own history)."""

from __future__ import annotations

from common.migrations import run_env
from invoicing.models import Base

run_env(Base.metadata)
