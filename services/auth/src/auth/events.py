"""What auth publishes (documented in docs/events.md). Auth consumes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.models import EVENT_TABLES, User
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="auth")

USER_REGISTERED = "auth.user.registered"
USER_CREATED = "auth.user.created"
USER_UPDATED = "auth.user.updated"
USER_DEACTIVATED = "auth.user.deactivated"
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
