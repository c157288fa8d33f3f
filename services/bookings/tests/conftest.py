"""bookings test fixtures: the shared ones of common.testing.service, and stores as catalog
announced them (most tests arrange the read-model rows; tests/events proves the events do)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bookings.config import BookingsSettings
from bookings.main import build_app
from bookings.models import Base, Store
from common.db import Database
from common.testing.service import ServiceUnderTest

pytest_plugins = ["common.testing.plugin", "common.testing.service"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
STORE_A = uuid.UUID("0000000a-0000-4000-8000-00000000000a")
STORE_B = uuid.UUID("0000000b-0000-4000-8000-00000000000b")


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return ServiceUnderTest(
        package="bookings",
        migrations=MIGRATIONS,
        metadata=Base.metadata,
        settings_class=BookingsSettings,
        build_app=build_app,
    )


async def open_stores(database: Database) -> None:
    """Stores A and B, as catalog's events would have stored them."""
    now = datetime.now(UTC)
    async with database.session() as session:
        session.add_all(
            [
                Store(id=STORE_A, code="NYC-01", name="Manhattan", synced_at=now),
                Store(id=STORE_B, code="BOS-01", name="Boston", synced_at=now),
            ]
        )


@pytest.fixture
async def stores(database: Database) -> None:
    await open_stores(database)
