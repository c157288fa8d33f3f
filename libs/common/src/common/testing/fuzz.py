"""An independent fuzzer in every service's suite: schemathesis against the running app.

``serving(app)`` runs the app under a real uvicorn server in a thread (its own event loop,
its real lifespan: database, NATS, relay, consumers) and yields its base URL.
``schemathesis_run(...)`` runs the off-the-shelf ``schemathesis run`` CLI against the app's
OpenAPI with an admin's token and the checks the robustness issue names, bounded in
examples and time so CI stays inside its budget; it returns the exit code and the report.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from common.testing.engines import free_port

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
)


@contextmanager
def serving(app: FastAPI, *, timeout: float = 60.0) -> Iterator[str]:
    """The app served on 127.0.0.1 by uvicorn in a thread; stopped (lifespan and all) after."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start under uvicorn")
        time.sleep(0.05)
    guard = getattr(app.state, "revocations", None)
    if guard is not None:  # the users the plugin minted tokens for are auth's (see plugin)
        from common.testing.minted import MINTED_USERS

        guard.snapshot.assume_known(list(MINTED_USERS))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)


def schemathesis_run(
    openapi_url: str,
    *,
    token: str,
    max_examples: int = 10,
    phases: Sequence[str] = ("examples", "coverage", "fuzzing"),
    checks: Sequence[str] = CHECKS,
    seed: int = 1,
    report_dir: Path | None = None,
    extra: Sequence[str] = (),
) -> tuple[int, str]:
    """Run ``schemathesis run``; (exit code, its output). A fixed seed makes a run repeatable."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        openapi_url,
        "--checks",
        ",".join(checks),
        "--phases",
        ",".join(phases),
        "--max-examples",
        str(max_examples),
        "--header",
        f"Authorization: Bearer {token}",
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--seed",
        str(seed),
        "--no-color",
        "--suppress-health-check",
        "all",
        *extra,
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    return done.returncode, done.stdout + done.stderr
