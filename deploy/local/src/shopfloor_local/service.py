"""The `service <name>` process: database ready, `prestart`, then exec `serve`.

It runs under supervisord as one program per service. It waits for PostgreSQL
(and NATS), creates ``shopfloor_<name>`` when missing, runs the service's own
``prestart`` (migrations, bootstrap) and finally replaces itself with
``shopfloor-<name> serve --workers N`` (``SHOPFLOOR_WORKERS[_<NAME>]``), so no
Python wrapper stays beside uvicorn and supervisord signals uvicorn directly.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Mapping
from typing import NoReturn
from urllib.parse import urlsplit

import psutil
import psycopg
from argon2 import PasswordHasher

import gateway.service_calls as service_calls
import gateway.workspace as workspace
from gateway.databases import database_name
from shopfloor_local.database import ensure_database, wait_for_postgres
from shopfloor_local.keys import ensure_service_secret
from shopfloor_local.paths import repo_root
from shopfloor_local.routes import ServiceSpec, service_port
from shopfloor_local.settings import Settings

# Only auth signs tokens and creates the first admin; no other service sees these.
AUTH_ONLY = ("JWT_PRIVATE_KEY_FILE", "JWT_PRIVATE_KEY", "SHOPFLOOR_ADMIN_PASSWORD")


class ServiceStartError(RuntimeError):
    """The service could not be prepared; the message says why."""


def service_env(settings: Settings, spec: ServiceSpec, base: Mapping[str, str]) -> dict[str, str]:
    """The environment of the contract in docs/architecture.md for one service."""
    env = {name: value for name, value in base.items() if name not in AUTH_ONLY}
    env.pop("SHOPFLOOR_DATABASE_URL", None)
    env.update(
        {
            "DATABASE_URL": settings.database_url(spec.name),
            "NATS_URL": settings.nats_url,
            "SHOPFLOOR_ENV": settings.env,
            "JWT_ISSUER": settings.jwt_issuer,
            "JWT_AUDIENCE": settings.jwt_audience,
            "JWT_JWKS_URL": f"http://127.0.0.1:{service_port(settings, 'auth')}/api/auth/jwks/",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "ATTACHMENTS_DIR": str(settings.data_dir / "files" / spec.name),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if spec.name == "auth":
        env["JWT_PRIVATE_KEY_FILE"] = str(settings.jwt_key_file)
        env["SHOPFLOOR_ADMIN_EMAIL"] = settings.admin_email or ""
        env["SHOPFLOOR_ADMIN_PASSWORD"] = settings.admin_password or ""
    else:
        env.pop("SHOPFLOOR_ADMIN_EMAIL", None)
    env.update(service_credentials(settings, spec.name))
    return env


def service_credentials(settings: Settings, name: str) -> dict[str, str]:
    """``gateway.service_calls`` for the local platform: every service's SERVICE_URLS (straight
    to each service's port), auth's SERVICE_CLIENTS (each caller's argon2 hash and scopes) and
    each caller's id and secret, made once under ``<data dir>/keys/`` and kept."""
    services = list(workspace.existing_services(repo_root()))
    env = {
        "SERVICE_URLS": service_calls.service_urls(
            services, lambda other: f"http://127.0.0.1:{service_port(settings, other)}"
        )
    }
    callers = service_calls.callers(services)

    def secret_of(caller: service_calls.Caller) -> str:
        return ensure_service_secret(settings.data_dir / "keys" / f"service-{caller.name}.secret")

    if name == service_calls.AUTH and callers:
        hasher = PasswordHasher()
        env["SERVICE_CLIENTS"] = service_calls.service_clients(
            services, lambda caller: hasher.hash(secret_of(caller))
        )
    own = service_calls.caller(name)
    if own is not None and own in callers:
        env["SERVICE_CLIENT_ID"] = own.name
        env["SERVICE_CLIENT_SECRET"] = secret_of(own)
    return env


def wait_for_nats(url: str, timeout: float) -> None:
    """Block until the first server of a NATS URL accepts TCP connections."""
    first = urlsplit(url.split(",")[0].strip())
    host, port = first.hostname or "127.0.0.1", first.port or 4222
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=2):
                return
        except OSError as exc:
            if time.monotonic() > deadline:
                raise ServiceStartError(f"NATS at {host}:{port} did not answer: {exc}") from exc
            time.sleep(0.5)


def prepare(settings: Settings, spec: ServiceSpec, env: Mapping[str, str]) -> None:
    """Everything before `serve`: servers reachable, database present, `prestart` done."""
    try:
        wait_for_postgres(settings.server_database_url, timeout=settings.ready_timeout)
    except Exception as exc:
        raise ServiceStartError(f"PostgreSQL did not answer: {exc}") from exc
    database = database_name(spec.name)
    try:
        if ensure_database(settings.server_database_url, database):
            print(f"created database {database}", flush=True)
    except psycopg.Error as exc:
        raise ServiceStartError(f"cannot create database {database}: {exc}") from exc
    wait_for_nats(settings.nats_url, timeout=settings.ready_timeout)
    result = subprocess.run([spec.cli, "prestart"], env=dict(env), check=False)
    if result.returncode != 0:
        raise ServiceStartError(f"`{spec.cli} prestart` failed with exit code {result.returncode}")


def _ours(process: psutil.Process, database_url: str) -> bool:
    try:
        return bool(process.environ().get("DATABASE_URL") == database_url)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def release_port(port: int, database_url: str) -> list[int]:
    """End what still listens on our port for this same service: the workers of a uvicorn
    master that was SIGKILLed (they outlive it and keep the socket). A listener counts as
    ours only when its DATABASE_URL is ours (same server, same database); its whole process
    group goes (the workers share one socket, which the system reports under one of them).
    The pids ended."""
    try:
        listeners = {
            connection.pid
            for connection in psutil.net_connections(kind="tcp")
            if connection.status == psutil.CONN_LISTEN
            and connection.laddr
            and connection.laddr.port == port
            and connection.pid is not None
        }
    except psutil.AccessDenied:  # e.g. macOS without root: nothing we may look at
        return []
    groups: set[int] = set()
    for pid in listeners:
        with contextlib.suppress(ProcessLookupError, psutil.NoSuchProcess):
            if _ours(psutil.Process(pid), database_url):
                groups.add(os.getpgid(pid))
    groups.discard(os.getpgid(0))
    stale: list[psutil.Process] = []
    for process in psutil.process_iter():
        with contextlib.suppress(ProcessLookupError, psutil.NoSuchProcess):
            if os.getpgid(process.pid) in groups and _ours(process, database_url):
                stale.append(process)
    for process in stale:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(stale, timeout=10)
    return sorted(process.pid for process in stale)


def run(settings: Settings, spec: ServiceSpec) -> NoReturn:
    env = service_env(settings, spec, os.environ)
    prepare(settings, spec, env)
    ended = release_port(spec.port, env["DATABASE_URL"])
    if ended:
        print(f"ended {ended}: left on port {spec.port} by a killed {spec.name}", flush=True)
    command = [spec.cli, "serve", "--host", "127.0.0.1", "--port", str(spec.port)]
    command += ["--workers", str(settings.workers_of(spec.name))]
    os.execve(spec.cli, command, env)
