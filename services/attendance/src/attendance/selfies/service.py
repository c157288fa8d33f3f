"""Selfies: cleaned and stored at a punch; shown to their person and the store's managers only."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.config import AttendanceSettings
from attendance.selfies.images import CleanSelfie, clean_selfie
from attendance.selfies.models import Selfie
from attendance.selfies.repository import SelfieRepository
from attendance.selfies.storage import Storage
from common.errors import NotFound, PermissionDenied
from common.roles import Principal, Role
from common.scope import check_store


@dataclass(frozen=True)
class SelfieFile:
    selfie: Selfie
    data: bytes


class SelfieService:
    def __init__(
        self, session: AsyncSession, storage: Storage, settings: AttendanceSettings
    ) -> None:
        self.selfies = SelfieRepository(session)
        self.storage = storage
        self.settings = settings

    async def clean(self, data: bytes) -> CleanSelfie:
        """The upload made safe (4xx for what is not an acceptable photo); nothing stored yet."""
        return await asyncio.to_thread(
            clean_selfie,
            data,
            max_bytes=self.settings.selfie_max_bytes,
            max_pixels=self.settings.selfie_max_pixels,
            max_side=self.settings.selfie_max_side,
        )

    async def keep(self, *, person_id: str, store_id: uuid.UUID, clean: CleanSelfie) -> Selfie:
        """Store a cleaned selfie under a new name, with its row."""
        selfie = await self.selfies.add(
            Selfie(
                id=uuid.uuid4(),
                person_id=person_id,
                store_id=store_id,
                storage_key=f"{uuid.uuid4().hex}.jpg",
                content_type=clean.content_type,
                size=len(clean.data),
                width=clean.width,
                height=clean.height,
            )
        )
        await self.storage.save(selfie.storage_key, clean.data)  # after the row: no stray file
        return selfie

    async def to_show(self, actor: Principal, selfie_id: uuid.UUID) -> SelfieFile:
        """The selfie, for its own person or a manager of its store (403 for anyone else)."""
        selfie = await self.selfies.get(selfie_id)
        if selfie is None:
            raise NotFound(f"Selfie {selfie_id} not found.")
        if selfie.person_id != actor.user_id:
            if not actor.has_role(Role.branch_head):
                raise PermissionDenied("Only the person and their store's managers see a selfie.")
            check_store(actor, selfie.store_id)
        return SelfieFile(selfie, await self.storage.read(selfie.storage_key))
