"""The dashboard's alerts: drawers open longer than a shift, drawers closed today with a
variance beyond the limit, sales voided today, and what inventory reported oversold in the
last seven days — most severe first, then newest first. "Today" is each store's own day."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row

from pos.config import PosSettings
from pos.dashboard.models import OversoldAlert
from pos.dashboard.repository import TODAY_LOOK_BACK, DashboardRepository
from pos.dashboard.schemas import AlertOut, Severity
from pos.dashboard.scope import DashboardScope
from pos.shops.models import Store
from pos.store_time import store_today, wall_clock

OVERSOLD_WINDOW = timedelta(days=7)
SEVERITY_RANK: dict[Severity, int] = {"critical": 0, "warning": 1, "info": 2}


class Stores:
    """The scope's stores by id, for naming them in messages."""

    def __init__(self, stores: list[Store]) -> None:
        self.by_id = {store.id: store for store in stores}

    def code(self, store_id: uuid.UUID | None) -> str:
        store = self.by_id.get(store_id) if store_id is not None else None
        return store.code if store is not None else str(store_id)

    def local(self, store_id: uuid.UUID, instant: datetime) -> str:
        store = self.by_id.get(store_id)
        return wall_clock(instant, store.time_zone if store is not None else "UTC")


def drawer_refs(drawer: Row[Any]) -> dict[str, str]:
    return {
        "drawer_id": str(drawer.id),
        "register_id": str(drawer.register_id),
        "cashier_id": drawer.cashier_id,
    }


def open_too_long(drawer: Row[Any], stores: Stores, now: datetime, shift_hours: int) -> AlertOut:
    hours = int((now - drawer.opened_at).total_seconds() // 3600)
    return AlertOut(
        kind="drawer_open_too_long",
        severity="warning",
        message=f"Drawer on register {drawer.register_code} at {stores.code(drawer.store_id)} "
        f"has been open {hours} h (since {stores.local(drawer.store_id, drawer.opened_at)}); "
        f"a shift is {shift_hours} h.",
        store_id=drawer.store_id,
        refers_to=drawer_refs(drawer),
        time=drawer.opened_at,
    )


def variance(drawer: Row[Any], stores: Stores, limit: str) -> AlertOut:
    """A closed drawer (its ``closed_at``, ``variance`` and amounts are set)."""
    return AlertOut(
        kind="drawer_variance",
        severity="critical",
        message=f"Drawer on register {drawer.register_code} at {stores.code(drawer.store_id)} "
        f"closed {drawer.variance:+.2f} off (expected {drawer.expected_amount:.2f}, counted "
        f"{drawer.counted_amount:.2f}); alerts are beyond {limit}.",
        store_id=drawer.store_id,
        refers_to=drawer_refs(drawer),
        time=drawer.closed_at,
    )


def voided(sale: Row[Any], stores: Stores) -> AlertOut:
    """A voided sale (its ``voided_at`` is set)."""
    reason = f": {sale.void_reason}" if sale.void_reason else ""
    return AlertOut(
        kind="sale_voided",
        severity="info",
        message=f"Sale {sale.receipt_number} ({sale.total:.2f}) at {stores.code(sale.store_id)} "
        f"voided by {sale.voided_by}{reason}",
        store_id=sale.store_id,
        refers_to={
            "sale_id": str(sale.id),
            "receipt_number": sale.receipt_number or "",
            "voided_by": sale.voided_by or "",
        },
        time=sale.voided_at,
    )


def oversold(report: OversoldAlert, stores: Stores) -> AlertOut:
    sale = report.receipt_number or report.sale_id or "a sale"
    where = f" at {stores.code(report.store_id)}" if report.store_id else ""
    reason = f": {report.reason}" if report.reason else ""
    refs = {
        "alert_id": str(report.id),
        "sale_id": report.sale_id,
        "receipt_number": report.receipt_number,
        "sku": report.sku,
    }
    return AlertOut(
        kind="item_oversold",
        severity="critical",
        message=f"{report.sku or 'An item'} sold on {sale}{where} is oversold{reason}",
        store_id=report.store_id,
        refers_to={key: value for key, value in refs.items() if value},
        time=report.occurred_at,
    )


async def dashboard_alerts(
    queries: DashboardRepository, scope: DashboardScope, settings: PosSettings, now: datetime
) -> list[AlertOut]:
    if not scope.stores and not scope.every_store:
        return []
    stores = Stores(scope.stores)
    today = {store.id: store_today(store.time_zone, now) for store in scope.stores}
    since = now - TODAY_LOOK_BACK
    shift = timedelta(hours=settings.shift_hours)
    limit = f"±{settings.variance_alert:.2f}"
    alerts = [
        *(
            open_too_long(drawer, stores, now, settings.shift_hours)
            for drawer in await queries.drawers_open_before(scope.store_ids, now - shift)
        ),
        *(
            variance(drawer, stores, limit)
            for drawer in await queries.drawers_closed_off_by(today, since, settings.variance_alert)
        ),
        *(voided(sale, stores) for sale in await queries.sales_voided_on(today, since)),
        *(
            oversold(report, stores)
            for report in await queries.oversold_since(scope.store_ids, now - OVERSOLD_WINDOW)
        ),
    ]
    return sorted(
        alerts, key=lambda alert: (SEVERITY_RANK[alert.severity], -alert.time.timestamp())
    )
