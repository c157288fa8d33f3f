"""/api/reports: the index and each report, JSON or ``?format=csv``, for system admins and
for branch heads on their own stores."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from common.openapi import described
from common.security import BranchHeadUser
from common.types import IsoDate
from invoicing.deps import ReportServiceDep
from invoicing.reports.csv import rows_to_csv
from invoicing.reports.schemas import (
    CashFlow,
    CashFlowRow,
    CustomerLtv,
    CustomerValue,
    DemandRow,
    GroupBy,
    InvoiceStatusReport,
    KpiDashboard,
    Kpis,
    MonthlyInvoices,
    MonthRow,
    ProductDemand,
    ProductRevenue,
    ProductRevenueRow,
    ReportFilters,
    ReportFormat,
    ReportIndex,
    ReportLink,
    RevenueReport,
    RevenueRow,
    StatusRow,
)

router = APIRouter(prefix="/api/reports", tags=["reports"])
REFUSED = described(
    r403="Not a branch head or admin, or another store", r422="A bad filter, named in the detail"
)
CSV = {"content": {"text/csv": {}}, "description": "The report (JSON), or its rows as CSV"}


def report_filters(
    store: Annotated[uuid.UUID | None, Query(description="Only this store")] = None,
    date_from: Annotated[
        IsoDate | None, Query(description="From this day (the store's calendar)")
    ] = None,
    date_to: Annotated[IsoDate | None, Query(description="Up to and including this day")] = None,
    group_by: Annotated[
        GroupBy, Query(description="day, week (from Monday) or month")
    ] = GroupBy.day,
    limit: Annotated[int, Query(ge=1, le=500, description="Rows of ranked reports")] = 50,
) -> ReportFilters:
    return ReportFilters(
        store=store, date_from=date_from, date_to=date_to, group_by=group_by, limit=limit
    )


Filters = Annotated[ReportFilters, Depends(report_filters)]
Format = Annotated[ReportFormat, Query(alias="format", description="json or csv")]


def respond(
    report: BaseModel,
    fmt: ReportFormat,
    rows: Sequence[BaseModel],
    row_type: type[BaseModel],
    name: str,
) -> Response:
    if fmt == ReportFormat.csv:
        return Response(
            rows_to_csv(rows, list(row_type.model_fields)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(report.model_dump_json(), media_type="application/json")


REPORTS = {
    "revenue": "Invoiced amounts per period, store and currency (issued, not void)",
    "kpi-dashboard": "Issued, revenue, collected, outstanding and overdue, per currency",
    "invoice-status": "Invoices per status, and each store's number sequence checked for gaps",
    "monthly-invoices": "Issued, paid and voided invoices per month and store",
    "cash-flow": "Payments received and reversed per period, store and method",
    "customer-ltv": "Customers by what their invoices total",
    "product-revenue": "Products and services by net revenue",
    "product-demand": "Quantities sold per period of the most sold products",
}


@router.get("", summary="The reports there are", response_model=ReportIndex)
async def report_index(_: BranchHeadUser) -> ReportIndex:
    return ReportIndex(
        reports=[
            ReportLink(name=name, path=f"/api/reports/{name}", description=text)
            for name, text in REPORTS.items()
        ]
    )


@router.get(
    "/revenue",
    summary=REPORTS["revenue"],
    response_model=RevenueReport,
    responses={200: CSV, **REFUSED},
)
async def revenue_report(
    _: BranchHeadUser, reports: ReportServiceDep, filters: Filters, fmt: Format = ReportFormat.json
) -> Response:
    report = await reports.revenue(filters)
    return respond(report, fmt, report.rows, RevenueRow, "revenue")


@router.get(
    "/kpi-dashboard",
    summary=REPORTS["kpi-dashboard"],
    response_model=KpiDashboard,
    responses={200: CSV, **REFUSED},
)
async def kpi_dashboard(
    _: BranchHeadUser, reports: ReportServiceDep, filters: Filters, fmt: Format = ReportFormat.json
) -> Response:
    report = await reports.kpi_dashboard(filters)
    return respond(report, fmt, report.kpis, Kpis, "kpi-dashboard")


@router.get(
    "/invoice-status",
    summary=REPORTS["invoice-status"],
    response_model=InvoiceStatusReport,
    responses={200: CSV, **REFUSED},
)
async def invoice_status_report(
    _: BranchHeadUser, reports: ReportServiceDep, filters: Filters, fmt: Format = ReportFormat.json
) -> Response:
    report = await reports.invoice_status(filters)
    return respond(report, fmt, report.statuses, StatusRow, "invoice-status")


@router.get(
    "/monthly-invoices",
    summary=REPORTS["monthly-invoices"],
    response_model=MonthlyInvoices,
    responses={200: CSV, **REFUSED},
)
async def monthly_invoices_report(
    _: BranchHeadUser, reports: ReportServiceDep, filters: Filters, fmt: Format = ReportFormat.json
) -> Response:
    report = await reports.monthly_invoices(filters)
    return respond(report, fmt, report.months, MonthRow, "monthly-invoices")


@router.get(
    "/cash-flow",
    summary=REPORTS["cash-flow"],
    response_model=CashFlow,
    responses={200: CSV, **REFUSED},
)
async def cash_flow_report(
    _: BranchHeadUser, reports: ReportServiceDep, filters: Filters, fmt: Format = ReportFormat.json
) -> Response:
    report = await reports.cash_flow(filters)
    return respond(report, fmt, report.rows, CashFlowRow, "cash-flow")


@router.get(
    "/customer-ltv",
    summary=REPORTS["customer-ltv"],
    response_model=CustomerLtv,
    responses={200: CSV, **REFUSED},
)
async def customer_ltv_report(
    _: BranchHeadUser, reports: ReportServiceDep, filters: Filters, fmt: Format = ReportFormat.json
) -> Response:
    report = await reports.customer_ltv(filters)
    return respond(report, fmt, report.customers, CustomerValue, "customer-ltv")


@router.get(
    "/product-revenue",
    summary=REPORTS["product-revenue"],
    response_model=ProductRevenue,
    responses={200: CSV, **REFUSED},
)
async def product_revenue_report(
    _: BranchHeadUser, reports: ReportServiceDep, filters: Filters, fmt: Format = ReportFormat.json
) -> Response:
    report = await reports.product_revenue(filters)
    return respond(report, fmt, report.products, ProductRevenueRow, "product-revenue")


@router.get(
    "/product-demand",
    summary=REPORTS["product-demand"],
    response_model=ProductDemand,
    responses={200: CSV, **REFUSED},
)
async def product_demand_report(
    _: BranchHeadUser, reports: ReportServiceDep, filters: Filters, fmt: Format = ReportFormat.json
) -> Response:
    report = await reports.product_demand(filters)
    return respond(report, fmt, report.rows, DemandRow, "product-demand")
