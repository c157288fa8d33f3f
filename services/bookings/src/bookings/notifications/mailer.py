"""Sending the stored notifications: after the commit, in the background, retried.

A notification is queued once the transaction that wrote it commits (``send_after_commit``),
so the request never waits for SMTP and a rolled-back change sends nothing. The worker claims
the row, sends it through aiosmtplib to ``SMTP_URL`` (``smtp://user:pw@host:587``, STARTTLS when
offered; ``smtps://`` for TLS from the start) with ``MAIL_ATTEMPTS`` tries and exponential
backoff, and records ``sent`` or ``failed`` (with the error). A sweep every
``SWEEP_SECONDS`` re-queues rows left ``queued`` by a process that ended before sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from tenacity import AsyncRetrying, stop_after_attempt, wait_exponential

from bookings.notifications.models import Delivery, Notification
from bookings.notifications.repository import NotificationRepository
from common.db import Database

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60.0
STRANDED_AFTER = timedelta(minutes=2)


class MailTransport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class SmtpTransport:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    timeout: float = 10.0

    @classmethod
    def from_url(cls, url: str) -> SmtpTransport:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:password@host:587 (or smtps://)")
        tls = parts.scheme == "smtps"
        return cls(
            hostname=parts.hostname,
            port=parts.port or (465 if tls else 587),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=tls,
        )

    async def send(self, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            timeout=self.timeout,
        )

    def describe(self) -> str:
        return f"SMTP {self.hostname}:{self.port}"


class Mailer:
    """The queue, its worker and the sweep (started with the app, stopped at shutdown).
    Without a transport (no ``SMTP_URL``) notifications are recorded as skipped."""

    def __init__(
        self,
        transport: MailTransport | None,
        *,
        sender: str,
        attempts: int = 4,
        retry_seconds: float = 0.5,
    ) -> None:
        self.transport = transport
        self.sender = sender
        self.attempts = attempts
        self.retry_seconds = retry_seconds
        self.database: Database | None = None
        self._queue: asyncio.Queue[uuid.UUID] = asyncio.Queue()

    @property
    def enabled(self) -> bool:
        return self.transport is not None

    def send_after_commit(self, session: AsyncSession, notification_id: uuid.UUID) -> None:
        """Queue the notification once (and only if) the session's transaction commits."""

        def committed(_session: object) -> None:
            self._queue.put_nowait(notification_id)

        event.listen(session.sync_session, "after_commit", committed, once=True)

    async def start(self, app: FastAPI) -> None:
        """The app's ``on_startup`` hook: the worker and the sweep run until shutdown."""
        self.database = app.state.database
        if self.transport is None:
            logger.warning("no SMTP_URL: booking notifications are recorded as skipped")
            return
        app.state.event_tasks.append(asyncio.create_task(self.run(), name="bookings-mailer"))
        app.state.event_tasks.append(asyncio.create_task(self.sweep(), name="bookings-mail-sweep"))
        logger.info("booking notifications go to %s", self.transport.describe())

    async def run(self) -> None:
        while True:
            notification_id = await self._queue.get()
            try:
                await self.deliver(notification_id)
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup: the sweep tries again later
                logger.exception("notification %s not delivered", notification_id)
            finally:
                self._queue.task_done()

    async def sweep(self) -> None:
        while True:
            try:
                for notification_id in await self._stranded():
                    self._queue.put_nowait(notification_id)
            except Exception as exc:  # the database is away: the next sweep tries again
                logger.warning("the notification sweep failed: %r", exc)
            await asyncio.sleep(SWEEP_SECONDS)

    async def drain(self) -> None:
        """Wait until every queued notification was handled (tests, shutdown)."""
        await self._queue.join()

    async def _stranded(self) -> list[uuid.UUID]:
        async with self._session() as session:
            return await NotificationRepository(session).stranded(older_than=STRANDED_AFTER)

    async def deliver(self, notification_id: uuid.UUID) -> None:
        async with self._session() as session:
            notification = await NotificationRepository(session).claim(
                notification_id, stale_after=STRANDED_AFTER
            )
        if notification is None or self.transport is None:
            return  # sent by another worker, or not ours to send
        message = self._message(notification)
        attempts, error = 0, None
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.attempts),
                wait=wait_exponential(multiplier=self.retry_seconds, max=30),
                reraise=True,
            ):
                with attempt:
                    attempts += 1
                    await self.transport.send(message)
            status = Delivery.sent
        except Exception as exc:
            status, error = Delivery.failed, repr(exc)[:2000]
            logger.error(
                "notification %s to %s not sent after %d attempts via %s: %s",
                notification.id,
                notification.recipient,
                attempts,
                self.transport.describe(),
                error,
            )
        async with self._session() as session:
            await NotificationRepository(session).outcome(
                notification.id, status=status, attempts=attempts, error=error
            )

    def _message(self, notification: Notification) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = notification.recipient
        message["Subject"] = notification.subject
        message["X-Shopfloor-Booking"] = str(notification.booking_id)
        message.set_content(notification.text_body)
        message.add_alternative(notification.html_body, subtype="html")
        return message

    def _session(self) -> contextlib.AbstractAsyncContextManager[AsyncSession]:
        if self.database is None:
            raise RuntimeError("the mailer was not started with the app")
        return self.database.session()
