"""One LISTEN connection per process, shared by every task that waits for a ``NOTIFY``.

The outbox relay (its service's outbox channel) and the revocation guard
(``shopfloor_revocations``) each used to keep a connection of their own just to
listen: an idle PostgreSQL backend of 12-19 MiB apiece. ``Notifications`` keeps
one connection for all of a process's channels. ``listen(channel)`` gives an
``asyncio.Event`` that is set on every notification of that channel and also
once ``LISTEN`` has been issued on a new connection (the first one, and again
after a reconnect): whatever committed while nobody listened is then picked up
by the waiter's own read, so no notification is needed to catch up.

A channel asked for while the connection is already listening is added within
``recheck`` seconds (psycopg keeps the notifications that arrive meanwhile).

A waiting loop (the outbox relay, the revocation guard, inventory's job worker) takes
its channel with ``async with wake_on(channel, shared, url) as wake``: the process's
shared listener when there is one, else a listener of its own for the loop's life;
``await wake.wait(seconds)`` returns on a notification or after ``seconds`` (the
loop's safety-net sweep), and ``wake.set()`` asks for another round at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import psycopg

logger = logging.getLogger(__name__)

RECONNECT_DELAY = 1.0


class Notifications:
    """Channels → events, fed by one autocommit connection (``run()`` until cancelled)."""

    def __init__(self, url: str, *, recheck: float = 1.0) -> None:
        self.url = url
        self.recheck = recheck
        self._events: dict[str, list[asyncio.Event]] = {}
        self.listening: set[str] = set()  # the channels LISTENed on the current connection

    def listen(self, channel: str) -> asyncio.Event:
        """An event set on every ``NOTIFY channel`` (and when the LISTEN starts)."""
        event = asyncio.Event()
        self._events.setdefault(channel, []).append(event)
        return event

    def forget(self, channel: str, event: asyncio.Event) -> None:
        """Stop waking ``event`` (a waiter that stopped); the LISTEN stays for the others."""
        with contextlib.suppress(KeyError, ValueError):
            self._events[channel].remove(event)

    def _wake(self, channel: str) -> None:
        for event in self._events.get(channel, ()):
            event.set()

    async def _serve(self, connection: psycopg.AsyncConnection[object]) -> None:
        self.listening = set()
        while True:
            for channel in sorted(self._events.keys() - self.listening):
                await connection.execute(f'LISTEN "{channel}"')
                self.listening.add(channel)
                self._wake(channel)  # what committed while we were not listening
            async for notify in connection.notifies(timeout=self.recheck):
                self._wake(notify.channel)

    async def run(self) -> None:
        """Listen until cancelled; reconnect (and wake every waiter) when the connection drops."""
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.url, autocommit=True
                ) as connection:
                    await self._serve(connection)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database restarted; keep trying
                logger.warning("notification listener lost its connection: %r", exc)
                self.listening = set()
                await asyncio.sleep(RECONNECT_DELAY)


class Wake:
    """A waiting loop's end of a channel."""

    def __init__(self, event: asyncio.Event) -> None:
        self._event = event

    async def wait(self, timeout: float) -> None:
        """Until a notification (or ``set()``), at most ``timeout`` seconds; then re-arm."""
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that
        # arrives as the event is set, and shutdown would then wait forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._event.wait()
        self._event.clear()

    def set(self) -> None:
        self._event.set()


@contextlib.asynccontextmanager
async def wake_on(channel: str, shared: Notifications | None, url: str) -> AsyncIterator[Wake]:
    """Listen to ``channel`` on ``shared`` or, without one, on a connection of its own."""
    notifications = shared or Notifications(url)
    event = notifications.listen(channel)
    listener = (
        asyncio.create_task(notifications.run(), name=f"listen-{channel}")
        if shared is None
        else None
    )
    try:
        yield Wake(event)
    finally:
        notifications.forget(channel, event)
        if listener is not None:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
