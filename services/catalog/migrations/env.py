"""Alembic environment of the catalog database (its own history)."""

from catalog.models import Base
from common.migrations import run_env

run_env(Base.metadata)
