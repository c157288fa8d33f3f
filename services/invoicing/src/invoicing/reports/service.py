"""The reports: who may see which stores (a system admin every store, a branch head their
own), the date range checked, and the rows the repository aggregates shaped into reports."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import field_error
from common.money import ZERO, round_money
from common.roles import Principal
from common.scope import own_stores
from invoicing.numbering.service import format_number
from invoicing.reports.repository import Range, ReportRepository
from invoicing.reports.schemas import (
    CashFlow,
    CashFlowRow,
    CurrencyTotal,
    CustomerLtv,
    CustomerValue,
    DemandRow,
    InvoiceStatusReport,
    KpiDashboard,
    Kpis,
    MonthlyInvoices,
    MonthRow,
    ProductDemand,
    ProductRevenue,
    ProductRevenueRow,
    ReportFilters,
    RevenueReport,
    RevenueRow,
    Scope,
    SequenceIntegrity,
    StatusRow,
    VoidedNumber,
)
from invoicing.stores.service import StoreService


def _average(total: Decimal, count: int, currency: str) -> Decimal:
    return round_money(total / count, currency) if count else ZERO


class ReportService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.actor = actor
        self.reports = ReportRepository(session)
        self.stores = StoreService(session)

    async def _range(self, filters: ReportFilters) -> tuple[Range, Scope]:
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise field_error(
                "date_from", f"{filters.date_from} is after date_to {filters.date_to}"
            )
        stores: list[uuid.UUID] | None
        if filters.store is not None:
            await self.stores.to_act_on(self.actor, filters.store, "store")
            stores = [filters.store]
        elif self.actor.is_admin:
            stores = None
        else:
            stores = sorted(own_stores(self.actor))
        scope = Scope(
            stores=stores,
            date_from=filters.date_from,
            date_to=filters.date_to,
            group_by=filters.group_by,
            generated_at=datetime.now(UTC),
        )
        return Range(stores, filters), scope

    async def revenue(self, filters: ReportFilters) -> RevenueReport:
        scope, described = await self._range(filters)
        rows = [
            RevenueRow(
                period=row.period,
                store_id=row.store_id,
                store_code=row.store_code,
                currency=row.currency,
                invoices=row.invoices,
                net=row.net,
                discount=row.discount,
                tax=row.tax,
                total=row.total,
                paid=row.paid,
                outstanding=row.total - row.paid,
            )
            for row in await self.reports.revenue(scope)
        ]
        totals: dict[str, CurrencyTotal] = {}
        for row in rows:
            seen = totals.setdefault(
                row.currency,
                CurrencyTotal(
                    currency=row.currency, invoices=0, total=ZERO, paid=ZERO, outstanding=ZERO
                ),
            )
            seen.invoices += row.invoices
            seen.total += row.total
            seen.paid += row.paid
            seen.outstanding += row.outstanding
        return RevenueReport(
            scope=described, rows=rows, totals=[totals[key] for key in sorted(totals)]
        )

    async def kpi_dashboard(self, filters: ReportFilters) -> KpiDashboard:
        scope, described = await self._range(filters)
        collected = await self.reports.collected(scope)
        kpis = []
        currencies = set(collected)
        for row in await self.reports.kpis(scope):
            currencies.discard(row.currency)
            kpis.append(
                Kpis(
                    currency=row.currency,
                    invoices_issued=row.invoices_issued,
                    revenue=row.revenue,
                    tax=row.tax,
                    average_invoice=_average(row.revenue, row.invoices_issued, row.currency),
                    paid_invoices=row.paid_invoices,
                    collected=collected.get(row.currency, ZERO),
                    outstanding=row.outstanding,
                    overdue_invoices=row.overdue_invoices,
                    overdue_amount=row.overdue_amount,
                    voided_invoices=row.voided_invoices,
                )
            )
        for currency in sorted(currencies):  # paid in the range for invoices of earlier dates
            kpis.append(
                Kpis(
                    currency=currency,
                    invoices_issued=0,
                    revenue=ZERO,
                    tax=ZERO,
                    average_invoice=ZERO,
                    paid_invoices=0,
                    collected=collected[currency],
                    outstanding=ZERO,
                    overdue_invoices=0,
                    overdue_amount=ZERO,
                    voided_invoices=0,
                )
            )
        return KpiDashboard(scope=described, kpis=kpis)

    async def invoice_status(self, filters: ReportFilters) -> InvoiceStatusReport:
        scope, described = await self._range(filters)
        described.group_by = None
        statuses = [
            StatusRow(
                status=row.status,
                currency=row.currency,
                invoices=row.invoices,
                total=row.total,
                balance=row.balance,
            )
            for row in await self.reports.statuses(scope)
        ]
        return InvoiceStatusReport(
            scope=described, statuses=statuses, sequence_integrity=await self._integrity(scope)
        )

    async def _integrity(self, scope: Range) -> list[SequenceIntegrity]:
        """Every store's numbers per year: from 1 to its counter, each exactly once."""
        filters = scope.filters
        years = None
        if filters.date_from or filters.date_to:
            first = (filters.date_from or filters.date_to or datetime.now(UTC).date()).year
            last = (filters.date_to or datetime.now(UTC).date()).year
            years = list(range(first, last + 1))
        numbered = {
            (row.store_id, row.number_year): row
            for row in await self.reports.numbered(scope, years)
        }
        voided: dict[tuple[uuid.UUID, int], list[VoidedNumber]] = {}
        for void in await self.reports.voids(scope, years):
            voided.setdefault((void.store_id, void.number_year), []).append(
                VoidedNumber(number=void.number, reason=void.void_reason, voided_at=void.voided_at)
            )
        found = []
        for counter in await self.reports.counters(scope, years):
            key = (counter.store_id, counter.year)
            row = numbered.pop(key, None)
            issued = row.issued if row else 0
            last = row.last if row else 0
            # sequences are unique per store and year: n of them, the last n, are 1 … n
            complete = issued == counter.last_number and last == counter.last_number
            gaps = (
                []
                if complete
                else await self.reports.gaps(counter.store_id, counter.year, counter.last_number)
            )
            found.append(
                SequenceIntegrity(
                    store_id=counter.store_id,
                    store_code=counter.code,
                    year=counter.year,
                    first_number=format_number(counter.code, counter.year, row.first)
                    if row
                    else None,
                    last_number=format_number(counter.code, counter.year, row.last)
                    if row
                    else None,
                    issued=issued,
                    counter=counter.last_number,
                    gaps=gaps,
                    gap_count=max(counter.last_number - issued, 0),
                    voids=voided.get(key, []),
                    intact=complete,
                )
            )
        for (store_id, year), row in numbered.items():  # numbers with no counter: broken
            found.append(
                SequenceIntegrity(
                    store_id=store_id,
                    store_code="?",
                    year=year,
                    first_number=None,
                    last_number=None,
                    issued=row.issued,
                    counter=0,
                    gaps=[],
                    gap_count=0,
                    voids=[],
                    intact=False,
                )
            )
        return found

    async def monthly_invoices(self, filters: ReportFilters) -> MonthlyInvoices:
        scope, described = await self._range(filters)
        described.group_by = None
        return MonthlyInvoices(
            scope=described,
            months=[
                MonthRow(
                    month=row.month,
                    store_id=row.store_id,
                    store_code=row.store_code,
                    currency=row.currency,
                    issued=row.issued,
                    paid=row.paid,
                    voided=row.voided,
                    total=row.total,
                    paid_amount=row.paid_amount,
                    outstanding=row.outstanding,
                )
                for row in await self.reports.months(scope)
            ],
        )

    async def cash_flow(self, filters: ReportFilters) -> CashFlow:
        scope, described = await self._range(filters)
        merged: dict[tuple[str, ...], CashFlowRow] = {}
        for reversals in (False, True):
            for row in await self.reports.cash_flow(scope, reversals=reversals):
                key = (
                    row.period.isoformat(),
                    row.store_code,
                    str(row.store_id),
                    row.currency,
                    row.method,
                )
                entry = merged.setdefault(
                    key,
                    CashFlowRow(
                        period=row.period,
                        store_id=row.store_id,
                        store_code=row.store_code,
                        currency=row.currency,
                        method=row.method,
                        received=ZERO,
                        reversed=ZERO,
                        net=ZERO,
                    ),
                )
                if reversals:
                    entry.reversed = row.amount
                else:
                    entry.received = row.amount
        rows = [merged[key] for key in sorted(merged)]
        for entry in rows:
            entry.net = entry.received - entry.reversed
        return CashFlow(scope=described, rows=rows)

    async def customer_ltv(self, filters: ReportFilters) -> CustomerLtv:
        scope, described = await self._range(filters)
        described.group_by = None
        return CustomerLtv(
            scope=described,
            customers=[
                CustomerValue(
                    customer_number=row.customer_number,
                    customer_id=row.customer_id,
                    name=row.name or "",
                    currency=row.currency,
                    invoices=row.invoices,
                    total=row.total,
                    paid=row.paid,
                    outstanding=row.total - row.paid,
                    average_invoice=_average(row.total, row.invoices, row.currency),
                    first_invoice=row.first_invoice,
                    last_invoice=row.last_invoice,
                )
                for row in await self.reports.customers(scope)
            ],
        )

    async def product_revenue(self, filters: ReportFilters) -> ProductRevenue:
        scope, described = await self._range(filters)
        described.group_by = None
        return ProductRevenue(
            scope=described,
            products=[
                ProductRevenueRow(
                    sku=row.sku,
                    description=row.description,
                    currency=row.currency,
                    quantity=row.quantity,
                    net=row.net,
                    lines=row.lines,
                )
                for row in await self.reports.products(scope)
            ],
        )

    async def product_demand(self, filters: ReportFilters) -> ProductDemand:
        scope, described = await self._range(filters)
        return ProductDemand(
            scope=described,
            rows=[
                DemandRow(
                    period=row.period,
                    sku=row.sku,
                    description=row.description,
                    quantity=row.quantity,
                    lines=row.lines,
                )
                for row in await self.reports.demand(scope)
            ],
        )
