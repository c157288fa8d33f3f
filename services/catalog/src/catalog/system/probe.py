"""Ask other services for their version (``/healthz``), all at once, each with a timeout.

A service that does not answer in time, or cannot be reached, is reported as
``unreachable``; one that answers without its version as ``error``. Nothing raises: one
service down never fails the whole report."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx

from catalog.system.schemas import Reach, ServiceVersion


async def versions(
    urls: Mapping[str, str],
    *,
    timeout: float,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[ServiceVersion]:
    """The version of each service in ``urls`` (name → base URL), in name order."""
    async with httpx.AsyncClient(timeout=timeout, transport=transport) as client:
        return list(
            await asyncio.gather(
                *(_version(client, name, urls[name], timeout) for name in sorted(urls))
            )
        )


async def _version(
    client: httpx.AsyncClient, name: str, url: str, timeout: float
) -> ServiceVersion:
    try:
        async with asyncio.timeout(timeout):  # connect + read + body, not per phase
            response = await client.get(url.rstrip("/") + "/healthz")
            body = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, TimeoutError, OSError) as error:
        return _missing(
            name, Reach.unreachable, f"no answer within {timeout} s ({type(error).__name__})"
        )
    except ValueError:
        return _missing(name, Reach.error, "its /healthz answer is not JSON")
    if body is None:
        return _missing(name, Reach.error, f"/healthz answered HTTP {response.status_code}")
    version = body.get("version") if isinstance(body, dict) else None
    if not isinstance(version, str):
        return _missing(name, Reach.error, "its /healthz answer names no version")
    return ServiceVersion(service=name, status=Reach.ok, version=version, detail=None)


def _missing(name: str, status: Reach, detail: str) -> ServiceVersion:
    return ServiceVersion(service=name, status=status, version=None, detail=detail)
