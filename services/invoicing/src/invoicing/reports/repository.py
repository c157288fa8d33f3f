"""The reports' queries: aggregates in SQL over invoices, lines and payments, joined to the
stores read-model (codes, time zones). An invoice counts from its issue (it has a number)
and by its invoice date, the store's calendar day of issue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Row,
    case,
    cast,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from common.money import ZERO
from invoicing.customers.models import Customer
from invoicing.invoices.models import Invoice, InvoiceLine, status_on_read
from invoicing.invoices.states import InvoiceStatus
from invoicing.numbering.models import InvoiceCounter
from invoicing.payments.models import Payment
from invoicing.reports.schemas import GroupBy, ReportFilters
from invoicing.stores.models import Store

VOID = InvoiceStatus.void.value
MAX_GAPS = 100
MAX_VOIDS = 200


@dataclass(frozen=True)
class Range:
    """The stores (None: all) and the invoice/payment dates a report covers."""

    stores: list[uuid.UUID] | None
    filters: ReportFilters

    def on(self, day: Any, store: Any) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.stores is not None:
            conditions.append(store.in_(self.stores))
        if self.filters.date_from is not None:
            conditions.append(day >= self.filters.date_from)
        if self.filters.date_to is not None:
            conditions.append(day <= self.filters.date_to)
        return conditions


def period(day: Any, group_by: GroupBy) -> Any:
    return cast(func.date_trunc(group_by.value, day), Date)


def _issued(scope: Range, *, with_void: bool = False) -> list[ColumnElement[bool]]:
    conditions = [Invoice.number.is_not(None), *scope.on(Invoice.invoice_date, Invoice.store_id)]
    if not with_void:
        conditions.append(Invoice.status != VOID)
    return conditions


def _sum(column: Any, *where: ColumnElement[bool]) -> Any:
    if where:
        return func.coalesce(func.sum(column).filter(*where), ZERO)
    return func.coalesce(func.sum(column), ZERO)


OUTSTANDING = Invoice.total - Invoice.paid_amount
READ_STATUS = status_on_read(Invoice.status, Invoice.due_date, Store.time_zone)


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _all(self, statement: Any) -> Sequence[Row[Any]]:
        return (await self.session.execute(statement)).all()

    async def revenue(self, scope: Range) -> Sequence[Row[Any]]:
        day = period(Invoice.invoice_date, scope.filters.group_by).label("period")
        return await self._all(
            select(
                day,
                Invoice.store_id,
                Store.code.label("store_code"),
                Invoice.currency,
                func.count().label("invoices"),
                _sum(Invoice.subtotal).label("net"),
                _sum(Invoice.discount_total).label("discount"),
                _sum(Invoice.tax_total).label("tax"),
                _sum(Invoice.total).label("total"),
                _sum(Invoice.paid_amount).label("paid"),
            )
            .join(Store, Store.id == Invoice.store_id)
            .where(*_issued(scope))
            .group_by(day, Invoice.store_id, Store.code, Invoice.currency)
            .order_by(day, Store.code, Invoice.currency)
        )

    async def kpis(self, scope: Range) -> Sequence[Row[Any]]:
        overdue = READ_STATUS.in_([InvoiceStatus.overdue.value])
        live = Invoice.status != VOID
        return await self._all(
            select(
                Invoice.currency,
                func.count().filter(live).label("invoices_issued"),
                _sum(Invoice.total, live).label("revenue"),
                _sum(Invoice.tax_total, live).label("tax"),
                func.count()
                .filter(Invoice.status == InvoiceStatus.paid.value)
                .label("paid_invoices"),
                _sum(OUTSTANDING, live).label("outstanding"),
                func.count().filter(overdue).label("overdue_invoices"),
                _sum(OUTSTANDING, overdue).label("overdue_amount"),
                func.count().filter(Invoice.status == VOID).label("voided_invoices"),
            )
            .join(Store, Store.id == Invoice.store_id)
            .where(*_issued(scope, with_void=True))
            .group_by(Invoice.currency)
            .order_by(Invoice.currency)
        )

    async def collected(self, scope: Range) -> dict[str, Any]:
        rows = await self._all(
            select(Payment.currency, _sum(Payment.amount))
            .where(Payment.reversed_at.is_(None), *scope.on(Payment.paid_on, Payment.store_id))
            .group_by(Payment.currency)
        )
        return {row[0]: row[1] for row in rows}

    async def statuses(self, scope: Range) -> Sequence[Row[Any]]:
        status = READ_STATUS.label("status")
        balance = case(
            (Invoice.status.in_([InvoiceStatus.draft.value, VOID]), ZERO), else_=OUTSTANDING
        )
        dated = scope.filters.date_from is not None or scope.filters.date_to is not None
        conditions = scope.on(Invoice.invoice_date, Invoice.store_id)
        if dated:  # a draft has no invoice date: counted only when no range is asked
            conditions.append(Invoice.number.is_not(None))
        return await self._all(
            select(
                status,
                Invoice.currency,
                func.count().label("invoices"),
                _sum(Invoice.total).label("total"),
                _sum(balance).label("balance"),
            )
            .join(Store, Store.id == Invoice.store_id)
            .where(*conditions)
            .group_by(status, Invoice.currency)
            .order_by(status, Invoice.currency)
        )

    async def numbered(self, scope: Range, years: list[int] | None) -> Sequence[Row[Any]]:
        """Per store and year: how many numbers, the first and the last (no number is there
        twice: a unique constraint on store, year and sequence)."""
        conditions = [Invoice.number.is_not(None)]
        if scope.stores is not None:
            conditions.append(Invoice.store_id.in_(scope.stores))
        if years is not None:
            conditions.append(Invoice.number_year.in_(years))
        return await self._all(
            select(
                Invoice.store_id,
                Invoice.number_year,
                func.count().label("issued"),
                func.min(Invoice.sequence).label("first"),
                func.max(Invoice.sequence).label("last"),
            )
            .where(*conditions)
            .group_by(Invoice.store_id, Invoice.number_year)
        )

    async def counters(self, scope: Range, years: list[int] | None) -> Sequence[Row[Any]]:
        conditions = []
        if scope.stores is not None:
            conditions.append(InvoiceCounter.store_id.in_(scope.stores))
        if years is not None:
            conditions.append(InvoiceCounter.year.in_(years))
        return await self._all(
            select(
                InvoiceCounter.store_id,
                InvoiceCounter.year,
                InvoiceCounter.last_number,
                Store.code,
            )
            .join(Store, Store.id == InvoiceCounter.store_id)
            .where(*conditions)
            .order_by(Store.code, InvoiceCounter.year)
        )

    async def gaps(self, store_id: uuid.UUID, year: int, counter: int) -> list[int]:
        sequence = (
            func.generate_series(1, counter).table_valued("value").render_derived(name="numbers")
        )
        taken = select(Invoice.sequence).where(
            Invoice.store_id == store_id, Invoice.number_year == year, Invoice.sequence.is_not(None)
        )
        rows = await self.session.scalars(
            select(sequence.c.value)
            .where(sequence.c.value.not_in(taken))
            .order_by(sequence.c.value)
            .limit(MAX_GAPS)
        )
        return [int(value) for value in rows]

    async def voids(self, scope: Range, years: list[int] | None) -> Sequence[Row[Any]]:
        """The void numbers of every store and year (the first ``MAX_VOIDS`` of each)."""
        place = (
            func.row_number()
            .over(partition_by=(Invoice.store_id, Invoice.number_year), order_by=Invoice.sequence)
            .label("place")
        )
        conditions = [Invoice.status == VOID, Invoice.number.is_not(None)]
        if scope.stores is not None:
            conditions.append(Invoice.store_id.in_(scope.stores))
        if years is not None:
            conditions.append(Invoice.number_year.in_(years))
        voided = (
            select(
                Invoice.store_id,
                Invoice.number_year,
                Invoice.sequence,
                Invoice.number,
                Invoice.void_reason,
                Invoice.voided_at,
                place,
            )
            .where(*conditions)
            .subquery()
        )
        return await self._all(
            select(voided)
            .where(voided.c.place <= MAX_VOIDS)
            .order_by(voided.c.store_id, voided.c.number_year, voided.c.sequence)
        )

    async def months(self, scope: Range) -> Sequence[Row[Any]]:
        month = period(Invoice.invoice_date, GroupBy.month).label("month")
        live = Invoice.status != VOID
        return await self._all(
            select(
                month,
                Invoice.store_id,
                Store.code.label("store_code"),
                Invoice.currency,
                func.count().filter(live).label("issued"),
                func.count().filter(Invoice.status == InvoiceStatus.paid.value).label("paid"),
                func.count().filter(Invoice.status == VOID).label("voided"),
                _sum(Invoice.total, live).label("total"),
                _sum(Invoice.paid_amount, live).label("paid_amount"),
                _sum(OUTSTANDING, live).label("outstanding"),
            )
            .join(Store, Store.id == Invoice.store_id)
            .where(*_issued(scope, with_void=True))
            .group_by(month, Invoice.store_id, Store.code, Invoice.currency)
            .order_by(month, Store.code, Invoice.currency)
        )

    async def cash_flow(self, scope: Range, *, reversals: bool) -> Sequence[Row[Any]]:
        """Payments by the day they were paid, or reversals by the day they were reversed."""
        day_column = Payment.reversed_on if reversals else Payment.paid_on
        day = period(day_column, scope.filters.group_by).label("period")
        conditions = scope.on(day_column, Payment.store_id)
        if reversals:
            conditions.append(Payment.reversed_at.is_not(None))
        return await self._all(
            select(
                day,
                Payment.store_id,
                Store.code.label("store_code"),
                Payment.currency,
                Payment.method,
                _sum(Payment.amount).label("amount"),
            )
            .join(Store, Store.id == Payment.store_id)
            .where(*conditions)
            .group_by(day, Payment.store_id, Store.code, Payment.currency, Payment.method)
        )

    async def customers(self, scope: Range) -> Sequence[Row[Any]]:
        total = func.sum(Invoice.total)
        return await self._all(
            select(
                Invoice.customer_number,
                func.max(Invoice.customer_id).label("customer_id"),
                func.coalesce(func.max(Customer.name), func.max(Invoice.customer_name)).label(
                    "name"
                ),
                Invoice.currency,
                func.count().label("invoices"),
                total.label("total"),
                _sum(Invoice.paid_amount).label("paid"),
                func.min(Invoice.invoice_date).label("first_invoice"),
                func.max(Invoice.invoice_date).label("last_invoice"),
            )
            .outerjoin(Customer, Customer.customer_number == Invoice.customer_number)
            .where(Invoice.customer_number.is_not(None), *_issued(scope))
            .group_by(Invoice.customer_number, Invoice.currency)
            .order_by(total.desc(), Invoice.customer_number)
            .limit(scope.filters.limit)
        )

    async def products(self, scope: Range) -> Sequence[Row[Any]]:
        net = func.sum(InvoiceLine.net)
        unnamed = case((InvoiceLine.sku.is_(None), InvoiceLine.description))
        return await self._all(
            select(
                InvoiceLine.sku,
                func.max(InvoiceLine.description).label("description"),
                Invoice.currency,
                func.sum(InvoiceLine.quantity).label("quantity"),
                net.label("net"),
                func.count().label("lines"),
            )
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(*_issued(scope))
            .group_by(InvoiceLine.sku, unnamed, Invoice.currency)
            .order_by(net.desc(), InvoiceLine.sku)
            .limit(scope.filters.limit)
        )

    async def demand(self, scope: Range) -> Sequence[Row[Any]]:
        key = func.coalesce(InvoiceLine.sku, func.concat("~", InvoiceLine.description))
        top = (
            select(key.label("key"))
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(*_issued(scope))
            .group_by(key)
            .order_by(func.sum(InvoiceLine.quantity).desc(), key)
            .limit(scope.filters.limit)
            .cte("top_products")
        )
        day = period(Invoice.invoice_date, scope.filters.group_by).label("period")
        quantity = func.sum(InvoiceLine.quantity)
        return await self._all(
            select(
                day,
                func.max(InvoiceLine.sku).label("sku"),
                func.max(InvoiceLine.description).label("description"),
                quantity.label("quantity"),
                func.count().label("lines"),
            )
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .join(top, top.c.key == key)
            .where(*_issued(scope))
            .group_by(day, key)
            .order_by(day, quantity.desc(), key)
        )
