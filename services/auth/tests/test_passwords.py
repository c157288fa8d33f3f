"""Seed 002's password flows: change (authenticated), forgot and reset (public).

A changed or reset password is the only one that logs in afterwards, and every
earlier refresh token stops working. Forgot-password says the same thing for
every email; the reset token leaves auth only in a mail to the account's
address (a local SMTP server here), never in an event, and in a response only
with ``AUTH_EXPOSE_RESET_TOKEN=true`` in development. A token works once, and
not after it expires.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select, update

from auth.config import AuthSettings
from auth.main import build_app
from auth.models import PasswordResetToken
from common.config import Environment
from common.db import Database
from common.roles import Role
from common.testing.engines import free_port
from common.testing.helpers import read_events
from tests.conftest import PASSWORD, Mailbox, bearer, reset_token_in, serving, stored_user

NEW_PASSWORD = "a brand new passphrase"
FORGOT_BODY = {
    "detail": "If an account exists for this email, reset instructions have been sent.",
    "reset_token": None,
}


async def _reset_token_for(client: httpx.AsyncClient, mailbox: Mailbox, email: str) -> str:
    """Ask for a reset as the user would, and take the token from the mail they get."""
    earlier = len(mailbox.to(email))
    response = await client.post("/api/auth/forgot-password/", json={"email": email})
    assert response.status_code == 200 and response.json() == FORGOT_BODY
    return reset_token_in(await mailbox.wait_for(email, count=earlier + 1))


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
    client, make_user, database, nats_url, mailbox, app
) -> None:
    known = await make_user(Role.customer, email="known@example.com", first_name="Kim")
    await make_user(Role.advisor, email="left@example.com", active=False)
    since = time.time()
    for email in ("nobody@example.com", "left@example.com", "KNOWN@example.com"):
        response = await client.post("/api/auth/forgot-password", json={"email": email})
        assert response.status_code == 200
        assert response.json() == FORGOT_BODY  # the token is never in the response
    # Only the active account got a token, and a mail with it.
    assert await _reset_tokens_stored(database) == 1
    mail = await mailbox.wait_for("known@example.com")
    await app.state.mailer.drain()
    assert [message["To"] for message in mailbox.messages] == ["known@example.com"]
    assert mail["Subject"] == "Reset your Shopfloor password" and "Kim" in mail.get_content()
    async with database.session() as session:
        stored_hash = (await session.execute(select(PasswordResetToken.token_hash))).scalar_one()
    assert stored_hash == hashlib.sha256(reset_token_in(mail).encode()).hexdigest()
    # The event says a reset was asked for; the token never travels in an event.
    events = await read_events(nats_url, "auth.password_reset.requested", since=since)
    assert [event.data["user_id"] for event in events] == [str(known.id)]
    assert events[0].data["email"] == "known@example.com"
    assert "reset_token" not in events[0].data
    assert reset_token_in(mail) not in str(events[0].model_dump())


async def test_forgot_password_is_throttled_per_address(client) -> None:
    statuses = [
        (
            await client.post("/api/auth/forgot-password", json={"email": f"n{i}@example.com"})
        ).status_code
        for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]


async def test_reset_password_works_once_and_ends_sessions(
    client, make_user, login, mailbox, database
) -> None:
    user = await make_user(Role.advisor, email="maria@example.com")
    refresh = (await login(user.email)).json()["refresh"]
    token = await _reset_token_for(client, mailbox, user.email)
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


async def test_a_reset_ends_every_other_outstanding_token(client, make_user, mailbox) -> None:
    user = await make_user(Role.customer, email="twice@example.com")
    older = await _reset_token_for(client, mailbox, user.email)
    newer = await _reset_token_for(client, mailbox, user.email)
    used = await client.post(
        "/api/auth/reset-password", json={"token": newer, "new_password": NEW_PASSWORD}
    )
    assert used.status_code == 200
    stale = await client.post(
        "/api/auth/reset-password", json={"token": older, "new_password": "yet another passphrase"}
    )
    assert stale.status_code == 400 and stale.json()["detail"][0]["field"] == "token"


async def test_expired_or_unknown_reset_token_is_400(
    client, make_user, mailbox, database, login
) -> None:
    user = await make_user(Role.advisor, email="late@example.com")
    token = await _reset_token_for(client, mailbox, user.email)
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
    client, make_user, mailbox, login
) -> None:
    user = await make_user(Role.advisor, email="weak@example.com")
    token = await _reset_token_for(client, mailbox, user.email)
    weak = await client.post("/api/auth/reset-password", json={"token": token, "new_password": "x"})
    assert weak.status_code == 422 and weak.json()["detail"][0]["field"] == "new_password"
    good = await client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert good.status_code == 200
    assert (await login(user.email, NEW_PASSWORD)).status_code == 200


async def test_reset_token_of_a_deactivated_user_is_400(
    client, make_user, headers_for, mailbox, login
) -> None:
    admin = await make_user(Role.system_admin)
    user = await make_user(Role.advisor, email="leaving@example.com")
    token = await _reset_token_for(client, mailbox, user.email)
    deleted = await client.delete(f"/api/users/{user.id}", headers=headers_for(admin))
    assert deleted.status_code == 204
    response = await client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 400 and response.json()["detail"][0]["field"] == "token"
    assert (await login(user.email, NEW_PASSWORD)).status_code == 401


async def test_customer_created_by_staff_sets_a_first_password_by_reset(
    client, make_user, headers_for, mailbox, login
) -> None:
    manager = headers_for(await make_user(Role.branch_head))
    created = await client.post(
        "/api/accounts/customers", json={"email": "walkin@example.com"}, headers=manager
    )
    assert created.status_code == 201
    token = await _reset_token_for(client, mailbox, "walkin@example.com")
    response = await client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert (await login("walkin@example.com", NEW_PASSWORD)).status_code == 200


async def test_development_answers_with_the_token_only_when_told_to(
    settings: AuthSettings, make_user, mailbox
) -> None:
    """``make up`` runs in development: that alone never puts the token in the response."""
    development = settings.model_copy(update={"shopfloor_env": Environment.development})
    user = await make_user(Role.customer, email="dev@example.com")
    async with serving(build_app(development)) as client:
        response = await client.post("/api/auth/forgot-password", json={"email": user.email})
        assert response.status_code == 200 and response.json() == FORGOT_BODY
        assert reset_token_in(await mailbox.wait_for(user.email))

    exposing = development.model_copy(update={"auth_expose_reset_token": True})
    async with serving(build_app(exposing)) as client:
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


async def test_development_without_smtp_writes_the_mail_where_make_up_says(
    settings: AuthSettings, make_user, tmp_path
) -> None:
    development = settings.model_copy(
        update={
            "shopfloor_env": Environment.development,
            "smtp_url": None,
            "mail_dir": tmp_path / "mail",
            "password_reset_url": "http://127.0.0.1:8000/reset?token={token}",
        }
    )
    user = await make_user(Role.customer, email="local@example.com")
    app = build_app(development)
    async with serving(app) as client:
        response = await client.post("/api/auth/forgot-password", json={"email": user.email})
        assert response.status_code == 200 and response.json() == FORGOT_BODY
        await app.state.mailer.drain()
    [path] = list((tmp_path / "mail").glob("*.eml"))
    assert path.stat().st_mode & 0o777 == 0o600  # it holds a reset token
    mail = message_from_bytes(path.read_bytes(), _class=EmailMessage, policy=default)
    assert mail["To"] == "local@example.com"
    token = reset_token_in(mail)
    assert f"http://127.0.0.1:8000/reset?token={token}" in mail.get_content()


async def test_a_mail_server_that_is_down_changes_nothing_in_the_answer(
    settings: AuthSettings, make_user, database, caplog
) -> None:
    """Forgot-password answers as always; the mail is retried, then logged (never its token)."""
    unreachable = settings.model_copy(
        update={"smtp_url": SecretStr(f"smtp://127.0.0.1:{free_port()}")}
    )
    user = await make_user(Role.customer, email="nomail@example.com")
    app = build_app(unreachable)
    app.state.mailer.attempts = 2
    logging.getLogger("auth.mail").addHandler(caplog.handler)  # the app's JSON logging took root's
    async with serving(app) as client:
        response = await client.post("/api/auth/forgot-password", json={"email": user.email})
        assert response.status_code == 200 and response.json() == FORGOT_BODY
        await app.state.mailer.drain()
    logging.getLogger("auth.mail").removeHandler(caplog.handler)
    assert await _reset_tokens_stored(database) == 1
    assert (app.state.mailer.sent, app.state.mailer.failed) == (0, 1)
    [line] = [record.getMessage() for record in caplog.records if "not sent" in record.getMessage()]
    assert "nomail@example.com" in line and "Reset token" not in line
