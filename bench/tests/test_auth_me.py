"""auth-me's plumbing against stand-in servers (the flow, clean failures), and one tiny real run.

The stub answers the login/me contract on two ports (one playing the gateway, one
auth direct); the tiny run starts auth and Caddy as the command does (no timing
assertions).
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


async def test_the_three_loads_are_interleaved_in_rounds_and_compared(serve: Serve) -> None:
    gateway_app, direct_app = StubAuth(), StubAuth()
    async with serve(gateway_app) as gateway, serve(direct_app) as direct:
        result = await run_auth_me(
            gateway=gateway,
            direct=direct,
            email="a@b.c",
            password="pw",
            requests=30,
            warmup=5,
            rounds=3,
            concurrency=2,
        )
    assert [item.order for item in result.rounds] == [
        ("healthz", "direct", "gateway"),
        ("direct", "gateway", "healthz"),
        ("gateway", "healthz", "direct"),
    ]
    for pooled in (result.healthz, result.direct, result.gateway):
        assert (pooled.count, pooled.errors) == (90, 0)
    # the check, then per round a warm-up (the first one longer) and the load
    assert gateway_app.me_calls == direct_app.me_calls == 1 + (5 + 30) + 2 * (2 + 30)
    assert result.ratio.p50 is not None and result.floor.rps is not None
    assert str(result.ratio).startswith("through gateway vs direct: p50 x")
    assert str(result.floor).startswith("/api/auth/me vs /healthz (same process, direct)")
    assert result.cpu_floor is None  # not our process: no CPU figures
    assert "requests/s" in result.verdict()


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


async def test_a_tiny_run_against_auth_it_starts() -> None:
    pytest.importorskip("auth")
    from shopfloor_bench.auth_me import BENCH_PASSWORD, DEFAULT_EMAIL, auth_platform
    from shopfloor_bench.engines import backends

    with backends() as backend:
        async with auth_platform(backend.postgres_url, backend.nats_url) as platform:
            result = await run_auth_me(
                gateway=platform.gateway,
                direct=platform.direct,
                email=DEFAULT_EMAIL,
                password=BENCH_PASSWORD,
                requests=20,
                warmup=5,
                rounds=2,
                concurrency=2,
                server_pid=platform.auth_pid,
            )
    assert result.direct.statuses == {"200": 40} and result.gateway.statuses == {"200": 40}
    assert result.healthz.statuses == {"200": 40}
    row = result.cpu_row()
    assert row is not None and float(row["me_direct"]) > 0  # type: ignore[arg-type]
    assert "server CPU per request" in result.verdict()
