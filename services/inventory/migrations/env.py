"""Alembic environment of the inventory database (its own history)."""

from common.migrations import run_env
from inventory.tables import Base

run_env(Base.metadata)
