"""Queries on bank runs."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select

from common.pagination import apply_ordering
from common.roles import Principal
from common.scope import scoped
from pos.bank.models import BankKind, BankStatus, BankTransaction
from pos.repository import Repository

ORDERING = {
    "created_at": BankTransaction.created_at,
    "completed_at": BankTransaction.completed_at,
    "amount": BankTransaction.amount,
}


class BankRepository(Repository):
    async def get(self, transaction_id: uuid.UUID, *, lock: bool = False) -> BankTransaction | None:
        statement = select(BankTransaction).where(BankTransaction.id == transaction_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    def listing(
        self,
        actor: Principal,
        *,
        store: uuid.UUID | None,
        status: BankStatus | None,
        kind: BankKind | None,
        ordering: str | None,
    ) -> Select[Any]:
        statement = scoped(select(BankTransaction), BankTransaction.store_id, actor)
        if store is not None:
            statement = statement.where(BankTransaction.store_id == store)
        if status is not None:
            statement = statement.where(BankTransaction.status == status)
        if kind is not None:
            statement = statement.where(BankTransaction.kind == kind)
        return apply_ordering(
            statement, ordering, ORDERING, [BankTransaction.created_at.desc(), BankTransaction.id]
        )

    async def add(self, row: BankTransaction) -> BankTransaction:
        self.session.add(row)
        return await self.save(row)

    async def save(self, row: BankTransaction) -> BankTransaction:
        await self.session.flush()
        await self.session.refresh(row)
        return row

    async def remove(self, row: BankTransaction) -> None:
        await self.session.delete(row)
        await self.session.flush()
