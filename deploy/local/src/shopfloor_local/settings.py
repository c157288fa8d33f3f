"""The local runner's settings: every variable it reads, its default, and where things live.

`up` resolves them once and hands the resolved values to its children (the
``postgres``, ``service`` and ``announce`` subcommands) through the environment,
so every process of one platform agrees on the data directory and the ports.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from gateway.cors import ORIGINS_VARIABLE, parse_origins
from gateway.databases import database_name

DEV_ADMIN_EMAIL = "admin@shopfloor.local"
# Development only: auth refuses it outside development, and so does `up`.
DEV_ADMIN_PASSWORD = "Shopfloor-local-dev-1"
DEFAULT_JWT_ISSUER = "shopfloor-auth"
DEFAULT_JWT_AUDIENCE = "shopfloor"

# (variable, default, meaning): the source of `up --help` and of the docs.
VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("SHOPFLOOR_DATA_DIR", "./var", "PostgreSQL cluster, NATS store, JWT key, Caddyfile, logs"),
    ("SHOPFLOOR_GATEWAY_PORT", "8000", "Caddy, the one entry point"),
    ("SHOPFLOOR_PG_PORT", "5433", "embedded PostgreSQL"),
    ("SHOPFLOOR_NATS_PORT", "4222", "embedded NATS (client)"),
    ("SHOPFLOOR_NATS_MONITOR_PORT", "8222", "embedded NATS (monitoring)"),
    ("SHOPFLOOR_SERVICE_PORT_BASE", "8100", "service i of the route table listens on base + i"),
    ("SHOPFLOOR_DATABASE_URL", "unset", "external PostgreSQL server: embedded one not started"),
    ("NATS_URL", "unset", "external NATS with JetStream: embedded one not started"),
    ("SHOPFLOOR_ENV", "development", "development, test or production"),
    ("SHOPFLOOR_ADMIN_EMAIL", DEV_ADMIN_EMAIL, "first system_admin (required outside development)"),
    ("SHOPFLOOR_ADMIN_PASSWORD", DEV_ADMIN_PASSWORD, "its password (required outside development)"),
    ("JWT_ISSUER", DEFAULT_JWT_ISSUER, "iss of the tokens auth signs"),
    ("JWT_AUDIENCE", DEFAULT_JWT_AUDIENCE, "aud of the tokens auth signs"),
    (
        ORIGINS_VARIABLE,
        "empty",
        "origins of web clients served elsewhere (CORS and the refresh cookie), comma-separated",
    ),
    ("SHOPFLOOR_ROOT", "the checkout", "repository whose services/ are run"),
    ("SHOPFLOOR_READY_TIMEOUT", "120", "seconds before `announce` reports what is not ready"),
    ("SHOPFLOOR_WORKERS", "1", "uvicorn worker processes per service"),
    (
        "SHOPFLOOR_WORKERS_<NAME>",
        "SHOPFLOOR_WORKERS",
        "one service's workers, e.g. SHOPFLOOR_WORKERS_POS=2",
    ),
)

WORKERS = "SHOPFLOOR_WORKERS"
MAX_WORKERS = 64


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a port number") from None
    if not 0 < port < 65536:
        raise SettingsError(f"{name}={port} is outside 1-65535")
    return port


def _workers(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        workers = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number of worker processes") from None
    if not 0 < workers <= MAX_WORKERS:
        raise SettingsError(f"{name}={workers} is outside 1-{MAX_WORKERS}")
    return workers


def _workers_per_service(env: Mapping[str, str], default: int) -> tuple[tuple[str, int], ...]:
    """``SHOPFLOOR_WORKERS_<NAME>`` overrides, sorted by service name (lower case)."""
    prefix = f"{WORKERS}_"
    return tuple(
        sorted(
            (name[len(prefix) :].lower(), _workers(env, name, default))
            for name in env
            if name.startswith(prefix) and len(name) > len(prefix)
        )
    )


def plain_postgres_url(url: str) -> str:
    """``postgresql+driver://`` or ``postgres://`` → ``postgresql://`` (what psycopg accepts)."""
    scheme, rest = url.split("://", 1) if "://" in url else ("", url)
    if not scheme.startswith("postgres"):
        raise SettingsError(f"SHOPFLOOR_DATABASE_URL must be a postgresql:// URL, got {scheme}://")
    return f"postgresql://{rest}"


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(plain_postgres_url(url))
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


@dataclass(frozen=True)
class Settings:
    """One platform's resolved settings."""

    data_dir: Path
    gateway_port: int
    pg_port: int
    nats_port: int
    nats_monitor_port: int
    service_port_base: int
    external_database_url: str | None
    external_nats_url: str | None
    env: str
    admin_email: str | None
    admin_password: str | None
    jwt_issuer: str
    jwt_audience: str
    ready_timeout: float
    workers: int = 1
    service_workers: tuple[tuple[str, int], ...] = ()  # (service, workers) overrides
    cors_origins: tuple[str, ...] = ()  # none: same origin only

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        try:
            ready_timeout = float(env.get("SHOPFLOOR_READY_TIMEOUT", "") or 120)
        except ValueError:
            raise SettingsError("SHOPFLOOR_READY_TIMEOUT must be a number of seconds") from None
        workers = _workers(env, WORKERS, 1)
        try:
            cors_origins = parse_origins(env.get(ORIGINS_VARIABLE, ""))
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
        return cls(
            data_dir=Path(env.get("SHOPFLOOR_DATA_DIR", "") or "var").resolve(),
            gateway_port=_port(env, "SHOPFLOOR_GATEWAY_PORT", 8000),
            pg_port=_port(env, "SHOPFLOOR_PG_PORT", 5433),
            nats_port=_port(env, "SHOPFLOOR_NATS_PORT", 4222),
            nats_monitor_port=_port(env, "SHOPFLOOR_NATS_MONITOR_PORT", 8222),
            service_port_base=_port(env, "SHOPFLOOR_SERVICE_PORT_BASE", 8100),
            external_database_url=env.get("SHOPFLOOR_DATABASE_URL") or None,
            external_nats_url=env.get("NATS_URL") or None,
            env=env.get("SHOPFLOOR_ENV", "") or "development",
            admin_email=env.get("SHOPFLOOR_ADMIN_EMAIL") or None,
            admin_password=env.get("SHOPFLOOR_ADMIN_PASSWORD") or None,
            jwt_issuer=env.get("JWT_ISSUER") or DEFAULT_JWT_ISSUER,
            jwt_audience=env.get("JWT_AUDIENCE") or DEFAULT_JWT_AUDIENCE,
            ready_timeout=ready_timeout,
            workers=workers,
            service_workers=_workers_per_service(env, workers),
            cors_origins=cors_origins,
        )

    def workers_of(self, service: str) -> int:
        """uvicorn worker processes for one service (its own variable, else the default)."""
        return dict(self.service_workers).get(service, self.workers)

    @property
    def is_development(self) -> bool:
        return self.env == "development"

    def with_admin_defaults(self) -> Settings:
        """Fill the dev admin in development; outside it, refuse to go on without one."""
        if self.admin_email and self.admin_password:
            return self
        if not self.is_development:
            missing = [
                name
                for name, value in (
                    ("SHOPFLOOR_ADMIN_EMAIL", self.admin_email),
                    ("SHOPFLOOR_ADMIN_PASSWORD", self.admin_password),
                )
                if not value
            ]
            raise SettingsError(
                f"SHOPFLOOR_ENV={self.env}: {' and '.join(missing)} must be set "
                "(the first system_admin's login; dev defaults are used only in development)"
            )
        return replace(
            self,
            admin_email=self.admin_email or DEV_ADMIN_EMAIL,
            admin_password=self.admin_password or DEV_ADMIN_PASSWORD,
        )

    # Where things live -------------------------------------------------------------------

    @property
    def postgres_dir(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def nats_dir(self) -> Path:
        return self.data_dir / "nats"

    @property
    def caddy_dir(self) -> Path:
        return self.data_dir / "caddy"

    @property
    def caddyfile(self) -> Path:
        return self.caddy_dir / "Caddyfile"

    @property
    def jwt_key_file(self) -> Path:
        return self.data_dir / "keys" / "jwt-ed25519.pem"

    @property
    def embedded_postgres(self) -> bool:
        return self.external_database_url is None

    @property
    def embedded_nats(self) -> bool:
        return self.external_nats_url is None

    @property
    def server_database_url(self) -> str:
        """The maintenance database of the PostgreSQL server (where databases are created)."""
        if self.external_database_url:
            return plain_postgres_url(self.external_database_url)
        return f"postgresql://postgres@127.0.0.1:{self.pg_port}/postgres"

    def database_url(self, service: str) -> str:
        return with_database(self.server_database_url, database_name(service))

    @property
    def nats_url(self) -> str:
        return self.external_nats_url or f"nats://127.0.0.1:{self.nats_port}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def to_env(self) -> dict[str, str]:
        """The resolved settings as variables, for the runner's own children."""
        env = {
            "SHOPFLOOR_DATA_DIR": str(self.data_dir),
            "SHOPFLOOR_GATEWAY_PORT": str(self.gateway_port),
            "SHOPFLOOR_PG_PORT": str(self.pg_port),
            "SHOPFLOOR_NATS_PORT": str(self.nats_port),
            "SHOPFLOOR_NATS_MONITOR_PORT": str(self.nats_monitor_port),
            "SHOPFLOOR_SERVICE_PORT_BASE": str(self.service_port_base),
            "SHOPFLOOR_ENV": self.env,
            "JWT_ISSUER": self.jwt_issuer,
            "JWT_AUDIENCE": self.jwt_audience,
            "SHOPFLOOR_READY_TIMEOUT": str(self.ready_timeout),
            WORKERS: str(self.workers),
            **{f"{WORKERS}_{name.upper()}": str(count) for name, count in self.service_workers},
            # The gateway answers CORS for these origins; auth's refresh cookie accepts them.
            ORIGINS_VARIABLE: ",".join(self.cors_origins),
        }
        optional = {
            "SHOPFLOOR_DATABASE_URL": self.external_database_url,
            "NATS_URL": self.external_nats_url,
            "SHOPFLOOR_ADMIN_EMAIL": self.admin_email,
            "SHOPFLOOR_ADMIN_PASSWORD": self.admin_password,
        }
        env.update({name: value for name, value in optional.items() if value})
        return env
