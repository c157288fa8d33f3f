"""A NUL character anywhere in a request is refused before PostgreSQL sees it (common.bodies).

Each request below made the widgets service answer 500 before the guard existed:
PostgreSQL stores no NUL in text and no ``\\u0000`` in jsonb.
"""

from __future__ import annotations

import json

import pytest

from common.nul import nul_in_json, nul_in_query
from common.roles import Role
from common.testing.helpers import running_app


def fields(response_json: dict[str, object]) -> set[str]:
    detail = response_json["detail"]
    assert isinstance(detail, list), detail
    return {entry["field"] for entry in detail}


async def test_an_anonymous_sign_in_with_a_nul_in_the_email_is_a_422_naming_it(
    widgets_app,
) -> None:
    async with running_app(widgets_app) as client:
        response = await client.post(
            "/api/widgets/sign-in", json={"email": "a\u0000b@example.com", "password": "x"}
        )
        clean = await client.post(
            "/api/widgets/sign-in", json={"email": "a@example.com", "password": "x"}
        )
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error == {
        "field": "email",
        "loc": ["body", "email"],
        "msg": "must not contain a NUL character (\\u0000)",
        "type": "string_nul_character",
    }
    assert clean.status_code == 200 and clean.json() == {"matches": 0}


async def test_a_nul_in_a_query_parameter_is_a_422_naming_it(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets?search=a%00b&ordering=name")
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", "search"]
    assert fields(response.json()) == {"search"}


@pytest.mark.parametrize("path", ["/api/widgets/%00", "/api/widgets/by-name/a%00b"])
async def test_a_nul_in_the_path_is_a_404(widgets_app, path: str) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get(path)
    assert response.status_code == 404, response.text
    assert "NUL" in response.json()["detail"]
    assert response.headers["x-request-id"]


async def test_a_nul_inside_a_jsonb_value_or_key_is_a_422_naming_the_nested_field(
    widgets_app, auth_headers
) -> None:
    admin = auth_headers(Role.system_admin)
    async with running_app(widgets_app) as client:
        value = await client.post(
            "/api/widgets",
            json={"name": "w", "size": 1, "attributes": {"k": "\u0000"}},
            headers=admin,
        )
        key = await client.post(
            "/api/widgets",
            json={"name": "w", "size": 1, "attributes": {"outer": {"k\u0000": "v"}}},
            headers=admin,
        )
        in_list = await client.post(
            "/api/widgets",
            json={"name": "w", "size": 1, "attributes": {"tags": ["ok", "b\u0000d"]}},
            headers=admin,
        )
        stored = await client.get("/api/widgets")
    assert value.status_code == 422, value.text
    assert fields(value.json()) == {"attributes.k"}
    assert key.status_code == 422, key.text
    assert fields(key.json()) == {"attributes.outer.k\\u0000"}
    assert in_list.status_code == 422, in_list.text
    assert fields(in_list.json()) == {"attributes.tags.1"}
    assert stored.json()["count"] == 0


async def test_a_nul_in_a_form_field_is_a_422_naming_it(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        response = await client.post("/api/widgets/by-form", data={"name": "a\u0000b"})
        clean = await client.post("/api/widgets/by-form", data={"name": "ab"})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    assert clean.status_code == 200


async def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(widgets_app) -> None:
    """``"a\\\\u0000"`` in JSON is a backslash followed by ``u0000``: nothing to refuse."""
    body = b'{"email": "a\\\\u0000b", "password": "x"}'
    async with running_app(widgets_app) as client:
        response = await client.post(
            "/api/widgets/sign-in", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 200, response.text


def test_the_json_scan_survives_deep_nesting_and_ignores_what_is_not_json() -> None:
    deep = ("[" * 5000) + '"\\u0000"' + ("]" * 5000)
    assert nul_in_json(b'{"a": "\\u0000"') == []  # malformed: the route's parser answers
    assert nul_in_json(deep.encode()) == []  # too deep for json: the route's parser answers
    nested = json.dumps({"a": [{"b": "x\u0000"}]}).encode()
    assert [error["field"] for error in nul_in_json(nested)] == ["a.0.b"]


def test_the_query_scan_decodes_like_starlette() -> None:
    assert nul_in_query(b"q=a%2500b") == []  # a literal "%00", not a NUL
    assert [error["field"] for error in nul_in_query(b"a%00b=1")] == ["a\\u0000b"]
