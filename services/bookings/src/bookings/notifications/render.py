"""Booking emails from templates (``templates/booking.txt`` and ``booking.html``, Jinja2).

The HTML part is autoescaped: a customer's name or a reason holding ``<script>`` arrives as
text, never as markup. The subject is ours alone (no customer text in a header)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bookings.notifications.schemas import BookingMail


@dataclass(frozen=True)
class Wording:
    subject: str
    text: str


WORDING = {
    "pending": Wording(
        "We received your repair booking",
        "We received your booking request. We will confirm it shortly.",
    ),
    "approved": Wording(
        "Your repair booking is confirmed", "Your booking is confirmed. See you then!"
    ),
    "rejected": Wording(
        "We cannot take your repair booking", "We are sorry: we cannot take this booking."
    ),
    "cancelled": Wording("Your repair booking is cancelled", "Your booking has been cancelled."),
    "in_progress": Wording("We are working on your repair", "Your repair is in progress."),
    "completed": Wording(
        "Your repair is done", "Your repair is complete: you can collect your device."
    ),
    "paid": Wording("Thank you for your payment", "We received your payment. Thank you!"),
}

_environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(mail: BookingMail) -> Rendered:
    words = WORDING[mail.status]
    context = {"mail": mail, "words": words, "reference": str(mail.booking_id)[:8].upper()}
    return Rendered(
        subject=words.subject,
        text=_environment.get_template("booking.txt").render(context),
        html=_environment.get_template("booking.html").render(context),
    )
