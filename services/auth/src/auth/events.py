"""What auth publishes (documented in docs/events.md). Auth consumes nothing.

Ending sessions is published too, so every service refuses the affected tokens
(``common.revocations``): ``auth.session.revoked`` names token ids (an access
token's ``jti``, a login's session id) with the time their tokens expire;
``auth.user.tokens_invalidated`` gives a user's not-before instant.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.models import EVENT_TABLES, User
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="auth")

USER_REGISTERED = "auth.user.registered"
USER_CREATED = "auth.user.created"
USER_UPDATED = "auth.user.updated"
USER_DEACTIVATED = "auth.user.deactivated"
TOKENS_INVALIDATED = "auth.user.tokens_invalidated"
SESSION_REVOKED = "auth.session.revoked"
PASSWORD_RESET_REQUESTED = "auth.password_reset.requested"


def user_payload(user: User) -> dict[str, Any]:
    """Everything a consumer needs about a user, without calling auth back."""
    return {
        "user_id": str(user.id),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "role": user.role,
        "store_ids": list(user.store_ids or []),
        "is_active": user.is_active,
        "customer_number": user.customer_profile.customer_number if user.customer_profile else None,
    }


async def publish_user(
    session: AsyncSession, subject: str, user: User, actor: str | None, **extra: Any
) -> None:
    await outbox.add(session, subject, {**user_payload(user), **extra}, actor=actor)


class SessionsEnded(StrEnum):
    """Why a user's tokens stopped counting (``reason`` of the two revocation events)."""

    logout = "logout"
    refresh_token_reused = "refresh_token_reused"
    password_changed = "password_changed"
    password_reset = "password_reset"
    role_changed = "role_changed"
    stores_removed = "stores_removed"
    deactivated = "deactivated"


async def publish_tokens_invalidated(
    session: AsyncSession,
    user_id: uuid.UUID,
    not_before: datetime,
    reason: SessionsEnded,
    actor: str | None,
) -> None:
    await outbox.add(
        session,
        TOKENS_INVALIDATED,
        {"user_id": str(user_id), "not_before": not_before.isoformat(), "reason": reason.value},
        actor=actor,
    )


async def publish_session_revoked(
    session: AsyncSession,
    user_id: uuid.UUID,
    revoked: Sequence[tuple[str, datetime]],
    reason: SessionsEnded,
    actor: str | None,
) -> None:
    """``revoked``: (token id, the latest expiry of a token it covers) pairs."""
    await outbox.add(
        session,
        SESSION_REVOKED,
        {
            "user_id": str(user_id),
            "revoked": [
                {"id": token_id, "expires_at": expires_at.isoformat()}
                for token_id, expires_at in revoked
            ],
            "reason": reason.value,
        },
        actor=actor,
    )
