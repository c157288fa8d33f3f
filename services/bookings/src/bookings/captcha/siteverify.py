"""Cloudflare Turnstile and hCaptcha: the token is checked by the provider's site-verify API.

Both take a form POST of ``secret``, ``response`` (the token) and ``remoteip`` and answer
``{"success": bool, "error-codes": [...]}``; both refuse a token the second time
(``timeout-or-duplicate`` / ``invalid-or-already-seen-response``), so replays are theirs to
catch. The call has a timeout and is retried (tenacity) only when no answer came; Turnstile
gets an ``idempotency_key`` so a retry of a request it did receive is not a "duplicate".
``CAPTCHA_VERIFY_URL`` replaces the provider's URL (a proxy, or a stub in tests).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from bookings.captcha.verifier import CaptchaRefused, CaptchaUnavailable

logger = logging.getLogger(__name__)

TURNSTILE_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify"
HCAPTCHA_URL = "https://api.hcaptcha.com/siteverify"
EXPIRED_CODES = {
    "timeout-or-duplicate",
    "invalid-or-already-seen-response",
    "expired-input-response",
}
MISSING_CODES = {"missing-input-response"}


class SiteVerifyVerifier:
    def __init__(
        self, name: str, *, url: str, secret: str, timeout: float, attempts: int = 3
    ) -> None:
        self.name = name
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.attempts = attempts

    def challenge(self) -> dict[str, Any] | None:
        return None  # the provider's widget fetches its own

    async def verify(self, session: AsyncSession, token: str, *, remote_ip: str | None) -> None:
        form = {"secret": self.secret, "response": token}
        if remote_ip:
            form["remoteip"] = remote_ip
        if self.name == "turnstile":
            form["idempotency_key"] = str(uuid.uuid4())
        answer = await self._ask(form)
        if answer.get("success") is True:
            return
        codes = set(answer.get("error-codes") or [])
        if codes & EXPIRED_CODES:
            raise CaptchaRefused("The captcha has expired or was already used: solve a new one.")
        if codes & MISSING_CODES:
            raise CaptchaRefused("The captcha token is missing.")
        if codes - {"invalid-input-response", "bad-request"}:
            logger.error("%s site-verify refused our request: %s", self.name, sorted(codes))
        raise CaptchaRefused("The captcha solution is wrong: solve a new one.")

    async def _ask(self, form: dict[str, str]) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                async for attempt in AsyncRetrying(
                    stop=stop_after_attempt(self.attempts),
                    wait=wait_exponential(multiplier=0.2, max=2),
                    retry=retry_if_exception_type(httpx.TransportError),
                    reraise=True,
                ):
                    with attempt:
                        response = await client.post(self.url, data=form)
            if response.status_code >= 500:
                raise CaptchaUnavailable(
                    f"The captcha provider answered {response.status_code}: try again."
                )
            answer = response.json()
        except httpx.TransportError as exc:
            logger.warning("%s site-verify unreachable: %r", self.name, exc)
            raise CaptchaUnavailable("The captcha provider did not answer: try again.") from exc
        except ValueError as exc:
            raise CaptchaUnavailable(
                "The captcha provider's answer was not JSON: try again."
            ) from exc
        if not isinstance(answer, dict):
            raise CaptchaUnavailable("The captcha provider's answer was not understood: try again.")
        return answer
