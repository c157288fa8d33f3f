"""auth-me's plumbing against stand-in servers: the flow, and clean failures.

No real auth service is involved: a stub answers the login/me contract on two
ports (one playing the gateway, one auth direct).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from common.testing.engines import free_port
from shopfloor_bench.auth_me import MissingPassword, PlatformUnavailable, run_auth_me

Serve = Callable[[Any], AbstractAsyncContextManager[str]]  # the ``serve`` fixture (conftest)


class StubAuth:
    """The contract: POST /api/auth/login → {access, refresh, user}; GET /api/auth/me with it."""

    def __init__(self, password: str = "pw") -> None:
        self.password = password
        self.me_calls = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = dict(scope["headers"])
        payload: dict[str, Any] = {"detail": "Not Found"}
        status = 404
        if scope["path"] == "/healthz":
            status, payload = 200, {"status": "ok"}
        elif scope["path"] == "/api/auth/login" and scope["method"] == "POST":
            login = json.loads(body)
            if login.get("password") == self.password:
                status, payload = 200, {"access": "tok", "refresh": "ref", "user": {"id": "1"}}
            else:
                status, payload = 401, {"detail": "Invalid credentials"}
        elif scope["path"] == "/api/auth/me":
            self.me_calls += 1
            ok = headers.get(b"authorization") == b"Bearer tok"
            status, payload = (200, {"id": "1"}) if ok else (401, {"detail": "no"})
        data = json.dumps(payload).encode()
        start = {"type": "http.response.start", "status": status}
        await send(start | {"headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": data})


async def test_both_paths_are_loaded_and_compared(serve: Serve) -> None:
    gateway_app, direct_app = StubAuth(), StubAuth()
    async with serve(gateway_app) as gateway, serve(direct_app) as direct:
        result = await run_auth_me(
            gateway=gateway, direct=direct, email="a@b.c", password="pw", requests=30, warmup=5
        )
    assert (result.direct.count, result.direct.errors) == (30, 0)
    assert (result.gateway.count, result.gateway.errors) == (30, 0)
    assert gateway_app.me_calls == direct_app.me_calls == 1 + 5 + 30  # check + warm-up + load
    assert result.ratio.p50 is not None
    assert str(result.ratio).startswith("through gateway vs direct: p50 x")


async def test_nothing_listening_says_make_up() -> None:
    gateway, direct = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PlatformUnavailable, match="make up"):
        await run_auth_me(gateway=gateway, direct=direct, email="a@b.c", password="pw")


async def test_direct_path_down_is_named(serve: Serve) -> None:
    async with serve(StubAuth()) as gateway:
        direct = f"http://127.0.0.1:{free_port()}"
        with pytest.raises(PlatformUnavailable, match=r"auth \(direct\).*make up"):
            await run_auth_me(gateway=gateway, direct=direct, email="a@b.c", password="pw")


async def test_wrong_password_and_no_password(serve: Serve) -> None:
    async with serve(StubAuth()) as gateway, serve(StubAuth()) as direct:
        with pytest.raises(PlatformUnavailable, match="401"):
            await run_auth_me(gateway=gateway, direct=direct, email="a@b.c", password="wrong")
        with pytest.raises(MissingPassword):
            await run_auth_me(gateway=gateway, direct=direct, email="a@b.c", password=None)
