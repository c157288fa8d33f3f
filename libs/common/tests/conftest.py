"""Fixtures for common's own tests: a tiny service ("widgets") on real PostgreSQL and NATS."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest
from sqlalchemy import create_engine

from tests.widgets import Base, make_app, make_settings

pytest_plugins = ["common.testing.plugin"]


@pytest.fixture(scope="session")
def widgets_db(fresh_database: Callable[[str], str]) -> Iterator[str]:
    url = fresh_database("widgets")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url


@pytest.fixture
async def clean_widgets(widgets_db: str) -> AsyncIterator[str]:
    from common.testing.helpers import truncate_all

    await truncate_all(widgets_db, Base.metadata)
    yield widgets_db


@pytest.fixture
def widgets_settings(clean_widgets: str, nats_url: str, public_key_pem: str):  # type: ignore[no-untyped-def]
    return make_settings(clean_widgets, nats_url, public_key_pem)


@pytest.fixture
def widgets_app(widgets_settings):  # type: ignore[no-untyped-def]
    return make_app(widgets_settings)
