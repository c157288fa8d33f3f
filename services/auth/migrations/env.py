"""Alembic environment of the auth database (its own history)."""

from auth.models import Base
from common.migrations import run_env

run_env(Base.metadata)
