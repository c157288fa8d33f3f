"""ALTCHA, solved for real: a valid solution books once; a wrong, expired, replayed, missing,
malformed or foreign one is a 400 naming ``captcha_token`` and stores nothing."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from bookings.captcha.altcha import AltchaVerifier
from bookings.config import DEV_ALTCHA_KEY
from bookings.models import Booking, SpentSolution
from common.db import Database
from tests.conftest import booking_body, fingerprint, solution_for, solved_captcha

pytestmark = pytest.mark.usefixtures("stores")


async def _refused(
    client: httpx.AsyncClient, database: Database, token: str | None, words: str
) -> None:
    before = await fingerprint(database)
    response = await client.post("/api/bookings", json=booking_body(token))
    assert response.status_code == 400, response.text
    (entry,) = response.json()["detail"]
    assert entry["field"] == "captcha_token" and words in entry["msg"], entry
    assert await fingerprint(database) == before


async def test_the_challenge_is_signed_expiring_and_not_cached(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/bookings/captcha")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    challenge = response.json()
    assert challenge["algorithm"] == "SHA-256" and challenge["maxnumber"] == 1000
    assert "expires=" in challenge["salt"]


async def test_a_solved_challenge_books_and_is_spent(
    client: httpx.AsyncClient, database: Database
) -> None:
    token = await solved_captcha(client)
    response = await client.post("/api/bookings", json=booking_body(token))
    assert response.status_code == 201, response.text
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(SpentSolution)) == 1


async def test_a_replayed_solution_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    token = await solved_captcha(client)
    assert (await client.post("/api/bookings", json=booking_body(token))).status_code == 201
    await _refused(client, database, token, "already used")
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Booking)) == 1


async def test_a_wrong_number_is_refused(client: httpx.AsyncClient, database: Database) -> None:
    payload = json.loads(base64.b64decode(await solved_captcha(client)))
    payload["number"] = (payload["number"] + 1) % 1001
    await _refused(
        client, database, base64.b64encode(json.dumps(payload).encode()).decode(), "wrong"
    )


async def test_an_expired_challenge_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    verifier = AltchaVerifier(DEV_ALTCHA_KEY, max_number=1000, lifetime=timedelta(minutes=10))
    old = verifier.challenge(now=datetime.now(UTC) - timedelta(hours=1))  # expired 50 min ago
    await _refused(client, database, solution_for(old), "expired")


async def test_a_challenge_signed_with_another_key_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    foreign = AltchaVerifier("someone-else's-key", max_number=1000, lifetime=timedelta(minutes=10))
    await _refused(client, database, solution_for(foreign.challenge()), "wrong")


async def test_a_salt_without_expiry_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    from altcha.v1 import ChallengeOptions, create_challenge

    forever = create_challenge(ChallengeOptions(hmac_key=DEV_ALTCHA_KEY, max_number=1000))
    challenge = {**forever.to_dict(), "maxnumber": forever.max_number}
    await _refused(client, database, solution_for(challenge), "not one of ours")


@pytest.mark.parametrize(
    "token", [None, "", "   ", "not base64!", base64.b64encode(b"[1, 2]").decode()]
)
async def test_a_missing_or_malformed_token_is_refused(
    client: httpx.AsyncClient, database: Database, token: str | None
) -> None:
    words = "required" if token is None or not token.strip() else "malformed"
    await _refused(client, database, token, words)
