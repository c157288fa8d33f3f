"""Bank runs: a deposit takes cash from the safe to the bank, a change pickup brings cash
from the bank into the safe. A run is planned as pending and may be changed or deleted until
it is completed; completing it moves the safe in the same transaction, once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import apply_changes
from pos.bank.models import BankKind, BankStatus, BankTransaction
from pos.bank.repository import BankRepository
from pos.bank.schemas import BankTransactionIn, BankTransactionUpdate
from pos.cash.models import SafeKind
from pos.cash.service import CashLedger
from pos.events.contracts import BankTransactionChanged
from pos.events.outbox import outbox
from pos.shops.repository import StoreRepository
from pos.shops.service import store_to_act_on

# (safe transaction kind, sign of the safe movement) per bank run kind
SAFE_MOVEMENT = {
    BankKind.deposit: (SafeKind.bank_deposit, -1),
    BankKind.change_pickup: (SafeKind.change_pickup, 1),
}


class BankService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.bank = BankRepository(session)
        self.stores = StoreRepository(session)
        self.ledger = CashLedger(session)
        self.actor = actor

    async def listing(
        self,
        page: PageParams,
        *,
        store: uuid.UUID | None = None,
        status: BankStatus | None = None,
        kind: BankKind | None = None,
        ordering: str | None = None,
    ) -> tuple[int, list[BankTransaction]]:
        statement = self.bank.listing(
            self.actor, store=store, status=status, kind=kind, ordering=ordering
        )
        return await self.bank.page(statement, page)

    async def get(self, transaction_id: uuid.UUID, *, lock: bool = False) -> BankTransaction:
        row = await self.bank.get(transaction_id, lock=lock)
        if row is None:
            raise NotFound("No such bank transaction.")
        check_store(self.actor, row.store_id)
        return row

    async def create(self, body: BankTransactionIn) -> BankTransaction:
        await store_to_act_on(self.stores, self.actor, body.store_id, "store_id")
        row = await self.bank.add(
            BankTransaction(**body.model_dump(), created_by=self.actor.user_id)
        )
        await self._announce(row, "pos.bank_transaction.created", [])
        return row

    async def update(
        self, transaction_id: uuid.UUID, body: BankTransactionUpdate
    ) -> BankTransaction:
        row = await self._pending(transaction_id, "changed")
        apply_changes(row, body)
        saved = await self.bank.save(row)
        await self._announce(saved, "pos.bank_transaction.updated", sorted(body.model_fields_set))
        return saved

    async def remove(self, transaction_id: uuid.UUID) -> None:
        row = await self._pending(transaction_id, "deleted")
        await self._announce(row, "pos.bank_transaction.deleted", [])
        await self.bank.remove(row)

    async def complete(self, transaction_id: uuid.UUID) -> BankTransaction:
        """Mark the run done and move the safe: a deposit the safe cannot cover is 409."""
        row = await self.get(transaction_id, lock=True)
        if row.status == BankStatus.completed:
            raise Conflict(f"Bank transaction {row.id} is already completed ({self._when(row)}).")
        safe_kind, sign = SAFE_MOVEMENT[row.kind]
        await self.ledger.record_safe(
            row.store_id,
            safe_kind,
            sign * row.amount,
            actor=self.actor.user_id,
            note=row.reference,
            bank_transaction_id=row.id,
        )
        row.status = BankStatus.completed
        row.completed_at = datetime.now(UTC)
        row.completed_by = self.actor.user_id
        saved = await self.bank.save(row)
        await self._announce(saved, "pos.bank_transaction.completed", [])
        return saved

    async def _announce(self, row: BankTransaction, subject: str, changed: list[str]) -> None:
        event = BankTransactionChanged(
            bank_transaction_id=row.id,
            store_id=row.store_id,
            kind=row.kind,
            amount=row.amount,
            status=row.status,
            reference=row.reference,
            changed=changed,
            completed_by=row.completed_by,
            completed_at=row.completed_at,
        )
        await outbox.publish(self.session, event, subject=subject, actor=self.actor.user_id)

    async def _pending(self, transaction_id: uuid.UUID, verb: str) -> BankTransaction:
        row = await self.get(transaction_id, lock=True)
        if row.status == BankStatus.completed:
            raise Conflict(
                f"Bank transaction {row.id} is completed ({self._when(row)}); it can no longer "
                f"be {verb}."
            )
        return row

    @staticmethod
    def _when(row: BankTransaction) -> str:
        if row.completed_at is None:
            return f"by {row.completed_by}"
        return f"{row.completed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC by {row.completed_by}"
