"""auth-me: ``GET /api/auth/me`` through the gateway vs straight to auth, and their ratio.

Needs the platform started by ``make up``: the gateway on
``http://127.0.0.1:${SHOPFLOOR_GATEWAY_PORT:-8000}``, auth on
``http://127.0.0.1:$((${SHOPFLOOR_SERVICE_PORT_BASE:-8100} + 1))``. It logs in
once through the gateway (``POST /api/auth/login`` → ``{"access", "refresh",
"user"}``), checks the token on both paths, then loads both with the same
concurrency, count and warm-up (direct first).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx

from shopfloor_bench.http import RequestSpec, Result, ensure_loopback, run_load
from shopfloor_bench.report import Ratio, ratio

DEFAULT_EMAIL = "admin@shopfloor.local"
DEFAULT_CONCURRENCY = 10
DEFAULT_REQUESTS = 2_000
DEFAULT_WARMUP = 100
ME_PATH = "/api/auth/me"
LOGIN_PATH = "/api/auth/login"


class PlatformUnavailable(RuntimeError):
    """Nothing (or not auth) answers where the platform should be, or it refuses our login."""


class MissingPassword(PlatformUnavailable):
    """No --password and no SHOPFLOOR_ADMIN_PASSWORD."""


def default_gateway_url() -> str:
    return f"http://127.0.0.1:{int(os.environ.get('SHOPFLOOR_GATEWAY_PORT') or 8000)}"


def default_direct_url() -> str:
    base = int(os.environ.get("SHOPFLOOR_SERVICE_PORT_BASE") or 8100)
    return f"http://127.0.0.1:{base + 1}"


def default_email() -> str:
    return os.environ.get("SHOPFLOOR_ADMIN_EMAIL") or DEFAULT_EMAIL


def default_password() -> str | None:
    return os.environ.get("SHOPFLOOR_ADMIN_PASSWORD") or None


@dataclass(frozen=True)
class AuthMeResult:
    direct: Result
    gateway: Result
    ratio: Ratio


def _unreachable(what: str, base: str, exc: Exception) -> PlatformUnavailable:
    return PlatformUnavailable(
        f"{what} does not answer at {base} ({type(exc).__name__}). "
        "Start the platform with `make up` first (and wait until it reports ready)."
    )


def _refused(what: str, base: str, response: httpx.Response, hint: str) -> PlatformUnavailable:
    return PlatformUnavailable(
        f"{what} at {base} answered {response.status_code} to "
        f"{response.request.method} {response.request.url.path}: {response.text[:200]!r}. {hint}"
    )


async def login(client: httpx.AsyncClient, base: str, email: str, password: str) -> str:
    """The access token of ``email``, logging in at ``base``."""
    try:
        response = await client.post(
            f"{base}{LOGIN_PATH}", json={"email": email, "password": password}
        )
    except httpx.TransportError as exc:
        raise _unreachable("the gateway", base, exc) from exc
    if response.status_code in (400, 401, 403, 422):
        hint = "Check --email / --password (or SHOPFLOOR_ADMIN_EMAIL / SHOPFLOOR_ADMIN_PASSWORD)."
        raise _refused("login", base, response, hint)
    if response.status_code != 200:
        raise _refused("the gateway", base, response, "Is auth up? Run `make up` first.")
    try:
        return str(response.json()["access"])
    except (ValueError, KeyError, TypeError) as exc:
        raise PlatformUnavailable(f"login at {base} returned no access token") from exc


async def check_me(client: httpx.AsyncClient, what: str, base: str, token: str) -> None:
    """One ``GET /api/auth/me`` that must answer 200 before loading ``base``."""
    try:
        response = await client.get(
            f"{base}{ME_PATH}", headers={"Authorization": f"Bearer {token}"}
        )
    except httpx.TransportError as exc:
        raise _unreachable(what, base, exc) from exc
    if response.status_code != 200:
        raise _refused(what, base, response, "Is the platform fully up (`make up`)?")


async def ensure_listening(client: httpx.AsyncClient, what: str, base: str) -> None:
    """Any HTTP answer will do; a refused or timed-out connection means the platform is down."""
    try:
        await client.get(f"{base}/healthz")
    except httpx.TransportError as exc:
        raise _unreachable(what, base, exc) from exc


async def prepare(gateway: str, direct: str, email: str, password: str | None) -> str:
    """Check both paths answer, log in, check the token on both; returns the bearer token."""
    ensure_loopback(gateway)
    ensure_loopback(direct)
    async with httpx.AsyncClient(timeout=10.0, trust_env=False) as client:
        await ensure_listening(client, "the gateway", gateway)
        await ensure_listening(client, "auth (direct)", direct)
        if not password:
            raise MissingPassword(
                "no password: pass --password or set SHOPFLOOR_ADMIN_PASSWORD "
                "(`make up` prints the development admin's credentials)"
            )
        token = await login(client, gateway, email, password)
        await check_me(client, "auth (direct)", direct, token)
        await check_me(client, "the gateway", gateway, token)
    return token


async def run_auth_me(
    *,
    gateway: str,
    direct: str,
    email: str,
    password: str | None,
    concurrency: int = DEFAULT_CONCURRENCY,
    requests: int = DEFAULT_REQUESTS,
    warmup: int = DEFAULT_WARMUP,
) -> AuthMeResult:
    token = await prepare(gateway, direct, email, password)
    headers = {"Authorization": f"Bearer {token}"}
    results: dict[str, Result] = {}
    for name, base in (("direct", direct), ("gateway", gateway)):
        results[name] = await run_load(
            [RequestSpec("GET", f"{base}{ME_PATH}", headers=headers)],
            name=f"auth-me {name}",
            concurrency=concurrency,
            count=requests,
            warmup=warmup,
        )
    direct_result, gateway_result = results["direct"], results["gateway"]
    return AuthMeResult(
        direct=direct_result,
        gateway=gateway_result,
        ratio=ratio(gateway_result, direct_result, "through gateway vs direct"),
    )
