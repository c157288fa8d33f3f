"""Seed 002's password flows: change (authenticated), forgot and reset (public).

A changed or reset password is the only one that logs in afterwards, and every
earlier refresh token stops working. Forgot-password says the same thing for
every email; the reset token leaves auth only as an
``auth.password_reset.requested`` event, except in development where the
response carries it too. A token works once, and not after it expires.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select, update

from auth.config import AuthSettings
from auth.main import build_app
from auth.models import PasswordResetToken
from common.config import Environment
from common.db import Database
from common.roles import Role
from common.testing.helpers import read_events
from tests.conftest import PASSWORD, bearer, serving, stored_user, user_events

NEW_PASSWORD = "a brand new passphrase"
FORGOT_BODY = {
    "detail": "If an account exists for this email, reset instructions have been sent.",
    "reset_token": None,
}


async def _reset_token_for(
    client: httpx.AsyncClient, nats_url: str, email: str, user_id: object
) -> str:
    """Ask for a reset as the user would, and take the token from the notifier's event."""
    since = time.time()
    response = await client.post("/api/auth/forgot-password/", json={"email": email})
    assert response.status_code == 200 and response.json() == FORGOT_BODY
    [event] = await user_events(nats_url, "auth.password_reset.requested", user_id, since=since)
    token: str = event.data["reset_token"]
    return token


async def _reset_tokens_stored(database: Database) -> int:
    async with database.session() as session:
        return int((await session.execute(select(func.count(PasswordResetToken.id)))).scalar_one())


async def test_change_password_refuses_a_wrong_old_password(client, make_user, login) -> None:
    user = await make_user(Role.advisor)
    access = (await login(user.email)).json()["access"]
    response = await client.post(
        "/api/auth/change-password/",
        json={"old_password": "not my password", "new_password": NEW_PASSWORD},
        headers=bearer(access),
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "old_password"
    assert (await login(user.email, NEW_PASSWORD)).status_code == 401
    assert (await login(user.email, PASSWORD)).status_code == 200


async def test_change_password_refuses_weak_or_unchanged_new_passwords(
    client, make_user, login, database
) -> None:
    user = await make_user(Role.customer)
    access = (await login(user.email)).json()["access"]
    for new_password, message in [
        ("short", "at least 10 characters"),
        ("12345678901", "only digits"),
        ("password123", "too common"),
        (PASSWORD, "must differ"),
    ]:
        response = await client.post(
            "/api/auth/change-password",
            json={"old_password": PASSWORD, "new_password": new_password},
            headers=bearer(access),
        )
        assert response.status_code == 422, new_password
        [error] = response.json()["detail"]
        assert error["field"] == "new_password" and message in error["msg"]
    stored = await stored_user(database, user.id)
    assert stored is not None and stored.password_changed_at is None


async def test_change_password_switches_passwords_and_revokes_refresh_tokens(
    client, make_user, login, database
) -> None:
    user = await make_user(Role.branch_head)
    first = (await login(user.email)).json()
    other_device = (await login(user.email)).json()
    response = await client.post(
        "/api/auth/change-password",
        json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(first["access"]),
    )
    assert response.status_code == 200 and response.json() == {"detail": "Password changed."}

    assert (await login(user.email, PASSWORD)).status_code == 401
    assert (await login(user.email, NEW_PASSWORD)).status_code == 200
    for tokens in (first, other_device):
        refreshed = await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
        assert refreshed.status_code == 401
    stored = await stored_user(database, user.id)
    assert stored is not None and stored.password_changed_at is not None


async def test_forgot_password_answers_the_same_for_every_email(
    client, make_user, database, nats_url
) -> None:
    known = await make_user(Role.customer, email="known@example.com")
    await make_user(Role.advisor, email="left@example.com", active=False)
    since = time.time()
    for email in ("nobody@example.com", "left@example.com", "KNOWN@example.com"):
        response = await client.post("/api/auth/forgot-password", json={"email": email})
        assert response.status_code == 200
        assert response.json() == FORGOT_BODY  # reset_token is null outside development
    # Only the active account got a token. Its request came last, so once its event is on
    # the stream an event of the earlier requests would be there too: there is none.
    assert await _reset_tokens_stored(database) == 1
    events = await read_events(nats_url, "auth.password_reset.requested", since=since)
    assert [event.data["user_id"] for event in events] == [str(known.id)]
    assert events[0].data["email"] == "known@example.com" and events[0].data["reset_token"]


async def test_forgot_password_is_throttled_per_address(client) -> None:
    statuses = [
        (
            await client.post("/api/auth/forgot-password", json={"email": f"n{i}@example.com"})
        ).status_code
        for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]


async def test_reset_password_works_once_and_ends_sessions(
    client, make_user, login, nats_url, database
) -> None:
    user = await make_user(Role.advisor, email="maria@example.com")
    refresh = (await login(user.email)).json()["refresh"]
    token = await _reset_token_for(client, nats_url, user.email, user.id)
    async with database.session() as session:
        stored_hash = (await session.execute(select(PasswordResetToken.token_hash))).scalar_one()
    assert stored_hash == hashlib.sha256(token.encode()).hexdigest() != token

    response = await client.post(
        "/api/auth/reset-password/", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert (await login(user.email, PASSWORD)).status_code == 401
    assert (await login(user.email, NEW_PASSWORD)).status_code == 200
    assert (await client.post("/api/token/refresh", json={"refresh": refresh})).status_code == 401

    reused = await client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": "yet another passphrase"}
    )
    assert reused.status_code == 400 and reused.json()["detail"][0]["field"] == "token"
    assert (await login(user.email, NEW_PASSWORD)).status_code == 200


async def test_a_reset_ends_every_other_outstanding_token(client, make_user, nats_url) -> None:
    user = await make_user(Role.customer, email="twice@example.com")
    older = await _reset_token_for(client, nats_url, user.email, user.id)
    newer = await _reset_token_for(client, nats_url, user.email, user.id)
    used = await client.post(
        "/api/auth/reset-password", json={"token": newer, "new_password": NEW_PASSWORD}
    )
    assert used.status_code == 200
    stale = await client.post(
        "/api/auth/reset-password", json={"token": older, "new_password": "yet another passphrase"}
    )
    assert stale.status_code == 400 and stale.json()["detail"][0]["field"] == "token"


async def test_expired_or_unknown_reset_token_is_400(
    client, make_user, nats_url, database, login
) -> None:
    user = await make_user(Role.advisor, email="late@example.com")
    token = await _reset_token_for(client, nats_url, user.email, user.id)
    async with database.session() as session:
        await session.execute(
            update(PasswordResetToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    expired = await client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert expired.status_code == 400 and expired.json()["detail"][0]["field"] == "token"
    unknown = await client.post(
        "/api/auth/reset-password", json={"token": "made-up", "new_password": NEW_PASSWORD}
    )
    assert unknown.status_code == 400 and unknown.json()["detail"][0]["field"] == "token"
    assert (await login(user.email, PASSWORD)).status_code == 200


async def test_weak_password_on_reset_keeps_the_token_usable(
    client, make_user, nats_url, login
) -> None:
    user = await make_user(Role.advisor, email="weak@example.com")
    token = await _reset_token_for(client, nats_url, user.email, user.id)
    weak = await client.post("/api/auth/reset-password", json={"token": token, "new_password": "x"})
    assert weak.status_code == 422 and weak.json()["detail"][0]["field"] == "new_password"
    good = await client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert good.status_code == 200
    assert (await login(user.email, NEW_PASSWORD)).status_code == 200


async def test_reset_token_of_a_deactivated_user_is_400(
    client, make_user, headers_for, nats_url, login
) -> None:
    admin = await make_user(Role.system_admin)
    user = await make_user(Role.advisor, email="leaving@example.com")
    token = await _reset_token_for(client, nats_url, user.email, user.id)
    deleted = await client.delete(f"/api/users/{user.id}", headers=headers_for(admin))
    assert deleted.status_code == 204
    response = await client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 400 and response.json()["detail"][0]["field"] == "token"
    assert (await login(user.email, NEW_PASSWORD)).status_code == 401


async def test_customer_created_by_staff_sets_a_first_password_by_reset(
    client, make_user, headers_for, nats_url, login
) -> None:
    manager = headers_for(await make_user(Role.branch_head))
    created = await client.post(
        "/api/accounts/customers", json={"email": "walkin@example.com"}, headers=manager
    )
    assert created.status_code == 201
    token = await _reset_token_for(client, nats_url, "walkin@example.com", created.json()["id"])
    response = await client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert (await login("walkin@example.com", NEW_PASSWORD)).status_code == 200


async def test_development_returns_the_reset_token_in_the_response(
    settings: AuthSettings, make_user
) -> None:
    development = settings.model_copy(update={"shopfloor_env": Environment.development})
    assert development.is_development and not settings.is_development
    user = await make_user(Role.customer, email="dev@example.com")
    async with serving(build_app(development)) as client:
        response = await client.post("/api/auth/forgot-password", json={"email": user.email})
        assert response.status_code == 200
        token = response.json()["reset_token"]
        assert isinstance(token, str) and len(token) >= 32
        unknown = await client.post("/api/auth/forgot-password", json={"email": "x@example.com"})
        assert unknown.json() == FORGOT_BODY  # still nothing to tell apart unknown emails
        reset = await client.post(
            "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
        )
        assert reset.status_code == 200
        logged_in = await client.post(
            "/api/auth/login", json={"email": user.email, "password": NEW_PASSWORD}
        )
        assert logged_in.status_code == 200
