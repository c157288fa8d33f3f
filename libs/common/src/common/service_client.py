"""Calling another Shopfloor service as this service: a service token, timeouts and retries.

For the rare synchronous request one service must make of another (consignment
asking auth to create a consignee; intake asking catalog for a product). The
client fetches a short-lived token of type ``service`` from auth
(``POST /api/token/service``, OAuth 2.0 client credentials with HTTP Basic),
caches it, and fetches the next one before it expires (``refresh_margin``) or
once when a service answers 401. Every call has a timeout; transport errors,
502/503/504 and 429 are retried with exponential backoff (tenacity) when the
call is safe to repeat: a GET/HEAD/PUT/DELETE, or a write sent with an
``idempotency_key`` (the ``Idempotency-Key`` header) whose receiver treats a
repeat as the same request (auth: the new user's email is the natural key).

    async with ServiceClient.from_settings(settings) as services:
        response = await services.post(
            "auth", "/api/accounts/users", json={...}, idempotency_key=f"consignee:{email}"
        )

It answers the last ``httpx.Response`` (the caller decides what a 4xx means)
and raises ``httpx.TransportError`` when no attempt got an answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
)

from common.config import ServiceSettings

TOKEN_PATH = "/api/token/service"
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class ServiceAuthError(RuntimeError):
    """Auth refused this service's credentials (or never answered): no token to call with."""


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: float  # on ``clock``


class ServiceClient:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        services: Mapping[str, str],
        timeout: float = 5.0,
        attempts: int = 3,
        backoff: float = 0.2,
        refresh_margin: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if "auth" not in services:
            raise ValueError("services must name auth's base URL (the token comes from it)")
        self.client_id = client_id
        self._secret = client_secret
        self.services = {name: url.rstrip("/") for name, url in services.items()}
        self.attempts = attempts
        self.backoff = backoff
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport, trust_env=False)
        self._token: _Token | None = None
        self._lock = asyncio.Lock()
        self.tokens_fetched = 0

    @classmethod
    def from_settings(cls, settings: ServiceSettings, **options: Any) -> ServiceClient:
        """``SERVICE_CLIENT_ID``, ``SERVICE_CLIENT_SECRET`` and ``SERVICE_URLS`` of the caller."""
        if not settings.service_client_id or settings.service_client_secret is None:
            raise ValueError("SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET must be set")
        return cls(
            client_id=settings.service_client_id,
            client_secret=settings.service_client_secret.get_secret_value(),
            services=settings.service_urls,
            **options,
        )

    async def __aenter__(self) -> ServiceClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------------ calls

    async def get(self, service: str, path: str, **options: Any) -> httpx.Response:
        return await self.request("GET", service, path, **options)

    async def post(self, service: str, path: str, **options: Any) -> httpx.Response:
        return await self.request("POST", service, path, **options)

    async def put(self, service: str, path: str, **options: Any) -> httpx.Response:
        return await self.request("PUT", service, path, **options)

    async def patch(self, service: str, path: str, **options: Any) -> httpx.Response:
        return await self.request("PATCH", service, path, **options)

    async def delete(self, service: str, path: str, **options: Any) -> httpx.Response:
        return await self.request("DELETE", service, path, **options)

    async def request(
        self,
        method: str,
        service: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        """One call to ``service`` (a name of ``services``) as this service, retried when safe."""
        method = method.upper()
        url = f"{self._base(service)}{path}"
        extra = dict(headers or {})
        if idempotency_key is not None:
            extra["Idempotency-Key"] = idempotency_key
        repeatable = method in SAFE_METHODS or idempotency_key is not None

        async def once() -> httpx.Response:
            response = await self._send(method, url, json=json, params=params, headers=extra)
            if response.status_code == 401:  # revoked or expired early: one new token, once
                self._token = None
                response = await self._send(method, url, json=json, params=params, headers=extra)
            return response

        if not repeatable:
            return await once()
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.backoff, max=5),
            retry=retry_if_exception_type(httpx.TransportError)
            | retry_if_result(lambda response: response.status_code in RETRIED_STATUSES),
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
            reraise=True,
        )
        response: httpx.Response = await retrying(once)
        return response

    async def _send(
        self,
        method: str,
        url: str,
        *,
        json: Any,
        params: Mapping[str, Any] | None,
        headers: dict[str, str],
    ) -> httpx.Response:
        token = await self.token()
        return await self._http.request(
            method,
            url,
            json=json,
            params=params,
            headers={**headers, "Authorization": f"Bearer {token}"},
        )

    def _base(self, service: str) -> str:
        try:
            return self.services[service]
        except KeyError:
            known = ", ".join(sorted(self.services))
            raise ValueError(
                f"no URL for service {service!r} (SERVICE_URLS has: {known})"
            ) from None

    # ------------------------------------------------------------------ the token

    async def token(self) -> str:
        """The cached service token, fetched again when it is about to expire."""
        current = self._token
        if current is not None and current.expires_at - self.refresh_margin > self._clock():
            return current.value
        async with self._lock:  # one fetch for every caller waiting on it
            current = self._token
            if current is None or current.expires_at - self.refresh_margin <= self._clock():
                self._token = current = await self._fetch_token()
        return current.value

    async def _fetch_token(self) -> _Token:
        asked_at = self._clock()
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.attempts),
                wait=wait_exponential(multiplier=self.backoff, max=5),
                retry=retry_if_exception_type((httpx.TransportError, _Retry)),
                reraise=True,
            ):
                with attempt:
                    response = await self._http.post(
                        f"{self.services['auth']}{TOKEN_PATH}",
                        data={"grant_type": "client_credentials"},
                        auth=(self.client_id, self._secret),
                    )
                    if response.status_code in RETRIED_STATUSES:
                        raise _Retry(response.status_code)
        except (httpx.TransportError, _Retry) as exc:
            raise ServiceAuthError(f"auth did not answer a token request: {exc!r}") from exc
        if response.status_code != 200:
            raise ServiceAuthError(
                f"auth refused the credentials of {self.client_id!r} "
                f"({response.status_code}): {response.text[:200]}"
            )
        body = response.json()
        self.tokens_fetched += 1
        return _Token(str(body["access_token"]), asked_at + float(body["expires_in"]))


class _Retry(Exception):
    """A retryable status from the token endpoint."""
