"""The embedded PostgreSQL of `up`: its server, its socket check, its command line.

supervisord runs the postmaster itself (as the unprivileged user when we are
root) and stops it with SIGINT, PostgreSQL's *fast* shutdown: disconnect
clients, checkpoint, exit. The settings below keep an idle development server
small; every one of them can be raised on the server's own configuration.
"""

from __future__ import annotations

from common.testing.engines import PostgresServer
from shopfloor_local.settings import Settings, SettingsError

# sun_path is 108 bytes on Linux (104 on macOS); PostgreSQL refuses longer socket paths.
MAX_SOCKET_PATH = 103

# A local platform of a few services: a small buffer cache and synchronous I/O (PostgreSQL
# 18 would otherwise keep three I/O worker processes).
LEAN_SETTINGS = {"shared_buffers": "16MB", "io_method": "sync"}


def embedded_server(settings: Settings) -> PostgresServer:
    return PostgresServer(data_dir=settings.postgres_dir, port=settings.pg_port)


def check_socket_path(server: PostgresServer) -> None:
    """Fail early and clearly when the data dir is too deep for PostgreSQL's Unix socket."""
    socket_path = server.socket_dir / f".s.PGSQL.{server.port}"
    if len(str(socket_path).encode()) > MAX_SOCKET_PATH:
        raise SettingsError(
            f"PostgreSQL's socket path {socket_path} is longer than {MAX_SOCKET_PATH} bytes: "
            "choose a shorter SHOPFLOOR_DATA_DIR"
        )


def postgres_command(server: PostgresServer) -> list[str]:
    """The postmaster in the foreground with the lean settings (later -c options win)."""
    lean = [arg for name, value in LEAN_SETTINGS.items() for arg in ("-c", f"{name}={value}")]
    return [*server.foreground_command(), *lean]
