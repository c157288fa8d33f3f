"""Alembic environment of the POS database (its own history)."""

from common.migrations import run_env
from pos.models import Base

run_env(Base.metadata)
