"""Sessions end everywhere: what ends a session in auth, auth refuses at once and publishes,
and another service (a stand-in built with common, as catalog or POS are) refuses within
moments of the event.

Logout and a reused refresh token end one login (``auth.session.revoked``: the access
token's jti and the login's session id); a password change or reset, a role change, a
removed store and deactivation end every session begun before
(``auth.user.tokens_invalidated``: a not-before instant).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from fastapi import APIRouter
from sqlalchemy import create_engine

from common.app import create_app
from common.config import ServiceSettings
from common.db import ServiceBase, new_metadata
from common.events.tables import event_tables
from common.revocations import revocation_table
from common.roles import Role
from common.security import CurrentUser
from common.testing.events import eventually
from tests.conftest import PASSWORD, bearer, serving, user_events

NEW_PASSWORD = "a brand new passphrase"


class _ElsewhereBase(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


ELSEWHERE_EVENTS = event_tables(_ElsewhereBase.metadata)
ELSEWHERE_REVOCATIONS = revocation_table(_ElsewhereBase.metadata)
elsewhere_router = APIRouter()


@elsewhere_router.get("/api/elsewhere/me")
async def elsewhere_me(user: CurrentUser) -> dict[str, str]:
    return {"user_id": user.user_id, "role": user.role.value}


@pytest.fixture(scope="session")
def elsewhere_db(fresh_database: Callable[[str], str]) -> str:
    url = fresh_database("elsewhere")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    _ElsewhereBase.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
async def elsewhere(
    elsewhere_db: str, nats_url: str, public_key_pem: str
) -> AsyncIterator[httpx.AsyncClient]:
    """Another service: it verifies auth's tokens and keeps the revocation read-model."""
    settings = ServiceSettings(
        service_name="elsewhere",
        database_url=elsewhere_db,
        nats_url=nats_url,
        jwt_public_keys=public_key_pem,
    )
    app = create_app(
        settings=settings,
        title="Elsewhere",
        version="0",
        description="a service that is not auth",
        routers=[elsewhere_router],
        event_tables=ELSEWHERE_EVENTS,
        revocations=ELSEWHERE_REVOCATIONS,
    )
    async with serving(app) as client:
        yield client


async def answers(client: httpx.AsyncClient, access: str, status: int) -> dict[str, Any]:
    """Poll the stand-in service with ``access`` until it answers ``status``; its body."""
    seen: list[httpx.Response] = []

    async def check() -> bool:
        seen.append(await client.get("/api/elsewhere/me", headers=bearer(access)))
        return seen[-1].status_code == status

    await eventually(check, timeout=30.0)
    body: dict[str, Any] = seen[-1].json()
    return body


def claims(token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return decoded


async def register_and_log_in(client: httpx.AsyncClient, email: str) -> dict[str, Any]:
    """A customer created through the API, so auth.user.registered tells every service."""
    registered = await client.post(
        "/api/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert registered.status_code == 201, registered.text
    tokens = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    body: dict[str, Any] = tokens.json()
    return body


# ------------------------------------------------------------------ one login ends


async def test_logout_ends_every_access_token_of_that_login_at_auth_and_says_so(
    client, make_user, login, nats_url
) -> None:
    user = await make_user(Role.advisor)
    first = (await login(user.email)).json()
    rotated = (await client.post("/api/token/refresh", json={"refresh": first["refresh"]})).json()
    other_device = (await login(user.email)).json()
    assert claims(first["access"])["fam"] == claims(rotated["access"])["fam"]
    since = time.time()
    logout = await client.post(
        "/api/auth/logout", json={"refresh": rotated["refresh"]}, headers=bearer(rotated["access"])
    )
    assert logout.status_code == 200
    for ended in (rotated["access"], first["access"]):  # the earlier one of the login too
        refused = await client.get("/api/auth/me", headers=bearer(ended))
        assert refused.status_code == 401 and refused.json() == {
            "detail": "Token has been revoked."
        }
    assert (
        await client.get("/api/auth/me", headers=bearer(other_device["access"]))
    ).status_code == 200

    [event] = await user_events(nats_url, "auth.session.revoked", user.id, since=since)
    revoked = {
        item["id"]: datetime.fromisoformat(item["expires_at"]) for item in event.data["revoked"]
    }
    access = claims(rotated["access"])
    assert set(revoked) == {access["fam"], access["jti"]}
    assert revoked[access["jti"]] == datetime.fromtimestamp(access["exp"], UTC)
    assert revoked[access["fam"]] >= datetime.fromtimestamp(access["exp"], UTC)
    assert event.data["reason"] == "logout" and event.actor == str(user.id)


async def test_logout_with_only_the_access_token_ends_its_login(client, make_user, login) -> None:
    user = await make_user(Role.customer)
    tokens = (await login(user.email)).json()
    client.cookies.clear()
    assert (
        await client.post("/api/auth/logout", headers=bearer(tokens["access"]))
    ).status_code == 200
    refreshed = await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
    assert refreshed.status_code == 401


async def test_a_reused_refresh_token_ends_the_login_everywhere(
    client, make_user, login, nats_url
) -> None:
    user = await make_user(Role.advisor)
    first = (await login(user.email)).json()
    second = (await client.post("/api/token/refresh", json={"refresh": first["refresh"]})).json()
    since = time.time()
    reused = await client.post("/api/token/refresh", json={"refresh": first["refresh"]})
    assert reused.status_code == 401
    assert (await client.get("/api/auth/me", headers=bearer(second["access"]))).status_code == 401
    [event] = await user_events(nats_url, "auth.session.revoked", user.id, since=since)
    assert event.data["reason"] == "refresh_token_reused"
    assert [item["id"] for item in event.data["revoked"]] == [claims(first["access"])["fam"]]


# ------------------------------------------------------------------ every session ends


async def test_password_change_ends_every_earlier_access_token(
    client, make_user, login, nats_url
) -> None:
    user = await make_user(Role.branch_head)
    first = (await login(user.email)).json()
    other_device = (await login(user.email)).json()
    since = time.time()
    changed = await client.post(
        "/api/auth/change-password",
        json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(first["access"]),
    )
    assert changed.status_code == 200
    for ended in (first["access"], other_device["access"]):
        refused = await client.get("/api/auth/me", headers=bearer(ended))
        assert refused.status_code == 401
        assert refused.json() == {"detail": "This session has ended: log in again."}
    fresh = (await login(user.email, NEW_PASSWORD)).json()
    assert (await client.get("/api/auth/me", headers=bearer(fresh["access"]))).status_code == 200
    [event] = await user_events(nats_url, "auth.user.tokens_invalidated", user.id, since=since)
    assert event.data["reason"] == "password_changed"
    not_before = datetime.fromisoformat(event.data["not_before"]).timestamp()
    assert claims(first["access"])["iat"] < not_before < claims(fresh["access"])["iat"]


async def test_role_change_ends_old_tokens_and_the_next_refresh_carries_the_new_role(
    client, make_user, headers_for, login, nats_url
) -> None:
    admin = await make_user(Role.system_admin)
    advisor = await make_user(Role.advisor, stores=["store-1"])
    tokens = (await login(advisor.email)).json()
    since = time.time()
    promoted = await client.patch(
        f"/api/users/{advisor.id}", json={"role": "branch_head"}, headers=headers_for(admin)
    )
    assert promoted.status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer(tokens["access"]))).status_code == 401
    refreshed = await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200  # the login survives; its claims are renewed
    access = refreshed.json()["access"]
    assert claims(access)["role"] == "branch_head"
    assert (await client.get("/api/auth/me", headers=bearer(access))).status_code == 200
    [event] = await user_events(nats_url, "auth.user.tokens_invalidated", advisor.id, since=since)
    assert event.data["reason"] == "role_changed" and event.actor == str(admin.id)


async def test_removing_a_store_ends_old_tokens_adding_one_does_not(
    client, make_user, headers_for, login, nats_url
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    advisor = await make_user(Role.advisor, stores=["store-1", "store-2"])
    access = (await login(advisor.email)).json()["access"]
    added = await client.patch(
        f"/api/users/{advisor.id}",
        json={"store_ids": ["store-1", "store-2", "store-3"]},
        headers=admin,
    )
    assert added.status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer(access))).status_code == 200
    since = time.time()
    removed = await client.patch(
        f"/api/users/{advisor.id}", json={"store_ids": ["store-1"]}, headers=admin
    )
    assert removed.status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer(access))).status_code == 401
    [event] = await user_events(nats_url, "auth.user.tokens_invalidated", advisor.id, since=since)
    assert event.data["reason"] == "stores_removed"


async def test_admin_reset_and_deactivation_end_sessions_and_say_so(
    client, make_user, headers_for, login, nats_url
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    reset_user, leaving = await make_user(Role.advisor), await make_user(Role.customer)
    reset_access = (await login(reset_user.email)).json()["access"]
    leaving_access = (await login(leaving.email)).json()["access"]
    since = time.time()
    reset = await client.post(f"/api/users/{reset_user.id}/reset-password", headers=admin)
    assert reset.status_code == 200
    deleted = await client.delete(f"/api/accounts/customers/{leaving.id}", headers=admin)
    assert deleted.status_code == 204
    assert (await client.get("/api/auth/me", headers=bearer(reset_access))).status_code == 401
    assert (await client.get("/api/auth/me", headers=bearer(leaving_access))).status_code == 401
    events = await read_reasons(nats_url, since, expected=2)
    assert events == {str(reset_user.id): "password_reset", str(leaving.id): "deactivated"}


async def read_reasons(nats_url: str, since: float, *, expected: int) -> dict[str, str]:
    from common.testing.helpers import read_events

    events = await read_events(
        nats_url, "auth.user.tokens_invalidated", since=since, expected=expected
    )
    return {event.data["user_id"]: event.data["reason"] for event in events}


async def test_an_admin_cannot_reset_their_own_password_through_the_admin_route(
    client, make_user, headers_for, login
) -> None:
    admin = await make_user(Role.system_admin)
    refused = await client.post(f"/api/users/{admin.id}/reset-password", headers=headers_for(admin))
    assert refused.status_code == 409
    assert "change-password" in refused.json()["detail"]
    assert (await login(admin.email, PASSWORD)).status_code == 200  # the password is unchanged


# ------------------------------------------------------------------ and everywhere else


async def test_logout_at_auth_ends_the_session_at_another_service(client, elsewhere) -> None:
    tokens = await register_and_log_in(client, "leaving-soon@example.com")
    assert (await answers(elsewhere, tokens["access"], 200))["role"] == "customer"
    logout = await client.post(
        "/api/auth/logout", json={"refresh": tokens["refresh"]}, headers=bearer(tokens["access"])
    )
    assert logout.status_code == 200
    assert await answers(elsewhere, tokens["access"], 401) == {"detail": "Token has been revoked."}


async def test_a_password_change_ends_old_tokens_at_another_service(client, elsewhere) -> None:
    first = await register_and_log_in(client, "changes-password@example.com")
    other_device = (
        await client.post(
            "/api/auth/login",
            json={"email": "changes-password@example.com", "password": PASSWORD},
        )
    ).json()
    await answers(elsewhere, other_device["access"], 200)
    changed = await client.post(
        "/api/auth/change-password",
        json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(first["access"]),
    )
    assert changed.status_code == 200
    ended = await answers(elsewhere, other_device["access"], 401)
    assert ended == {"detail": "This session has ended: log in again."}
    fresh = (
        await client.post(
            "/api/auth/login",
            json={"email": "changes-password@example.com", "password": NEW_PASSWORD},
        )
    ).json()
    assert (await answers(elsewhere, fresh["access"], 200))["role"] == "customer"


async def test_a_role_change_ends_old_tokens_at_another_service(
    client, elsewhere, make_user, headers_for
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    created = await client.post(
        "/api/accounts/users",
        json={"email": "cashier@example.com", "password": PASSWORD, "role": "branch_head"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    tokens = (
        await client.post(
            "/api/auth/login", json={"email": "cashier@example.com", "password": PASSWORD}
        )
    ).json()
    assert (await answers(elsewhere, tokens["access"], 200))["role"] == "branch_head"
    demoted = await client.patch(
        f"/api/users/{created.json()['id']}", json={"role": "advisor"}, headers=admin
    )
    assert demoted.status_code == 200
    await answers(elsewhere, tokens["access"], 401)
    renewed = (await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})).json()
    assert (await answers(elsewhere, renewed["access"], 200))["role"] == "advisor"
