"""The store's safe (seed 002's supplemental drawer): every movement is a row carrying the
balance after it, written under a per-store transaction lock so balances never interleave."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict
from pos.models import SafeTransaction
from pos.money import ZERO


async def lock(session: AsyncSession, store_id: uuid.UUID) -> None:
    """Serialise safe movements of one store until the transaction ends."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('pos-safe'), hashtext(:store))"),
        {"store": str(store_id)},
    )


async def balance(session: AsyncSession, store_id: uuid.UUID) -> Decimal:
    last = await session.scalar(
        select(SafeTransaction.balance_after)
        .where(SafeTransaction.store_id == store_id)
        .order_by(SafeTransaction.id.desc())
        .limit(1)
    )
    return ZERO if last is None else Decimal(last)


async def record(
    session: AsyncSession,
    store_id: uuid.UUID,
    kind: str,
    amount: Decimal,
    actor: str,
    *,
    note: str = "",
    drawer_id: uuid.UUID | None = None,
    bank_transaction_id: uuid.UUID | None = None,
    counted: Decimal | None = None,
) -> SafeTransaction:
    """Add a movement (``amount`` signed: + into the safe). Taking out more than the safe holds
    is refused with 409; an audit (``counted``) sets the balance to the count and keeps the
    variance."""
    await lock(session, store_id)
    before = await balance(session, store_id)
    variance = None
    if counted is not None:
        variance = counted - before
        amount = variance
    after = before + amount
    if after < 0:
        raise Conflict(f"The safe holds {before:.2f}; it cannot give {-amount:.2f}.")
    row = SafeTransaction(
        store_id=store_id,
        kind=kind,
        amount=amount,
        balance_after=after,
        counted_amount=counted,
        variance=variance,
        drawer_id=drawer_id,
        bank_transaction_id=bank_transaction_id,
        actor=actor,
        note=note,
    )
    session.add(row)
    await session.flush()
    return row
