"""Queries of invoices: one by id (optionally locked), by source, and the filtered list."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import apply_ordering, apply_search
from invoicing.invoices.models import Invoice, InvoiceSnapshot
from invoicing.invoices.schemas import InvoiceFilters
from invoicing.invoices.states import OPEN, InvoiceStatus

ORDERING = {
    "number": Invoice.number,
    "invoice_date": Invoice.invoice_date,
    "due_date": Invoice.due_date,
    "total": Invoice.total,
    "customer_name": Invoice.customer_name,
    "status": Invoice.status,
    "created_at": Invoice.created_at,
}


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, invoice_id: uuid.UUID, *, lock: bool = False) -> Invoice | None:
        statement = select(Invoice).where(Invoice.id == invoice_id)
        if lock:
            statement = statement.with_for_update(of=Invoice)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def many(self, invoice_ids: list[uuid.UUID], *, lock: bool = False) -> list[Invoice]:
        """The invoices of ``invoice_ids`` (locked in id order: two callers never deadlock)."""
        statement = select(Invoice).where(Invoice.id.in_(invoice_ids)).order_by(Invoice.id)
        if lock:
            statement = statement.with_for_update(of=Invoice)
        return list((await self.session.scalars(statement)).all())

    async def by_source(self, source: str, source_id: str, *, lock: bool = False) -> Invoice | None:
        statement = select(Invoice).where(Invoice.source == source, Invoice.source_id == source_id)
        if lock:
            statement = statement.with_for_update(of=Invoice)
        return (await self.session.execute(statement)).scalar_one_or_none()

    def listing(self, filters: InvoiceFilters) -> Select[Any]:
        statement = select(Invoice)
        if filters.status is not None:
            # the stored status narrows first; the read status (overdue) decides
            status = filters.status
            stored = OPEN if status == InvoiceStatus.overdue else (status,)
            statement = statement.where(Invoice.status.in_(stored))
            if status in (*OPEN, InvoiceStatus.overdue):
                statement = statement.where(Invoice.current_status == status.value)
        if filters.store is not None:
            statement = statement.where(Invoice.store_id == filters.store)
        if filters.customer:
            wanted = filters.customer.strip()
            statement = statement.where(
                or_(Invoice.customer_id == wanted, Invoice.customer_number == wanted.upper())
            )
        if filters.date_from is not None:
            statement = statement.where(Invoice.invoice_date >= filters.date_from)
        if filters.date_to is not None:
            statement = statement.where(Invoice.invoice_date <= filters.date_to)
        statement = apply_search(statement, filters.search, [Invoice.number, Invoice.customer_name])
        return apply_ordering(
            statement, filters.ordering, ORDERING, [Invoice.created_at.desc(), Invoice.id]
        )

    async def add(self, invoice: Invoice) -> Invoice:
        self.session.add(invoice)
        return await self.save(invoice)

    async def snapshot(self, invoice_id: uuid.UUID) -> dict[str, Any] | None:
        frozen = await self.session.get(InvoiceSnapshot, invoice_id)
        return None if frozen is None else frozen.snapshot

    def freeze(self, invoice: Invoice, snapshot: dict[str, Any]) -> None:
        self.session.add(InvoiceSnapshot(invoice_id=invoice.id, snapshot=snapshot))

    async def write(self, invoice: Invoice) -> None:
        """Flush without reading back (what the database computes is then not loaded)."""
        self.session.add(invoice)
        await self.session.flush()

    async def save(self, invoice: Invoice) -> Invoice:
        """Flush, then read back what the database computed (status on read, timestamps)."""
        await self.session.flush()
        await self.session.refresh(invoice)
        return invoice

    async def clear_lines(self, invoice: Invoice) -> None:
        """Drop the lines now, so new ones may reuse their numbers in the same transaction."""
        invoice.lines.clear()
        await self.session.flush()

    async def delete(self, invoice: Invoice) -> None:
        await self.session.delete(invoice)
        await self.session.flush()
