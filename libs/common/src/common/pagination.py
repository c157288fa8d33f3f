"""DRF-style pages ``{count, next, previous, results}`` with ``page``/``page_size``, ordering and search.

Repositories build a ``Select``; ``paginate`` slices it and counts only when it must (a
page shorter than the page size already tells the total), and ``page_of`` shapes the
rows with the response model. ``ordering``
maps the public field names a route allows to columns, and refuses any other
name with 400 instead of failing in SQL. ``page`` is at most ``MAX_PAGE`` (422
above, so an OFFSET never overflows bigint); ``page_size`` above the service's
``PAGE_SIZE_MAX`` is capped to it, as DRF does. ``escape_like`` /
``contains_pattern`` make user text safe inside ``LIKE``/``ILIKE``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import BadRequest

T = TypeVar("T")

# Deep enough for any real listing; (MAX_PAGE - 1) x PAGE_SIZE_MAX (at most 10,000) stays
# far below PostgreSQL's bigint OFFSET limit.
MAX_PAGE = 1_000_000
LIKE_ESCAPE = "\\"


class Page(BaseModel, Generic[T]):
    count: int
    next: str | None
    previous: str | None
    results: list[T]


class PageParams:
    def __init__(self, request: Request, page: int, page_size: int) -> None:
        self.request = request
        self.page = page
        self.page_size = page_size

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def link(self, page: int) -> str:
        return str(self.request.url.include_query_params(page=page, page_size=self.page_size))


async def page_params(
    request: Request,
    page: Annotated[
        int, Query(ge=1, le=MAX_PAGE, description=f"1-based page number, at most {MAX_PAGE:,}")
    ] = 1,
    page_size: Annotated[
        int | None,
        Query(
            ge=1,
            description="Items per page; larger values are capped to the service's "
            "PAGE_SIZE_MAX (100 by default), as the `next` link shows",
        ),
    ] = None,
) -> PageParams:
    settings = request.app.state.settings
    size = min(page_size or settings.page_size_default, settings.page_size_max)
    return PageParams(request, page, size)


PageDep = Annotated[PageParams, Depends(page_params)]


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    params: PageParams,
    *,
    scalars: bool = True,
    as_dicts: bool = False,
    count: Select[Any] | None = None,
) -> tuple[int, list[Any]]:
    """The total count and the rows of the requested page.

    Rows are the first entity of each row (``scalars``), whole rows, or with ``as_dicts``
    each row as a dict of its columns (what a response model validates fastest). The page
    is read first: when it is shorter than the page size, or empty on the first page, the
    total is known without a ``count(*)`` — most lists are one query, not two. ``count``
    replaces the default count statement when the caller has a cheaper one (e.g. without
    the page's joins)."""
    result = await session.execute(statement.limit(params.page_size).offset(params.offset))
    rows: list[Any]
    if as_dicts:
        keys = list(result.keys())
        rows = [dict(zip(keys, row, strict=True)) for row in result]
    elif scalars:
        rows = list(result.scalars().all())
    else:
        rows = list(result.all())
    if 0 < len(rows) < params.page_size or (not rows and params.offset == 0):
        return params.offset + len(rows), rows
    if count is None:
        count = select(func.count()).select_from(statement.order_by(None).subquery())
    return int((await session.execute(count)).scalar_one()), rows


TOTAL = "_page_total"


async def paginate_counted(
    session: AsyncSession, statement: Select[Any], count: Select[Any], params: PageParams
) -> tuple[int, list[dict[str, Any]]]:
    """The total and the page's rows as dicts, in one statement when the page is full.

    ``count`` rides along as a scalar subquery column: PostgreSQL computes it once for the
    statement (an InitPlan, only when a row is produced), from the same snapshot as the
    rows, and the list costs one round trip and one execution where ``paginate`` needs two
    for a full page (bench/README.md, catalog-list). Only a page past the end (no rows,
    page > 1) runs ``count`` alone."""
    counted = statement.add_columns(count.scalar_subquery().label(TOTAL))
    result = await session.execute(counted.limit(params.page_size).offset(params.offset))
    columns = list(result.keys())[:-1]  # the total is the last column
    total: int | None = None
    rows: list[dict[str, Any]] = []
    for row in result:
        total = row[-1]
        rows.append(dict(zip(columns, row, strict=False)))  # zip stops before the total
    if total is not None:
        return int(total), rows
    if params.offset == 0:
        return 0, rows
    return int((await session.execute(count)).scalar_one()), rows


Out = TypeVar("Out", bound=BaseModel)


def page_of(schema: type[Out], found: tuple[int, Sequence[Any]], params: PageParams) -> Page[Out]:
    """A page of ``schema``: ``found`` is the total count and the page's rows (``paginate``'s
    answer, or a service listing's)."""
    total, rows = found
    return make_page(total, [schema.model_validate(row) for row in rows], params)


def make_page(count: int, results: Sequence[T], params: PageParams) -> Page[T]:
    has_next = params.offset + len(results) < count
    return Page[T](
        count=count,
        next=params.link(params.page + 1) if has_next else None,
        previous=params.link(params.page - 1) if params.page > 1 else None,
        results=list(results),
    )


def apply_ordering(
    statement: Select[Any],
    ordering: str | None,
    allowed: Mapping[str, ColumnElement[Any] | Any],
    default: Sequence[Any] = (),
) -> Select[Any]:
    """``?ordering=-price,name`` → ORDER BY; unknown fields → 400 listing the allowed ones."""
    if not ordering:
        return statement.order_by(*default)
    clauses = []
    for raw in ordering.split(","):
        name = raw.strip()
        descending = name.startswith("-")
        field = name.lstrip("-")
        if field not in allowed:
            raise BadRequest(
                f"Unknown ordering field '{field}'. Allowed: {', '.join(sorted(allowed))}."
            )
        column = allowed[field]
        clauses.append(column.desc() if descending else column.asc())
    return statement.order_by(*clauses, *default)


def escape_like(text: str) -> str:
    """``text`` matched literally by LIKE/ILIKE with ``escape=LIKE_ESCAPE``: ``%`` and ``_``
    (and the escape character itself) lose their wildcard meaning."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_pattern(text: str) -> str:
    """The LIKE pattern for "contains ``text``": ``column.ilike(contains_pattern(term),
    escape=LIKE_ESCAPE)``."""
    return f"%{escape_like(text)}%"


def apply_search(statement: Select[Any], search: str | None, columns: Sequence[Any]) -> Select[Any]:
    """Case-insensitive substring match of ``search`` over ``columns`` (wildcards are literal)."""
    if not search or not search.strip():
        return statement
    pattern = contains_pattern(search.strip())
    return statement.where(or_(*(column.ilike(pattern, escape=LIKE_ESCAPE) for column in columns)))
