"""Queries on consignee accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, update

from common.pagination import apply_search
from common.roles import Principal
from common.scope import scoped
from pos.consignment.models import Consignee, ConsigneeStatus
from pos.repository import Repository


class ConsigneeRepository(Repository):
    async def get(self, user_id: str, *, lock: bool = False) -> Consignee | None:
        return await self.session.get(Consignee, user_id, with_for_update=lock)

    def listing(
        self,
        actor: Principal,
        *,
        search: str | None,
        store: uuid.UUID | None,
        status: ConsigneeStatus | None,
    ) -> Select[Any]:
        statement = scoped(select(Consignee), Consignee.store_id, actor)
        if store is not None:
            statement = statement.where(Consignee.store_id == store)
        if status is not None:
            statement = statement.where(Consignee.status == status)
        statement = apply_search(
            statement,
            search,
            [Consignee.first_name, Consignee.last_name, Consignee.email, Consignee.phone],
        )
        return statement.order_by(Consignee.last_name, Consignee.first_name, Consignee.user_id)

    async def sync_from_auth(self, user_id: str, values: dict[str, Any], *, at: datetime) -> bool:
        """Write auth's ``values`` on the account unless a newer event's are there."""
        statement = (
            update(Consignee)
            .where(
                Consignee.user_id == user_id,
                or_(Consignee.synced_at.is_(None), Consignee.synced_at <= at),
            )
            .values(**values, synced_at=at, updated_at=func.now())
            .returning(Consignee.user_id)
        )
        return (await self.session.execute(statement)).first() is not None

    async def save(self, consignee: Consignee) -> Consignee:
        self.session.add(consignee)
        await self.session.flush()
        await self.session.refresh(consignee)
        return consignee
