"""The app factory's HTTP behaviour: auth, errors, trailing slashes, request ids, pages (health:
test_health.py; the shared error layer: test_errors.py, test_nul.py, test_bodies.py)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from common.db import Database
from common.roles import Role
from common.testing.helpers import running_app
from tests.widgets import Widget


async def test_anonymous_gets_401_with_bearer_challenge(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.customer, 403),
        (Role.advisor, 403),
        (Role.branch_head, 403),
        (Role.system_admin, 201),
        (Role.consignee, 403),
    ],
)
async def test_role_requirement(widgets_app, auth_headers, role, expected) -> None:
    async with running_app(widgets_app) as client:
        response = await client.post(
            "/api/widgets", json={"name": "w", "size": 1}, headers=auth_headers(role)
        )
    assert response.status_code == expected, response.text


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"token_type": "refresh"}, "access token is required"),
        ({"lifetime": timedelta(seconds=-60)}, "expired"),
        ({"audience": "someone-else"}, "invalid"),
        ({"issuer": "evil"}, "invalid"),
    ],
)
async def test_bad_tokens_are_refused(widgets_app, mint_token, claims, reason) -> None:
    token = mint_token(role=Role.system_admin, **claims)
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert reason in response.json()["detail"]


async def test_token_signed_by_another_key_or_hs256_is_refused(widgets_app) -> None:
    import jwt
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from common.testing.plugin import mint

    foreign = mint(Ed25519PrivateKey.generate(), role=Role.system_admin)
    hs = jwt.encode({"sub": "x", "typ": "access"}, "secret", algorithm="HS256")
    async with running_app(widgets_app) as client:
        for token in (foreign, hs, "not-a-token"):
            response = await client.get(
                "/api/widgets/me", headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 401, token


async def test_principal_from_token(widgets_app, auth_headers) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get(
            "/api/widgets/me", headers=auth_headers(Role.advisor, user_id="u-1")
        )
    assert response.json() == {"user_id": "u-1", "role": "advisor"}


async def test_both_trailing_slash_forms_answer_without_redirect(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        plain = await client.get("/api/widgets")
        slashed = await client.get("/api/widgets/")
    assert plain.status_code == slashed.status_code == 200
    assert plain.json() == slashed.json()


async def test_request_id_is_echoed_or_generated(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        given = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
        generated = await client.get("/healthz")
        hostile = await client.get("/healthz", headers={"X-Request-ID": "bad id\r\n"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(generated.headers["x-request-id"]) == 32
    assert hostile.headers["x-request-id"] != "bad id"


async def test_validation_error_names_the_field(widgets_app, auth_headers) -> None:
    async with running_app(widgets_app) as client:
        response = await client.post(
            "/api/widgets", json={"name": "", "size": -1}, headers=auth_headers(Role.system_admin)
        )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["detail"]}
    assert fields == {"name", "size"}


async def test_pagination_ordering_and_search(widgets_app, auth_headers) -> None:
    admin = auth_headers(Role.system_admin)
    async with running_app(widgets_app) as client:
        for index in range(5):
            await client.post(
                "/api/widgets", json={"name": f"gear {index}", "size": index}, headers=admin
            )
        await client.post("/api/widgets", json={"name": "bolt", "size": 99}, headers=admin)
        first = (
            await client.get("/api/widgets", params={"page_size": 2, "ordering": "-size"})
        ).json()
        last = (
            await client.get(
                "/api/widgets", params={"page_size": 2, "page": 3, "ordering": "-size"}
            )
        ).json()
        found = (await client.get("/api/widgets", params={"search": "GEAR"})).json()
        bad = await client.get("/api/widgets", params={"ordering": "secret"})
        huge = (await client.get("/api/widgets", params={"page_size": 10_000})).json()
    assert first["count"] == 6
    assert [row["size"] for row in first["results"]] == [99, 4]
    assert first["previous"] is None and "page=2" in first["next"]
    assert last["next"] is None and "page=2" in last["previous"]
    assert found["count"] == 5
    assert bad.status_code == 400 and "secret" in bad.json()["detail"]
    assert len(huge["results"]) == 6  # capped page size still returns everything here


async def test_openapi_served_under_service_docs(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        spec = await client.get("/docs/widgets/openapi.json")
        page = await client.get("/docs/widgets")
    assert spec.status_code == 200 and "/api/widgets" in spec.json()["paths"]
    assert page.status_code == 200 and "swagger" in page.text.lower()


async def test_a_write_that_fails_at_commit_is_not_answered_with_success(
    widgets_app, widgets_settings
) -> None:
    """The session commits before the response is sent: a failing commit reaches the client as
    a 500, never as the route's 201 (the transport here answers as a server would, instead of
    re-raising the app's exception into the test)."""
    async with widgets_app.router.lifespan_context(widgets_app):
        transport = httpx.ASGITransport(app=widgets_app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.post("/api/widgets/unflushed", json={"name": "x" * 101})
    assert response.status_code == 500, response.text
    database = Database(widgets_settings.database_url)
    try:
        async with database.session() as session:
            stored = await session.execute(select(func.count()).select_from(Widget))
            assert stored.scalar_one() == 0
    finally:
        await database.dispose()


async def test_swagger_ui_comes_with_its_own_assets_not_a_cdn(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        page = (await client.get("/docs/widgets")).text
        script = await client.get("/docs/widgets/assets/swagger-ui-bundle.js")
        style = await client.get("/docs/widgets/assets/swagger-ui.css")
        redirect = await client.get("/docs/oauth2-redirect")
    assert "cdn" not in page.lower() and "https://" not in page
    assert '"/docs/widgets/assets/swagger-ui-bundle.js"' in page
    assert "'/docs/widgets/openapi.json'" in page or '"/docs/widgets/openapi.json"' in page
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert redirect.status_code == 200
