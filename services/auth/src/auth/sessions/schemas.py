"""Bodies of login, refresh, verify and logout."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from auth.accounts.schemas import USER_EXAMPLE, UserOut


class LoginIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"email": "maria@store.example", "password": "a long passphrase"}
        },
    )
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class TokenPairOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"access": "eyJhbGciOiJFZERTQSIs...", "refresh": "eyJhbGciOiJFZERTQSIs..."}
        }
    )
    access: str
    refresh: str


class LoginOut(TokenPairOut):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "access": "eyJhbGciOiJFZERTQSIs...",
                "refresh": "eyJhbGciOiJFZERTQSIs...",
                "user": USER_EXAMPLE,
            }
        }
    )
    user: UserOut


class AccessOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"access": "eyJhbGciOiJFZERTQSIs..."}})
    access: str


class RefreshIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"refresh": "eyJhbGciOiJFZERTQSIs..."}}
    )
    refresh: str | None = Field(
        default=None,
        description="The refresh token from login; on logout, omit it to end the login of the "
        "httpOnly refresh cookie",
    )


class VerifyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"token": "eyJhbGciOiJFZERTQSIs..."}}
    )
    token: str


class VerifyOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"detail": "Token is valid.", "token_type": "access"}}
    )
    detail: str
    token_type: str


class DetailOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"detail": "Logged out."}})
    detail: str
