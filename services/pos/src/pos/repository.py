"""What every domain's repository has: its session, and one page of a listing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, paginate


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, statement: Select[Any], params: PageParams, *, scalars: bool = True
    ) -> tuple[int, list[Any]]:
        """(how many rows the listing has, the rows of the requested page)."""
        return await paginate(self.session, statement, params, scalars=scalars)
