"""Fixtures: ASGI apps served by uvicorn on free loopback ports; an embedded PostgreSQL."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from common.testing.engines import PostgresServer, free_port

Serve = Callable[[Any], AbstractAsyncContextManager[str]]


@asynccontextmanager
async def serve_app(app: Any) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1:<free port> in this event loop; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def serve() -> Serve:
    return serve_app


@pytest.fixture(scope="module")
def pg_server() -> Iterator[str]:
    """An embedded PostgreSQL for the module's tests; its server URL."""
    with tempfile.TemporaryDirectory(prefix="sf-bench-pg-") as directory:
        server = PostgresServer(Path(directory) / "postgres", free_port())
        server.start()
        try:
            yield server.url()
        finally:
            server.stop()
