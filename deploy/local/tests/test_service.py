"""A service under `up`: its database, its environment (the runtime contract), its route.

A stand-in CLI (``fake_service.py``, found through ``SHOPFLOOR_SERVICE_BIN``) plays a
route-table service in a temporary checkout that has ``services/<name>/`` only.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from gateway.table import route_for, service_names
from shopfloor_local.platform import Platform

FAKE_SERVICE = Path(__file__).with_name("fake_service.py")
WEB_CLIENT = "http://127.0.0.1:5173"


def fake_checkout(root: Path, bin_dir: Path, name: str) -> None:
    (root / "services" / name).mkdir(parents=True)
    (root / "services" / name / "pyproject.toml").write_text(
        f'[project]\nname = "shopfloor-{name}"\n'
    )
    bin_dir.mkdir()
    cli = bin_dir / f"shopfloor-{name}"
    cli.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE_SERVICE}" "$@"\n')
    cli.chmod(0o755)


def test_service_gets_database_contract_env_and_gateway_route(
    make_platform: Callable[..., Platform], workdir: Path
) -> None:
    name = "bookings"  # any service of the route table but auth (it has keys of its own)
    assert name in service_names()
    fake_checkout(workdir / "repo", workdir / "bin", name)
    report = workdir / "report.json"
    platform = make_platform(
        SHOPFLOOR_ROOT=str(workdir / "repo"),
        SHOPFLOOR_SERVICE_BIN=str(workdir / "bin"),
        FAKE_SERVICE_REPORT=str(report),
        SHOPFLOOR_CORS_ORIGINS=WEB_CLIENT,
    )
    platform.start()
    platform.wait_ready()

    env = json.loads(report.read_text())
    assert env["connected_to"] == f"shopfloor_{name}"
    assert env["DATABASE_URL"] == (
        f"postgresql://postgres@127.0.0.1:{platform.pg_port}/shopfloor_{name}"
    )
    assert env["NATS_URL"] == f"nats://127.0.0.1:{platform.nats_port}"
    assert env["SHOPFLOOR_ENV"] == "development"
    assert env["JWT_JWKS_URL"] == (
        f"http://127.0.0.1:{platform.service_port_base + 1}/api/auth/jwks/"
    )
    assert env["FORWARDED_ALLOW_IPS"] == "127.0.0.1"
    assert env["ATTACHMENTS_DIR"] == str(platform.data_dir / "files" / name)
    assert env["SHOPFLOOR_CORS_ORIGINS"] == WEB_CLIENT  # auth checks its cookie against it
    if name == "auth":
        assert env["JWT_PRIVATE_KEY_FILE"] == str(platform.data_dir / "keys" / "jwt-ed25519.pem")
        assert env["SHOPFLOOR_ADMIN_EMAIL"] == "admin@shopfloor.local"
    else:
        assert env["JWT_PRIVATE_KEY_FILE"] is None
        assert env["SHOPFLOOR_ADMIN_PASSWORD"] is None

    path = route_for(name).prefixes[0].rstrip("/") + "/ping"
    response = httpx.get(f"{platform.gateway_url}{path}", trust_env=False)
    assert response.status_code == 200
    assert response.json() == {"path": path, "forwarded_for": "127.0.0.1"}
    preflight = httpx.options(
        f"{platform.gateway_url}{path}",
        headers={"Origin": WEB_CLIENT, "Access-Control-Request-Method": "POST"},
        trust_env=False,
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == WEB_CLIENT
    direct = f"http://127.0.0.1:{platform.service_port_base + route_for(name).index}"
    assert direct in platform.output()
    status = platform.run("status")
    assert status.returncode == 0 and name in status.stdout, status.stdout

    assert platform.stop(signal.SIGINT) == 130
    assert platform.leftovers() == []
