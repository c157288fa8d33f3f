"""Turnstile and hCaptcha through their site-verify API: real HTTP (httpx) to a local stub
server that answers as the providers do. A good token books; a bad, spent or missing one is a
400 naming ``captcha_token``; a provider that does not answer is a 503; nothing is stored
unless the provider said yes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from fastapi import FastAPI

from common.db import Database
from common.testing.engines import free_port
from tests.conftest import booking_body, fingerprint

SECRET = "stub-site-secret"


class Provider:
    """What the stub answers: ``good`` once per token (then ``timeout-or-duplicate``)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, list[str]]] = []
        self.seen: set[str] = set()
        self.failing = False

    def answer(self, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        self.requests.append(form)
        if self.failing:
            return 500, {}
        if form.get("secret") != [SECRET]:
            return 200, {"success": False, "error-codes": ["invalid-input-secret"]}
        token = (form.get("response") or [""])[0]
        if not token:
            return 200, {"success": False, "error-codes": ["missing-input-response"]}
        if token in self.seen:
            return 200, {"success": False, "error-codes": ["timeout-or-duplicate"]}
        if not token.startswith("good"):
            return 200, {"success": False, "error-codes": ["invalid-input-response"]}
        self.seen.add(token)
        return 200, {"success": True, "hostname": "shop.example", "error-codes": []}


@pytest.fixture(scope="module")
def provider() -> Iterator[tuple[Provider, int]]:
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            status, body = state.answer(parse_qs(self.rfile.read(length).decode()))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            return

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, port
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["turnstile", "hcaptcha"])
def settings_overrides(
    request: pytest.FixtureRequest, provider: tuple[Provider, int]
) -> dict[str, Any]:
    state, port = provider
    state.failing = False
    return {
        "captcha_provider": request.param,
        "captcha_secret": SECRET,
        "captcha_verify_url": f"http://127.0.0.1:{port}/siteverify",
        "captcha_timeout_seconds": 2.0,
    }


@pytest.mark.usefixtures("stores")
async def test_the_provider_decides(
    client: httpx.AsyncClient,
    database: Database,
    provider: tuple[Provider, int],
    settings_overrides: dict[str, Any],
) -> None:
    state, _ = provider
    token = f"good-{settings_overrides['captcha_provider']}"
    booked = await client.post(
        "/api/bookings", json=booking_body(token), headers={"User-Agent": "test"}
    )
    assert booked.status_code == 201, booked.text
    sent = state.requests[-1]
    assert sent["secret"] == [SECRET] and sent["response"] == [token]
    assert sent["remoteip"] == ["127.0.0.1"]
    assert ("idempotency_key" in sent) == (settings_overrides["captcha_provider"] == "turnstile")

    for bad, words in ((token, "expired or was already used"), ("forged", "wrong")):
        before = await fingerprint(database)
        refused = await client.post("/api/bookings", json=booking_body(bad))
        assert refused.status_code == 400, refused.text
        assert refused.json()["detail"][0]["field"] == "captcha_token"
        assert words in refused.json()["detail"][0]["msg"]
        assert await fingerprint(database) == before

    assert (await client.get("/api/bookings/captcha")).status_code == 404  # its own widget

    state.failing = True
    before = await fingerprint(database)
    down = await client.post("/api/bookings", json=booking_body("good-again"))
    assert down.status_code == 503, down.text
    assert await fingerprint(database) == before


@pytest.mark.usefixtures("stores")
async def test_an_unreachable_provider_is_a_503(
    app: FastAPI, client: httpx.AsyncClient, database: Database
) -> None:
    app.state.toolkit.captcha.url = f"http://127.0.0.1:{free_port()}/siteverify"  # nobody there
    before = await fingerprint(database)
    response = await client.post("/api/bookings", json=booking_body("good-unreachable"))
    assert response.status_code == 503, response.text
    assert "did not answer" in response.json()["detail"]
    assert await fingerprint(database) == before
