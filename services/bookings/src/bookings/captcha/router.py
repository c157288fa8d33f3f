"""``GET /api/bookings/captcha``: an ALTCHA challenge for the public booking form."""

from __future__ import annotations

from fastapi import APIRouter, Response

from bookings.captcha.schemas import AltchaChallenge
from bookings.deps import CaptchaGateDep
from common.openapi import described

router = APIRouter(prefix="/api/bookings/captcha", tags=["captcha"])


@router.get(
    "",
    summary="A captcha challenge to solve before booking (ALTCHA proof of work)",
    responses=described(r404="The configured provider (Turnstile, hCaptcha) has its own widget"),
)
async def get_challenge(gate: CaptchaGateDep, response: Response) -> AltchaChallenge:
    response.headers["Cache-Control"] = "no-store"
    return AltchaChallenge.model_validate(gate.challenge())
