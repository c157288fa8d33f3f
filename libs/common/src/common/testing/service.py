"""pytest fixtures every service's tests share: its migrated database, settings, app, client.

A service's ``tests/conftest.py`` declares what it is and loads this plugin::

    pytest_plugins = ["common.testing.plugin", "common.testing.service"]

    @pytest.fixture(scope="session")
    def service_under_test() -> ServiceUnderTest:
        return ServiceUnderTest(
            package="pos", migrations=MIGRATIONS, metadata=Base.metadata,
            settings_class=PosSettings, build_app=build_app,
        )

It then has ``service_db`` (migrated once per session), ``settings`` (every table
emptied before each test; extra fields from a ``settings_overrides`` fixture), ``app``,
``client`` (the real lifespan: database, NATS, relay, consumers), ``database`` and
``admin`` (a system admin's headers). ``common.testing.standard`` holds the tests every
service runs on top (migrations, OpenAPI, events docs, import layers).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import MetaData

from common.config import ServiceSettings
from common.db import Database
from common.migrations import upgrade_head
from common.roles import Role
from common.testing.helpers import running_app, truncate_all


@dataclass(frozen=True)
class ServiceUnderTest:
    """What the shared fixtures and standard tests need to know of a service."""

    package: str  # the Python package, also the service's name ("pos")
    migrations: Path
    metadata: MetaData
    settings_class: type[ServiceSettings]
    build_app: Callable[[Any], FastAPI]
    settings: Mapping[str, Any] = field(default_factory=dict)  # fixed extra settings

    @property
    def repo_root(self) -> Path:
        return self.migrations.resolve().parents[2]

    def offline_settings(self) -> ServiceSettings:
        """Settings good enough to build the app and read its OpenAPI (nothing is started)."""
        return self.settings_class(
            database_url="postgresql://nobody@127.0.0.1:1/none",
            jwt_public_keys=None,
            **self.settings,
        )


@pytest.fixture(scope="session")
def service_db(service_under_test: ServiceUnderTest, fresh_database: Callable[[str], str]) -> str:
    url = fresh_database(service_under_test.package)
    upgrade_head(service_under_test.migrations, url)
    return url


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Override in a test module (or a test) for settings of its own."""
    return {}


@pytest.fixture
async def settings(
    service_under_test: ServiceUnderTest,
    service_db: str,
    nats_url: str,
    public_key_pem: str,
    settings_overrides: dict[str, Any],
) -> ServiceSettings:
    await truncate_all(service_db, service_under_test.metadata)
    return service_under_test.settings_class(
        database_url=service_db,
        nats_url=nats_url,
        jwt_public_keys=public_key_pem,
        **{**service_under_test.settings, **settings_overrides},
    )


@pytest.fixture
def app(service_under_test: ServiceUnderTest, settings: ServiceSettings) -> FastAPI:
    return service_under_test.build_app(settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(app) as client:
        yield client


@pytest.fixture
def database(client: httpx.AsyncClient, app: FastAPI) -> Database:
    database: Database = app.state.database
    return database


@pytest.fixture
def admin(auth_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth_headers(Role.system_admin, user_id="admin-1")
