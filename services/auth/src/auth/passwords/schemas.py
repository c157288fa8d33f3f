"""Bodies of the password flows."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class ChangePasswordIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"old_password": "the old one", "new_password": "a new long passphrase"}
        },
    )
    old_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=128)


class ForgotPasswordIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"email": "maria@store.example"}}
    )
    email: EmailStr


class ForgotPasswordOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "detail": "If an account exists for this email, reset instructions have been sent.",
                "reset_token": None,
            }
        }
    )
    detail: str
    reset_token: str | None = Field(
        default=None,
        description="Always null, except in development with AUTH_EXPOSE_RESET_TOKEN=true; "
        "the token is mailed to the account's address",
    )


class ResetPasswordIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"token": "q8Zt...", "new_password": "a new long passphrase"}
        },
    )
    token: str = Field(max_length=256)
    new_password: str = Field(max_length=128)
