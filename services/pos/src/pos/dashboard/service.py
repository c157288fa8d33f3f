"""The dashboard of the stores a caller may see (``DashboardScope``): today's and the weeks'
numbers (``metrics``), the alerts (``alerts``), and the oversold reports inventory sends."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import NotFound, PermissionDenied
from common.roles import Principal
from common.scope import own_stores
from pos.config import PosSettings
from pos.dashboard.alerts import dashboard_alerts
from pos.dashboard.metrics import dashboard_metrics
from pos.dashboard.repository import DashboardRepository
from pos.dashboard.schemas import AlertOut, MetricsOut
from pos.dashboard.scope import DashboardScope
from pos.events.contracts import ItemOversold
from pos.goals.repository import GoalRepository
from pos.shops.repository import StoreRepository


class DashboardService:
    def __init__(self, session: AsyncSession, actor: Principal, settings: PosSettings) -> None:
        self.queries = DashboardRepository(session)
        self.goals = GoalRepository(session)
        self.stores = StoreRepository(session)
        self.actor = actor
        self.settings = settings

    async def scope(self, store: uuid.UUID | None) -> DashboardScope:
        """403 for a ``store`` that is not the caller's; 404 for one POS does not know."""
        if store is not None:
            if not (self.actor.is_admin or store in own_stores(self.actor)):
                raise PermissionDenied(
                    f"Store {store} is not one of your stores; leave ?store= out to see yours."
                )
            found = await self.stores.by_ids([store])
            if not found:
                raise NotFound(f"No store {store}.")
            return DashboardScope(found, every_store=False)
        if self.actor.is_admin:
            return DashboardScope(await self.stores.by_ids(None), every_store=True)
        mine = own_stores(self.actor)
        stores = await self.stores.by_ids(list(mine)) if mine else []
        return DashboardScope(stores, every_store=False)

    async def metrics(self, store: uuid.UUID | None, now: datetime) -> MetricsOut:
        return await dashboard_metrics(self.queries, self.goals, await self.scope(store), now)

    async def alerts(self, store: uuid.UUID | None, now: datetime) -> list[AlertOut]:
        return await dashboard_alerts(self.queries, await self.scope(store), self.settings, now)


class OversoldReports:
    """inventory's ``inventory.item.oversold`` into the alerts (the system acting)."""

    def __init__(self, session: AsyncSession) -> None:
        self.queries = DashboardRepository(session)

    async def record(self, report: ItemOversold, *, event_id: uuid.UUID, at: datetime) -> None:
        """Kept once per event, whatever it names (a report is never refused)."""
        await self.queries.record_oversold(
            {
                "id": event_id,
                "store_id": report.store_id,
                "sale_id": report.sale_id or "",
                "receipt_number": report.receipt_number or "",
                "sku": report.sku or "",
                "reason": (report.reason or "")[:200],
                "occurred_at": at,
            }
        )
