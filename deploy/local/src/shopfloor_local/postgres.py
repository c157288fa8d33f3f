"""The `postgres` process: embedded PostgreSQL in the foreground, stopped by a fast shutdown.

The process manager sends SIGTERM; for the postmaster that means a *smart*
shutdown, which waits for every client to leave. This wrapper turns SIGTERM and
SIGINT into SIGINT for the postmaster (*fast* shutdown: disconnect clients,
checkpoint, exit) and waits for it, so the cluster is always stopped cleanly.
"""

from __future__ import annotations

import signal
import subprocess
from contextlib import suppress
from types import FrameType

from common.testing.engines import PostgresServer
from shopfloor_local.settings import Settings, SettingsError

# sun_path is 108 bytes on Linux (104 on macOS); PostgreSQL refuses longer socket paths.
MAX_SOCKET_PATH = 103


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


def exit_code(returncode: int) -> int:
    """A child's return code as a shell would report it (killed by signal n → 128 + n)."""
    return 128 - returncode if returncode < 0 else returncode


def run_foreground(server: PostgresServer) -> int:
    """Run the postmaster (as the unprivileged user when we are root) until it stops."""
    child: subprocess.Popen[bytes] | None = None
    stop_requested = False

    def fast_shutdown(signum: int, frame: FrameType | None) -> None:
        nonlocal stop_requested
        stop_requested = True
        if child is not None:
            with suppress(ProcessLookupError):
                child.send_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, fast_shutdown)
    signal.signal(signal.SIGINT, fast_shutdown)
    server.init()
    if stop_requested:
        return 0
    child = subprocess.Popen(server.foreground_command(), user=server.user)
    if stop_requested:
        child.send_signal(signal.SIGINT)
    return exit_code(child.wait())
