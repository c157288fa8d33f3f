"""The migration history builds exactly the tables the code declares (and can go down again)."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command

from common.migrations import alembic_config, upgrade_head
from common.testing.helpers import migration_drift
from pos.models import Base
from tests.conftest import MIGRATIONS


def test_migrations_match_the_models(fresh_database: Callable[[str], str]) -> None:
    url = fresh_database("pos_migrations")
    upgrade_head(MIGRATIONS, url)
    assert migration_drift(url, Base.metadata) == []


def test_downgrade_to_base_and_up_again(fresh_database: Callable[[str], str]) -> None:
    url = fresh_database("pos_downgrade")
    upgrade_head(MIGRATIONS, url)
    command.downgrade(alembic_config(MIGRATIONS, url), "base")
    upgrade_head(MIGRATIONS, url)
    assert migration_drift(url, Base.metadata) == []
