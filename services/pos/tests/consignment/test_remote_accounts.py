"""A consignee account is for a user of auth, checked or created there through its HTTP API
with POS's service credential (``common.service_client``) before POS writes anything: an
existing user is read (``users:read``; unknown: 422 naming user_id) and given the consignee
role (``consignees:enroll``; staff keep theirs: 422 naming user_id), a new one created
(``users:create``, idempotent by email); auth not answering is a 503 naming auth with
nothing written in POS. auth is stood in for (``standins.py``), or a closed port."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from common.testing.engines import free_port
from pos.consignment.models import Consignee
from tests.consignment.shop import Consignment
from tests.consignment.standins import SERVICES, StandIns
from tests.till import STORE_A, Till

NEW = {
    "store_id": str(STORE_A),
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "Grace@Example.com",
    "phone": "+1 555 0101",
}
EXISTING = {"store_id": str(STORE_A), "user_id": "u-42"}


async def nothing_written(till: Till) -> None:
    async with till.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Consignee)) == 0
    assert await Consignment(till).events() == []


async def test_a_new_consignee_is_created_in_auth_once_by_email(
    till: Till, stand_ins: StandIns
) -> None:
    first = await till.client.post("/api/consignment/accounts", json=NEW, headers=till.head())
    again = await till.client.post("/api/consignment/accounts", json=NEW, headers=till.head())

    assert first.status_code == 201, first.text
    assert again.status_code == 200 and again.json() == first.json()
    assert (first.json()["user_id"], first.json()["email"]) == ("auth-1", "Grace@example.com")
    creations = [r for r in stand_ins.auth.requests if r.url.path == "/api/accounts/users"]
    assert len(creations) == 2
    assert {r.headers["Idempotency-Key"] for r in creations} == {"consignee:grace@example.com"}
    sent = json.loads(creations[0].content)
    assert (sent["role"], sent["store_ids"]) == ("consignee", [str(STORE_A)])
    assert creations[0].headers["Authorization"] == "Bearer t"
    assert [s for s, _ in await Consignment(till).events()] == ["pos.consignment.account.created"]


async def test_an_existing_user_is_checked_in_auth_and_their_profile_is_auths(
    till: Till, stand_ins: StandIns
) -> None:
    response = await till.client.post(
        "/api/consignment/accounts",
        json={**EXISTING, "first_name": "Not", "last_name": "Theirs"},
        headers=till.head(),
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["user_id"], body["first_name"], body["last_name"], body["email"]) == (
        "u-42",
        "Ada",
        "u-42",
        "u-42@example.com",
    )
    assert (body["phone"], body["user_active"]) == ("+1 555 0100", True)
    [read] = stand_ins.auth.reads()
    assert read.url.path == "/api/accounts/users/u-42"
    assert read.headers["Authorization"] == "Bearer t"


async def test_an_existing_user_is_given_the_consignee_role_in_auth_for_the_portal(
    till: Till, stand_ins: StandIns
) -> None:
    response = await till.client.post(
        "/api/consignment/accounts", json=EXISTING, headers=till.head()
    )
    again = await till.client.post("/api/consignment/accounts", json=EXISTING, headers=till.head())

    assert response.status_code == 201, response.text
    assert again.status_code == 200  # the account exists: auth is not asked again
    [enrolled] = stand_ins.auth.enrollments()
    assert enrolled.url.path == "/api/accounts/users/u-42/consignee"
    assert json.loads(enrolled.content) == {"store_id": str(STORE_A)}
    assert enrolled.headers["Authorization"] == "Bearer t"
    assert [s for s, _ in await Consignment(till).events()] == ["pos.consignment.account.created"]


async def test_staff_keep_their_role_in_auth_and_get_no_account(
    till: Till, stand_ins: StandIns
) -> None:
    stand_ins.auth.staff.add("u-boss")

    response = await till.client.post(
        "/api/consignment/accounts", json={**EXISTING, "user_id": "u-boss"}, headers=till.head()
    )

    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert (problem["field"], problem["msg"]) == (
        "user_id",
        "auth refused making user u-boss a consignee: User u-boss is a branch_head: a user "
        "has one role.",
    )
    await nothing_written(till)


async def test_an_unknown_or_deactivated_user_is_422_naming_user_id_and_writes_nothing(
    till: Till, stand_ins: StandIns
) -> None:
    stand_ins.auth.unknown.add("u-ghost")
    stand_ins.auth.deactivated.add("u-gone")

    ghost = await till.client.post(
        "/api/consignment/accounts", json={**EXISTING, "user_id": "u-ghost"}, headers=till.head()
    )
    gone = await till.client.post(
        "/api/consignment/accounts", json={**EXISTING, "user_id": "u-gone"}, headers=till.head()
    )

    assert ghost.status_code == 422, ghost.text
    [problem] = ghost.json()["detail"]
    assert (problem["field"], problem["msg"]) == ("user_id", "auth has no user u-ghost")
    assert gone.status_code == 422, gone.text
    assert gone.json()["detail"][0]["msg"] == "user u-gone is deactivated in auth"
    await nothing_written(till)


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    """auth at a closed port (``closed_auth`` in the test's name), or not configured."""
    if "unconfigured_auth" in request.node.name:
        return {}
    if "closed_auth" in request.node.name:
        return {**SERVICES, "service_urls": {"auth": f"http://127.0.0.1:{free_port()}"}}
    return SERVICES


@pytest.mark.parametrize("body", [EXISTING, NEW], ids=["existing user", "new user"])
async def test_closed_auth_is_503_naming_auth_and_nothing_is_written(
    app: FastAPI, till: Till, body: dict[str, Any]
) -> None:
    app.state.service_transport = None  # the real network: nothing listens on auth's port

    response = await till.client.post("/api/consignment/accounts", json=body, headers=till.head())

    assert response.status_code == 503, response.text
    assert response.json()["detail"].startswith("auth did not answer")
    await nothing_written(till)


@pytest.mark.parametrize("body", [EXISTING, NEW], ids=["existing user", "new user"])
async def test_unconfigured_auth_is_503_naming_what_is_missing_and_nothing_is_written(
    till: Till, body: dict[str, Any]
) -> None:
    response = await till.client.post("/api/consignment/accounts", json=body, headers=till.head())
    assert response.status_code == 503, response.text
    assert "auth is not configured for POS (missing SERVICE_CLIENT_ID" in response.json()["detail"]
    await nothing_written(till)


@pytest.mark.parametrize("body", [EXISTING, NEW], ids=["existing user", "new user"])
async def test_auth_answering_503_is_503_naming_auth_and_nothing_is_written(
    app: FastAPI, till: Till, body: dict[str, Any]
) -> None:
    def unavailable(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/token/service":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 300})
        return httpx.Response(503, json={"detail": "maintenance"})

    app.state.service_transport = httpx.MockTransport(unavailable)
    response = await till.client.post("/api/consignment/accounts", json=body, headers=till.head())
    assert response.status_code == 503, response.text
    assert response.json()["detail"].startswith("auth answered 503")
    await nothing_written(till)


async def test_auth_refusing_the_user_is_422_with_its_reason(app: FastAPI, till: Till) -> None:
    def refusing(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/token/service":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 300})
        return httpx.Response(409, json={"detail": "Email taken by a staff user."})

    app.state.service_transport = httpx.MockTransport(refusing)
    response = await till.client.post("/api/consignment/accounts", json=NEW, headers=till.head())
    assert response.status_code == 422
    assert "Email taken by a staff user" in response.json()["detail"]
