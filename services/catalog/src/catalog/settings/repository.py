"""Every query of app settings: by key, and the list (ordered by key)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.settings.models import AppSetting
from common.pagination import PageParams, apply_search, paginate


class SettingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_key(self, key: str) -> AppSetting | None:
        return await self.session.get(AppSetting, key)

    async def add(self, setting: AppSetting) -> None:
        self.session.add(setting)
        await self.session.flush()
        await self.session.refresh(setting)

    async def save(self, setting: AppSetting) -> None:
        await self.session.flush()
        await self.session.refresh(setting)

    async def delete(self, setting: AppSetting) -> None:
        await self.session.delete(setting)
        await self.session.flush()

    def listing(self, *, search: str | None) -> Select[Any]:
        statement = apply_search(
            select(AppSetting), search, [AppSetting.key, AppSetting.description]
        )
        return statement.order_by(AppSetting.key)

    async def page(self, statement: Select[Any], params: PageParams) -> tuple[int, list[Any]]:
        return await paginate(self.session, statement, params)
