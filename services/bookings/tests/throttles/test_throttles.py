"""The public routes' throttles, in process: per client address (the address uvicorn gives the
app; a client's own ``X-Forwarded-For`` is never read here) and per email / phone, with 429
and ``Retry-After``; a flood stores at most the allowed number. (Through the gateway, with a
spoofed header: tests/e2e/tests/test_bookings_flow.py.)"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from bookings.models import Booking
from common.db import Database
from tests.conftest import booking_body, solved_captcha

pytestmark = pytest.mark.usefixtures("stores")


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "booking_rate_per_ip": "5/hour",
        "booking_rate_per_sender": "2/day",
        "contact_rate_per_ip": "3/hour",
        "contact_rate_per_sender": "2/day",
        "schedule_call_rate_per_ip": "3/hour",
        "schedule_call_rate_per_sender": "1/day",
    }


def _from(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40_000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _count(database: Database, model: Any) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_flood_from_one_address_stores_the_allowed_number_whatever_it_claims(
    app: FastAPI, client: httpx.AsyncClient, database: Database
) -> None:
    tokens = [await solved_captcha(client) for _ in range(7)]

    async def post(index: int) -> httpx.Response:
        token = tokens[index] if index < len(tokens) else "unsolved"
        spoofed = {
            "X-Forwarded-For": f"10.{random.randint(0, 255)}.0.{index % 250}",
            "X-Real-IP": "10.9.9.9",
        }
        async with _from(app, "203.0.113.7") as flood:
            return await flood.post(
                "/api/bookings",
                json=booking_body(token, email=f"flood{index}@example.com"),
                headers=spoofed,
            )

    # The solved ones first, one by one; then the rest of the flood all at once.
    answers = [await post(index) for index in range(len(tokens))]
    answers += await asyncio.gather(*(post(index) for index in range(len(tokens), 300)))
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(201) == 5, sorted(set(statuses))
    assert statuses.count(429) == 295
    assert await _count(database, Booking) == 5
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert int(refused.headers["retry-after"]) >= 1
    assert "from this address" in refused.json()["detail"]
    async with _from(app, "198.51.100.9") as neighbour:  # another address has its own budget
        other = await neighbour.post(
            "/api/bookings", json=booking_body(await solved_captcha(client))
        )
    assert other.status_code == 201, other.text


async def test_one_email_books_twice_a_day_from_any_address(
    app: FastAPI, client: httpx.AsyncClient, database: Database
) -> None:
    statuses = []
    for index in range(3):
        async with _from(app, f"192.0.2.{index + 1}") as visitor:
            body = booking_body(
                await solved_captcha(client),
                email="Same@Example.com" if index else "same@example.com",
            )
            statuses.append((await visitor.post("/api/bookings", json=body)).status_code)
    assert statuses == [201, 201, 429]
    assert await _count(database, Booking) == 2


async def test_a_wrong_captcha_does_not_spend_the_email_s_budget(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with _from(app, "192.0.2.50") as attacker:
        for _ in range(3):
            bad = await attacker.post(
                "/api/bookings", json=booking_body("forged", email="victim@example.com")
            )
            assert bad.status_code == 400
    async with _from(app, "192.0.2.51") as victim:
        ok = await victim.post(
            "/api/bookings",
            json=booking_body(await solved_captcha(client), email="victim@example.com"),
        )
    assert ok.status_code == 201, ok.text


async def test_the_lead_forms_are_throttled_per_address_and_per_sender(
    app: FastAPI, database: Database, client: httpx.AsyncClient
) -> None:
    async with _from(app, "192.0.2.60") as visitor:
        contacts = [
            (
                await visitor.post(
                    "/api/marketing/contact",
                    json={"name": "A", "email": f"a{i}@example.com", "message": "hi"},
                )
            ).status_code
            for i in range(4)
        ]
    assert contacts == [201, 201, 201, 429]
    async with _from(app, "192.0.2.61") as caller:
        calls = [
            (
                await caller.post(
                    "/api/marketing/schedule-call", json={"name": "B", "phone": phone}
                )
            ).status_code
            for phone in ("+1 212 555 0100", "1-212-555-0100")  # the same digits
        ]
    assert calls == [201, 429]
