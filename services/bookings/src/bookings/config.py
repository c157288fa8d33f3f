"""The bookings service's settings: captcha, throttles, manage links, notifications, slots."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator

from common.config import DEV_SECRET_MARKERS, ServiceSettings

DEV_ALTCHA_KEY = "dev-altcha-hmac-key"
DEV_MANAGE_SECRET = "dev-bookings-manage-link-secret"


class CaptchaProvider(StrEnum):
    altcha = "altcha"  # self-hosted proof of work: works with no internet (the default)
    turnstile = "turnstile"  # Cloudflare's site-verify
    hcaptcha = "hcaptcha"


class BookingsSettings(ServiceSettings):
    DEV_SECRETS: ClassVar[tuple[str, ...]] = ("manage_token_secret",)

    service_name: str = "bookings"

    # Captcha: ALTCHA challenges signed with ALTCHA_HMAC_KEY, or a site-verify provider.
    captcha_provider: CaptchaProvider = CaptchaProvider.altcha
    altcha_hmac_key: SecretStr = SecretStr(DEV_ALTCHA_KEY)
    altcha_max_number: int = Field(default=100_000, ge=10, le=10_000_000)
    altcha_challenge_seconds: int = Field(default=600, ge=10, le=86_400)
    captcha_secret: SecretStr | None = None  # Turnstile / hCaptcha secret key
    captcha_verify_url: str | None = None  # default: the provider's own site-verify URL
    captcha_timeout_seconds: float = Field(default=5.0, gt=0, le=60)

    # Throttles (``limits`` rate strings), per client address and per email / phone.
    booking_rate_per_ip: str = "10/hour"
    booking_rate_per_sender: str = "3/day"
    contact_rate_per_ip: str = "10/hour"
    contact_rate_per_sender: str = "5/day"
    schedule_call_rate_per_ip: str = "10/hour"
    schedule_call_rate_per_sender: str = "3/day"
    response_rate_per_ip: str = "60/hour"
    rate_limit_storage_uri: str = "memory://"

    # The customer's manage link: signed token, its lifetime, how late a customer may cancel.
    manage_token_secret: SecretStr = SecretStr(DEV_MANAGE_SECRET)
    manage_token_days: int = Field(default=90, ge=1, le=3650)
    manage_url: str | None = None  # e.g. https://shop.example/bookings/manage?token={token}
    customer_cancel_cutoff_hours: int = Field(default=24, ge=0, le=24 * 30)

    # Notifications: SMTP_URL, else recorded as skipped (and logged).
    smtp_url: SecretStr | None = None
    mail_from: str = "Shopfloor bookings <bookings@shopfloor.local>"
    mail_attempts: int = Field(default=4, ge=1, le=10)
    mail_retry_seconds: float = Field(default=0.5, gt=0, le=60)

    # Slots: where a booking without a store lives, and how far ahead one may book.
    default_time_zone: str = "UTC"
    booking_horizon_days: int = Field(default=180, ge=1, le=3650)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")

    @field_validator(
        "smtp_url", "captcha_secret", "captcha_verify_url", "manage_url", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``SMTP_URL=`` (a compose file passing an unset variable on) means no SMTP."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("default_time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"DEFAULT_TIME_ZONE {value!r} is not an IANA time zone") from exc
        return value

    @model_validator(mode="after")
    def _captcha_configured(self) -> BookingsSettings:
        if self.smtp_url is not None:
            scheme = self.smtp_url.get_secret_value().split("://", 1)[0]
            if scheme not in ("smtp", "smtps"):
                raise ValueError(
                    "SMTP_URL must look like smtp://user:password@host:587 (or smtps://)"
                )
        if self.captcha_provider != CaptchaProvider.altcha and self.captcha_secret is None:
            raise ValueError(f"CAPTCHA_PROVIDER={self.captcha_provider} needs CAPTCHA_SECRET")
        if self.is_development or self.captcha_provider != CaptchaProvider.altcha:
            return self
        key = self.altcha_hmac_key.get_secret_value()
        if len(key) < 40 and any(marker in key.lower() for marker in DEV_SECRET_MARKERS):
            raise ValueError(
                "ALTCHA_HMAC_KEY looks like a development default: set a random key of 40+ "
                "characters outside development"
            )
        return self


@lru_cache
def get_settings() -> BookingsSettings:
    return BookingsSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
