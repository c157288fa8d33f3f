"""Seed 000's monthly reports (a store's, the caller's own) and closing a store's month."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response

from attendance.deps import ReportServiceDep
from attendance.fields import MONTH_PATTERN
from attendance.reports.schemas import MyReportOut, StoreReportOut
from attendance.reports.spreadsheet import report_csv
from common.openapi import described
from common.security import AdminUser, BranchHeadUser, StaffUser

router = APIRouter(prefix="/api/attendance/reports", tags=["reports"])

Month = Annotated[
    str | None,
    Query(
        pattern=MONTH_PATTERN, description="YYYY-MM (2000-2099); this month at the store by default"
    ),
]


class Format(StrEnum):
    json = "json"
    csv = "csv"


@router.get(
    "/store/{store_id}",
    summary="A store's monthly attendance report (JSON or CSV)",
    response_model=StoreReportOut,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The report (CSV with ?format=csv)"},
        **described(r403="Another store's", r404="No such store"),
    },
)
async def store_report(
    store_id: uuid.UUID,
    _: BranchHeadUser,
    reports: ReportServiceDep,
    month: Month = None,
    format: Annotated[Format, Query(description="json or csv")] = Format.json,
) -> StoreReportOut | Response:
    report = await reports.store_month(store_id, month)
    if format == Format.csv:
        return Response(
            report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="attendance-{report.store_code}-{report.month}.csv"'
            },
        )
    return report


@router.post(
    "/store/{store_id}/close",
    summary="Close a store's month: its report is stored, and nothing in it changes any more",
    responses=described(r404="No such store", r409="Already closed, or the month is not over"),
)
async def close_month(
    store_id: uuid.UUID,
    _: AdminUser,
    reports: ReportServiceDep,
    month: Annotated[str, Query(pattern=MONTH_PATTERN, description="YYYY-MM")],
) -> StoreReportOut:
    return await reports.close(store_id, month)


@router.get("/me", summary="Your monthly attendance report, per store")
async def my_report(_: StaffUser, reports: ReportServiceDep, month: Month = None) -> MyReportOut:
    return await reports.my_month(month)
