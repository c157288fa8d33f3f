"""Bookings' settings refuse what is only safe on a developer's machine, and say which."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bookings.config import BookingsSettings

BASE = {"database_url": "postgresql://u@127.0.0.1/db", "jwt_public_keys": "k"}
STRONG = "f" * 48


def test_production_refuses_the_development_manage_secret() -> None:
    with pytest.raises(
        ValidationError, match="MANAGE_TOKEN_SECRET looks like a development default"
    ):
        BookingsSettings(**BASE, shopfloor_env="production", altcha_hmac_key=STRONG)


def test_production_refuses_the_development_altcha_key() -> None:
    with pytest.raises(ValidationError, match="ALTCHA_HMAC_KEY looks like a development default"):
        BookingsSettings(**BASE, shopfloor_env="production", manage_token_secret=STRONG)
    settings = BookingsSettings(
        **BASE, shopfloor_env="production", manage_token_secret=STRONG, altcha_hmac_key=STRONG
    )
    assert settings.captcha_provider == "altcha"


def test_a_site_verify_provider_needs_its_secret_and_smtp_needs_a_smtp_url() -> None:
    with pytest.raises(ValidationError, match="CAPTCHA_PROVIDER=turnstile needs CAPTCHA_SECRET"):
        BookingsSettings(**BASE, captcha_provider="turnstile")
    with pytest.raises(ValidationError, match="SMTP_URL must look like"):
        BookingsSettings(**BASE, smtp_url="http://mail.example.com")
    assert BookingsSettings(**BASE, smtp_url="").smtp_url is None  # SMTP_URL= means none
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        BookingsSettings(**BASE, default_time_zone="Mars/Olympus")
