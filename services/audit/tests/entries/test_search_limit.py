"""A text search scans rows: one that runs past AUDIT_SEARCH_TIMEOUT_SECONDS is refused with
a 422 naming ``search`` and saying how to narrow it (here the log is held by a lock, so the
search cannot finish in time); the same list without search is not limited."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest

from audit.config import AuditSettings
from common.db import Database
from tests.conftest import record, sale_event


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"audit_search_timeout_seconds": 0.5}


async def test_a_search_past_its_time_is_refused_by_name(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str], settings: AuditSettings
) -> None:
    await record(database, [sale_event(note="needle")])
    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    async with await psycopg.AsyncConnection.connect(url) as blocker:
        await blocker.execute("LOCK TABLE audit_entries IN ACCESS EXCLUSIVE MODE")
        answer = await client.get("/api/logs/", params={"search": "needle"}, headers=admin)
        await blocker.rollback()
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["detail"]
    assert error["loc"] == ["query", "search"] and "date_from" in error["msg"]
    found = await client.get("/api/logs/", params={"search": "needle"}, headers=admin)
    assert found.status_code == 200 and found.json()["count"] == 1
