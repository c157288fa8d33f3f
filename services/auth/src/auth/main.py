"""create_app for auth: common's factory + auth's routers, signing key, throttle and token checks."""

from __future__ import annotations

from fastapi import FastAPI

from auth import __version__
from auth.accounts.router import routers as account_routers
from auth.config import AuthSettings, get_settings
from auth.events.contracts import PUBLISHED
from auth.keys import load_signing_key
from auth.mail import Mailer, transport_from
from auth.models import EVENT_TABLES
from auth.passwords.router import router as passwords_router
from auth.service_tokens.router import router as service_tokens_router
from auth.sessions.issuer import TokenIssuer
from auth.sessions.router import router as sessions_router
from auth.sessions.standing import check_caller, open_reader
from auth.throttle import Throttle
from common.app import create_app

DESCRIPTION = """Accounts, staff and customers; login with EdDSA-signed JWTs.

Access tokens are short-lived; refresh tokens rotate on every use and a reused
one ends its whole login. Every other service verifies tokens itself with the
keys published at `/api/auth/jwks`."""


def build_app(settings: AuthSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    signing_key = load_signing_key(settings)
    mailer = Mailer(transport_from(settings), sender=settings.mail_from)
    app = create_app(
        settings=settings,
        title="Shopfloor auth",
        version=__version__,
        description=DESCRIPTION,
        routers=[sessions_router, passwords_router, service_tokens_router, *account_routers],
        event_tables=EVENT_TABLES,
        published=PUBLISHED,
        key_store=signing_key.key_store(),
        principal_check=check_caller,
        on_startup=[open_reader, mailer.start],
    )
    app.state.signing_key = signing_key
    app.state.issuer = TokenIssuer(signing_key, settings)
    app.state.throttle = Throttle(settings.rate_limit_storage_uri)
    app.state.mailer = mailer
    return app


def __getattr__(name: str) -> FastAPI:
    """``auth.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
