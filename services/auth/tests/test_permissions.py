"""Who may call which auth route: every route by every kind of caller, against the seeds.

``MATRIX`` is the contract, one row per (method, route) the app serves, with the
status each caller gets. Read it next to the seeds' permission columns:

- 000 "Authentication & Session": login and register public; logout, me,
  token refresh (with a refresh token) and verify authenticated.
- 000 "Accounts" and 002 "Users": ``system_admin`` only, on both ``/api/users``
  and ``/api/accounts/users``.
- 002 "Customers": Manager+ (``branch_head`` and ``system_admin``).
- 002 "Auth": change-password authenticated; forgot/reset-password public.

Anonymous callers of a protected route get 401 with ``WWW-Authenticate: Bearer``,
roles below the requirement 403, and a refused request changes no row. Allowed
callers send a valid request and get the route's success status. Every caller
is a stored user with tokens from auth's own issuer.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from auth.models import (
    Base,
    ConsigneeProfile,
    CustomerProfile,
    EmployeeProfile,
    PasswordResetToken,
    RefreshToken,
    User,
)
from auth.secrets.hashing import hash_password
from auth.sessions.issuer import TokenIssuer
from common.db import Database
from common.roles import Role
from common.testing.permissions import (
    CALLERS,
    Row,
    caller_id,
    infrastructure_rows,
    nats_connected,
    row_id,
    served_routes,
)
from tests.conftest import PASSWORD

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("auth"),  # docs and health: public
    #   method    path                                                 anon cust cons  adv head admin
    # 000 Authentication & Session, 002 Auth.
    Row("POST",   "/api/auth/login",                                    200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/auth/register",                                 201, 201, 201, 201, 201, 201),
    Row("POST",   "/api/auth/logout",                                   401, 200, 200, 200, 200, 200),
    Row("GET",    "/api/auth/me",                                       401, 200, 200, 200, 200, 200),
    Row("GET",    "/api/auth/jwks",                                     200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/token/refresh",                                 401, 200, 200, 200, 200, 200),
    Row("POST",   "/api/auth/refresh",                                  401, 200, 200, 200, 200, 200),
    Row("POST",   "/api/token/verify",                                  401, 200, 200, 200, 200, 200),
    # Service credentials: only a client of SERVICE_CLIENTS; a person's token is no credential.
    Row("POST",   "/api/token/service",                                 401, 401, 401, 401, 401, 401),
    Row("POST",   "/api/auth/change-password",                          401, 200, 200, 200, 200, 200),
    Row("POST",   "/api/auth/forgot-password",                          200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/auth/reset-password",                           200, 200, 200, 200, 200, 200),
    # 000 Accounts: system_admin.
    Row("GET",    "/api/users",                                         401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/users",                                         401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/users/{user_id}",                               401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/users/{user_id}",                               401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/users/{user_id}",                               401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/users/{user_id}",                               401, 403, 403, 403, 403, 204),
    Row("PATCH",  "/api/users/{user_id}/employee_profile",              401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/users/{user_id}/consignee_profile",             401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/users/{user_id}/consignee",                     401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/users/{user_id}/reset-password",                401, 403, 403, 403, 403, 200),
    # 002 Users: admin only.
    Row("GET",    "/api/accounts/users",                                401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/accounts/users",                                401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/accounts/users/{user_id}",                      401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/accounts/users/{user_id}",                      401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/accounts/users/{user_id}",                      401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/accounts/users/{user_id}",                      401, 403, 403, 403, 403, 204),
    Row("PATCH",  "/api/accounts/users/{user_id}/employee_profile",     401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/accounts/users/{user_id}/consignee_profile",    401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/accounts/users/{user_id}/consignee",            401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/accounts/users/{user_id}/reset-password",       401, 403, 403, 403, 403, 200),
    # 002 Customers: Manager+.
    Row("GET",    "/api/accounts/customers",                            401, 403, 403, 403, 200, 200),
    Row("POST",   "/api/accounts/customers",                            401, 403, 403, 403, 201, 201),
    Row("GET",    "/api/accounts/customers/lookup/{customer_number}",   401, 403, 403, 403, 200, 200),
    Row("GET",    "/api/accounts/customers/{customer_id}",              401, 403, 403, 403, 200, 200),
    Row("PATCH",  "/api/accounts/customers/{customer_id}",              401, 403, 403, 403, 200, 200),
    Row("DELETE", "/api/accounts/customers/{customer_id}",              401, 403, 403, 403, 204, 204),
]
# fmt: on

NEW_PASSWORD = "a brand new passphrase"
RESET_TOKEN = "matrix-reset-token-0123456789abcdef"
TARGET_NUMBER = "CUS-900777"


@dataclass(frozen=True)
class Send:
    """What a valid request to a route carries; "{name}" placeholders are filled per case."""

    json: Any = None
    target: str = "advisor"  # whose id fills {user_id}: advisor, consignee or customer
    refresh_cookie: bool = False


USER_CREATE = {"email": "new.staff@example.com", "password": PASSWORD, "role": "advisor"}
SEND: dict[tuple[str, str], Send] = {
    ("POST", "/api/auth/login"): Send({"email": "{target_email}", "password": PASSWORD}),
    ("POST", "/api/auth/register"): Send({"email": "newcomer@example.com", "password": PASSWORD}),
    ("POST", "/api/auth/logout"): Send({"refresh": "{refresh}"}),
    # The credential of the token routes is the caller's own token, not the bearer header.
    ("POST", "/api/token/refresh"): Send({"refresh": "{refresh}"}),
    ("POST", "/api/auth/refresh"): Send(refresh_cookie=True),
    ("POST", "/api/token/verify"): Send({"token": "{access}"}),
    ("POST", "/api/token/service"): Send(
        {"grant_type": "client_credentials", "client_id": "a-person", "client_secret": PASSWORD}
    ),
    ("POST", "/api/auth/change-password"): Send(
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    ),
    ("POST", "/api/auth/forgot-password"): Send({"email": "{target_email}"}),
    ("POST", "/api/auth/reset-password"): Send(
        {"token": RESET_TOKEN, "new_password": NEW_PASSWORD}
    ),
    **{
        (method, prefix + path): send
        for prefix in ("/api/users", "/api/accounts/users")
        for method, path, send in (
            ("POST", "", Send(USER_CREATE)),
            ("PATCH", "/{user_id}", Send({"first_name": "Renamed"})),
            ("PUT", "/{user_id}", Send({"first_name": "Renamed"})),
            ("PATCH", "/{user_id}/employee_profile", Send({"job_title": "Lead technician"})),
            (
                "PATCH",
                "/{user_id}/consignee_profile",
                Send({"commission_rate": "40.00"}, target="consignee"),
            ),
            ("PUT", "/{user_id}/consignee", Send({"store_id": "store-2"}, target="customer")),
        )
    },
    ("POST", "/api/accounts/customers"): Send({"email": "walk.in@example.com"}),
    ("PATCH", "/api/accounts/customers/{customer_id}"): Send({"phone": "+1 555 0100"}),
}

PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: the matrix arranges hundreds of users


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Case:
    url: str
    json: Any
    headers: dict[str, str]
    refresh_cookie: str | None


def _user(role: Role, name: str, **fields: Any) -> User:
    user = User(
        id=uuid.uuid4(),
        email=f"{name}@example.com",
        password_hash=PASSWORD_HASH,
        role=role.value,
        store_ids=["store-1"],
        first_name=name.split(".")[0].title(),
        last_name="Tester",
        **fields,
    )
    if role in (Role.advisor, Role.branch_head, Role.system_admin):
        user.employee_profile = EmployeeProfile()
    elif role == Role.consignee:
        user.consignee_profile = ConsigneeProfile()
    return user


async def arrange(
    app: FastAPI, database: Database, row: Row, caller: Role | None, *, slash: bool = False
) -> Case:
    """Target users for the route, the caller as a stored user, and the caller's tokens."""
    advisor = _user(Role.advisor, "target.advisor")
    consignee = _user(Role.consignee, "target.consignee")
    customer = _user(Role.customer, "target.customer")
    customer.customer_profile = CustomerProfile(customer_number=TARGET_NUMBER)
    values = {"target_email": advisor.email, "access": "", "refresh": ""}
    headers: dict[str, str] = {}
    tokens: list[RefreshToken | PasswordResetToken] = []
    async with database.session() as session:
        session.add_all([advisor, consignee, customer])
        if caller is not None:
            me = _user(caller, f"caller.{caller.value}")
            if caller == Role.customer:
                me.customer_profile = CustomerProfile(customer_number="CUS-900778")
            session.add(me)
            issuer: TokenIssuer = app.state.issuer
            family = uuid.uuid4()
            access, refresh = issuer.access(me, family), issuer.refresh(me, family)
            tokens.append(
                RefreshToken(
                    jti=refresh.jti, family_id=family, user_id=me.id, expires_at=refresh.expires_at
                )
            )
            values.update(access=access.token, refresh=refresh.token)
            headers["Authorization"] = f"Bearer {access.token}"
        await session.flush()  # users first: the token rows below point at them
        tokens.append(
            PasswordResetToken(
                token_hash=hashlib.sha256(RESET_TOKEN.encode()).hexdigest(),
                user_id=advisor.id,
                expires_at=datetime.now(UTC) + timedelta(minutes=30),
            )
        )
        session.add_all(tokens)
    send = SEND.get((row.method, row.path), Send())
    target = {"consignee": consignee, "customer": customer}.get(send.target, advisor)
    url = row.path.format(user_id=target.id, customer_id=customer.id, customer_number=TARGET_NUMBER)
    return Case(
        url=url + "/" if slash else url,
        json=_fill(send.json, values),
        headers=headers,
        refresh_cookie=values["refresh"] if send.refresh_cookie and values["refresh"] else None,
    )


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every auth table (users, profiles, tokens, outbox, ...)."""
    async with database.session() as session:
        return {
            table.name: sorted(
                (tuple(row) for row in (await session.execute(select(table))).all()), key=repr
            )
            for table in Base.metadata.sorted_tables
        }


async def check(
    client: httpx.AsyncClient,
    app: FastAPI,
    database: Database,
    row: Row,
    caller: Role | None,
    *,
    slash: bool = False,
) -> None:
    case = await arrange(app, database, row, caller, slash=slash)
    await nats_connected(app)
    headers = dict(case.headers)
    if case.refresh_cookie:
        client.cookies.set("refresh_token", case.refresh_cookie)
        headers["Origin"] = str(client.base_url).rstrip("/")  # a page of the gateway's own
    before = await snapshot(database)
    response = await client.request(row.method, case.url, json=case.json, headers=headers)
    expected = row.expected(caller)
    assert response.status_code == expected, (
        f"{row.method} {case.url} as {caller_id(caller)}: "
        f"{response.status_code} {response.text[:300]}"
    )
    if expected == 401:
        # The token endpoint authenticates clients, by HTTP Basic (RFC 6749 §5.2).
        challenge = 'Basic realm="shopfloor"' if row.path == "/api/token/service" else "Bearer"
        assert response.headers.get("www-authenticate") == challenge
        assert isinstance(response.json()["detail"], str)
    if expected == 403:
        assert response.json() == {"detail": "You do not have permission to perform this action."}
    if expected in (401, 403):
        assert await snapshot(database) == before, "a refused request changed stored rows"


@pytest.mark.parametrize("caller", CALLERS, ids=caller_id)
@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_permission(
    row: Row, caller: Role | None, client: httpx.AsyncClient, app: FastAPI, database: Database
) -> None:
    await check(client, app, database, row, caller)


SLASHED = [
    "GET /api/users",
    "DELETE /api/users/{user_id}",
    "GET /api/accounts/users/{user_id}",
    "PATCH /api/accounts/users/{user_id}/employee_profile",
    "POST /api/accounts/users/{user_id}/reset-password",
    "POST /api/accounts/customers",
    "GET /api/accounts/customers/lookup/{customer_number}",
    "GET /api/auth/me",
    "POST /api/auth/change-password",
]


@pytest.mark.parametrize("caller", CALLERS, ids=caller_id)
@pytest.mark.parametrize(
    "row", [row for row in MATRIX if row_id(row) in SLASHED], ids=lambda row: row_id(row) + "/"
)
async def test_permission_with_trailing_slash(
    row: Row, caller: Role | None, client: httpx.AsyncClient, app: FastAPI, database: Database
) -> None:
    """002 writes paths with a trailing slash, 000 without: both are the same route."""
    await check(client, app, database, row, caller, slash=True)


def test_slashed_sample_names_matrix_rows() -> None:
    assert set(SLASHED) <= {row_id(row) for row in MATRIX}


async def test_every_route_has_exactly_one_permission_row(app: FastAPI) -> None:
    served = list(served_routes(app))
    rows = [(row.method, row.path) for row in MATRIX]
    assert len(rows) == len(set(rows)), "a route has two rows in the matrix"
    missing = sorted(set(served) - set(rows))
    assert not missing, f"routes without a permission row in MATRIX: {missing}"
    stale = sorted(set(rows) - set(served))
    assert not stale, f"rows for routes the app does not serve: {stale}"
    assert len(served) >= 40  # the walk really reached the included routers
