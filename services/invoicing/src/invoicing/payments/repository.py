"""Queries of payments: by id or key, an invoice's live ones and their sum, the list."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from common.money import ZERO
from common.pagination import apply_ordering, apply_search
from invoicing.payments.models import Payment
from invoicing.payments.schemas import PaymentFilters

ORDERING = {
    "paid_on": Payment.paid_on,
    "amount": Payment.amount,
    "method": Payment.method,
    "created_at": Payment.created_at,
}


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, payment_id: uuid.UUID, *, lock: bool = False) -> Payment | None:
        statement = select(Payment).where(Payment.id == payment_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_key(self, key: str) -> Payment | None:
        found: Payment | None = await self.session.scalar(
            select(Payment).where(Payment.idempotency_key == key)
        )
        return found

    async def live_of(self, invoice_id: uuid.UUID) -> list[Payment]:
        """The invoice's payments that are not reversed, oldest first."""
        rows = await self.session.scalars(
            select(Payment)
            .where(Payment.invoice_id == invoice_id, Payment.reversed_at.is_(None))
            .order_by(Payment.created_at, Payment.id)
        )
        return list(rows.all())

    async def paid_towards(self, invoice_id: uuid.UUID) -> Decimal:
        total = await self.session.scalar(
            select(func.sum(Payment.amount)).where(
                Payment.invoice_id == invoice_id, Payment.reversed_at.is_(None)
            )
        )
        return total if total is not None else ZERO

    async def reverse_all(
        self, invoice_id: uuid.UUID, *, at: datetime, on: date, reason: str
    ) -> list[Payment]:
        reversed_ = await self.live_of(invoice_id)
        if reversed_:
            await self.session.execute(
                update(Payment)
                .where(Payment.id.in_([payment.id for payment in reversed_]))
                .values(reversed_at=at, reversed_on=on, reversal_reason=reason)
            )
        return reversed_

    def listing(self, filters: PaymentFilters) -> Select[Any]:
        statement = select(Payment)
        if filters.invoice is not None:
            statement = statement.where(Payment.invoice_id == filters.invoice)
        if filters.store is not None:
            statement = statement.where(Payment.store_id == filters.store)
        if filters.method is not None:
            statement = statement.where(Payment.method == filters.method.value)
        if filters.date_from is not None:
            statement = statement.where(Payment.paid_on >= filters.date_from)
        if filters.date_to is not None:
            statement = statement.where(Payment.paid_on <= filters.date_to)
        statement = apply_search(
            statement, filters.search, [Payment.reference, Payment.invoice_number]
        )
        return apply_ordering(
            statement, filters.ordering, ORDERING, [Payment.created_at.desc(), Payment.id]
        )

    async def add(self, payment: Payment) -> Payment:
        """Insert in a savepoint: a concurrent request holding the same Idempotency-Key makes
        this raise IntegrityError without spoiling the caller's transaction."""
        async with self.session.begin_nested():
            self.session.add(payment)
        await self.session.refresh(payment)
        return payment

    async def write(self, payments: list[Payment]) -> None:
        """Insert without reading back (one round trip for many)."""
        self.session.add_all(payments)
        await self.session.flush()

    async def save(self, payment: Payment) -> Payment:
        await self.session.flush()
        await self.session.refresh(payment)
        return payment

    async def delete(self, payment: Payment) -> None:
        await self.session.delete(payment)
        await self.session.flush()
