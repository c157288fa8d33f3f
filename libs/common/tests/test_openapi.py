"""The generated OpenAPI declares what the shared layer answers; docs can be switched off."""

from __future__ import annotations

from typing import Any

import pytest

from common.testing.helpers import running_app
from common.testing.openapi import missing_error_responses
from tests.widgets import make_app


def responses(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method]
    return operation["responses"]


def schema_of(response: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


def test_every_operation_declares_the_shared_errors(widgets_app) -> None:
    document = widgets_app.openapi()
    assert missing_error_responses(document) == []
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_which_operation_declares_which_error(widgets_app) -> None:
    document = widgets_app.openapi()
    admin_write = responses(document, "post", "/api/widgets")
    public_list = responses(document, "get", "/api/widgets")
    signed_in = responses(document, "get", "/api/widgets/me")
    by_id = responses(document, "get", "/api/widgets/{widget_id}")
    upload = responses(document, "post", "/api/widgets/{widget_id}/photo")
    assert {"401", "403", "413", "422", "500"} <= set(admin_write)
    assert "404" not in admin_write
    assert {"400", "422", "500"} <= set(public_list)  # 400: an unknown ordering field
    assert not {"401", "403", "413"} & set(public_list)
    assert {"401", "403"} <= set(signed_in)
    assert {"404", "422", "500"} <= set(by_id)
    assert {"400", "404", "413"} <= set(upload)  # 400: a malformed multipart body
    assert admin_write["401"]["headers"]["WWW-Authenticate"]
    assert admin_write["500"]["headers"]["X-Request-ID"]


def test_a_422_detail_is_declared_as_a_string_or_a_list_of_field_errors(widgets_app) -> None:
    document = widgets_app.openapi()
    schemas = document["components"]["schemas"]
    ref = schema_of(responses(document, "post", "/api/widgets")["422"])["$ref"]
    detail = schemas[ref.rsplit("/", 1)[-1]]["properties"]["detail"]
    kinds = [member.get("type") for member in detail["anyOf"]]
    assert kinds == ["string", "array"]
    field_error = schemas["FieldError"]
    assert field_error["required"] == ["field", "loc", "msg", "type"]
    server_error = schema_of(responses(document, "get", "/api/widgets")["500"])
    assert server_error == {"$ref": "#/components/schemas/ServerError"}
    assert schemas["ServerError"]["required"] == ["detail", "request_id"]


def test_a_route_keeps_its_own_description_of_a_shared_status(widgets_app) -> None:
    """``get_widget`` documents its 404; the shared layer adds the schema, not its wording."""
    document = widgets_app.openapi()
    not_found = responses(document, "get", "/api/widgets/{widget_id}")["404"]
    assert not_found["description"] == "No such widget"
    assert schema_of(not_found) == {"$ref": "#/components/schemas/Error"}


@pytest.mark.parametrize(
    ("environment", "docs_enabled", "served"),
    [
        ("development", None, True),
        ("production", None, False),
        ("production", True, True),
        ("development", False, False),
    ],
)
async def test_docs_follow_the_environment_unless_docs_enabled_says_otherwise(
    widgets_settings, environment: str, docs_enabled: bool | None, served: bool
) -> None:
    settings = widgets_settings.model_copy(
        update={"shopfloor_env": environment, "docs_enabled": docs_enabled}
    )
    app = make_app(settings)
    async with running_app(app) as client:
        page = await client.get("/docs/widgets")
        spec = await client.get("/docs/widgets/openapi.json")
    assert page.status_code == (200 if served else 404)
    assert spec.status_code == (200 if served else 404)
    assert (app.docs_url is not None) is served and (app.openapi_url is not None) is served
