"""/api/audit/verify: recompute a month's hash chain (system admin)."""

from __future__ import annotations

from fastapi import APIRouter

from audit.deps import IntegrityServiceDep, MonthDep
from audit.integrity.schemas import Verification
from common.openapi import described

router = APIRouter(tags=["audit"])


@router.get(
    "/api/audit/verify",
    summary="Recompute a month's hash chain: row count, head, first broken row",
    responses=described(
        r403="Not a system admin",
        r404="No log for that month",
        r410="Retention dropped that month",
        r422="month is not YYYY-MM",
    ),
)
async def verify_month(month: MonthDep, integrity: IntegrityServiceDep) -> Verification:
    return await integrity.verify(month)
