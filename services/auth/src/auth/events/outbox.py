"""Auth's outbox (checked against ``auth.events.contracts``) and the helpers its domains
publish through."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.events.contracts import PUBLISHED, SessionsEnded
from auth.models import EVENT_TABLES, User
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="auth", contracts=PUBLISHED)

USER_REGISTERED = "auth.user.registered"
USER_CREATED = "auth.user.created"
USER_UPDATED = "auth.user.updated"
USER_DEACTIVATED = "auth.user.deactivated"
TOKENS_INVALIDATED = "auth.user.tokens_invalidated"
SESSION_REVOKED = "auth.session.revoked"
SESSION_STARTED = "auth.session.started"
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


async def publish_session_started(
    session: AsyncSession, user: User, session_id: uuid.UUID, expires_at: datetime
) -> None:
    await outbox.add(
        session,
        SESSION_STARTED,
        {
            "user_id": str(user.id),
            "session_id": str(session_id),
            "role": user.role,
            "expires_at": expires_at.isoformat(),
        },
        actor=str(user.id),
    )
