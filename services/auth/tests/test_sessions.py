"""Login, refresh rotation and reuse detection, logout, verify, me, JWKS, throttling."""

from __future__ import annotations

import time

import jwt
import pytest
from sqlalchemy import select

from auth.models import RefreshToken
from common.db import Database
from common.roles import Role
from common.testing.helpers import read_events
from tests.conftest import PASSWORD, user_events


async def test_login_returns_tokens_user_and_cookie(client, make_user, login) -> None:
    user = await make_user(Role.advisor, stores=["store-1"])
    response = await login(user.email)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access", "refresh", "user"}
    assert body["user"]["email"] == user.email and body["user"]["role"] == "advisor"
    cookie = response.headers["set-cookie"]
    assert "refresh_token=" in cookie and "HttpOnly" in cookie
    claims = jwt.decode(body["access"], options={"verify_signature": False})
    assert claims["typ"] == "access" and claims["sub"] == str(user.id)
    assert claims["stores"] == ["store-1"] and claims["role"] == "advisor"
    assert {"exp", "iat", "iss", "aud", "jti"} <= set(claims)
    assert jwt.get_unverified_header(body["access"])["alg"] == "EdDSA"


async def test_login_publishes_the_session_it_started_and_a_refresh_does_not(
    client, make_user, login, nats_url
) -> None:
    user = await make_user(Role.branch_head, stores=["store-1"])
    since = time.time()
    response = await login(user.email)
    assert response.status_code == 200, response.text
    refresh = response.json()["refresh"]
    family = jwt.decode(refresh, options={"verify_signature": False})["fam"]
    [started] = await user_events(nats_url, "auth.session.started", user.id, since=since)
    assert started.actor == str(user.id)
    assert started.data["session_id"] == family and started.data["role"] == "branch_head"
    refreshed = await client.post("/api/token/refresh", json={"refresh": refresh})
    assert refreshed.status_code == 200, refreshed.text
    # A refresh continues the session: no second event arrives (waited for, briefly).
    again = await read_events(nats_url, "auth.session.started", since=since, expected=2, timeout=3)
    assert [e.data["session_id"] for e in again if e.data["user_id"] == str(user.id)] == [family]
    failed = await login(user.email, "not the password")
    assert failed.status_code == 401


async def test_login_is_case_insensitive_on_email_and_refuses_bad_password(
    client, make_user, login
) -> None:
    user = await make_user(Role.customer)
    assert (await login(user.email.upper())).status_code == 200
    wrong = await login(user.email, "not the password")
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "No active account found with the given credentials."
    unknown = await login("nobody@shopfloor.test")
    assert unknown.status_code == 401 and unknown.json() == wrong.json()


async def test_inactive_user_cannot_log_in(client, make_user, login) -> None:
    user = await make_user(Role.advisor, active=False)
    assert (await login(user.email)).status_code == 401


async def test_me_returns_profile_and_requires_token(client, make_user, login) -> None:
    user = await make_user(Role.branch_head)
    access = (await login(user.email)).json()["access"]
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {access}"})
    assert me.status_code == 200 and me.json()["id"] == str(user.id)
    assert me.json()["employee_profile"] is not None
    anonymous = await client.get("/api/auth/me")
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"


async def test_refresh_rotates_and_reuse_revokes_the_family(client, make_user, login) -> None:
    user = await make_user(Role.advisor)
    first = (await login(user.email)).json()
    rotated = await client.post("/api/token/refresh", json={"refresh": first["refresh"]})
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh"] != first["refresh"] and second["access"] != first["access"]
    reused = await client.post("/api/token/refresh", json={"refresh": first["refresh"]})
    assert reused.status_code == 401 and "already used" in reused.json()["detail"]
    # The thief's reuse ended the legitimate descendant too.
    after = await client.post("/api/token/refresh", json={"refresh": second["refresh"]})
    assert after.status_code == 401


async def test_access_token_is_not_a_refresh_token_and_vice_versa(client, make_user, login) -> None:
    user = await make_user(Role.advisor)
    tokens = (await login(user.email)).json()
    as_refresh = await client.post("/api/token/refresh", json={"refresh": tokens["access"]})
    assert as_refresh.status_code == 401
    as_access = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {tokens['refresh']}"}
    )
    assert as_access.status_code == 401


async def test_cookie_refresh_flow(client, make_user, login) -> None:
    """The details (attributes, paths, CSRF) are in test_refresh_cookie.py."""
    user = await make_user(Role.advisor)
    await login(user.email)  # the client keeps the httpOnly cookie
    page = {"Origin": "http://testserver"}
    response = await client.post("/api/auth/refresh", headers=page)
    assert response.status_code == 200 and set(response.json()) == {"access"}
    client.cookies.clear()
    assert (await client.post("/api/auth/refresh", headers=page)).status_code == 401


async def test_logout_blacklists_refresh_and_access(client, make_user, login) -> None:
    user = await make_user(Role.advisor)
    tokens = (await login(user.email)).json()
    bearer = {"Authorization": f"Bearer {tokens['access']}"}
    response = await client.post(
        "/api/auth/logout", json={"refresh": tokens["refresh"]}, headers=bearer
    )
    assert response.status_code == 200
    assert (
        'refresh_token=""' in response.headers["set-cookie"]
        or "Max-Age=0" in response.headers["set-cookie"]
    )
    assert (
        await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
    ).status_code == 401
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401


async def test_logout_without_any_credential_is_401(client) -> None:
    client.cookies.clear()
    assert (await client.post("/api/auth/logout")).status_code == 401


async def test_verify_answers_for_access_and_refresh(client, make_user, login) -> None:
    user = await make_user(Role.advisor)
    tokens = (await login(user.email)).json()
    access = await client.post("/api/token/verify", json={"token": tokens["access"]})
    refresh = await client.post("/api/token/verify", json={"token": tokens["refresh"]})
    assert access.json()["token_type"] == "access" and refresh.json()["token_type"] == "refresh"
    bad = await client.post("/api/token/verify", json={"token": tokens["access"][:-4] + "AAAA"})
    assert bad.status_code == 401


async def test_deactivated_users_tokens_stop_working(client, make_user, login, headers_for) -> None:
    admin = await make_user(Role.system_admin)
    user = await make_user(Role.advisor)
    tokens = (await login(user.email)).json()
    bearer = {"Authorization": f"Bearer {tokens['access']}"}
    assert (
        await client.delete(f"/api/users/{user.id}", headers=headers_for(admin))
    ).status_code == 204
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401
    assert (
        await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
    ).status_code == 401
    assert (await login(user.email)).status_code == 401


async def test_jwks_verifies_issued_tokens(client, make_user, login) -> None:
    user = await make_user(Role.customer)
    access = (await login(user.email)).json()["access"]
    jwks = (await client.get("/api/auth/jwks/")).json()
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(access)["kid"]]
    claims = jwt.decode(
        access, key=key, algorithms=["EdDSA"], audience="shopfloor", issuer="shopfloor-auth"
    )
    assert claims["sub"] == str(user.id)


async def test_login_is_throttled_per_account_with_retry_after(client, make_user, login) -> None:
    user = await make_user(Role.advisor)
    statuses = [(await login(user.email, "wrong password!")).status_code for _ in range(5)]
    assert statuses == [401] * 5
    blocked = await login(user.email)  # even the right password waits
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert "login" in blocked.json()["detail"]


async def test_refresh_tokens_are_stored_by_jti(client, make_user, login, settings) -> None:
    user = await make_user(Role.advisor)
    refresh = (await login(user.email)).json()["refresh"]
    jti = jwt.decode(refresh, options={"verify_signature": False})["jti"]
    database = Database(settings.database_url)
    try:
        async with database.session() as session:
            row = (
                await session.execute(select(RefreshToken).where(RefreshToken.jti == jti))
            ).scalar_one()
        assert row.user_id == user.id and row.used_at is None
    finally:
        await database.dispose()


async def test_register_creates_customer_and_publishes(client, nats_url) -> None:
    since = time.time()
    response = await client.post(
        "/api/auth/register",
        json={"email": "New@Example.com", "password": PASSWORD, "first_name": "Nia"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["role"] == "customer" and body["email"] == "new@example.com"
    assert body["customer_profile"]["customer_number"].startswith("CUS-")
    events = await read_events(nats_url, "auth.user.registered", since=since)
    assert [event.data["email"] for event in events] == ["new@example.com"]
    assert events[0].data["user_id"] == body["id"]


async def test_register_refuses_mass_assignment_and_weak_passwords(client) -> None:
    sneaky = await client.post(
        "/api/auth/register",
        json={
            "email": "x@example.com",
            "password": PASSWORD,
            "role": "system_admin",
            "store_ids": ["s"],
        },
    )
    assert sneaky.status_code == 422
    assert {error["field"] for error in sneaky.json()["detail"]} == {"role", "store_ids"}
    weak = await client.post(
        "/api/auth/register", json={"email": "y@example.com", "password": "12345"}
    )
    assert weak.status_code == 422
    assert weak.json()["detail"][0]["field"] == "password"
    assert "at least 10 characters" in weak.json()["detail"][0]["msg"]
    await client.post("/api/auth/register", json={"email": "dup@example.com", "password": PASSWORD})
    duplicate = await client.post(
        "/api/auth/register", json={"email": "DUP@example.com", "password": PASSWORD}
    )
    assert duplicate.status_code == 409 and duplicate.json()["detail"][0]["field"] == "email"


@pytest.mark.parametrize(
    ("role", "profile"),
    [
        (Role.advisor, ("employee_profile", {"hire_date": "2025-03-01", "hourly_rate": "21.50"})),
        (Role.consignee, ("consignee_profile", {"commission_rate": "40.00", "notes": "vintage"})),
        (Role.customer, None),
        (Role.system_admin, None),
    ],
)
async def test_me_answers_the_same_body_as_the_user_resource(
    client, make_user, headers_for, login, role, profile
) -> None:
    """/me is read by auth's own check (one statement); it must say what GET /api/users/{id} says."""
    admin = headers_for(await make_user(Role.system_admin))
    user = await make_user(role, stores=["store-1", "store-2"], phone="+1 555 0100")
    if profile is not None:
        name, fields = profile
        patched = await client.patch(f"/api/users/{user.id}/{name}", json=fields, headers=admin)
        assert patched.status_code == 200, patched.text
    access = (await login(user.email)).json()["access"]
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {access}"})
    resource = await client.get(f"/api/users/{user.id}", headers=admin)
    assert me.status_code == resource.status_code == 200
    assert me.json() == resource.json()
