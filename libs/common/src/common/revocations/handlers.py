"""Auth's events as the revocation read-model reads them (its own trimmed copies), and the handler.

One subscription on ``auth.>``: a single durable consumer sees auth's events in
the order auth published them, which the unknown-user rule relies on (see
``snapshot.py``). Every event moves the read-model's "as of" instant.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription
from common.events.contracts import Consumed, parse
from common.events.envelope import Envelope
from common.revocations.store import RevocationStore

USER_EVENTS = frozenset(
    {"auth.user.registered", "auth.user.created", "auth.user.updated", "auth.user.deactivated"}
)
TOKENS_INVALIDATED = "auth.user.tokens_invalidated"
SESSION_REVOKED = "auth.session.revoked"


class UserChanged(Consumed):
    user_id: str
    is_active: bool


class TokensInvalidated(Consumed):
    user_id: str
    not_before: datetime


class RevokedToken(Consumed):
    id: str
    expires_at: datetime


class SessionRevoked(Consumed):
    user_id: str
    revoked: list[RevokedToken]


def revocation_subscriptions(store: RevocationStore) -> list[Subscription[Any]]:
    """One handler for every auth event: each subject's payload is checked against its own
    copy above (a payload that does not match is dead-lettered at once, naming the field)."""

    async def auth_event(session: AsyncSession, event: Envelope) -> None:
        await store.lock(session)
        if event.type in USER_EVENTS:
            user = parse(UserChanged, event.type, event.data)
            await store.record_user(session, user.user_id, is_active=user.is_active, at=event.time)
        elif event.type == TOKENS_INVALIDATED:
            invalidated = parse(TokensInvalidated, event.type, event.data)
            await store.invalidate_tokens(
                session, invalidated.user_id, not_before=invalidated.not_before
            )
        elif event.type == SESSION_REVOKED:
            revoked = parse(SessionRevoked, event.type, event.data)
            await store.revoke_tokens(
                session, [(token.id, token.expires_at) for token in revoked.revoked]
            )
        await store.consumed(session, event.time)

    return [Subscription(name="revocations", subject="auth.>", handler=auth_event)]
