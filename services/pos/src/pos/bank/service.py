"""Bank runs: a deposit takes cash from the safe to the bank, a change pickup brings cash
from the bank into the safe. A run is planned as pending and may be changed or deleted until
it is completed; completing it moves the safe in the same transaction, once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound
from common.roles import Principal
from common.scope import check_store, scoped
from pos.bank.schemas import BankTransactionIn, BankTransactionUpdate
from pos.models import BankTransaction
from pos.safe import ledger
from pos.stores import store_to_act_on

# (safe transaction kind, sign of the safe movement) per bank run kind
SAFE_MOVEMENT = {"deposit": ("bank_deposit", -1), "change_pickup": ("change_pickup", 1)}


class BankService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor

    def listing(self, store: uuid.UUID | None, status: str | None, kind: str | None) -> Select[Any]:
        statement = scoped(select(BankTransaction), BankTransaction.store_id, self.actor)
        if store is not None:
            statement = statement.where(BankTransaction.store_id == store)
        if status is not None:
            statement = statement.where(BankTransaction.status == status)
        if kind is not None:
            statement = statement.where(BankTransaction.kind == kind)
        return statement

    async def get(self, transaction_id: uuid.UUID, *, lock: bool = False) -> BankTransaction:
        statement = select(BankTransaction).where(BankTransaction.id == transaction_id)
        if lock:
            statement = statement.with_for_update()
        row = (await self.session.execute(statement)).scalar_one_or_none()
        if row is None:
            raise NotFound("No such bank transaction.")
        check_store(self.actor, row.store_id)
        return row

    async def create(self, body: BankTransactionIn) -> BankTransaction:
        await store_to_act_on(self.session, self.actor, body.store_id, "store_id")
        row = BankTransaction(**body.model_dump(), created_by=self.actor.user_id)
        self.session.add(row)
        await self.session.flush()
        await self.session.refresh(row)
        return row

    async def update(
        self, transaction_id: uuid.UUID, body: BankTransactionUpdate
    ) -> BankTransaction:
        row = await self._pending(transaction_id, "changed")
        for field, value in body.model_dump(exclude_unset=True).items():
            if value is not None:
                setattr(row, field, value)
        await self.session.flush()
        await self.session.refresh(row)
        return row

    async def remove(self, transaction_id: uuid.UUID) -> None:
        await self.session.delete(await self._pending(transaction_id, "deleted"))
        await self.session.flush()

    async def complete(self, transaction_id: uuid.UUID) -> BankTransaction:
        """Mark the run done and move the safe: a deposit the safe cannot cover is 409."""
        row = await self.get(transaction_id, lock=True)
        if row.status == "completed":
            raise Conflict(f"Bank transaction {row.id} is already completed ({self._when(row)}).")
        safe_kind, sign = SAFE_MOVEMENT[row.kind]
        await ledger.record(
            self.session,
            row.store_id,
            safe_kind,
            sign * row.amount,
            self.actor.user_id,
            note=row.reference,
            bank_transaction_id=row.id,
        )
        row.status = "completed"
        row.completed_at = datetime.now(UTC)
        row.completed_by = self.actor.user_id
        await self.session.flush()
        await self.session.refresh(row)
        return row

    async def _pending(self, transaction_id: uuid.UUID, verb: str) -> BankTransaction:
        row = await self.get(transaction_id, lock=True)
        if row.status == "completed":
            raise Conflict(
                f"Bank transaction {row.id} is completed ({self._when(row)}); it can no longer "
                f"be {verb}."
            )
        return row

    @staticmethod
    def _when(row: BankTransaction) -> str:
        assert row.completed_at is not None
        return f"{row.completed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC by {row.completed_by}"
