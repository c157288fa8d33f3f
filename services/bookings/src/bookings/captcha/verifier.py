"""The captcha interface the booking intake relies on, whichever provider answers it.

A verifier says yes by returning, and no by raising ``CaptchaRefused`` with what the client
should be told (missing, wrong, expired, already used); ``CaptchaUnavailable`` when the
provider could not be asked (the client may try again; nothing was stored).
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import DomainError


class CaptchaRefused(Exception):
    """The token does not prove a solved captcha; the message is safe to show."""


class CaptchaUnavailable(DomainError):
    """The captcha provider did not answer: 503, try again."""

    status_code = 503


class CaptchaVerifier(Protocol):
    name: str

    def challenge(self) -> dict[str, Any] | None:
        """A challenge for the client to solve, or None when the provider's widget gets its
        own (Turnstile, hCaptcha)."""
        ...

    async def verify(self, session: AsyncSession, token: str, *, remote_ip: str | None) -> None:
        """Accept ``token`` once, or raise ``CaptchaRefused`` / ``CaptchaUnavailable``. The
        session is the request's: what the verifier records commits with the booking."""
        ...
