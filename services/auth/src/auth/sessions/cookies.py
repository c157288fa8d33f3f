"""The httpOnly refresh-token cookie (002's cookie flow), shared by login, refresh and logout."""

from __future__ import annotations

from fastapi import Request, Response

from auth.config import AuthSettings
from auth.sessions.issuer import IssuedToken

COOKIE_PATH = "/api"


def set_refresh_cookie(response: Response, settings: AuthSettings, refresh: IssuedToken) -> None:
    response.set_cookie(
        settings.refresh_cookie_name,
        refresh.token,
        max_age=settings.refresh_token_days * 86400,
        path=COOKIE_PATH,
        httponly=True,
        secure=settings.cookie_secure,
        samesite=settings.refresh_cookie_samesite,  # type: ignore[arg-type]
    )


def clear_refresh_cookie(response: Response, settings: AuthSettings) -> None:
    response.delete_cookie(
        settings.refresh_cookie_name, path=COOKIE_PATH, httponly=True, secure=settings.cookie_secure
    )


def refresh_from(request: Request, settings: AuthSettings, body_token: str | None) -> str | None:
    return body_token or request.cookies.get(settings.refresh_cookie_name)
