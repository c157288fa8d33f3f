"""Throttling scopes (``login``, ``register``, ``forgot_password``) with the ``limits`` library.

Keys are the client address (uvicorn's proxy-headers handling makes that the
real client behind a trusted gateway, never a header the client set) and, for
login, the account. Storage is memory by default; point
``RATE_LIMIT_STORAGE_URI`` at Redis or Memcached when running several replicas.
"""

from __future__ import annotations

import math
import time

from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from common.errors import TooManyRequests


class Throttle:
    def __init__(self, storage_uri: str) -> None:
        uri = storage_uri if storage_uri.startswith("async+") else f"async+{storage_uri}"
        self.limiter = MovingWindowRateLimiter(storage_from_string(uri))

    async def hit(self, scope: str, rate: str, key: str) -> None:
        """Count one attempt; 429 with ``Retry-After`` once the scope's rate is spent."""
        item: RateLimitItem = parse(rate)
        if not await self.limiter.hit(item, scope, key):
            stats = await self.limiter.get_window_stats(item, scope, key)
            retry_after = math.ceil(stats.reset_time - time.time())
            raise TooManyRequests(
                f"Too many {scope.replace('_', ' ')} attempts. Try again in {max(retry_after, 1)} seconds.",
                retry_after=retry_after,
            )

    async def reset(self) -> None:
        await self.limiter.storage.reset()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
