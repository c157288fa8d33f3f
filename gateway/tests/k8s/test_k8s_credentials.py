"""Service credentials on Kubernetes, as `kubectl kustomize` renders them: auth builds
SERVICE_CLIENTS from each caller's hash in the caller's own Secret, a caller reads its id and
secret, every service reads SERVICE_URLS (cluster names) from the ConfigMap, and production
fetches each credential Secret."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.table import service_names

OVERLAYS = ("dev", "production")
SCOPES = {
    "pos": ["users:create", "users:read", "consignees:enroll", "items:create"],
    "inventory": ["products:create"],
}
Objects = list[dict[str, Any]]


def server_env(objects: Objects, name: str) -> list[dict[str, Any]]:
    [deployment] = [
        o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == name
    ]
    env: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    return env


def secret_ref(variable: dict[str, Any]) -> tuple[str, str]:
    ref = variable["valueFrom"]["secretKeyRef"]
    return ref["name"], ref["key"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_auth_reads_each_callers_hash_from_its_secret_with_exactly_its_scopes(
    rendered: dict[str, Objects], overlay: str
) -> None:
    env = server_env(rendered[overlay], "auth")
    names = [variable["name"] for variable in env]
    [clients] = [variable["value"] for variable in env if variable["name"] == "SERVICE_CLIENTS"]
    parsed = json.loads(clients)
    assert {name: client["scopes"] for name, client in parsed.items()} == SCOPES
    for name, client in parsed.items():
        variable = f"{name.upper()}_SERVICE_SECRET_HASH"
        assert client["secret_hash"] == f"$({variable})"
        # Kubernetes expands $(VAR) only of a variable defined before it
        assert names.index(variable) < names.index("SERVICE_CLIENTS")
        [hashed] = [v for v in env if v["name"] == variable]
        assert secret_ref(hashed) == (f"{name}-service-credential", "secret-hash")
    assert "SERVICE_CLIENT_SECRET" not in names


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_caller_reads_its_own_secret_and_every_service_the_cluster_urls(
    rendered: dict[str, Objects], overlay: str
) -> None:
    [config] = [o for o in rendered[overlay] if o["kind"] == "ConfigMap"]
    urls = json.loads(config["data"]["SERVICE_URLS"])
    assert urls == {name: f"http://{name}:8000" for name in service_names()}
    for name in service_names():
        env = {variable["name"]: variable for variable in server_env(rendered[overlay], name)}
        assert env["SERVICE_URLS"]["valueFrom"]["configMapKeyRef"]["key"] == "SERVICE_URLS"
        if name not in SCOPES:
            assert "SERVICE_CLIENT_ID" not in env and "SERVICE_CLIENT_SECRET" not in env
            continue
        assert env["SERVICE_CLIENT_ID"]["value"] == name
        assert secret_ref(env["SERVICE_CLIENT_SECRET"]) == (f"{name}-service-credential", "secret")


def test_production_fetches_each_credential_from_the_secret_store(
    rendered: dict[str, Objects],
) -> None:
    fetched = {
        o["spec"]["target"]["name"]: {
            d["secretKey"]: d["remoteRef"]["key"] for d in o["spec"]["data"]
        }
        for o in rendered["production"]
        if o["kind"] == "ExternalSecret"
    }
    for name in SCOPES:
        assert fetched[f"{name}-service-credential"] == {
            "secret": f"shopfloor/{name}/service-secret",
            "secret-hash": f"shopfloor/{name}/service-secret-hash",
        }
