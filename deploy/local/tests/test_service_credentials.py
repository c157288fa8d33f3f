"""`make up` gives each caller its service credential and auth the matching hash (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

from argon2 import PasswordHasher

from shopfloor_local.routes import ServiceSpec, service_port
from shopfloor_local.service import service_env
from shopfloor_local.settings import Settings


def env_of(settings: Settings, name: str) -> dict[str, str]:
    spec = ServiceSpec(name, service_port(settings, name), f"/venv/bin/shopfloor-{name}", "/")
    return service_env(settings, spec, {})


def test_each_caller_signs_in_with_a_secret_auth_holds_the_hash_of(tmp_path: Path) -> None:
    settings = Settings.from_env({"SHOPFLOOR_DATA_DIR": str(tmp_path / "data")})
    auth, pos, inventory = (env_of(settings, name) for name in ("auth", "pos", "inventory"))
    clients = json.loads(auth["SERVICE_CLIENTS"])
    assert set(clients) == {"pos", "inventory"}
    assert set(clients["pos"]["scopes"]) == {
        "users:create",
        "users:read",
        "consignees:enroll",
        "items:create",
    }
    assert clients["inventory"]["scopes"] == ["products:create"]
    for caller in (pos, inventory):
        name = caller["SERVICE_CLIENT_ID"]
        assert PasswordHasher().verify(
            clients[name]["secret_hash"], caller["SERVICE_CLIENT_SECRET"]
        )
    assert pos["SERVICE_CLIENT_SECRET"] != inventory["SERVICE_CLIENT_SECRET"]
    secret = settings.data_dir / "keys" / "service-pos.secret"
    assert secret.stat().st_mode & 0o777 == 0o600
    # kept: the next start (a restarted auth or POS) uses the same secret
    assert env_of(settings, "pos")["SERVICE_CLIENT_SECRET"] == pos["SERVICE_CLIENT_SECRET"]


def test_every_service_reaches_every_other_straight_on_its_port(tmp_path: Path) -> None:
    settings = Settings.from_env({"SHOPFLOOR_DATA_DIR": str(tmp_path / "data")})
    catalog = env_of(settings, "catalog")
    urls = json.loads(catalog["SERVICE_URLS"])
    assert {"auth", "catalog", "inventory", "pos"} <= set(urls)
    assert urls["inventory"] == f"http://127.0.0.1:{service_port(settings, 'inventory')}"
    assert "SERVICE_CLIENT_SECRET" not in catalog and "SERVICE_CLIENTS" not in catalog
