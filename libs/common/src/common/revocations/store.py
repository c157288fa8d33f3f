"""Reading and writing the revocation read-model (tables in ``tables.py``).

Writers (the consumer of auth's events) take one transaction-level advisory lock
first: with every write serialised, versions commit in the order they were
taken, so a reader that has seen version *v* never misses a row committed later
with a smaller one. Each writing transaction ends with a ``NOTIFY`` on
``NOTIFY_CHANNEL``, delivered at its commit to every process of the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.revocations.tables import RevocationTables

NOTIFY_CHANNEL = "shopfloor_revocations"
# The pg_advisory_xact_lock key of the writers: any constant, the same in every process.
_LOCK_KEY = 0x5EF1_0C0A_7E5D_0001
# A time before any event: the ``changed_at`` of a user first seen by a not-before instant.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
# Revoked ids are forgotten this long after their tokens expired (verification refuses them).
_EXPIRED_KEPT = timedelta(minutes=1)


@dataclass(frozen=True)
class UserStanding:
    user_id: str
    is_active: bool
    tokens_valid_after: float | None  # epoch seconds


@dataclass(frozen=True)
class Changes:
    """What changed after a version: enough for a snapshot to catch up."""

    version: int
    users: list[UserStanding] = field(default_factory=list)
    tokens: dict[str, float] = field(default_factory=dict)  # id → expiry, epoch seconds
    as_of: float | None = None  # the newest auth event consumed, epoch seconds


def _epoch(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


class RevocationStore:
    def __init__(self, tables: RevocationTables) -> None:
        self.tables = tables

    # writes: call ``lock`` first in the transaction, ``consumed`` last

    async def lock(self, session: AsyncSession) -> None:
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})

    async def record_user(
        self, session: AsyncSession, user_id: str, *, is_active: bool, at: datetime
    ) -> None:
        """The user exists and is (in)active as of ``at``; an older event changes nothing."""
        users = self.tables.users
        statement = insert(users).values(
            user_id=user_id,
            is_active=is_active,
            changed_at=at,
            version=self.tables.version.next_value(),
        )
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[users.c.user_id],
                set_={
                    "is_active": statement.excluded.is_active,
                    "changed_at": statement.excluded.changed_at,
                    "version": statement.excluded.version,
                },
                where=users.c.changed_at <= statement.excluded.changed_at,
            )
        )

    async def invalidate_tokens(
        self, session: AsyncSession, user_id: str, *, not_before: datetime
    ) -> None:
        """Tokens of ``user_id`` issued before ``not_before`` no longer count (the later wins)."""
        users = self.tables.users
        statement = insert(users).values(
            user_id=user_id,
            is_active=True,
            tokens_valid_after=not_before,
            changed_at=NEVER,  # any user event, however old, still applies to this row
            version=self.tables.version.next_value(),
        )
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[users.c.user_id],
                set_={
                    "tokens_valid_after": func.greatest(
                        users.c.tokens_valid_after, statement.excluded.tokens_valid_after
                    ),
                    "version": statement.excluded.version,
                },
            )
        )

    async def revoke_tokens(
        self, session: AsyncSession, tokens: Sequence[tuple[str, datetime]]
    ) -> None:
        """Refuse these token ids (jti or session id) until their expiry."""
        table = self.tables.tokens
        for token_id, expires_at in tokens:
            statement = insert(table).values(
                token_id=token_id, expires_at=expires_at, version=self.tables.version.next_value()
            )
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[table.c.token_id],
                    set_={
                        "expires_at": func.greatest(
                            table.c.expires_at, statement.excluded.expires_at
                        ),
                        "version": statement.excluded.version,
                    },
                )
            )
        await session.execute(delete(table).where(table.c.expires_at < func.now() - _EXPIRED_KEPT))

    async def consumed(self, session: AsyncSession, at: datetime) -> None:
        """An auth event of time ``at`` was consumed; wake every process at commit."""
        state = self.tables.state
        statement = insert(state).values(
            id=1, last_event_at=at, version=self.tables.version.next_value()
        )
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[state.c.id],
                set_={
                    "last_event_at": func.greatest(
                        state.c.last_event_at, statement.excluded.last_event_at
                    ),
                    "version": statement.excluded.version,
                },
            )
        )
        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})

    # reads

    async def changes(self, session: AsyncSession, since: int) -> Changes:
        """Every row written after version ``since`` (0: everything), unexpired tokens only.

        The state row is read first, and the version returned is never above its: each
        writing transaction takes its state version last, under the lock, so every row
        of a version up to it was committed before it — the rows read after it hold them
        all. A row read with a higher version (a transaction that committed between these
        statements, which READ COMMITTED shows to the later ones only) is applied and read
        again next time; taking its version instead would skip the rows of that same
        transaction an earlier statement did not see (a user missing from the snapshot
        for good, then refused as unknown)."""
        users, tokens, state = self.tables.users, self.tables.tokens, self.tables.state
        state_row = (await session.execute(select(state.c.last_event_at, state.c.version))).first()
        user_rows = (
            await session.execute(
                select(
                    users.c.user_id, users.c.is_active, users.c.tokens_valid_after, users.c.version
                ).where(users.c.version > since)
            )
        ).all()
        token_rows = (
            await session.execute(
                select(tokens.c.token_id, tokens.c.expires_at, tokens.c.version).where(
                    tokens.c.version > since, tokens.c.expires_at > func.now()
                )
            )
        ).all()
        return Changes(
            version=max(since, state_row.version if state_row is not None else since),
            users=[
                UserStanding(row.user_id, row.is_active, _epoch(row.tokens_valid_after))
                for row in user_rows
            ],
            tokens={row.token_id: row.expires_at.timestamp() for row in token_rows},
            as_of=_epoch(state_row.last_event_at) if state_row is not None else None,
        )
