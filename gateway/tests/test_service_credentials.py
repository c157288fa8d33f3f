"""Service credentials in compose: each caller gets its id and a required secret, auth the
callers' hashes with exactly their scopes, every service the others' compose names — and no
value that could be a development default (gateway.service_calls)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.compose import compose_config
from gateway.service_calls import callers, reaches
from gateway.table import service_names

# What each caller asks (pos: consignment; inventory: intake products) — the receiving
# routes' require_scopes.
SCOPES = {
    "pos": ["users:create", "users:read", "consignees:enroll", "items:create"],
    "inventory": ["products:create"],
}


@pytest.fixture(scope="module")
def environments() -> dict[str, dict[str, str]]:
    services: dict[str, Any] = compose_config(service_names())["services"]
    return {name: services[name]["environment"] for name in service_names()}


def test_auth_grants_each_caller_exactly_its_scopes_by_a_required_hash(
    environments: dict[str, dict[str, str]],
) -> None:
    clients = json.loads(environments["auth"]["SERVICE_CLIENTS"])
    assert {name: client["scopes"] for name, client in clients.items()} == SCOPES
    for name, client in clients.items():
        variable = f"{name.upper()}_SERVICE_SECRET_HASH"
        assert client["secret_hash"].startswith(f"${{{variable}:?set {variable} ")
        assert set(client) == {"secret_hash", "scopes"}, "never a plain secret outside dev"


def test_each_caller_and_only_a_caller_has_its_own_required_credential(
    environments: dict[str, dict[str, str]],
) -> None:
    for name, env in environments.items():
        if name not in SCOPES:
            assert "SERVICE_CLIENT_ID" not in env and "SERVICE_CLIENT_SECRET" not in env, name
            continue
        assert env["SERVICE_CLIENT_ID"] == name
        variable = f"{name.upper()}_SERVICE_SECRET"
        assert env["SERVICE_CLIENT_SECRET"].startswith(f"${{{variable}:?"), "no default"
        assert ":-" not in env["SERVICE_CLIENT_SECRET"]


def test_every_service_knows_every_other_by_its_compose_name(
    environments: dict[str, dict[str, str]],
) -> None:
    expected = {name: f"http://{name}:8000" for name in service_names()}
    for name, env in environments.items():
        assert json.loads(env["SERVICE_URLS"]) == expected, name


def test_the_build_is_passed_to_each_image(environments: dict[str, dict[str, str]]) -> None:
    for name, container in compose_config(service_names())["services"].items():
        if name in environments:
            args = container["build"]["args"]
            assert args["BUILD_COMMIT"] == "${BUILD_COMMIT:-}"
            assert args["BUILD_TIME"] == "${BUILD_TIME:-}"


def test_a_platform_without_auth_or_the_caller_renders_no_credential() -> None:
    assert callers(["pos", "inventory"]) == ()
    assert [found.name for found in callers(["auth", "inventory"])] == ["inventory"]
    assert reaches("pos", ["auth", "pos", "inventory", "catalog"]) == ("auth", "inventory")
    assert reaches("catalog", ["auth", "catalog", "pos"]) == ("auth", "pos")
    assert reaches("audit", ["auth", "audit"]) == ()
