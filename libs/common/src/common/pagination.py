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
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, or_, select
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
        """This request's URL on ``page`` (``page`` and ``page_size`` moved last, as
        starlette's ``include_query_params`` puts them), without re-parsing the URL."""
        url = self.request.url
        kept = [
            (key, value)
            for key, value in self.request.query_params.multi_items()
            if key not in _PAGE_KEYS
        ]
        query = urlencode([*kept, ("page", page), ("page_size", self.page_size)])
        return f"{url.scheme}://{url.netloc}{url.path}?{query}"


_PAGE_KEYS = frozenset({"page", "page_size"})


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
PAGE_LIMIT = bindparam("page_limit", type_=Integer)
PAGE_OFFSET = bindparam("page_offset", type_=Integer)


def counted_listing(statement: Select[Any], count: Select[Any]) -> Select[Any]:
    """What ``paginate_counted`` runs: ``statement``'s columns, then ``count``'s total, sliced
    by the page's bound ``page_limit`` and ``page_offset``.

    Build it once — at import, or once per filter shape with the filters' values as bound
    parameters (``catalog.products.repository``): SQLAlchemy memoizes a statement's cache
    key on the statement, so a reused one finds its compiled SQL at once, where one built per
    request is constructed (``where``, ``order_by``, the subquery, the limits coerced into
    parameters) and walked for its key each time."""
    total = count.scalar_subquery().label(TOTAL)
    return statement.add_columns(total).limit(PAGE_LIMIT).offset(PAGE_OFFSET)


async def paginate_counted(
    session: AsyncSession,
    listing: Select[Any],
    count: Select[Any],
    params: PageParams,
    values: Mapping[str, Any] | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """The total and the page's rows as dicts, in one statement when the page is full.

    ``listing`` is ``counted_listing(statement, count)``; ``values`` the bound parameters of
    both (the filters'). The count rides along as a scalar subquery column: PostgreSQL
    computes it once for the statement (an InitPlan, only when a row is produced), from the
    same snapshot as the rows, and the list costs one round trip and one execution where
    ``paginate`` needs two for a full page (bench/README.md, catalog-list). Only a page past
    the end (no rows, page > 1) runs ``count`` alone."""
    bound = {**(values or {}), "page_limit": params.page_size, "page_offset": params.offset}
    result = await session.execute(listing, bound)
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
    return int((await session.execute(count, dict(values or {}))).scalar_one()), rows


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


def ordering_key(ordering: str | None, allowed: Mapping[str, Any]) -> tuple[str, ...]:
    """``?ordering=`` as a tuple of ``field`` / ``-field``, each field once (a repeat orders
    nothing more: the first wins); unknown fields → 400 listing the allowed ones. A key a
    repository may cache statements by: its values are few."""
    if not ordering:
        return ()
    order: list[str] = []
    seen: set[str] = set()
    for raw in ordering.split(","):
        name = raw.strip()
        field = name.lstrip("-")
        if field not in allowed:
            raise BadRequest(
                f"Unknown ordering field '{field}'. Allowed: {', '.join(sorted(allowed))}."
            )
        if field not in seen:
            seen.add(field)
            order.append(f"-{field}" if name.startswith("-") else field)
    return tuple(order)


def apply_ordering(
    statement: Select[Any],
    ordering: str | None,
    allowed: Mapping[str, ColumnElement[Any] | Any],
    default: Sequence[Any] = (),
) -> Select[Any]:
    """``?ordering=-price,name`` → ORDER BY (``ordering_key``'s fields, each once); unknown
    fields → 400 listing the allowed ones."""
    clauses = [
        allowed[name[1:]].desc() if name.startswith("-") else allowed[name].asc()
        for name in ordering_key(ordering, allowed)
    ]
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
