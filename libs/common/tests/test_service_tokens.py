"""Service tokens in every service: a route a service may call names the scope; any other refuses.

``typ: service`` tokens (another service acting as itself) pass ``require_scopes`` when
they carry the scope, and nowhere else: a route for people (``CurrentUser``,
``require_roles``) answers 403, whatever the token's scopes.
"""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import APIRouter, Depends

from common.app import create_app
from common.roles import Caller, Role
from common.security import CurrentUser, require_roles, require_scopes
from common.testing.helpers import running_app

router = APIRouter(prefix="/api/scoped")


@router.post("/counts")
async def count_widgets(
    caller: Annotated[
        Caller, Depends(require_scopes("widgets:count", or_roles=[Role.branch_head]))
    ],
) -> dict[str, object]:
    return {"caller": caller.user_id, "service": caller.is_service}


@router.get("/machines-only")
async def machines_only(
    caller: Annotated[Caller, Depends(require_scopes("widgets:sync"))],
) -> dict[str, str]:
    return {"caller": caller.user_id}


@router.get("/people")
async def people(user: CurrentUser) -> dict[str, str]:
    return {"user": user.user_id}


@router.get("/admins", dependencies=[Depends(require_roles(Role.system_admin))])
async def admins() -> dict[str, str]:
    return {"ok": "yes"}


@pytest.fixture
async def client(widgets_settings):  # type: ignore[no-untyped-def]
    app = create_app(
        settings=widgets_settings, title="t", version="0", description="d", routers=[router]
    )
    async with running_app(app) as client:
        yield client


def service(mint_token, *scopes: str, client: str = "consignment") -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = mint_token(user_id=client, token_type="service", scopes=list(scopes), role=None)
    return {"Authorization": f"Bearer {token}"}


async def test_a_service_with_the_scope_passes_and_is_named_as_the_actor(
    client, mint_token
) -> None:
    response = await client.post("/api/scoped/counts", headers=service(mint_token, "widgets:count"))
    assert response.status_code == 200
    assert response.json() == {"caller": "service:consignment", "service": True}
    only = await client.get(
        "/api/scoped/machines-only", headers=service(mint_token, "widgets:sync")
    )
    assert only.status_code == 200 and only.json() == {"caller": "service:consignment"}


async def test_a_service_without_the_scope_is_403(client, mint_token) -> None:
    response = await client.post("/api/scoped/counts", headers=service(mint_token, "widgets:sync"))
    assert response.status_code == 403
    assert "widgets:count" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/scoped/people", "/api/scoped/admins"])
async def test_routes_for_people_refuse_any_service_token(client, mint_token, path) -> None:
    every_scope = service(mint_token, "widgets:count", "widgets:sync", "admin")
    response = await client.get(path, headers=every_scope)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This route is for people: a service token is not accepted here."
    }


async def test_people_pass_a_scoped_route_only_by_the_roles_it_names(client, auth_headers) -> None:
    head = await client.post("/api/scoped/counts", headers=auth_headers(Role.branch_head))
    assert head.status_code == 200 and head.json()["service"] is False
    advisor = await client.post("/api/scoped/counts", headers=auth_headers(Role.advisor))
    assert advisor.status_code == 403
    admin = await client.get("/api/scoped/machines-only", headers=auth_headers(Role.system_admin))
    assert admin.status_code == 403  # a services-only route names no role
    assert (await client.get("/api/scoped/machines-only")).status_code == 401


async def test_a_service_token_with_malformed_scopes_is_401(client, mint_token) -> None:
    token = mint_token(user_id="consignment", token_type="service", scopes="widgets:count")
    response = await client.post("/api/scoped/counts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and "scopes" in response.json()["detail"]


def test_a_scoped_route_documents_401_and_403(widgets_settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        settings=widgets_settings, title="t", version="0", description="d", routers=[router]
    )
    paths = app.openapi()["paths"]
    for method, path in (("post", "/api/scoped/counts"), ("get", "/api/scoped/machines-only")):
        answers = paths[path][method]["responses"]
        assert {"401", "403"} <= set(answers), (path, sorted(answers))
        assert answers["401"]["headers"]["WWW-Authenticate"]
