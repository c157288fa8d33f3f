"""Deactivated users are refused by every service, not only by auth.

Each service keeps a small read-model, ``revoked_users``, fed by auth's events:
``auth.user.deactivated`` adds the user, ``auth.user.updated`` with
``is_active: true`` removes them. The app factory wires the subscriptions and a
per-request check (one primary-key lookup), so a deactivated user's still-valid
access token stops working everywhere within moments of the event.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import Database
from common.errors import Unauthenticated
from common.events.consumer import Subscription
from common.events.envelope import Envelope
from common.roles import Principal


def revocation_table(metadata: MetaData) -> Table:
    if "revoked_users" in metadata.tables:
        return metadata.tables["revoked_users"]
    return Table(
        "revoked_users",
        metadata,
        Column("user_id", String(64), primary_key=True),
        Column("revoked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def revocation_subscriptions(table: Table) -> list[Subscription[Any]]:
    async def user_deactivated(session: AsyncSession, event: Envelope) -> None:
        user_id = str(event.data["user_id"])
        await session.execute(insert(table).values(user_id=user_id).on_conflict_do_nothing())

    async def user_updated(session: AsyncSession, event: Envelope) -> None:
        if event.data.get("is_active") is True:
            await session.execute(
                delete(table).where(table.c.user_id == str(event.data["user_id"]))
            )

    return [
        Subscription(
            name="revocations-user-deactivated",
            subject="auth.user.deactivated",
            handler=user_deactivated,
        ),
        Subscription(
            name="revocations-user-updated", subject="auth.user.updated", handler=user_updated
        ),
    ]


async def ensure_not_revoked(database: Database, table: Table, principal: Principal) -> None:
    async with database.session() as session:
        revoked = (
            await session.execute(
                select(table.c.user_id).where(table.c.user_id == principal.user_id)
            )
        ).first()
    if revoked is not None:
        raise Unauthenticated("User is inactive.")
