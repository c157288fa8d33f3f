"""What the booking rules use beside the session, built once with the app: the settings, the
mailer, the manage-link signer, the throttles and the captcha verifier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bookings.captcha.service import verifier_from
from bookings.captcha.verifier import CaptchaVerifier
from bookings.config import BookingsSettings
from bookings.links.tokens import ManageTokens
from bookings.notifications.mailer import Mailer, SmtpTransport
from bookings.throttles.service import Rates, Scope, Throttle


@dataclass(frozen=True)
class Toolkit:
    settings: BookingsSettings
    mailer: Mailer
    tokens: ManageTokens
    throttle: Throttle
    captcha: CaptchaVerifier

    @classmethod
    def from_settings(cls, settings: BookingsSettings) -> Toolkit:
        smtp = settings.smtp_url.get_secret_value() if settings.smtp_url else None
        return cls(
            settings=settings,
            mailer=Mailer(
                SmtpTransport.from_url(smtp) if smtp else None,
                sender=settings.mail_from,
                attempts=settings.mail_attempts,
                retry_seconds=settings.mail_retry_seconds,
            ),
            tokens=ManageTokens(
                settings.manage_token_secret.get_secret_value(),
                lifetime=timedelta(days=settings.manage_token_days),
            ),
            throttle=Throttle(
                settings.rate_limit_storage_uri,
                {
                    Scope.booking: Rates(
                        settings.booking_rate_per_ip, settings.booking_rate_per_sender
                    ),
                    Scope.contact: Rates(
                        settings.contact_rate_per_ip, settings.contact_rate_per_sender
                    ),
                    Scope.schedule_call: Rates(
                        settings.schedule_call_rate_per_ip, settings.schedule_call_rate_per_sender
                    ),
                    Scope.response: Rates(settings.response_rate_per_ip),
                },
            ),
            captcha=verifier_from(settings),
        )
