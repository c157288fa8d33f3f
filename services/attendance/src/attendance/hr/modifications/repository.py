"""Queries of modification requests."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.hr.modifications.models import ModificationRequest


class ModificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, request_id: uuid.UUID) -> ModificationRequest | None:
        return (
            await self.session.scalars(
                select(ModificationRequest)
                .where(ModificationRequest.id == request_id)
                .with_for_update()
            )
        ).first()

    def listing(self, *, employee: str | None, status: str | None) -> Select[Any]:
        statement = select(ModificationRequest)
        if employee is not None:
            statement = statement.where(ModificationRequest.person_id == employee)
        if status is not None:
            statement = statement.where(ModificationRequest.status == status)
        return statement.order_by(ModificationRequest.created_at.desc(), ModificationRequest.id)

    async def add(self, request: ModificationRequest) -> ModificationRequest:
        self.session.add(request)
        await self.session.flush()
        await self.session.refresh(request)
        return request
