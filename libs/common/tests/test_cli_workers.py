"""``serve --workers N`` comes up even when a worker is slow to start (a busy machine): uvicorn's
master must not kill a worker that has not answered its first health ping within 5 s."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from common.cli import WORKER_HEALTHCHECK_SECONDS
from common.testing.engines import free_port

# A worker re-imports the main script as ``__mp_main__`` before it can answer the master's
# ping: sleeping there is a worker whose interpreter takes 12 s to start, longer than two of
# uvicorn's 5 s pings, so with its default each worker is killed before it answers, forever.
SLOW_WORKERS = """
import sys, time
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

if __name__ == "__mp_main__":
    time.sleep(12)

app = Starlette(routes=[Route("/healthz", lambda request: PlainTextResponse("ok"))])

if __name__ == "__main__":
    from common.cli import run_server
    run_server("slow_workers:app", host="127.0.0.1", port=int(sys.argv[1]), workers=2)
"""


def test_slow_starting_workers_are_given_time_and_serve(tmp_path: Path) -> None:
    assert WORKER_HEALTHCHECK_SECONDS > 12
    script = tmp_path / "slow_workers.py"
    script.write_text(SLOW_WORKERS)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(script), str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        answered = False
        while time.monotonic() < deadline and not answered:
            try:
                answered = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).text == "ok"
            except httpx.HTTPError:
                time.sleep(0.5)
        assert answered, "the workers never served: killed by the master while starting"
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
