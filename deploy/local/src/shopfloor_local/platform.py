"""A whole platform started the way `make up` starts it, for tests: `Platform`.

It runs `shopfloor-local up` in a subprocess on free ports and a data dir of its
own, waits until everything is ready, stops it with a signal, and proves that
every process it started (PostgreSQL backends included) is gone afterwards.
Used by deploy/local's tests and by tests/e2e.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from common.testing.engines import free_port

STOP_TIMEOUT = 30.0
# A first start on a fresh checkout: eight services, their migrations and imports. On a slow
# two-core VM with no bytecode cached (PYTHONDONTWRITEBYTECODE=1) it took 111 s, and such a
# VM's speed varies by about 2x; the wait gives it room (a platform that is stuck still fails,
# with the tail of what it printed).
START_TIMEOUT = 300.0


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2, trust_env=False).is_success
    except httpx.HTTPError:
        return False


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port_block(size: int) -> int:
    """A base such that base + 1 .. base + size are all free (service ports)."""
    for _ in range(100):
        base = free_port() - size - 1
        if base > 1024 and all(port_free(base + i) for i in range(1, size + 1)):
            return base
    raise RuntimeError(f"no block of {size} free ports")


@dataclass
class Platform:
    """One platform: its variables, its process, every process it has started so far."""

    data_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    gateway_port: int = field(default_factory=free_port)
    pg_port: int = field(default_factory=free_port)
    nats_port: int = field(default_factory=free_port)
    nats_monitor_port: int = field(default_factory=free_port)
    service_port_base: int = field(default_factory=lambda: free_port_block(10))
    process: subprocess.Popen[bytes] | None = None
    seen: dict[int, float] = field(default_factory=dict)  # pid -> create_time
    log_offset: int = 0

    @property
    def log(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}.log"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def pg_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.pg_port}/postgres"

    def env(self) -> dict[str, str]:
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("SHOPFLOOR_", "JWT_")) and name not in ("NATS_URL",)
        }
        return {
            **inherited,
            "SHOPFLOOR_DATA_DIR": str(self.data_dir),
            "SHOPFLOOR_GATEWAY_PORT": str(self.gateway_port),
            "SHOPFLOOR_PG_PORT": str(self.pg_port),
            "SHOPFLOOR_NATS_PORT": str(self.nats_port),
            "SHOPFLOOR_NATS_MONITOR_PORT": str(self.nats_monitor_port),
            "SHOPFLOOR_SERVICE_PORT_BASE": str(self.service_port_base),
            "SHOPFLOOR_READY_TIMEOUT": "60",
            **self.extra_env,
        }

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """A short-lived runner command (e.g. `status`), with this platform's variables."""
        return subprocess.run(
            [sys.executable, "-m", "shopfloor_local", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> None:
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "shopfloor_local", "up"],
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        """What the current run has printed so far."""
        if not self.log.exists():
            return ""
        return self.log.read_bytes()[self.log_offset :].decode(errors="replace")

    def remember_children(self) -> None:
        assert self.process is not None
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return
        for child in children:
            try:
                self.seen[child.pid] = child.create_time()
            except psutil.NoSuchProcess:
                continue

    def wait_ready(self, *, announced: bool = True, timeout: float = START_TIMEOUT) -> None:
        """Gateway healthy (and, by default, the announcement printed: every service ready)."""

        def ready() -> bool:
            assert self.process is not None
            self.remember_children()
            if self.process.poll() is not None:
                raise AssertionError(
                    f"up exited with {self.process.returncode}:\n{self.output()[-4000:]}"
                )
            if not http_ok(f"{self.gateway_url}/healthz"):
                return False
            return not announced or "Ctrl-C stops everything" in self.output()

        try:
            wait_until(ready, timeout, f"the platform on {self.gateway_url}")
        except AssertionError as late:  # say what it printed: which process did not come up
            raise AssertionError(f"{late}; it printed, last:\n{self.output()[-6000:]}") from None
        self.remember_children()

    def stop(self, sig: signal.Signals = signal.SIGINT) -> int:
        assert self.process is not None
        self.remember_children()
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"up did not stop:\n{self.output()[-4000:]}") from None

    def leftovers(self) -> list[str]:
        """Processes of this platform still alive: those we saw, or naming its data dir."""
        alive: list[str] = []
        for process in psutil.process_iter(["pid", "cmdline", "create_time"]):
            pid, cmdline = process.info["pid"], process.info["cmdline"] or []
            ours = self.seen.get(pid) == process.info["create_time"] or any(
                str(self.data_dir) in part for part in cmdline
            )
            with contextlib.suppress(psutil.NoSuchProcess):
                if ours and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{pid}: {' '.join(cmdline)}")
        return alive

    def kill_everything(self) -> None:
        """Teardown after a failed test: nothing may outlive it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for line in self.leftovers():
            pid = int(line.split(":", 1)[0])
            try:
                psutil.Process(pid).kill()
            except psutil.NoSuchProcess:
                continue
