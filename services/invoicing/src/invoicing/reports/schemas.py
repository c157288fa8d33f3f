"""The reports' filters and bodies. Every amount is per currency (a row names it); every
day is a store's own calendar day (an invoice's date is its store's day of issue, a
payment's the store's day it was paid)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from invoicing.fields import Total, Units

STORE = "0000000a-0000-4000-8000-00000000000a"


class GroupBy(StrEnum):
    day = "day"
    week = "week"  # ISO weeks: a period starts on its Monday
    month = "month"


class ReportFormat(StrEnum):
    json = "json"
    csv = "csv"


class ReportFilters(BaseModel):
    store: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    group_by: GroupBy = GroupBy.day
    limit: int = 50


class Scope(BaseModel):
    """What a report covered: the stores (every store for a system admin with no ?store)."""

    stores: list[uuid.UUID] | None = Field(description="null: every store")
    date_from: date | None
    date_to: date | None
    group_by: GroupBy | None = None
    generated_at: datetime


_SCOPE: dict[str, Any] = {
    "stores": [STORE],
    "date_from": "2026-12-01",
    "date_to": "2026-12-31",
    "group_by": "day",
    "generated_at": "2027-01-02T08:00:00Z",
}


def _example(**body: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [{"scope": _SCOPE, **body}]})


class ReportLink(BaseModel):
    name: str
    path: str
    description: str


class ReportIndex(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reports": [
                        {
                            "name": "revenue",
                            "path": "/api/reports/revenue",
                            "description": "Invoiced amounts per period, store and currency",
                        }
                    ]
                }
            ]
        }
    )

    reports: list[ReportLink]


class RevenueRow(BaseModel):
    period: date = Field(description="First day of the day, ISO week or month")
    store_id: uuid.UUID
    store_code: str
    currency: str
    invoices: int
    net: Total = Field(description="Σ line nets before the invoice discount")
    discount: Total
    tax: Total
    total: Total
    paid: Total
    outstanding: Total


class CurrencyTotal(BaseModel):
    currency: str
    invoices: int
    total: Total
    paid: Total
    outstanding: Total


_REVENUE_ROW = {
    "period": "2026-12-01",
    "store_id": STORE,
    "store_code": "NYC-01",
    "currency": "USD",
    "invoices": 12,
    "net": "1500.00",
    "discount": "20.00",
    "tax": "129.50",
    "total": "1609.50",
    "paid": "1400.00",
    "outstanding": "209.50",
}


class RevenueReport(BaseModel):
    """Issued invoices (not void), by their invoice date."""

    model_config = _example(
        rows=[_REVENUE_ROW],
        totals=[
            {
                "currency": "USD",
                "invoices": 12,
                "total": "1609.50",
                "paid": "1400.00",
                "outstanding": "209.50",
            }
        ],
    )

    scope: Scope
    rows: list[RevenueRow]
    totals: list[CurrencyTotal]


class Kpis(BaseModel):
    currency: str
    invoices_issued: int
    revenue: Total
    tax: Total
    average_invoice: Total
    paid_invoices: int
    collected: Total = Field(description="Payments dated in the range (not reversed)")
    outstanding: Total = Field(description="What the range's invoices still owe")
    overdue_invoices: int
    overdue_amount: Total
    voided_invoices: int


class KpiDashboard(BaseModel):
    model_config = _example(
        kpis=[
            {
                "currency": "USD",
                "invoices_issued": 12,
                "revenue": "1609.50",
                "tax": "129.50",
                "average_invoice": "134.13",
                "paid_invoices": 9,
                "collected": "1400.00",
                "outstanding": "209.50",
                "overdue_invoices": 1,
                "overdue_amount": "80.00",
                "voided_invoices": 1,
            }
        ]
    )

    scope: Scope
    kpis: list[Kpis]


class StatusRow(BaseModel):
    status: str
    currency: str
    invoices: int
    total: Total
    balance: Total


class VoidedNumber(BaseModel):
    number: str
    reason: str | None
    voided_at: datetime | None


class SequenceIntegrity(BaseModel):
    """One store's numbers of one year: issued from 1 to the counter, none missing (none can
    be there twice: store, year and sequence are unique together)."""

    store_id: uuid.UUID
    store_code: str
    year: int
    first_number: str | None
    last_number: str | None
    issued: int = Field(description="Numbered invoices, void ones included")
    counter: int = Field(description="The last number the store's counter gave")
    gaps: list[int] = Field(description="Sequences missing between 1 and the counter (first 100)")
    gap_count: int
    voids: list[VoidedNumber]
    intact: bool


class InvoiceStatusReport(BaseModel):
    """Invoices per status as read now (overdue included); drafts (no invoice date) are
    counted only when no date range is given."""

    model_config = _example(
        statuses=[
            {
                "status": "paid",
                "currency": "USD",
                "invoices": 9,
                "total": "1200.00",
                "balance": "0.00",
            }
        ],
        sequence_integrity=[
            {
                "store_id": STORE,
                "store_code": "NYC-01",
                "year": 2026,
                "first_number": "INV-NYC-01-2026-000001",
                "last_number": "INV-NYC-01-2026-000013",
                "issued": 13,
                "counter": 13,
                "gaps": [],
                "gap_count": 0,
                "voids": [
                    {
                        "number": "INV-NYC-01-2026-000004",
                        "reason": "Issued to the wrong customer",
                        "voided_at": "2026-12-03T10:00:00Z",
                    }
                ],
                "intact": True,
            }
        ],
    )

    scope: Scope
    statuses: list[StatusRow]
    sequence_integrity: list[SequenceIntegrity]


class MonthRow(BaseModel):
    month: date
    store_id: uuid.UUID
    store_code: str
    currency: str
    issued: int = Field(description="Issued in the month and not void")
    paid: int
    voided: int
    total: Total
    paid_amount: Total
    outstanding: Total


class MonthlyInvoices(BaseModel):
    model_config = _example(
        months=[
            {
                "month": "2026-12-01",
                "store_id": STORE,
                "store_code": "NYC-01",
                "currency": "USD",
                "issued": 12,
                "paid": 9,
                "voided": 1,
                "total": "1609.50",
                "paid_amount": "1400.00",
                "outstanding": "209.50",
            }
        ]
    )

    scope: Scope
    months: list[MonthRow]


class CashFlowRow(BaseModel):
    period: date
    store_id: uuid.UUID
    store_code: str
    currency: str
    method: str
    received: Total = Field(description="Payments dated in the period")
    reversed: Total = Field(description="Payments reversed (by a void) in the period")
    net: Total


class CashFlow(BaseModel):
    model_config = _example(
        rows=[
            {
                "period": "2026-12-01",
                "store_id": STORE,
                "store_code": "NYC-01",
                "currency": "USD",
                "method": "card",
                "received": "900.00",
                "reversed": "50.00",
                "net": "850.00",
            }
        ]
    )

    scope: Scope
    rows: list[CashFlowRow]


class CustomerValue(BaseModel):
    customer_number: str
    customer_id: str | None
    name: str
    currency: str
    invoices: int
    total: Total
    paid: Total
    outstanding: Total
    average_invoice: Total
    first_invoice: date
    last_invoice: date


class CustomerLtv(BaseModel):
    """Customers with a customer number, by what their issued (not void) invoices total."""

    model_config = _example(
        customers=[
            {
                "customer_number": "CUS-000042",
                "customer_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                "name": "Zoë Łukasiewicz",
                "currency": "USD",
                "invoices": 4,
                "total": "812.40",
                "paid": "812.40",
                "outstanding": "0.00",
                "average_invoice": "203.10",
                "first_invoice": "2026-02-11",
                "last_invoice": "2026-12-01",
            }
        ]
    )

    scope: Scope
    customers: list[CustomerValue]


class ProductRevenueRow(BaseModel):
    sku: str | None
    description: str
    currency: str
    quantity: Units
    net: Total = Field(description="Σ line nets (after line discounts, before the invoice's)")
    lines: int = Field(description="Invoice lines (one per product and invoice, as a rule)")


class ProductRevenue(BaseModel):
    model_config = _example(
        products=[
            {
                "sku": "IP13-SCR-OLED",
                "description": "iPhone 13 screen replacement",
                "currency": "USD",
                "quantity": "14.000",
                "net": "1625.40",
                "lines": 14,
            }
        ]
    )

    scope: Scope
    products: list[ProductRevenueRow]


class DemandRow(BaseModel):
    period: date
    sku: str | None
    description: str
    quantity: Units
    lines: int


class ProductDemand(BaseModel):
    """Quantities sold per period, for the ``limit`` products sold most in the range."""

    model_config = _example(
        rows=[
            {
                "period": "2026-12-01",
                "sku": "IP13-SCR-OLED",
                "description": "iPhone 13 screen replacement",
                "quantity": "3.000",
                "lines": 3,
            }
        ]
    )

    scope: Scope
    rows: list[DemandRow]
