"""A local stand-in for the provider: a small HTTP server speaking Anthropic's Messages API
(``POST /v1/messages``, ``GET /v1/models``), served by uvicorn on a free port in the test's
event loop, so the real SDK makes real HTTP calls. It records what it was sent, answers a
manifest-cleanup prompt with cleaned rows (title upper-cased), a mapping prompt with one good
and one bad mapping, anything else with an echo; ``fail_with`` makes it answer an error."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from common.testing.engines import free_port
from common.testing.fuzz import serving

API_KEY = "test-key-not-a-secret"
MODELS = [
    {"type": "model", "id": "claude-stub-1", "display_name": "Claude Stub", "created_at": "2025-05-14T00:00:00Z"},
    {"type": "model", "id": "claude-sonnet-4-5", "display_name": "Claude Sonnet 4.5", "created_at": "2025-09-29T00:00:00Z"},
]  # fmt: skip


@dataclass
class Stub:
    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    product_keys: list[str | None] = field(default_factory=list)  # Idempotency-Key per product
    fail_with: int | None = None
    delay: float = 0.0

    def answer(self, body: dict[str, Any]) -> str:
        system = str(body.get("system") or "")
        last = body["messages"][-1]["content"]
        if "clean up product rows" in system:
            rows = json.loads(last)
            cleaned = [
                {"row": row["row"], "title": row["title"].upper(), "brand": row["brand"],
                 "model": row["model"], "specs": {"cleaned": "yes"}}
                for row in rows
            ]  # fmt: skip
            return "Here you are:\n" + json.dumps(cleaned)
        if "map the columns" in system:
            headers = json.loads(last)["headers"]
            return json.dumps({"title": f"[{headers[0]}] | title", "brand": "[No Such Column]"})
        return f"echo: {last}"


def _authorised(request: Request) -> bool:
    """The key as the API takes it (``x-api-key``, or a bearer token as SDK 2.x sends it), and
    the ``anthropic-version`` header every SDK request carries."""
    key = request.headers.get("x-api-key") or request.headers.get("authorization", "").removeprefix(
        "Bearer "
    )
    return key == API_KEY and bool(request.headers.get("anthropic-version"))


def _app(stub: Stub) -> Starlette:
    async def messages(request: Request) -> JSONResponse:
        if not _authorised(request):
            return JSONResponse(
                {"type": "error", "error": {"type": "authentication_error", "message": "bad key"}},
                401,
            )
        body = await request.json()
        stub.requests.append(body)
        if stub.delay:
            await asyncio.sleep(stub.delay)
        if stub.fail_with is not None:
            return JSONResponse(
                {"type": "error", "error": {"type": "api_error", "message": "stub is down"}},
                stub.fail_with,
            )
        return JSONResponse(
            {
                "id": f"msg_stub_{len(stub.requests)}",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [{"type": "text", "text": stub.answer(body)}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": 11, "output_tokens": 7},
            }
        )

    async def models(request: Request) -> JSONResponse:
        if not _authorised(request):
            return JSONResponse(
                {"type": "error", "error": {"type": "authentication_error", "message": "bad key"}},
                401,
            )
        return JSONResponse(
            {
                "data": MODELS,
                "has_more": False,
                "first_id": MODELS[0]["id"],
                "last_id": MODELS[-1]["id"],
            }
        )

    return Starlette(
        routes=[Route("/v1/messages", messages, methods=["POST"]), Route("/v1/models", models)]
    )


@asynccontextmanager
async def messages_api() -> AsyncIterator[Stub]:
    port = free_port()
    stub = Stub(url=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(
        uvicorn.Config(_app(stub), host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    if not server.started:
        raise RuntimeError("the Messages API stub did not start")
    try:
        yield stub
    finally:
        server.should_exit = True
        await task


def _services_app(stub: Stub) -> Starlette:
    """The Messages API, plus what inventory asks of auth and catalog when it creates a
    product in catalog: a service token (``POST /api/token/service``) and the product
    (``POST /api/products``, answered as catalog answers: an ``Idempotency-Key`` sent again
    with the same body is the same product, 200; with another body a 422 naming the key)."""
    created: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}

    async def token(request: Request) -> JSONResponse:
        return JSONResponse({"access_token": "stub-service-token", "token_type": "bearer",
                             "expires_in": 300})  # fmt: skip

    async def products(request: Request) -> JSONResponse:
        if request.headers.get("authorization") != "Bearer stub-service-token":
            return JSONResponse({"detail": "Authentication credentials were not provided."}, 401)
        body = await request.json()
        stub.requests.append(body)
        stub.product_keys.append(request.headers.get("idempotency-key"))
        key = request.headers.get("idempotency-key") or str(uuid.uuid4())
        if key in created:
            sent, product = created[key]
            if sent != body:
                return JSONResponse(
                    {"detail": f"Idempotency-Key {key!r} was used for product "
                               f"'{product['slug']}' with a different body."}, 422)  # fmt: skip
            return JSONResponse(product, 200)
        created[key] = (
            body,
            {
                "id": str(uuid.uuid4()),
                "slug": f"{body['name'].lower().replace(' ', '-')[:60]}-{len(created) + 1}",
                "name": body["name"],
                "base_price": body["base_price"],
                "currency": body.get("currency") or "USD",
                "status": "active",
                "brand": None,
                "category": None,
                "updated_at": "2026-12-01T09:30:00Z",
            },
        )
        return JSONResponse(created[key][1], 201)

    messages_api_app = _app(stub)
    return Starlette(
        routes=[
            *messages_api_app.routes,
            Route("/api/token/service", token, methods=["POST"]),
            Route("/api/products", products, methods=["POST"]),
        ]
    )


@contextmanager
def services_in_a_thread() -> Iterator[Stub]:
    """The Messages API, auth's token endpoint and catalog's product creation, served by
    uvicorn in a thread of its own: for a test that blocks its event loop (the fuzzer)."""
    stub = Stub()
    with serving(_services_app(stub)) as url:  # type: ignore[arg-type]  # any ASGI app
        stub.url = url
        yield stub
