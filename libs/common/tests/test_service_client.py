"""``ServiceClient``: the token fetched once and refreshed before it expires, timeouts and safe retries.

The other side is a small ASGI app standing for auth's token endpoint and a
service's route (auth's real endpoint is proven in auth's own tests); it records
what it was sent and can fail on purpose.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from common.service_client import ServiceAuthError, ServiceClient


class Stub:
    """``POST /api/token/service`` (Basic ``consignment:s3cret``) and ``/api/things`` routes."""

    def __init__(self) -> None:
        self.tokens_issued = 0
        self.calls: list[dict[str, Any]] = []
        self.failures: list[int] = []  # statuses to answer first, one per call
        self.revoke_next = False

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {key.decode(): value.decode() for key, value in scope["headers"]}
        status, payload = self.answer(scope["method"], scope["path"], headers, body)
        data = json.dumps(payload).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": data})

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        if path == "/api/token/service":
            expected = "Basic " + base64.b64encode(b"consignment:s3cret").decode()
            if headers.get("authorization") != expected or b"client_credentials" not in body:
                return 401, {"detail": "Unknown client or wrong client secret."}
            self.tokens_issued += 1
            return 200, {
                "access_token": f"token-{self.tokens_issued}",
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "things:create",
            }
        self.calls.append(
            {
                "method": method,
                "token": headers.get("authorization"),
                "key": headers.get("idempotency-key"),
            }
        )
        if self.revoke_next:
            self.revoke_next = False
            return 401, {"detail": "Token has been revoked."}
        if self.failures:
            return self.failures.pop(0), {"detail": "try again"}
        return (201 if method == "POST" else 200), {"ok": True}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def stub() -> Stub:
    return Stub()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def services(stub: Stub, clock: Clock) -> AsyncIterator[ServiceClient]:
    client = ServiceClient(
        client_id="consignment",
        client_secret="s3cret",
        services={"auth": "http://auth", "inventory": "http://inventory"},
        transport=httpx.ASGITransport(app=stub),
        backoff=0.001,
        refresh_margin=30.0,
        clock=clock,
    )
    async with client:
        yield client


async def test_the_token_is_fetched_once_and_sent_as_bearer(services, stub) -> None:
    for _ in range(3):
        assert (await services.get("inventory", "/api/things")).status_code == 200
    assert stub.tokens_issued == 1
    assert {call["token"] for call in stub.calls} == {"Bearer token-1"}


async def test_the_token_is_refreshed_before_it_expires(services, stub, clock) -> None:
    await services.get("inventory", "/api/things")
    clock.now += 300 - 31  # still 31 s to go: more than the margin
    await services.get("inventory", "/api/things")
    assert stub.tokens_issued == 1
    clock.now += 2  # within 30 s of its expiry: the next call gets a new one first
    await services.get("inventory", "/api/things")
    assert stub.tokens_issued == 2
    assert [call["token"] for call in stub.calls] == ["Bearer token-1"] * 2 + ["Bearer token-2"]


async def test_a_401_from_the_service_fetches_one_new_token(services, stub) -> None:
    await services.get("inventory", "/api/things")
    stub.revoke_next = True
    response = await services.get("inventory", "/api/things")
    assert response.status_code == 200 and stub.tokens_issued == 2
    assert [call["token"] for call in stub.calls][-2:] == ["Bearer token-1", "Bearer token-2"]


async def test_a_write_with_an_idempotency_key_is_retried(services, stub) -> None:
    stub.failures = [503, 502]
    response = await services.post(
        "inventory", "/api/things", json={"sku": "A"}, idempotency_key="unit:A"
    )
    assert response.status_code == 201
    assert [call["key"] for call in stub.calls] == ["unit:A"] * 3


async def test_a_write_without_a_key_is_sent_once(services, stub) -> None:
    stub.failures = [503]
    response = await services.post("inventory", "/api/things", json={"sku": "A"})
    assert response.status_code == 503 and len(stub.calls) == 1


async def test_retries_end_with_the_last_answer(services, stub) -> None:
    stub.failures = [503, 503, 503, 503]
    response = await services.get("inventory", "/api/things")
    assert response.status_code == 503 and len(stub.calls) == 3


async def test_wrong_credentials_are_a_clear_error(stub) -> None:
    client = ServiceClient(
        client_id="consignment",
        client_secret="wrong",
        services={"auth": "http://auth"},
        transport=httpx.ASGITransport(app=stub),
    )
    async with client:
        with pytest.raises(ServiceAuthError, match="refused the credentials of 'consignment'"):
            await client.get("auth", "/api/things")
    assert stub.calls == []


async def test_a_service_that_does_not_answer_is_retried_then_raised(stub) -> None:
    attempts = 0

    class Flaky(httpx.ASGITransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal attempts
            if request.url.host == "inventory":
                attempts += 1
                raise httpx.ConnectError("connection refused", request=request)
            return await super().handle_async_request(request)

    client = ServiceClient(
        client_id="consignment",
        client_secret="s3cret",
        services={"auth": "http://auth", "inventory": "http://inventory"},
        transport=Flaky(app=stub),
        backoff=0.001,
    )
    async with client:
        with pytest.raises(httpx.ConnectError):
            await client.get("inventory", "/api/things")
    assert attempts == 3


async def test_an_unknown_service_name_is_refused(services) -> None:
    with pytest.raises(ValueError, match="no URL for service 'catalog'"):
        await services.get("catalog", "/api/products")


def test_the_client_comes_from_the_callers_settings() -> None:
    from pydantic import ValidationError

    from common.config import ServiceSettings

    settings = ServiceSettings(
        database_url="postgresql://db/x",
        service_client_id="consignment",
        service_client_secret="s3cret",  # type: ignore[arg-type]
        service_urls={"auth": "http://auth:8000/"},
    )
    client = ServiceClient.from_settings(settings)
    assert client.client_id == "consignment" and client.services == {"auth": "http://auth:8000"}
    with pytest.raises(ValueError, match="SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET"):
        ServiceClient.from_settings(ServiceSettings(database_url="postgresql://db/x"))
    with pytest.raises(ValidationError, match="SERVICE_CLIENT_SECRET looks like a development"):
        ServiceSettings(
            database_url="postgresql://db/x",
            shopfloor_env="production",  # type: ignore[arg-type]
            jwt_public_keys="x",
            service_client_id="consignment",
            service_client_secret="dev-secret",  # type: ignore[arg-type]
        )
