"""At most so many API requests at once, the others queued in arrival order; health checks
and docs never wait. (The middleware alone, on a tiny ASGI app: no database needed.)"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from pos.config import PosSettings
from pos.inflight import InFlightLimit


class Slow:
    """Answers after a pause, counting the requests inside at once."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.order: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.inside += 1
        self.most = max(self.most, self.inside)
        self.order.append(scope["path"])
        await asyncio.sleep(0.02)
        self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def test_no_more_api_requests_run_at_once_than_the_limit() -> None:
    inner = Slow()
    transport = httpx.ASGITransport(app=InFlightLimit(inner, limit=2))
    async with httpx.AsyncClient(transport=transport, base_url="http://pos") as client:
        answers = await asyncio.gather(*(client.get(f"/api/pos/carts/{n}") for n in range(8)))
    assert {answer.status_code for answer in answers} == {200}
    assert inner.most == 2
    assert inner.order == [f"/api/pos/carts/{n}" for n in range(8)]  # first come, first served


async def test_health_checks_never_queue() -> None:
    inner = Slow()
    transport = httpx.ASGITransport(app=InFlightLimit(inner, limit=1))
    async with httpx.AsyncClient(transport=transport, base_url="http://pos") as client:
        await asyncio.gather(*(client.get("/healthz") for _ in range(5)))
    assert inner.most == 5


def test_the_limit_stays_below_the_pool() -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    assert PosSettings(database_url=url).in_flight_limit == 4
    assert PosSettings(database_url=url, database_pool_size=4).in_flight_limit == 2
    assert PosSettings(database_url=url, requests_in_flight=12).in_flight_limit == 8
    with pytest.raises(ValueError):
        InFlightLimit(Slow(), limit=0)
