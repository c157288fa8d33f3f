"""The per-user rate limit of /api/ai/chat (``AI_CHAT_RATE``, e.g. ``20/minute``), with the
``limits`` library: memory by default, ``RATE_LIMIT_STORAGE_URI`` for a shared store.
(auth's ``throttle.py`` is the same few lines: worth one copy in ``common``.)"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from common.errors import TooManyRequests


class Throttle:
    def __init__(self, storage_uri: str, rate: str) -> None:
        uri = storage_uri if storage_uri.startswith("async+") else f"async+{storage_uri}"
        self.limiter = MovingWindowRateLimiter(storage_from_string(uri))
        self.item: RateLimitItem = parse(rate)

    async def hit(self, scope: str, key: str) -> None:
        """Count one call; 429 with ``Retry-After`` once the caller's rate is spent."""
        if not await self.limiter.hit(self.item, scope, key):
            stats = await self.limiter.get_window_stats(self.item, scope, key)
            retry_after = math.ceil(stats.reset_time - time.time())
            raise TooManyRequests(
                f"Too many AI requests ({self.item}). Try again in {max(retry_after, 1)} seconds.",
                retry_after=retry_after,
            )
