"""Health of a running platform: each service's /readyz, the gateway, PostgreSQL and NATS."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from shopfloor_local.routes import ServiceSpec
from shopfloor_local.settings import Settings


@dataclass(frozen=True)
class Check:
    """One component and what it answered."""

    name: str
    url: str
    ok: bool
    detail: str


def check_http(client: httpx.Client, name: str, url: str) -> Check:
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        return Check(name, url, False, type(exc).__name__)
    return Check(name, url, response.is_success, f"HTTP {response.status_code}")


def check_tcp(name: str, url: str) -> Check:
    parts = urlsplit(url.split(",")[0].strip())
    host, port = parts.hostname or "127.0.0.1", parts.port or 0
    try:
        with socket.create_connection((host, port), timeout=2):
            return Check(name, f"{host}:{port}", True, "accepting connections")
    except OSError as exc:
        return Check(name, f"{host}:{port}", False, exc.strerror or type(exc).__name__)


def gateway_check(client: httpx.Client, settings: Settings) -> Check:
    return check_http(client, "gateway", f"{settings.gateway_url}/healthz")


def service_checks(client: httpx.Client, services: list[ServiceSpec]) -> list[Check]:
    return [check_http(client, spec.name, f"{spec.direct_url}/readyz") for spec in services]


def engine_checks(client: httpx.Client, settings: Settings) -> list[Check]:
    checks = [check_tcp("postgres", settings.server_database_url)]
    if settings.embedded_nats:
        monitor = f"http://127.0.0.1:{settings.nats_monitor_port}/healthz?js-enabled-only=true"
        checks.append(check_http(client, "nats", monitor))
    else:
        checks.append(check_tcp("nats", settings.nats_url))
    return checks


def new_client() -> httpx.Client:
    # The platform is local: never go through a proxy from the environment.
    return httpx.Client(timeout=3.0, trust_env=False)
