"""The refresh cookie (seed 002's web flow): its every attribute, the two paths it goes to, logout
clearing it, and the CSRF rule: only pages of the gateway's own origin or a listed one may use it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from http.cookies import SimpleCookie

import httpx
import pytest

from auth.config import AuthSettings
from auth.main import build_app
from common.roles import Role
from tests.conftest import PASSWORD, MakeUser, serving

OWN = "http://testserver"  # the client's base URL: the gateway's own origin in these tests
LISTED = "https://shop.example"
COOKIE_PATHS = {"/api/auth/refresh", "/api/auth/logout"}
FOURTEEN_DAYS = 14 * 86400

Client = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def client_with() -> AsyncIterator[Client]:
    """A client of an auth app built from the test settings with some fields changed."""
    clients: list[object] = []

    async def make(settings: AuthSettings, **changes: object) -> httpx.AsyncClient:
        changed = AuthSettings.model_validate({**settings.model_dump(), **changes})
        context = serving(build_app(changed))
        clients.append(context)
        return await context.__aenter__()

    yield make
    for context in reversed(clients):
        await context.__aexit__(None, None, None)  # type: ignore[attr-defined]


def refresh_cookies(response: httpx.Response) -> dict[str, SimpleCookie]:
    """The response's refresh-token Set-Cookie headers, by path."""
    found: dict[str, SimpleCookie] = {}
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        if "refresh_token" in cookie:
            found[cookie["refresh_token"]["path"]] = cookie
    return found


async def logged_in(client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, str]:
    user = await make_user(Role.advisor)
    response = await client.post(
        "/api/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


async def test_login_sets_an_httponly_strict_cookie_on_the_two_routes_that_read_it(
    client, make_user
) -> None:
    user = await make_user(Role.advisor)
    response = await client.post(
        "/api/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    cookies = refresh_cookies(response)
    assert set(cookies) == COOKIE_PATHS
    for cookie in cookies.values():
        morsel = cookie["refresh_token"]
        assert morsel.value == response.json()["refresh"]
        assert morsel["httponly"] is True
        assert morsel["samesite"].lower() == "strict"
        assert morsel["max-age"] == str(FOURTEEN_DAYS)
        assert not morsel["secure"]  # these tests run over http with REFRESH_COOKIE_SECURE=false
        assert not morsel["domain"]  # host-only: never sent to a sibling host
    assert {cookie.path for cookie in client.cookies.jar} == COOKIE_PATHS


async def test_outside_development_the_cookie_is_secure(settings, client_with, make_user) -> None:
    secure = await client_with(settings, refresh_cookie_secure=None)  # SHOPFLOOR_ENV=test
    response = await secure.post(
        "/api/auth/login",
        json={"email": (await make_user(Role.advisor)).email, "password": PASSWORD},
    )
    cookies = refresh_cookies(response)
    assert set(cookies) == COOKIE_PATHS
    assert all(cookie["refresh_token"]["secure"] is True for cookie in cookies.values())


async def test_the_refresh_cookie_rotates_from_a_page_of_the_gateway(client, make_user) -> None:
    tokens = await logged_in(client, make_user)
    response = await client.post("/api/auth/refresh", headers={"Origin": OWN})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"access"}
    rotated = refresh_cookies(response)
    assert set(rotated) == COOKIE_PATHS
    assert rotated["/api/auth/refresh"]["refresh_token"].value != tokens["refresh"]
    again = await client.post("/api/auth/refresh", headers={"Origin": OWN})
    assert again.status_code == 200  # the browser sent the rotated cookie
    slash = await client.post("/api/auth/refresh/", headers={"Origin": OWN})  # seed 002's spelling
    assert slash.status_code == 200  # the cookie's path covers it


# (headers, why) the browser would send from a page of the gateway's own origin.
OWN_PAGES = [
    ({"Origin": OWN}, "Origin"),
    ({"Origin": OWN.upper()}, "hosts are case-insensitive"),
    ({"Origin": "https://testserver"}, "behind a TLS proxy the service sees http"),
    ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, "a page under no-referrer"),
    ({"Sec-Fetch-Site": "same-origin"}, "Sec-Fetch-Site alone"),
    ({"Referer": f"{OWN}/app/login?next=/"}, "Referer alone"),
]
# ... and from any other page (or no evidence at all).
OTHER_PAGES = [
    ({}, "nothing"),
    ({"Origin": "https://evil.example"}, "a foreign origin"),
    ({"Origin": "http://testserver:8080"}, "another port"),
    ({"Origin": "http://testserver.evil.example"}, "a longer host"),
    ({"Origin": "null"}, "null alone"),
    ({"Origin": "null", "Sec-Fetch-Site": "cross-site"}, "null, cross-site"),
    ({"Sec-Fetch-Site": "same-site"}, "same-site is not same-origin"),
    ({"Referer": "https://evil.example/page"}, "a foreign Referer"),
    ({"Referer": "not a url"}, "a malformed Referer"),
    ({"Origin": "https://evil.example", "Referer": f"{OWN}/"}, "Origin decides"),
    ({"Origin": LISTED}, "not listed in this app"),
]


async def test_a_page_of_the_gateways_own_origin_may_use_the_cookie(client, make_user) -> None:
    """Each refresh rotates the cookie; the client keeps the newest, as a browser would."""
    await logged_in(client, make_user)
    for headers, why in OWN_PAGES:
        response = await client.post("/api/auth/refresh", headers=headers)
        assert response.status_code == 200, (why, response.text)
        assert set(refresh_cookies(response)) == COOKIE_PATHS, why


async def test_any_other_page_is_refused_and_the_session_is_untouched(client, make_user) -> None:
    await logged_in(client, make_user)
    for headers, why in OTHER_PAGES:
        refused = await client.post("/api/auth/refresh", headers=headers)
        assert refused.status_code == 403, (why, refused.text)
        assert "SHOPFLOOR_CORS_ORIGINS" in refused.json()["detail"], why
        assert refresh_cookies(refused) == {}, why
    # Not one of them rotated (or spent) the cookie.
    assert (await client.post("/api/auth/refresh", headers={"Origin": OWN})).status_code == 200


async def test_a_listed_origin_may_use_the_cookie(settings, client_with, make_user) -> None:
    listed = await client_with(settings, shopfloor_cors_origins=f"{LISTED}, http://127.0.0.1:5173")
    await logged_in(listed, make_user)
    assert (await listed.post("/api/auth/refresh", headers={"Origin": LISTED})).status_code == 200
    other = await listed.post("/api/auth/refresh", headers={"Origin": "https://app.shop.example"})
    assert other.status_code == 403


async def test_logout_from_a_foreign_page_is_refused_and_ends_nothing(client, make_user) -> None:
    tokens = await logged_in(client, make_user)
    refused = await client.post("/api/auth/logout", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {tokens['access']}"})
    assert me.status_code == 200
    assert (await client.post("/api/auth/refresh", headers={"Origin": OWN})).status_code == 200


async def test_logout_by_cookie_clears_it_on_both_paths_and_ends_the_login(
    client, make_user
) -> None:
    tokens = await logged_in(client, make_user)
    response = await client.post("/api/auth/logout", headers={"Origin": OWN})
    assert response.status_code == 200, response.text
    cleared = refresh_cookies(response)
    assert set(cleared) == COOKIE_PATHS
    for cookie in cleared.values():
        morsel = cookie["refresh_token"]
        assert morsel.value == "" and morsel["max-age"] == "0" and morsel["httponly"] is True
    assert list(client.cookies.jar) == []
    # The browser forgot it; replaying the old value is refused too.
    client.cookies.set("refresh_token", tokens["refresh"], path="/api/auth/refresh")
    replay = await client.post("/api/auth/refresh", headers={"Origin": OWN})
    assert replay.status_code == 401


async def test_logout_with_the_token_in_the_body_needs_no_origin(client, make_user) -> None:
    """A program sends its token; the cookie (if any) is not what authenticates it."""
    tokens = await logged_in(client, make_user)
    response = await client.post("/api/auth/logout", json={"refresh": tokens["refresh"]})
    assert response.status_code == 200
    assert (
        await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
    ).status_code == 401


async def test_token_refresh_reads_the_body_never_the_cookie(client, make_user) -> None:
    tokens = await logged_in(client, make_user)
    client.cookies.set("refresh_token", tokens["refresh"], path="/")  # sent everywhere
    without_body = await client.post("/api/token/refresh", headers={"Origin": OWN})
    assert without_body.status_code == 401
    with_body = await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
    assert with_body.status_code == 200
    assert set(refresh_cookies(with_body)) == COOKIE_PATHS  # the browser's cookie follows
