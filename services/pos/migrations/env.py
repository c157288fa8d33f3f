"""Alembic environment of the POS database (its own history)."""

from common.migrations import run_env
from pos.tables import metadata

run_env(metadata)
