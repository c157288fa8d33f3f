"""Routes of seed 002's password flows: change, forgot, reset."""

from __future__ import annotations

from fastapi import APIRouter, Request

from auth.deps import PasswordServiceDep, SettingsDep, ThrottleDep
from auth.passwords.schemas import (
    ChangePasswordIn,
    ForgotPasswordIn,
    ForgotPasswordOut,
    ResetPasswordIn,
)
from auth.sessions.schemas import DetailOut
from auth.throttle import client_address
from common.security import CurrentUser

router = APIRouter(prefix="/api/auth", tags=["passwords"])


@router.post(
    "/change-password",
    summary="Change your password: every session begun before (this one too) ends",
    responses={
        400: {"description": "Old password incorrect"},
        401: {"description": "Not authenticated"},
        422: {"description": "New password breaks a rule"},
    },
)
async def change_password(
    body: ChangePasswordIn, principal: CurrentUser, passwords: PasswordServiceDep
) -> DetailOut:
    await passwords.change(principal, body.old_password, body.new_password)
    return DetailOut(detail="Password changed.")


@router.post(
    "/forgot-password",
    summary="Request a password reset: the token is mailed to the account's address",
    responses={429: {"description": "Too many requests from this address"}},
)
async def forgot_password(
    body: ForgotPasswordIn,
    request: Request,
    passwords: PasswordServiceDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
) -> ForgotPasswordOut:
    await throttle.hit(
        "forgot_password", settings.forgot_password_rate_per_ip, f"ip:{client_address(request)}"
    )
    token = await passwords.forgot(body.email.lower())
    return ForgotPasswordOut(
        detail="If an account exists for this email, reset instructions have been sent.",
        reset_token=token if settings.auth_expose_reset_token else None,
    )


@router.post(
    "/reset-password",
    summary="Set a new password with a reset token",
    responses={
        400: {"description": "Token invalid, expired or used"},
        422: {"description": "New password breaks a rule"},
    },
)
async def reset_password(body: ResetPasswordIn, passwords: PasswordServiceDep) -> DetailOut:
    await passwords.reset(body.token, body.new_password)
    return DetailOut(detail="Password has been reset. Log in with your new password.")
