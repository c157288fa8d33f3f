"""Queries on agreement versions."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select

from common.roles import Principal
from common.scope import scoped
from pos.consignment.models import Agreement, AgreementStatus
from pos.repository import Repository


class AgreementRepository(Repository):
    async def get(self, agreement_id: uuid.UUID, *, lock: bool = False) -> Agreement | None:
        return await self.session.get(Agreement, agreement_id, with_for_update=lock)

    def listing(
        self,
        actor: Principal,
        *,
        consignee: str | None,
        status: AgreementStatus | None,
        number: uuid.UUID | None,
    ) -> Select[Any]:
        statement = scoped(select(Agreement), Agreement.store_id, actor)
        if consignee is not None:
            statement = statement.where(Agreement.consignee_id == consignee)
        if status is not None:
            statement = statement.where(Agreement.status == status)
        if number is not None:
            statement = statement.where(Agreement.number == number)
        return statement.order_by(Agreement.created_at, Agreement.number, Agreement.version)

    async def save(self, agreement: Agreement) -> Agreement:
        self.session.add(agreement)
        await self.session.flush()
        await self.session.refresh(agreement)
        return agreement
