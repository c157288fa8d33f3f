"""Queries of selfies."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.selfies.models import Selfie


class SelfieRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, selfie_id: uuid.UUID) -> Selfie | None:
        return await self.session.get(Selfie, selfie_id)

    async def add(self, selfie: Selfie) -> Selfie:
        self.session.add(selfie)
        await self.session.flush()
        return selfie
