"""Routes of seed 000 "Authentication & Session" and seed 002 "Auth": login, register, tokens, me, JWKS."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from auth.accounts.schemas import RegisterIn, UserOut
from auth.deps import AccountServiceDep, LoginServiceDep, SettingsDep, ThrottleDep
from auth.sessions.cookies import clear_refresh_cookie, refresh_cookie, set_refresh_cookie
from auth.sessions.schemas import (
    AccessOut,
    DetailOut,
    LoginIn,
    LoginOut,
    RefreshIn,
    TokenPairOut,
    VerifyIn,
    VerifyOut,
)
from auth.sessions.standing import CurrentAccount
from auth.throttle import client_address
from common.security import OptionalUser

UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, invalid, expired or revoked credentials"}
}
CROSS_SITE: dict[int | str, dict[str, Any]] = {
    403: {
        "description": "The refresh cookie came from a page whose origin is neither the "
        "gateway's own nor one of SHOPFLOOR_CORS_ORIGINS (CSRF)"
    }
}
router = APIRouter(tags=["auth"])


@router.post(
    "/api/auth/login",
    summary="Log in: access + refresh tokens, refresh also set as an httpOnly cookie",
    responses={
        **UNAUTHORIZED,
        429: {"description": "Too many attempts (login scope); see Retry-After"},
    },
)
async def login(
    body: LoginIn,
    request: Request,
    response: Response,
    logins: LoginServiceDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
) -> LoginOut:
    await throttle.hit("login", settings.login_rate_per_ip, f"ip:{client_address(request)}")
    await throttle.hit(
        "login", settings.login_rate_per_account, f"account:{body.email.strip().lower()}"
    )
    session = await logins.login(body.email.lower(), body.password)
    set_refresh_cookie(response, settings, session.refresh)
    return LoginOut(
        access=session.access.token,
        refresh=session.refresh.token,
        user=UserOut.model_validate(session.user),
    )


@router.post(
    "/api/auth/register",
    status_code=201,
    summary="Create a customer account (never staff: role/store fields are refused)",
    responses={
        409: {"description": "Email already registered"},
        429: {"description": "Too many sign-ups from this address"},
    },
)
async def register(
    body: RegisterIn,
    request: Request,
    accounts: AccountServiceDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
) -> UserOut:
    await throttle.hit("register", settings.register_rate_per_ip, f"ip:{client_address(request)}")
    return UserOut.model_validate(await accounts.register(body))


@router.post(
    "/api/auth/logout",
    summary="Blacklist the refresh token (body or cookie) and the access token; clear the cookie",
    responses={**UNAUTHORIZED, **CROSS_SITE},
)
async def logout(
    request: Request,
    response: Response,
    logins: LoginServiceDep,
    settings: SettingsDep,
    principal: OptionalUser,
    body: Annotated[RefreshIn | None, Body()] = None,
) -> DetailOut:
    token = body.refresh if body and body.refresh else refresh_cookie(request, settings)
    await logins.logout(token, principal)
    clear_refresh_cookie(response, settings)
    return DetailOut(detail="Logged out.")


@router.get("/api/auth/me", summary="The authenticated user's profile", responses=UNAUTHORIZED)
async def me(account: CurrentAccount) -> UserOut:
    return account


@router.get(
    "/api/auth/jwks",
    summary="Public keys (JWKS) every service verifies tokens with",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "keys": [
                            {
                                "kty": "OKP",
                                "crv": "Ed25519",
                                "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                                "kid": "Ab12Cd34Ef56Gh78",
                                "alg": "EdDSA",
                                "use": "sig",
                            }
                        ]
                    }
                }
            }
        }
    },
)
async def jwks(request: Request, response: Response) -> dict[str, list[dict[str, str]]]:
    response.headers["Cache-Control"] = "public, max-age=300"
    keys: dict[str, list[dict[str, str]]] = request.app.state.signing_key.jwks()
    return keys


@router.post(
    "/api/token/refresh",
    summary="Rotate the refresh token sent in the body: a new access + refresh pair "
    "(the refresh cookie too, as login sets it; the cookie itself is never read here)",
    responses=UNAUTHORIZED,
)
async def token_refresh(
    response: Response,
    logins: LoginServiceDep,
    settings: SettingsDep,
    body: Annotated[RefreshIn | None, Body()] = None,
) -> TokenPairOut:
    session = await logins.refresh(body.refresh if body else None)
    set_refresh_cookie(response, settings, session.refresh)
    return TokenPairOut(access=session.access.token, refresh=session.refresh.token)


@router.post(
    "/api/auth/refresh",
    summary="Cookie flow: rotate the refresh cookie, return a new access token",
    responses={**UNAUTHORIZED, **CROSS_SITE},
)
async def cookie_refresh(
    request: Request, response: Response, logins: LoginServiceDep, settings: SettingsDep
) -> AccessOut:
    session = await logins.refresh(refresh_cookie(request, settings))
    set_refresh_cookie(response, settings, session.refresh)
    return AccessOut(access=session.access.token)


@router.post(
    "/api/token/verify",
    summary="Verify an access or refresh token (signature, expiry, revocation)",
    responses=UNAUTHORIZED,
)
async def token_verify(body: VerifyIn, logins: LoginServiceDep) -> VerifyOut:
    token_type = await logins.verify(body.token)
    return VerifyOut(detail="Token is valid.", token_type=token_type)
