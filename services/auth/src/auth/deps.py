"""Typed dependencies for auth's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from auth.accounts.service import AccountService
from auth.config import AuthSettings
from auth.passwords.service import PasswordService
from auth.service_tokens.service import ServiceTokenService
from auth.sessions.issuer import TokenIssuer
from auth.sessions.service import LoginService
from auth.throttle import Throttle
from common.db import SessionDep


async def get_settings_dep(request: Request) -> AuthSettings:
    settings: AuthSettings = request.app.state.settings
    return settings


async def get_throttle(request: Request) -> Throttle:
    throttle: Throttle = request.app.state.throttle
    return throttle


async def account_service(session: SessionDep) -> AccountService:
    return AccountService(session)


async def login_service(request: Request, session: SessionDep) -> LoginService:
    issuer: TokenIssuer = request.app.state.issuer
    return LoginService(session, issuer, request.app.state.token_verifier, request.app.state.reader)


async def password_service(request: Request, session: SessionDep) -> PasswordService:
    return PasswordService(session, request.app.state.settings, request.app.state.mailer)


async def service_token_service(request: Request) -> ServiceTokenService:
    return ServiceTokenService(request.app.state.settings, request.app.state.issuer)


SettingsDep = Annotated[AuthSettings, Depends(get_settings_dep)]
ThrottleDep = Annotated[Throttle, Depends(get_throttle)]
AccountServiceDep = Annotated[AccountService, Depends(account_service)]
LoginServiceDep = Annotated[LoginService, Depends(login_service)]
PasswordServiceDep = Annotated[PasswordService, Depends(password_service)]
ServiceTokenServiceDep = Annotated[ServiceTokenService, Depends(service_token_service)]
