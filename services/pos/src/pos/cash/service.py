"""Moving cash: a drawer movement is a signed row (+ into the drawer), and the safe's every
movement is a row carrying the balance after it, written under a per-store transaction lock
so balances never interleave. Taking out more than the safe holds is refused. Every safe
movement is announced (``pos.safe.*``, one subject per kind) in the same transaction."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict
from pos.cash.models import MovementKind, SafeKind
from pos.cash.repository import CashRepository
from pos.events.contracts import SAFE_SUBJECTS, SafeMoved
from pos.events.outbox import outbox


def movement(
    drawer_id: uuid.UUID,
    kind: MovementKind,
    amount: Decimal,
    *,
    actor: str,
    sale_id: uuid.UUID | None = None,
    note: str = "",
) -> dict[str, Any]:
    """One drawer movement, ready for ``CashRepository.add_movements``."""
    return {
        "drawer_id": drawer_id,
        "kind": kind,
        "amount": amount,
        "sale_id": sale_id,
        "actor": actor,
        "note": note,
    }


class CashLedger:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.cash = CashRepository(session)

    async def move(
        self,
        drawer_id: uuid.UUID,
        kind: MovementKind,
        amount: Decimal,
        *,
        actor: str,
        sale_id: uuid.UUID | None = None,
        note: str = "",
    ) -> None:
        """Cash into (+) or out of (-) a drawer."""
        await self.cash.add_movements(
            [movement(drawer_id, kind, amount, actor=actor, sale_id=sale_id, note=note)]
        )

    async def record_safe(
        self,
        store_id: uuid.UUID,
        kind: SafeKind,
        amount: Decimal,
        *,
        actor: str,
        note: str = "",
        drawer_id: uuid.UUID | None = None,
        bank_transaction_id: uuid.UUID | None = None,
        counted: Decimal | None = None,
    ) -> Row[Any]:
        """Add a safe movement (``amount`` signed: + into the safe). Taking out more than the
        safe holds is refused with 409; an audit (``counted``) sets the balance to the count
        and keeps the variance."""
        await self.cash.lock_safe(store_id)
        before = await self.cash.safe_balance(store_id)
        variance = None
        if counted is not None:
            variance = counted - before
            amount = variance
        after = before + amount
        if after < 0:
            raise Conflict(f"The safe holds {before:.2f}; it cannot give {-amount:.2f}.")
        row = await self.cash.add_safe_row(
            {
                "store_id": store_id,
                "kind": kind,
                "amount": amount,
                "balance_after": after,
                "counted_amount": counted,
                "variance": variance,
                "drawer_id": drawer_id,
                "bank_transaction_id": bank_transaction_id,
                "actor": actor,
                "note": note,
            }
        )
        await outbox.publish(
            self.session,
            SafeMoved(
                safe_transaction_id=row.id,
                store_id=row.store_id,
                kind=row.kind,
                amount=row.amount,
                balance_after=row.balance_after,
                counted_amount=row.counted_amount,
                variance=row.variance,
                drawer_id=row.drawer_id,
                bank_transaction_id=row.bank_transaction_id,
                note=row.note,
                at=row.created_at,
            ),
            subject=SAFE_SUBJECTS[row.kind],
            actor=actor,
        )
        return row
