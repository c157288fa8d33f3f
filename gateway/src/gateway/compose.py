"""Render deploy/compose.yaml: Traefik, NATS, PostgreSQL and one container per service.

Each service is built from the shared Dockerfile template with ``SERVICE=<name>``,
gets its own database, reaches NATS, and verifies JWTs with auth's JWKS. Only
Traefik publishes a port; it has a fixed address so services trust
``X-Forwarded-*`` from it alone. ``SHOPFLOOR_CORS_ORIGINS`` (the web clients'
origins, ``gateway.cors``) goes to Traefik, which answers CORS, and to auth, whose
refresh cookie accepts the same origins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway.containers import (
    ATTACHMENTS_DIR,
    GENERATED_NOTICE,
    SERVICE_CONTAINER_PORT,
    STORES_FILES,
    TRAEFIK_CONFIG_DIR,
    dump_yaml,
)
from gateway.cors import ORIGINS_VARIABLE
from gateway.databases import database_name
from gateway.service_calls import Caller, caller, service_clients, service_urls

DOCKERFILE = "deploy/docker/service.Dockerfile"
POSTGRES_USER = "shopfloor"
NETWORK = "shopfloor"
SUBNET = "${SHOPFLOOR_SUBNET:-172.30.80.0/24}"
TRAEFIK_IP = "${SHOPFLOOR_GATEWAY_IP:-172.30.80.10}"

_POSTGRES_PASSWORD = "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (URL-safe characters)}"

# Secrets a service refuses to start without outside development; compose stops
# with the message when one is unset.
SERVICE_SECRETS: dict[str, dict[str, str]] = {
    "auth": {
        "JWT_PRIVATE_KEY": "${JWT_PRIVATE_KEY:?set JWT_PRIVATE_KEY to the Ed25519 signing key (PEM)}",
        "SHOPFLOOR_ADMIN_EMAIL": "${SHOPFLOOR_ADMIN_EMAIL:?set SHOPFLOOR_ADMIN_EMAIL for the first system_admin}",
        "SHOPFLOOR_ADMIN_PASSWORD": "${SHOPFLOOR_ADMIN_PASSWORD:?set SHOPFLOOR_ADMIN_PASSWORD for the first system_admin}",
        "SMTP_URL": "${SMTP_URL:?set SMTP_URL (smtp://user:password@host:587) for password-reset mail}",
    },
    "bookings": {
        "ALTCHA_HMAC_KEY": "${ALTCHA_HMAC_KEY:?set ALTCHA_HMAC_KEY (40+ random characters) to sign captcha challenges}",
        "MANAGE_TOKEN_SECRET": "${MANAGE_TOKEN_SECRET:?set MANAGE_TOKEN_SECRET (40+ random characters) to sign booking manage links}",
    },
}

# The build catalog's /api/core/system/version/ reports: `BUILD_COMMIT=$(git rev-parse HEAD)
# BUILD_TIME=$(date -u +%FT%TZ) docker compose ... up --build` (unset: null).
BUILD_ARGS = {"BUILD_COMMIT": "${BUILD_COMMIT:-}", "BUILD_TIME": "${BUILD_TIME:-}"}


def _required(variable: str, what: str) -> str:
    return f"${{{variable}:?set {variable} {what}}}"


def caller_secret(found: Caller) -> str:
    """The caller's SERVICE_CLIENT_SECRET: required, never a default (gateway.service_calls)."""
    return _required(
        found.secret_variable, f"(40+ random characters): the service credential of {found.name}"
    )


def caller_secret_hash(found: Caller) -> str:
    """Its argon2 hash in auth's SERVICE_CLIENTS (auth never sees the secret itself)."""
    return _required(
        found.hash_variable, f"to the argon2 hash of {found.secret_variable} (docs/operations.md)"
    )


# Empty by default: same origin only.
CORS_ORIGINS = {ORIGINS_VARIABLE: f"${{{ORIGINS_VARIABLE}:-}}"}
# Settings a service reads besides the common ones.
SERVICE_SETTINGS: dict[str, dict[str, str]] = {"auth": CORS_ORIGINS}

_HEADER = """\
# Shopfloor in containers: docker compose -f deploy/compose.yaml up --build
# (see deploy/README.md for the variables it needs).
"""


def compose_config(services: Sequence[str]) -> dict[str, Any]:
    """The compose document as data, with a container for each of ``services``."""
    containers: dict[str, Any] = {
        "traefik": _traefik(),
        "postgres": _postgres(),
        "nats": _nats(),
    }
    for name in services:
        containers[name] = _service(name, services)
    return {
        "name": "shopfloor",
        "services": containers,
        "networks": {NETWORK: {"ipam": {"config": [{"subnet": SUBNET}]}}},
        "volumes": {
            "postgres-data": {},
            "nats-data": {},
            **{files_volume(name): {} for name in services if name in STORES_FILES},
        },
    }


def render_compose(services: Sequence[str]) -> str:
    """``compose.yaml`` text."""
    return GENERATED_NOTICE + _HEADER + dump_yaml(compose_config(services))


def files_volume(service: str) -> str:
    """The named volume holding ``service``'s files (attachments, selfies) across containers."""
    return f"{service}-files"


def _traefik() -> dict[str, Any]:
    return {
        "image": "traefik:v3",
        "ports": ["${SHOPFLOOR_GATEWAY_PORT:-8000}:80"],
        "volumes": [f"./traefik:{TRAEFIK_CONFIG_DIR}:ro"],
        # Read by the dynamic file's templates (gateway.traefik).
        "environment": CORS_ORIGINS,
        "healthcheck": _healthcheck(["CMD", "traefik", "healthcheck", "--ping"]),
        "networks": {NETWORK: {"ipv4_address": TRAEFIK_IP}},
        "restart": "unless-stopped",
    }


def _postgres() -> dict[str, Any]:
    return {
        "image": "postgres:17",
        "environment": {
            "POSTGRES_USER": POSTGRES_USER,
            "POSTGRES_PASSWORD": _POSTGRES_PASSWORD,
            "POSTGRES_DB": "postgres",
        },
        "volumes": [
            "postgres-data:/var/lib/postgresql/data",
            "./postgres/init-databases.sql:/docker-entrypoint-initdb.d/10-init-databases.sql:ro",
        ],
        # Over TCP: during the init scripts the server listens on its socket only,
        # so this turns healthy once the databases exist.
        "healthcheck": _healthcheck(
            ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", POSTGRES_USER, "-d", "postgres"]
        ),
        "networks": [NETWORK],
        "restart": "unless-stopped",
    }


def _nats() -> dict[str, Any]:
    return {
        # The alpine variant has wget for the health check; the plain image has no shell.
        "image": "nats:2-alpine",
        "command": ["-js", "-sd", "/data", "-m", "8222"],
        "volumes": ["nats-data:/data"],
        "healthcheck": _healthcheck(
            [
                "CMD",
                "wget",
                "-q",
                "-O",
                "/dev/null",
                "http://127.0.0.1:8222/healthz?js-enabled-only=true",
            ]
        ),
        "networks": [NETWORK],
        "restart": "unless-stopped",
    }


def _credentials(name: str, services: Sequence[str]) -> dict[str, str]:
    """auth: the callers' hashes and scopes; a caller: its id and secret; all: SERVICE_URLS."""
    found: dict[str, str] = {
        "SERVICE_URLS": service_urls(
            services, lambda other: f"http://{other}:{SERVICE_CONTAINER_PORT}"
        )
    }
    if name == "auth":
        found["SERVICE_CLIENTS"] = service_clients(services, caller_secret_hash)
    calling = caller(name)
    if calling is not None and "auth" in services:
        found["SERVICE_CLIENT_ID"] = calling.name
        found["SERVICE_CLIENT_SECRET"] = caller_secret(calling)
    return found


def _service(name: str, services: Sequence[str]) -> dict[str, Any]:
    environment = {
        "SHOPFLOOR_ENV": "production",
        "DATABASE_URL": (
            f"postgresql://{POSTGRES_USER}:{_POSTGRES_PASSWORD}@postgres:5432/{database_name(name)}"
        ),
        "NATS_URL": "nats://nats:4222",
        "JWT_JWKS_URL": f"http://auth:{SERVICE_CONTAINER_PORT}/api/auth/jwks/",
        "FORWARDED_ALLOW_IPS": TRAEFIK_IP,
        **SERVICE_SETTINGS.get(name, {}),
        **SERVICE_SECRETS.get(name, {}),
        **_credentials(name, services),
    }
    files: dict[str, Any] = {}
    if name in STORES_FILES:
        environment["ATTACHMENTS_DIR"] = ATTACHMENTS_DIR
        files["volumes"] = [f"{files_volume(name)}:{ATTACHMENTS_DIR}"]
    return {
        "build": {
            "context": "..",
            "dockerfile": DOCKERFILE,
            "args": {"SERVICE": name, **BUILD_ARGS},
        },
        "image": f"shopfloor-{name}:latest",
        "environment": environment,
        **files,
        "healthcheck": _healthcheck(
            [
                "CMD",
                "python",
                "-c",
                "import urllib.request; urllib.request.urlopen("
                f"'http://127.0.0.1:{SERVICE_CONTAINER_PORT}/healthz', timeout=4)",
            ],
            start_period="60s",
        ),
        "depends_on": {
            "postgres": {"condition": "service_healthy"},
            "nats": {"condition": "service_healthy"},
        },
        "networks": [NETWORK],
        "restart": "unless-stopped",
    }


def _healthcheck(test: list[str], start_period: str = "10s") -> dict[str, Any]:
    return {
        "test": test,
        "interval": "10s",
        "timeout": "5s",
        "retries": 5,
        "start_period": start_period,
    }
