"""The captcha gate of the public booking: the configured verifier, and its verdict as the
400 naming ``captcha_token`` every caller sees (missing, wrong, expired or replayed)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bookings.captcha.altcha import AltchaVerifier
from bookings.captcha.siteverify import HCAPTCHA_URL, TURNSTILE_URL, SiteVerifyVerifier
from bookings.captcha.verifier import CaptchaRefused, CaptchaVerifier
from bookings.config import BookingsSettings, CaptchaProvider
from common.errors import BadRequest, NotFound, field_error

FIELD = "captcha_token"


def verifier_from(settings: BookingsSettings) -> CaptchaVerifier:
    """ALTCHA by default; Turnstile or hCaptcha when ``CAPTCHA_PROVIDER`` says so."""
    if settings.captcha_provider == CaptchaProvider.altcha:
        return AltchaVerifier(
            settings.altcha_hmac_key.get_secret_value(),
            max_number=settings.altcha_max_number,
            lifetime=timedelta(seconds=settings.altcha_challenge_seconds),
        )
    default = (
        TURNSTILE_URL if settings.captcha_provider == CaptchaProvider.turnstile else HCAPTCHA_URL
    )
    secret = settings.captcha_secret.get_secret_value() if settings.captcha_secret else ""
    return SiteVerifyVerifier(
        settings.captcha_provider.value,
        url=settings.captcha_verify_url or default,
        secret=secret,
        timeout=settings.captcha_timeout_seconds,
    )


class CaptchaGate:
    def __init__(self, session: AsyncSession, verifier: CaptchaVerifier) -> None:
        self.session = session
        self.verifier = verifier

    def challenge(self) -> dict[str, Any]:
        challenge = self.verifier.challenge()
        if challenge is None:
            raise NotFound(f"The {self.verifier.name} widget fetches its own challenge.")
        return challenge

    async def check(self, token: str | None, *, remote_ip: str | None) -> None:
        if not token or not token.strip():
            raise field_error(FIELD, "A solved captcha is required.", status=BadRequest)
        try:
            await self.verifier.verify(self.session, token.strip(), remote_ip=remote_ip)
        except CaptchaRefused as exc:
            raise field_error(FIELD, str(exc), status=BadRequest) from exc
