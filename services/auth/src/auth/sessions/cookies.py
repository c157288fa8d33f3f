"""The httpOnly refresh-token cookie (002's cookie flow): set by login and refresh, read only by
the routes that need it, and only for pages the gateway serves or lists (``auth.origins``).

The cookie is ``HttpOnly`` (no script reads it), ``Secure`` outside development,
``SameSite=Strict`` by default (``REFRESH_COOKIE_SAMESITE``), and scoped to the
two routes that read it: one cookie per path, so the browser attaches it to
``/api/auth/refresh`` and ``/api/auth/logout`` and to no other request.
``/api/token/refresh`` (000's route for programs) reads its token from the body.
"""

from __future__ import annotations

from fastapi import Request, Response

from auth.config import AuthSettings
from auth.origins import from_allowed_page
from auth.sessions.issuer import IssuedToken
from common.errors import PermissionDenied

REFRESH_PATH = "/api/auth/refresh"
LOGOUT_PATH = "/api/auth/logout"
COOKIE_PATHS = (REFRESH_PATH, LOGOUT_PATH)


class CrossSiteCookie(PermissionDenied):
    """The refresh cookie came with a request from a page that may not use it."""

    def __init__(self) -> None:
        super().__init__(
            "The refresh cookie is accepted only from the gateway's own pages and the origins "
            "in SHOPFLOOR_CORS_ORIGINS; this request's Origin (or Referer) is neither."
        )


def set_refresh_cookie(response: Response, settings: AuthSettings, refresh: IssuedToken) -> None:
    for path in COOKIE_PATHS:
        response.set_cookie(
            settings.refresh_cookie_name,
            refresh.token,
            max_age=settings.refresh_token_days * 86400,
            path=path,
            httponly=True,
            secure=settings.cookie_secure,
            samesite=settings.refresh_cookie_samesite,
        )


def clear_refresh_cookie(response: Response, settings: AuthSettings) -> None:
    for path in COOKIE_PATHS:
        response.delete_cookie(
            settings.refresh_cookie_name,
            path=path,
            httponly=True,
            secure=settings.cookie_secure,
            samesite=settings.refresh_cookie_samesite,
        )


def refresh_cookie(request: Request, settings: AuthSettings) -> str | None:
    """The refresh cookie's token, if the request carries one from an allowed page.

    Raises ``CrossSiteCookie`` (403) when the cookie comes from any other page.
    """
    token = request.cookies.get(settings.refresh_cookie_name)
    if token and not from_allowed_page(request, settings.cors_origins):
        raise CrossSiteCookie()
    return token
