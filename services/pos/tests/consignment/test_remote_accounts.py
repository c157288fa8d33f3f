"""A new consignee is a user created in auth through its HTTP API with POS's service
credential (``common.service_client``): idempotent by email, and auth not answering is a
503 naming auth with nothing written in POS.

auth is stood in for at the HTTP transport (``app.state.service_transport``): these tests
are about what POS sends and what it does with the answer; auth's own side of the same
request (a repeat for the same email answers the user it made) is tested in auth."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from pos.consignment.models import Consignee
from tests.consignment.shop import Consignment
from tests.till import STORE_A, Till

NEW = {
    "store_id": str(STORE_A),
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "Grace@Example.com",
    "phone": "+1 555 0101",
}


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "service_client_id": "pos",
        "service_client_secret": "pos-secret",
        "service_urls": {"auth": "http://auth.test"},
    }


class StandInAuth:
    """Answers the token and user-creation requests as auth does; records what came."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.users: dict[str, str] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/api/token/service":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 300})
        body = json.loads(request.content)
        known = body["email"].lower() in self.users
        user_id = self.users.setdefault(body["email"].lower(), f"auth-{len(self.users) + 1}")
        return httpx.Response(200 if known else 201, json={"id": user_id, **body})


async def test_a_new_consignee_is_created_in_auth_once_by_email(app: FastAPI, till: Till) -> None:
    auth = StandInAuth()
    app.state.service_transport = httpx.MockTransport(auth)

    first = await till.client.post("/api/consignment/accounts", json=NEW, headers=till.head())
    again = await till.client.post("/api/consignment/accounts", json=NEW, headers=till.head())

    assert first.status_code == 201, first.text
    assert again.status_code == 200 and again.json() == first.json()
    assert (first.json()["user_id"], first.json()["email"]) == ("auth-1", "Grace@example.com")
    creations = [r for r in auth.requests if r.url.path == "/api/accounts/users"]
    assert len(creations) == 2
    assert {r.headers["Idempotency-Key"] for r in creations} == {"consignee:grace@example.com"}
    sent = json.loads(creations[0].content)
    assert (sent["role"], sent["store_ids"]) == ("consignee", [str(STORE_A)])
    assert creations[0].headers["Authorization"] == "Bearer t"
    assert [s for s, _ in await Consignment(till).events()] == ["pos.consignment.account.created"]


@pytest.mark.parametrize("failure", ["down", "503"])
async def test_auth_down_is_503_naming_auth_and_nothing_is_written(
    app: FastAPI, till: Till, failure: str
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        if failure == "down":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(503, json={"detail": "maintenance"})

    app.state.service_transport = httpx.MockTransport(broken)

    response = await till.client.post("/api/consignment/accounts", json=NEW, headers=till.head())

    assert response.status_code == 503, response.text
    assert "auth" in response.json()["detail"]
    async with till.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Consignee)) == 0
    assert await Consignment(till).events() == []


async def test_auth_refusing_the_user_is_422_with_its_reason(app: FastAPI, till: Till) -> None:
    def refusing(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/token/service":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 300})
        return httpx.Response(409, json={"detail": "Email taken by a staff user."})

    app.state.service_transport = httpx.MockTransport(refusing)
    response = await till.client.post("/api/consignment/accounts", json=NEW, headers=till.head())
    assert response.status_code == 422
    assert "Email taken by a staff user" in response.json()["detail"]
