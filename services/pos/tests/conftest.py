"""POS test fixtures: common's service fixtures (a migrated database, settings, the app on
real PostgreSQL + NATS) for POS, and the ``till`` every test works at (``tests/till.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from common.db import Database
from common.testing.service import ServiceUnderTest
from pos.config import PosSettings
from pos.main import build_app
from pos.tables import metadata
from tests.till import Till, open_stores

pytest_plugins = ["common.testing.plugin", "common.testing.service"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return ServiceUnderTest(
        package="pos",
        migrations=MIGRATIONS,
        metadata=metadata,
        settings_class=PosSettings,
        build_app=build_app,
    )


@pytest.fixture
async def till(
    client: httpx.AsyncClient, database: Database, auth_headers: Callable[..., dict[str, str]]
) -> Till:
    await open_stores(database)
    return Till(client=client, database=database, auth_headers=auth_headers)
