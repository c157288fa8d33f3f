"""The revocation read-model wired into a service: its subscription, a fresh snapshot, the check.

Every uvicorn worker (or replica) of a service keeps its own snapshot, but only
one of them consumes each event (the durable consumer is shared), so the
consumer's transaction ends with a ``NOTIFY``: every process LISTENs (on its
shared connection, ``common.notifications``, beside the outbox relay's channel)
and loads the rows changed since the version it has,
milliseconds after the commit. A slow poll (``poll_interval``) is the safety
net for a notification lost while that connection was down.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from fastapi import FastAPI, Request

from common.db import Database, libpq_url
from common.errors import Unauthenticated
from common.events.consumer import Subscription
from common.notifications import Notifications, wake_on
from common.revocations.handlers import revocation_subscriptions
from common.revocations.snapshot import RevocationSnapshot
from common.revocations.store import NOTIFY_CHANNEL, RevocationStore
from common.revocations.tables import RevocationTables
from common.roles import Caller

logger = logging.getLogger(__name__)


class RevocationGuard:
    def __init__(self, tables: RevocationTables, *, poll_interval: float = 5.0) -> None:
        self.store = RevocationStore(tables)
        self.snapshot = RevocationSnapshot()
        self.poll_interval = poll_interval
        self._database: Database | None = None
        self._notifications: Notifications | None = None

    def subscriptions(self) -> list[Subscription[Any]]:
        return revocation_subscriptions(self.store)

    async def check(self, _request: Request, caller: Caller) -> None:
        """The per-request check: 401 naming why, for a token the read-model refuses."""
        reason = self.snapshot.refusal(caller)
        if reason is not None:
            raise Unauthenticated(reason)

    async def start(self, app: FastAPI) -> None:
        """Load the whole read-model before the first request; keep it fresh until shutdown."""
        self._database = app.state.database
        self._notifications = getattr(app.state, "notifications", None)
        await self.refresh()
        app.state.event_tasks.append(asyncio.create_task(self.run(), name="revocations-refresh"))

    async def refresh(self) -> None:
        if self._database is None:
            raise RuntimeError("RevocationGuard.start() was not awaited")
        async with self._database.session() as session:
            changes = await self.store.changes(session, self.snapshot.version)
        self.snapshot.apply(changes, now=time.time())

    async def run(self) -> None:
        """Refresh on every NOTIFY (and every ``poll_interval``) until cancelled."""
        if self._database is None:
            raise RuntimeError("RevocationGuard.start() was not awaited")
        url = libpq_url(self._database.url)
        async with wake_on(NOTIFY_CHANNEL, self._notifications, url) as wake:
            while True:
                await wake.wait(self.poll_interval)
                try:
                    await self.refresh()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # the database is away; the old snapshot still holds
                    logger.warning("revocation snapshot refresh failed: %r", exc)
                    await asyncio.sleep(0.5)
                    wake.set()
