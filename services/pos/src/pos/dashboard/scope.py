"""Whose numbers a caller sees on the dashboard: a system admin every store (or the one in
``?store=``), anyone else only the stores in their token — none at all for a customer
without stores, who then sees zeros, never another store's data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import NotFound, PermissionDenied
from common.roles import Principal
from common.scope import own_stores
from pos.dashboard import queries
from pos.models import Store


@dataclass(frozen=True)
class DashboardScope:
    stores: list[Store]
    every_store: bool  # a system admin without ?store=: also what names no store

    @property
    def store_ids(self) -> list[uuid.UUID] | None:
        """None for every store."""
        return None if self.every_store else [store.id for store in self.stores]


async def visible_stores(
    session: AsyncSession, actor: Principal, store: uuid.UUID | None
) -> DashboardScope:
    """403 for a ``store`` that is not the caller's; 404 for one POS does not know."""
    if store is not None:
        if not (actor.is_admin or store in own_stores(actor)):
            raise PermissionDenied(
                f"Store {store} is not one of your stores; leave ?store= out to see yours."
            )
        found = await queries.stores(session, [store])
        if not found:
            raise NotFound(f"No store {store}.")
        return DashboardScope(found, every_store=False)
    if actor.is_admin:
        return DashboardScope(await queries.stores(session, None), every_store=True)
    mine = own_stores(actor)
    return DashboardScope(await queries.stores(session, mine) if mine else [], every_store=False)
