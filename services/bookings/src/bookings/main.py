"""create_app for bookings: its routers, the events it publishes and the ones it consumes."""

from __future__ import annotations

from fastapi import FastAPI

from bookings import __version__
from bookings.bookings.router import manage as manage_router
from bookings.bookings.router import router as bookings_router
from bookings.bookings.toolkit import Toolkit
from bookings.captcha.router import router as captcha_router
from bookings.config import BookingsSettings, get_settings
from bookings.events.contracts import PUBLISHED
from bookings.events.handlers import subscriptions
from bookings.issues.router import routers as issue_routers
from bookings.leads.router import router as leads_router
from bookings.models import EVENT_TABLES, REVOKED_USERS
from bookings.questions.router import router as questions_router
from bookings.responses.router import router as responses_router
from bookings.stores.router import router as stores_router
from common.app import create_app

DESCRIPTION = """Public repair bookings and what follows them.

A customer books without an account: solve the captcha (`GET /api/bookings/captcha`, ALTCHA
proof of work by default), post the booking (throttled per address and per email/phone) and
keep the `manage_token` of the answer to read or cancel it (`X-Manage-Token`). A system admin
moves a booking along the transition table (`allowed_transitions` on each booking); each
change is emailed to the customer. Completing a quoted booking asks invoicing for an invoice
(`bookings.booking.completed`); the invoice paid makes the booking `paid`. Repair issue
presets, "other" issues and versioned questions drive the intake; the contact and
schedule-call forms make marketing leads. Stores come from catalog's `catalog.store.*` events,
customer accounts from auth's `auth.user.*` (read-models; nothing is called on the request path)."""


def build_app(settings: BookingsSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    toolkit = Toolkit.from_settings(settings)
    app = create_app(
        settings=settings,
        title="Shopfloor bookings",
        version=__version__,
        description=DESCRIPTION,
        # Fixed paths before /api/bookings/{booking_id}.
        routers=[
            captcha_router,
            stores_router,
            manage_router,
            bookings_router,
            *issue_routers,
            questions_router,
            responses_router,
            leads_router,
        ],
        event_tables=EVENT_TABLES,
        subscriptions=subscriptions(toolkit),
        published=PUBLISHED,
        revocations=REVOKED_USERS,
        on_startup=[toolkit.mailer.start],
    )
    app.state.toolkit = toolkit
    return app


def __getattr__(name: str) -> FastAPI:
    """``bookings.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
