"""Typed dependencies of audit's routes: settings, the log's filters and pages (both refusing
what they cannot serve, by name), and the services, built per request."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from audit.config import AuditSettings
from audit.entries.errors import query_error
from audit.entries.schemas import LogQuery
from audit.entries.service import LogService
from audit.exports.service import ExportService
from audit.integrity.service import IntegrityService
from audit.partitions.months import parse_month
from audit.streams.service import StreamStatusService
from common.config import settings_of
from common.db import DatabaseDep, SessionDep
from common.pagination import PageParams
from common.security import AdminUser, BranchHeadUser
from common.types import IsoDate, IsoDateTime, QueryFlag

SettingsDep = Annotated[AuditSettings, Depends(settings_of(AuditSettings))]
MAX_PAGE = 1_000_000
TEXT = 200  # the longest actor, entity id or action a filter may name


def page_params(
    request: Request,
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    page_size: Annotated[
        int | None, Query(ge=1, description="Rows per page, at most PAGE_SIZE_MAX (100)")
    ] = None,
) -> PageParams:
    """Pages whose size is refused (422 naming ``page_size``) above the maximum, rather than
    quietly capped: a client asking for 10^9 rows learns it will not get them."""
    if page_size is not None and page_size > settings.page_size_max:
        raise query_error("page_size", f"at most {settings.page_size_max} rows per page")
    return PageParams(request, page, page_size or settings.page_size_default)


def log_query(
    settings: SettingsDep,
    entity: Annotated[
        str | None, Query(max_length=100, description="Entity type (`sale`, `product` ...)")
    ] = None,
    entity_id: Annotated[str | None, Query(max_length=TEXT, description="Entity id")] = None,
    actor: Annotated[str | None, Query(max_length=TEXT, description="User id of the actor")] = None,
    action: Annotated[
        str | None, Query(max_length=TEXT, description="Subject, e.g. `pos.sale.completed`")
    ] = None,
    store: Annotated[
        uuid.UUID | None, Query(description="Store id (a branch head: theirs)")
    ] = None,
    source: Annotated[str | None, Query(max_length=64, description="Publishing service")] = None,
    date_from: Annotated[
        IsoDate | IsoDateTime | None,
        Query(description="From (a date: its first instant, UTC)"),
    ] = None,
    date_to: Annotated[
        IsoDate | IsoDateTime | None,
        Query(description="Until, inclusive (a date: its whole day, UTC)"),
    ] = None,
    search: Annotated[
        str | None,
        Query(max_length=2000, description="Text in the action, actor, entity id or payload"),
    ] = None,
    flagged: Annotated[
        QueryFlag | None,
        Query(description="Only rows kept raw (true) or only parsed ones (false)"),
    ] = None,
) -> LogQuery:
    if search is not None and len(search) > settings.audit_search_max_length:
        raise query_error(
            "search", f"at most {settings.audit_search_max_length} characters to search for"
        )
    return LogQuery(
        entity=entity,
        entity_id=entity_id,
        actor=actor,
        action=action,
        store=store,
        source=source,
        date_from=date_from,
        date_to=date_to,
        search=search,
        flagged=flagged,
    )


def log_service(session: SessionDep, actor: BranchHeadUser) -> LogService:
    """Branch heads read their own stores' log; system admins read it all."""
    return LogService(session, actor)


StrictPageDep = Annotated[PageParams, Depends(page_params)]
LogQueryDep = Annotated[LogQuery, Depends(log_query)]
LogServiceDep = Annotated[LogService, Depends(log_service)]


def export_service(database: DatabaseDep) -> ExportService:
    return ExportService(database)


def month_param(
    month: Annotated[str, Query(max_length=7, description="The month, YYYY-MM (UTC)")],
) -> date:
    try:
        return parse_month(month)
    except ValueError as exc:
        raise query_error("month", str(exc)) from exc


ExportServiceDep = Annotated[ExportService, Depends(export_service)]
MonthDep = Annotated[date, Depends(month_param)]


def integrity_service(session: SessionDep, database: DatabaseDep, _: AdminUser) -> IntegrityService:
    return IntegrityService(session, database)


def stream_status_service(
    request: Request, session: SessionDep, _: AdminUser
) -> StreamStatusService:
    return StreamStatusService(session, request.app.state.bus)


IntegrityServiceDep = Annotated[IntegrityService, Depends(integrity_service)]
StreamStatusDep = Annotated[StreamStatusService, Depends(stream_status_service)]
