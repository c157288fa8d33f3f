"""The list's count stays cheap on a large log: exact from the totals, on a last page and up
to AUDIT_EXACT_COUNT_LIMIT (here 5); past it PostgreSQL's estimate, never so low or high
that ``next`` would be wrong."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from common.db import Database
from tests.conftest import record, sale_event

pytestmark = pytest.mark.usefixtures("stores")
LIMIT = 5


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"audit_exact_count_limit": LIMIT}


async def page(
    client: httpx.AsyncClient, admin: dict[str, str], **params: object
) -> dict[str, Any]:
    answer = await client.get("/api/logs/", params=params, headers=admin)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_past_the_limit_the_count_is_an_estimate_that_keeps_next_right(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    await record(database, [sale_event(actor="cashier-1") for _ in range(12)])
    await record(database, [sale_event(actor="cashier-2") for _ in range(4)])

    first = await page(client, admin, actor="cashier-1", page_size=4)
    assert len(first["results"]) == 4 and first["next"] is not None
    assert first["count"] > LIMIT
    second = await page(client, admin, actor="cashier-1", page_size=4, page=2)
    assert second["next"] is not None and second["count"] >= 9
    last = await page(client, admin, actor="cashier-1", page_size=4, page=3)
    assert (last["count"], len(last["results"]), last["next"]) == (12, 4, None)
    beyond = await page(client, admin, actor="cashier-1", page_size=4, page=10)
    assert beyond["results"] == [] and beyond["next"] is None
    assert LIMIT < beyond["count"] <= 36

    # Up to the limit the count is exact even when the page is not the last one.
    few = await page(client, admin, actor="cashier-2", page_size=2)
    assert (few["count"], len(few["results"]), few["next"] is not None) == (4, 2, True)
    # The totals count exactly at any size (no filter, an action).
    assert (await page(client, admin, page_size=2))["count"] == 16
    assert (await page(client, admin, action="pos.sale.completed", page_size=2))["count"] == 16
