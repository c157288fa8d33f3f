"""Seed 002 /api/pos/dashboard (any signed-in user): metrics and alerts of the stores the
caller may see — a system admin every store, anyone else the stores in their token."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from common.openapi import described
from common.security import CurrentUser
from pos.dashboard.schemas import AlertOut, MetricsOut
from pos.deps import DashboardServiceDep

router = APIRouter(prefix="/api/pos/dashboard", tags=["dashboard"])
SCOPED = described(r403="?store= is not one of your stores", r404="No such store")


async def clock() -> datetime:
    """Now; tests override this dependency to fix the day."""
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(clock)]
StoreQuery = Annotated[
    uuid.UUID | None,
    Query(description="One store (yours, or any for a system admin); default: all yours"),
]


@router.get(
    "/metrics",
    summary="Today's revenue and quick stats, this week by day, the last four weeks, today's "
    "top items and revenue goal (each store in its own time zone)",
    responses=SCOPED,
)
async def metrics(
    _: CurrentUser, dashboard: DashboardServiceDep, now: Now, store: StoreQuery = None
) -> MetricsOut:
    return await dashboard.metrics(store, now)


@router.get(
    "/alerts",
    summary="Drawers open longer than a shift, large closing variances and voids today, "
    "oversold items in the last 7 days",
    responses=SCOPED,
)
async def alerts(
    _: CurrentUser, dashboard: DashboardServiceDep, now: Now, store: StoreQuery = None
) -> list[AlertOut]:
    return await dashboard.alerts(store, now)
