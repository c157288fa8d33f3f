"""ALTCHA, self-hosted proof of work (the default: it needs no internet and no third party).

``GET /api/bookings/captcha`` hands out a challenge signed with ``ALTCHA_HMAC_KEY`` whose
salt carries its expiry (``ALTCHA_CHALLENGE_SECONDS``); the client's widget finds the number
(about ``ALTCHA_MAX_NUMBER`` / 2 SHA-256 hashes) and submits the base64 payload as
``captcha_token``. We check signature, hash and expiry with the ``altcha`` library (its v1
protocol, what the ALTCHA widget speaks by default) and record the challenge as spent in the
request's transaction, so a solution is accepted once.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from altcha.v1 import ChallengeOptions, create_challenge, extract_params, verify_solution
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.captcha.repository import SpentSolutions
from bookings.captcha.verifier import CaptchaRefused


class AltchaVerifier:
    name = "altcha"

    def __init__(self, hmac_key: str, *, max_number: int, lifetime: timedelta) -> None:
        self.hmac_key = hmac_key
        self.max_number = max_number
        self.lifetime = lifetime

    def challenge(self, *, now: datetime | None = None) -> dict[str, Any]:
        created = create_challenge(
            ChallengeOptions(
                hmac_key=self.hmac_key,
                max_number=self.max_number,
                expires=(now or datetime.now(UTC)) + self.lifetime,
            )
        )
        return {
            "algorithm": created.algorithm,
            "challenge": created.challenge,
            "maxnumber": created.max_number,
            "salt": created.salt,
            "signature": created.signature,
        }

    async def verify(self, session: AsyncSession, token: str, *, remote_ip: str | None) -> None:
        payload = _decoded(token)
        expires = _expiry(payload)
        if expires is None:
            raise CaptchaRefused("The captcha is not one of ours: solve a new one.")
        ok, error = verify_solution(payload, self.hmac_key, check_expires=True)  # type: ignore[call-overload]
        if error and "expired" in error.lower():
            raise CaptchaRefused("The captcha has expired: solve a new one.")
        if not ok:
            raise CaptchaRefused("The captcha solution is wrong: solve a new one.")
        spent = SpentSolutions(session)
        if not await spent.spend(str(payload["challenge"]), expires):
            raise CaptchaRefused("This captcha was already used: solve a new one.")
        await spent.forget_expired()


def _decoded(token: str) -> dict[str, Any]:
    try:
        payload = json.loads(base64.b64decode(token, validate=True).decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise CaptchaRefused("The captcha token is malformed: send the widget's payload.") from exc
    if not isinstance(payload, dict) or not all(
        key in payload for key in ("algorithm", "challenge", "number", "salt", "signature")
    ):
        raise CaptchaRefused("The captcha token is malformed: send the widget's payload.")
    if not isinstance(payload["number"], int) or isinstance(payload["number"], bool):
        raise CaptchaRefused("The captcha token is malformed: send the widget's payload.")
    return payload


def _expiry(payload: dict[str, Any]) -> datetime | None:
    """The signed expiry in the salt (our challenges always carry one)."""
    values = extract_params(payload).get("expires")  # type: ignore[arg-type]
    try:
        return datetime.fromtimestamp(int(values[0]), UTC) if values else None
    except (ValueError, OverflowError, OSError):
        return None
