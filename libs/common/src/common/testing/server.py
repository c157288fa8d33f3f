"""An app under a real uvicorn in a child process, started exactly as ``serve`` starts it.

For the tests an in-process ASGI client cannot make: what a real server does
with connections and memory (keep-alive after a 500, a 100 MiB body, RSS).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from common.testing.engines import free_port

_RUN = (
    "import sys; from common.cli import run_server; "
    "run_server(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]))"
)


@dataclass(frozen=True)
class Served:
    """A running server: where it listens, its process id and its log file."""

    url: str
    port: int
    pid: int
    log: Path

    def peak_rss_bytes(self) -> int:
        """The process's peak resident memory so far (``VmHWM``; Linux only)."""
        return _status_kib(self.pid, "VmHWM") * 1024

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {field}")


@contextmanager
def serving(
    app_path: str,
    *,
    cwd: Path,
    env: Mapping[str, str],
    log: Path,
    ready_path: str = "/readyz",
    timeout: float = 60.0,
) -> Iterator[Served]:
    """Run ``app_path`` (``module:app``, importable from ``cwd``) until ``ready_path`` answers
    200; stop it (SIGTERM, then SIGKILL) on exit."""
    port = free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", _RUN, app_path, str(port)],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    served = Served(url=f"http://127.0.0.1:{port}", port=port, pid=process.pid, log=log)
    try:
        _wait_until_ready(served, process, ready_path, timeout)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(
    served: Served, process: subprocess.Popen[bytes], path: str, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited with {process.returncode}:\n{served.log.read_text()}"
            )
        try:
            if httpx.get(served.url + path, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not get ready on {served.url}:\n{served.log.read_text()}")
