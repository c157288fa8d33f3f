"""At most so many API requests at once; the others wait their turn.

Each request holds one pooled database connection at a time (common's revocation check,
then the request's session). When more requests run at once than the pool keeps, the pool
opens overflow connections and closes them again as they come back — a connect, a login and
a server backend per request — so a POS past saturation spent its CPU on connections and
served fewer sales than at saturation. Queued here instead (in arrival order), requests beyond
the limit wait without costing anything, and the rate past saturation stays the rate at
saturation. Health checks and the docs are never queued.

Nothing here is POS's own: it belongs in ``common.app`` beside the pool it protects."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send


class InFlightLimit:
    def __init__(self, app: ASGIApp, *, limit: int, prefix: str = "/api/") -> None:
        if limit < 1:
            raise ValueError("the in-flight limit must be at least 1")
        self.app = app
        self.limit = limit
        self.prefix = prefix
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # made in the serving loop
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
