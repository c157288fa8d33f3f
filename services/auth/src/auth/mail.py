"""Sending auth's mail (password resets): after the commit, in the background, with retries.

Where it goes: ``SMTP_URL`` (``smtp://user:password@host:587`` with STARTTLS when
the server offers it, ``smtps://…:465`` for TLS from the start) through
aiosmtplib; otherwise, in development, one ``.eml`` file per message in
``MAIL_DIR`` (default ``var/mail``; the local runner sets ``<data dir>/mail``).

A message is queued only when the transaction that decided to send it commits
(``send_after_commit``), and a worker task sends it, so a request answers the
same whether or not a mail goes out (forgot-password must not tell an address
that has an account from one that has none, not even by its timing). A message
that still fails after the retries is logged (recipient and subject, never the
body) and dropped: the person can ask again. Mail does not survive a crash of
the process in the moments before it is sent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from tenacity import AsyncRetrying, stop_after_attempt, wait_exponential

from auth.config import AuthSettings

logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class DirectoryTransport:
    """Development: each message a ``.eml`` file (readable only by us: it holds reset tokens)."""

    directory: Path

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._write, message)

    def _write(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(message.as_bytes())

    def describe(self) -> str:
        return f"files in {self.directory}"


class Mailer:
    """The queue and its worker (started with the app, stopped at shutdown)."""

    def __init__(self, transport: MailTransport, *, sender: str, attempts: int = 4) -> None:
        self.transport = transport
        self.sender = sender
        self.attempts = attempts
        self._queue: asyncio.Queue[EmailMessage] = asyncio.Queue()
        self.sent = 0
        self.failed = 0

    def compose(self, *, to: str, subject: str, text: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(text)
        return message

    def send_after_commit(self, session: AsyncSession, message: EmailMessage) -> None:
        """Queue ``message`` once (and only if) the session's transaction commits."""

        def committed(_session: object) -> None:
            self._queue.put_nowait(message)

        event.listen(session.sync_session, "after_commit", committed, once=True)

    async def run(self) -> None:
        while True:
            message = await self._queue.get()
            try:
                await self._deliver(message)
            finally:
                self._queue.task_done()

    async def _deliver(self, message: EmailMessage) -> None:
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.attempts),
                wait=wait_exponential(multiplier=0.5, max=10),
                reraise=True,
            ):
                with attempt:
                    await self.transport.send(message)
            self.sent += 1
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.failed += 1
            logger.error(
                "mail to %s (%s) not sent after %d attempts via %s: %r",
                message["To"],
                message["Subject"],
                self.attempts,
                self.transport.describe(),
                exc,
            )

    async def drain(self) -> None:
        """Wait until every queued message was handled (tests, shutdown)."""
        await self._queue.join()

    async def start(self, app: FastAPI) -> None:
        """The app's ``on_startup`` hook: run the worker until shutdown stops the app's tasks."""
        app.state.event_tasks.append(asyncio.create_task(self.run(), name="auth-mailer"))
        logger.info("auth mail goes to %s", self.transport.describe())


def transport_from(settings: AuthSettings) -> MailTransport:
    if settings.smtp_url is not None:
        return SmtpTransport.from_url(settings.smtp_url.get_secret_value())
    return DirectoryTransport(settings.mail_directory)
