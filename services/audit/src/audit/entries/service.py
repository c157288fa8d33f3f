"""Reading the log: filters checked against what the log has seen, and the caller's scope.

A system admin reads every row. A branch head reads the rows of their own stores only:
without ``?store=`` the list is every row naming one of their stores; ``?store=`` naming
another store is refused (403); rows naming no store (a login, a catalog product) are a
system admin's to read. The same scope applies to a single row, an export and the action
counts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic

from psycopg.errors import QueryCanceled
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from audit.entries.errors import query_error
from audit.entries.models import AuditEntry
from audit.entries.repository import EntryFilters, EntryRepository, counted_by_totals
from audit.entries.schemas import ActionOut, LogQuery
from audit.stores.service import StoreService
from common.errors import NotFound, PermissionDenied
from common.pagination import PageParams
from common.roles import Principal
from common.scope import own_stores

SHOWN_CHOICES = 20  # known values listed in an error about an unknown one
EXACT_COUNT_LIMIT = 10_000  # AUDIT_EXACT_COUNT_LIMIT's default


def _start(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def _end(value: date | datetime) -> datetime:
    """The exclusive end of ``date_to``: a date includes its whole (UTC) day."""
    if isinstance(value, datetime):
        return _start(value) + timedelta(microseconds=1)
    return datetime.combine(value + timedelta(days=1), time.min, tzinfo=UTC)


def _unknown(name: str, value: str, known: set[str]) -> None:
    if value in known:
        return
    listed = ", ".join(sorted(known)[:SHOWN_CHOICES]) or "none yet"
    more = f" (and {len(known) - SHOWN_CHOICES} more)" if len(known) > SHOWN_CHOICES else ""
    raise query_error(name, f"unknown {name} {value!r}; the log has seen: {listed}{more}")


class LogService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.entries = EntryRepository(session)

    def scope(self) -> frozenset[uuid.UUID] | None:
        """The stores the caller may read (None: all of them)."""
        return None if self.actor.is_admin else frozenset(own_stores(self.actor))

    async def filters(self, query: LogQuery) -> EntryFilters:
        """The query checked: known values only, dates in order, a store the caller may read."""
        if query.action or query.source or query.entity:
            actions, sources, entities = await self.entries.vocabulary()
            if query.action:
                _unknown("action", query.action, actions)
            if query.source:
                _unknown("source", query.source, sources)
            if query.entity:
                _unknown("entity", query.entity, entities)
        stores = self.scope()
        if query.store is not None:
            if stores is not None and query.store not in stores:
                raise PermissionDenied(
                    f"store {query.store} is not one of yours: a branch head reads the log "
                    "of their own stores only"
                )
            if not await StoreService(self.session).known(query.store):
                raise query_error(
                    "store", f"unknown store {query.store} (stores come from catalog)"
                )
        date_from = _start(query.date_from) if query.date_from is not None else None
        date_to = _end(query.date_to) if query.date_to is not None else None
        if date_from is not None and date_to is not None and date_from >= date_to:
            raise query_error("date_from", "date_from is after date_to")
        return EntryFilters(
            entity=query.entity,
            entity_id=query.entity_id,
            actor=query.actor,
            action=query.action,
            store=query.store,
            stores=stores,
            source=query.source,
            date_from=date_from,
            date_to=date_to,
            search=query.search.strip() if query.search and query.search.strip() else None,
            flagged=query.flagged,
        )

    async def page(
        self,
        query: LogQuery,
        params: PageParams,
        *,
        newest_first: bool = True,
        search_timeout: float | None = None,
        exact_count_limit: int = EXACT_COUNT_LIMIT,
    ) -> tuple[int, list[AuditEntry]]:
        """The matching count and one page of rows (newest first by default). A text search
        scans rows; past ``search_timeout`` seconds it is refused, naming ``search``.

        The count stays cheap at any size of the log: from the action totals when the
        filters are their dimensions (exact); else, on a page that is the last one, the rows
        before it and on it (exact); else counted up to ``exact_count_limit`` (exact up to
        it); past that, PostgreSQL's estimate, kept above the limit and past this page when
        a next page exists (below it otherwise), so ``next`` is there exactly when there is
        a next page."""
        filters = await self.filters(query)
        statement = self.entries.listing(filters, newest_first=newest_first)
        limited = bool(filters.search) and search_timeout is not None
        started = monotonic()
        if limited:
            await self.entries.limit_time(search_timeout or 0)
        try:
            rows = await self.entries.page(
                statement, limit=params.page_size + 1, offset=params.offset
            )
            more, rows = len(rows) > params.page_size, rows[: params.page_size]
            if limited:  # the page and its count share the time
                left = (search_timeout or 0) - (monotonic() - started)
                await self.entries.limit_time(max(left, 0.001))
            return await self._count(filters, params, rows, more, exact_count_limit), rows
        except DBAPIError as exc:
            if not isinstance(exc.orig, QueryCanceled):
                raise
            raise query_error(
                "search",
                f"searching took longer than {search_timeout:g} s: narrow it with date_from "
                "and date_to, action, actor or store",
            ) from exc

    async def _count(
        self,
        filters: EntryFilters,
        params: PageParams,
        rows: list[AuditEntry],
        more: bool,
        exact_count_limit: int,
    ) -> int:
        if counted_by_totals(filters):
            return await self.entries.count(filters)
        if not more and (rows or params.offset == 0):  # the last page: every row is seen
            return params.offset + len(rows)
        counted = await self.entries.count_up_to(filters, exact_count_limit)
        if counted <= exact_count_limit:
            return counted
        estimate = await self.entries.estimate(filters)
        if more:  # at least one row past this page
            return max(estimate, exact_count_limit + 1, params.offset + len(rows) + 1)
        # A page past the end: more than the limit, but no more than the pages before it.
        return min(max(estimate, exact_count_limit + 1), params.offset)

    async def get(self, entry_id: int) -> AuditEntry:
        entry = await self.entries.get(entry_id)
        if entry is None:
            raise NotFound(f"Log entry {entry_id} not found.")
        stores = self.scope()
        if stores is not None and entry.store_id not in stores:
            raise PermissionDenied("This entry is not of one of your stores.")
        return entry

    async def actions(self) -> list[ActionOut]:
        return [
            ActionOut(action=action, source=source, entity_type=entity, count=count, last_seen=seen)
            for action, source, entity, count, seen in await self.entries.action_counts(
                self.scope()
            )
        ]
