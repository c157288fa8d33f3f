"""What auth publishes (``PUBLISHED``): every payload is checked against its contract by the
outbox, and docs/events.md and docs/asyncapi.yaml are generated from these classes.

Auth consumes nothing. Ending sessions is published so every service refuses the affected
tokens (``common.revocations``): ``auth.session.revoked`` names token ids (an access token's
``jti``, a login's session id) with the time their tokens expire;
``auth.user.tokens_invalidated`` gives a user's not-before instant.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import Field

from common.events.contracts import Published
from common.roles import Role


class SessionsEnded(StrEnum):
    """Why a user's tokens stopped counting (``reason`` of the two revocation events)."""

    logout = "logout"
    refresh_token_reused = "refresh_token_reused"
    password_changed = "password_changed"
    password_reset = "password_reset"
    role_changed = "role_changed"
    stores_removed = "stores_removed"
    deactivated = "deactivated"


class UserChanged(
    Published,
    subjects=(
        "auth.user.registered",
        "auth.user.created",
        "auth.user.updated",
        "auth.user.deactivated",
    ),
):
    """Everything a consumer needs about a user, without calling auth back."""

    user_id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    phone: str
    role: Role
    store_ids: list[str] = Field(description="the stores a member of staff works in")
    is_active: bool
    customer_number: str | None = Field(description="set for customers only")
    changed: list[str] | None = Field(
        default=None, description="auth.user.updated: the fields that changed; else null"
    )


class TokensInvalidated(Published, subjects=("auth.user.tokens_invalidated",)):
    """Every token of the user issued before ``not_before`` stops counting, everywhere."""

    user_id: uuid.UUID
    not_before: datetime
    reason: SessionsEnded


class RevokedToken(Published):
    id: str = Field(description="an access token's jti, or a login's session (family) id")
    expires_at: datetime = Field(description="when the last token it covers expires anyway")


class SessionRevoked(Published, subjects=("auth.session.revoked",)):
    """A login (or one access token) ended: these token ids are refused until they expire."""

    user_id: uuid.UUID
    revoked: list[RevokedToken]
    reason: SessionsEnded


class SessionStarted(Published, subjects=("auth.session.started",)):
    """Someone logged in: a new session (refresh-token family) for the user."""

    user_id: uuid.UUID
    session_id: uuid.UUID = Field(description="the login's session (refresh-token family) id")
    role: Role
    expires_at: datetime = Field(description="when the session's refresh token expires")


class PasswordResetRequested(Published, subjects=("auth.password_reset.requested",)):
    """A reset link was mailed to the user (the token itself is never published)."""

    user_id: uuid.UUID
    email: str
    expires_at: datetime


PUBLISHED: list[type[Published]] = [
    UserChanged,
    TokensInvalidated,
    SessionRevoked,
    SessionStarted,
    PasswordResetRequested,
]
