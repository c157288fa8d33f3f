"""Queries on consignee accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from common.pagination import apply_search
from common.roles import Principal
from common.scope import scoped
from common.updates import assign
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

    async def sync_from_auth(
        self, user_id: str, values: dict[str, Any], *, at: datetime
    ) -> tuple[Consignee, list[str]] | None:
        """Write auth's ``values`` on the account (locked) unless a newer event's are there:
        (the account, the fields whose value changed); None when it was not written."""
        consignee = await self.get(user_id, lock=True)
        if consignee is None or (consignee.synced_at is not None and consignee.synced_at > at):
            return None
        changed = assign(consignee, values)
        consignee.synced_at = at  # updated_at follows (onupdate)
        await self.session.flush()
        return consignee, changed

    async def save(self, consignee: Consignee) -> Consignee:
        self.session.add(consignee)
        await self.session.flush()
        await self.session.refresh(consignee)
        return consignee
