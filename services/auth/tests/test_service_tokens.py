"""Service credentials end to end: a service gets a token from auth and calls auth as itself.

``POST /api/token/service`` is OAuth 2.0's client-credentials grant for the clients of
``SERVICE_CLIENTS`` (argon2-hashed secrets, scopes). The token passes only a route that
names one of its scopes (creating a user: ``users:create``, for customers and
consignees only; reading one: ``users:read``; making a customer a consignee:
``consignees:enroll``); every route for people refuses it. ``common.service_client`` fetches,
caches and refreshes the token, here against the real auth app.
"""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI

from auth.config import AuthSettings, ServiceClientConfig
from auth.main import build_app
from auth.secrets.hashing import hash_password
from common.roles import Role
from common.service_client import ServiceClient
from tests.conftest import MakeUser, serving, stored_user, user_events

SECRET = "consignment's long random secret"
TOKEN = "/api/token/service"
CONSIGNEE = {
    "email": "consignee@example.com",
    "first_name": "Cora",
    "role": "consignee",
    "consignee_profile": {"commission_rate": "40.00"},
}


@pytest.fixture
def clients_settings(settings: AuthSettings) -> AuthSettings:
    return settings.model_copy(
        update={
            "service_clients": {
                "consignment": ServiceClientConfig(
                    secret_hash=hash_password(SECRET),
                    scopes=["users:create", "users:read", "consignees:enroll"],
                ),
                "reports": ServiceClientConfig(secret_hash=hash_password(SECRET), scopes=[]),
            },
            "service_token_minutes": 1,
        }
    )


@pytest.fixture
async def served(
    clients_settings: AuthSettings,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = build_app(clients_settings)
    async with serving(app) as client:
        yield app, client


def service_client(app: FastAPI, client_id: str = "consignment", **options: Any) -> ServiceClient:
    return ServiceClient(
        client_id=client_id,
        client_secret=SECRET,
        services={"auth": "http://auth"},
        transport=httpx.ASGITransport(app=app),
        **options,
    )


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def test_a_service_creates_a_consignee_as_itself_and_a_retry_is_the_same_user(
    served, database, nats_url
) -> None:
    app, _ = served
    since = time.time()
    async with service_client(app) as services:
        first = await services.post(
            "auth", "/api/accounts/users", json=CONSIGNEE, idempotency_key="consignee:cora"
        )
        assert first.status_code == 201, first.text
        again = await services.post(
            "auth", "/api/accounts/users", json=CONSIGNEE, idempotency_key="consignee:cora"
        )
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        assert services.tokens_fetched == 1
    stored = await stored_user(database, first.json()["id"])
    assert stored is not None and stored.role == "consignee" and stored.password_hash is None
    [event] = await user_events(nats_url, "auth.user.created", stored.id, since=since)
    assert event.actor == "service:consignment"


async def test_the_token_says_who_calls_and_what_it_may_do(served) -> None:
    _, client = served
    response = await client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "scope": "users:create"},
        headers=basic("consignment", SECRET),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 60
    assert body["scope"] == "users:create" and response.headers["cache-control"] == "no-store"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert (claims["typ"], claims["sub"], claims["scopes"]) == (
        "service",
        "consignment",
        ["users:create"],
    )
    assert claims["exp"] - claims["iat"] == pytest.approx(60, abs=1)
    assert "role" not in claims and "email" not in claims


async def test_routes_for_people_and_other_roles_refuse_the_service_token(served) -> None:
    app, _ = served
    async with service_client(app) as services:
        for path in ("/api/auth/me", "/api/users", "/api/accounts/customers"):
            refused = await services.get("auth", path)
            assert refused.status_code == 403, path
        admin = await services.post(
            "auth",
            "/api/accounts/users",
            json={"email": "sneaky@example.com", "role": "system_admin"},
        )
        assert admin.status_code == 403
        assert admin.json() == {
            "detail": "A service may create only customer and consignee accounts."
        }


async def test_a_client_without_the_scope_is_refused(served) -> None:
    app, _ = served
    async with service_client(app, "reports") as services:
        response = await services.post("auth", "/api/accounts/users", json=CONSIGNEE)
    assert response.status_code == 403 and "users:create" in response.json()["detail"]


async def test_a_service_with_users_read_reads_a_user_and_one_without_is_refused(served) -> None:
    """POS checks the user of a consignee account it opens for an existing user."""
    app, _ = served
    async with service_client(app) as services:
        created = await services.post("auth", "/api/accounts/users", json=CONSIGNEE)
        user_id = created.json()["id"]
        found = await services.get("auth", f"/api/accounts/users/{user_id}")
        missing = await services.get(
            "auth", "/api/accounts/users/00000000-0000-4000-8000-000000000000"
        )
    async with service_client(app, "reports") as services:
        refused = await services.get("auth", f"/api/accounts/users/{user_id}")
    assert found.status_code == 200, found.text
    assert (found.json()["email"], found.json()["is_active"]) == (CONSIGNEE["email"], True)
    assert missing.status_code == 404
    assert refused.status_code == 403 and "users:read" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("request_options", "status"),
    [
        (
            {"data": {"grant_type": "client_credentials"}, "headers": basic("consignment", "nope")},
            401,
        ),
        ({"data": {"grant_type": "client_credentials"}, "headers": basic("nobody", SECRET)}, 401),
        (
            {
                "data": {
                    "grant_type": "client_credentials",
                    "client_id": "consignment",
                    "client_secret": "nope",
                }
            },
            401,
        ),
        ({"data": {"grant_type": "client_credentials"}}, 401),
        ({"data": {"grant_type": "password"}, "headers": basic("consignment", SECRET)}, 400),
        (
            {
                "data": {"grant_type": "client_credentials", "scope": "users:delete"},
                "headers": basic("consignment", SECRET),
            },
            400,
        ),
        (
            {
                "data": {"grant_type": "client_credentials", "client_id": "consignment"},
                "headers": basic("consignment", SECRET),
            },
            400,
        ),
        ({"content": b"\xff\xfe", "headers": {"content-type": "text/plain"}}, 400),
    ],
)
async def test_refused_token_requests(served, request_options, status) -> None:
    _, client = served
    response = await client.post(TOKEN, **request_options)
    assert response.status_code == status, response.text
    assert "access_token" not in response.json() and response.json()["detail"]
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Basic")


async def test_the_grant_may_come_as_a_form_or_as_json(served) -> None:
    _, client = served
    grant = {
        "grant_type": "client_credentials",
        "client_id": "consignment",
        "client_secret": SECRET,
    }
    as_form = await client.post(TOKEN, data=grant)
    as_json = await client.post(TOKEN, json=grant)
    assert as_form.status_code == as_json.status_code == 200
    assert as_json.json()["scope"] == "users:create users:read consignees:enroll"


async def test_the_client_refreshes_its_token_before_it_expires(served) -> None:
    app, _ = served
    now = [0.0]
    async with service_client(app, refresh_margin=10.0, clock=lambda: now[0]) as services:
        first_token = await services.token()
        assert (
            await services.post("auth", "/api/accounts/users", json=CONSIGNEE)
        ).status_code == 201
        now[0] += 60 - 11  # 11 s left: still good
        assert await services.token() == first_token
        now[0] += 2  # within the 10 s margin: fetched again before it is used
        second_token = await services.token()
        assert second_token != first_token and services.tokens_fetched == 2
        lookup = await services.post(
            "auth", "/api/accounts/users", json={**CONSIGNEE, "email": "second@example.com"}
        )
        assert lookup.status_code == 201


async def test_outside_development_a_plain_client_secret_is_refused(settings: AuthSettings) -> None:
    with pytest.raises(ValueError, match="secret_hash"):
        AuthSettings(
            **{
                **settings.model_dump(),
                "service_clients": {"pos": {"secret": "dev-pos-secret", "scopes": []}},
            }
        )
    with pytest.raises(ValueError, match="argon2"):
        ServiceClientConfig(secret_hash="plain text")


async def test_a_person_still_creates_users_as_before(served, make_user, headers_for) -> None:
    _, client = served
    admin = headers_for(await make_user(Role.system_admin))
    created = await client.post(
        "/api/users", json={**CONSIGNEE, "email": "by-admin@example.com"}, headers=admin
    )
    assert created.status_code == 201
    taken = await client.post(
        "/api/users", json={**CONSIGNEE, "email": "by-admin@example.com"}, headers=admin
    )
    assert taken.status_code == 409  # people are told; only a service's retry is idempotent


STORE = "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10"


async def test_a_service_with_consignees_enroll_makes_a_customer_a_consignee_once(
    served, database, nats_url, make_user: MakeUser
) -> None:
    """POS opening a consignee account for an existing user: the portal needs the role."""
    app, _ = served
    customer = await make_user(Role.customer, stores=["another-store"])
    since = time.time()
    path = f"/api/accounts/users/{customer.id}/consignee"
    async with service_client(app) as services:
        first = await services.put("auth", path, json={"store_id": STORE})
        again = await services.put("auth", path, json={"store_id": STORE})
    async with service_client(app, "reports") as services:
        refused = await services.put("auth", path, json={"store_id": STORE})

    assert first.status_code == 200, first.text
    assert (first.json()["role"], first.json()["store_ids"]) == (
        "consignee",
        ["another-store", STORE],
    )
    assert again.status_code == 200 and again.json() == first.json()
    assert refused.status_code == 403 and "consignees:enroll" in refused.json()["detail"]
    stored = await stored_user(database, customer.id)
    assert stored is not None and stored.role == "consignee"
    assert stored.consignee_profile is not None and stored.customer_profile is not None
    assert stored.tokens_valid_after is not None  # a role change ends the user's sessions
    [event] = await user_events(nats_url, "auth.user.updated", customer.id, since=since)
    assert event.actor == "service:consignment"
    assert event.data["changed"] == ["consignee_profile", "role", "store_ids"]


@pytest.mark.parametrize("role", [Role.advisor, Role.branch_head, Role.system_admin])
async def test_staff_keep_their_role_and_a_deactivated_user_is_refused(
    served, database, make_user: MakeUser, role: Role
) -> None:
    app, _ = served
    staff = await make_user(role)
    gone = await make_user(Role.customer, active=False)
    async with service_client(app) as services:
        kept = await services.put(
            "auth", f"/api/accounts/users/{staff.id}/consignee", json={"store_id": STORE}
        )
        deactivated = await services.put(
            "auth", f"/api/accounts/users/{gone.id}/consignee", json={"store_id": STORE}
        )
        missing = await services.put(
            "auth",
            "/api/accounts/users/00000000-0000-4000-8000-000000000000/consignee",
            json={"store_id": STORE},
        )

    assert kept.status_code == 409, kept.text
    assert kept.json()["detail"] == (
        f"User {staff.id} is a {role.value}: a user has one role, and only a customer can "
        "become a consignee."
    )
    assert deactivated.status_code == 409
    assert deactivated.json()["detail"] == f"User {gone.id} is deactivated."
    assert missing.status_code == 404
    stored = await stored_user(database, staff.id)
    assert stored is not None and stored.role == role.value
