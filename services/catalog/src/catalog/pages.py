"""Pages that count only when they must: ``common.pagination.paginate`` with one round trip
less for most lists.

``paginate`` always runs ``SELECT count(*)`` and then the page. But when a page comes back
shorter than the page size, the total is already known (everything before it, plus what
it holds), so the count query is skipped: a first page of ten stores is one query, not
two. Only a full page, or an empty page past the start, needs the count. (Meant for
``common.pagination``; kept here until it moves.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    params: PageParams,
    *,
    as_dicts: bool = False,
    count: Select[Any] | None = None,
) -> tuple[int, list[Any]]:
    """The total count and the rows of the requested page (as ``common.pagination.paginate``):
    the first entity of each row, or with ``as_dicts`` each row as a dict of its columns (what
    a response model validates fastest: reading a SQLAlchemy ``Row`` by attribute costs ten
    times as much). ``count`` replaces the default count statement (``statement`` wrapped in
    ``SELECT count(*)``) when the caller has a cheaper one, e.g. without the page's joins."""
    result = await session.execute(statement.limit(params.page_size).offset(params.offset))
    if as_dicts:
        keys = list(result.keys())
        rows: list[Any] = [dict(zip(keys, row, strict=True)) for row in result]
    else:
        rows = list(result.scalars().all())
    if 0 < len(rows) < params.page_size or (not rows and params.offset == 0):
        return params.offset + len(rows), rows
    if count is None:
        count = select(func.count()).select_from(statement.order_by(None).subquery())
    return int((await session.execute(count)).scalar_one()), rows
