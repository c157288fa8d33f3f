"""/api/logs/ (seed 000 Activity Logs) and /api/audit/ (seed 004 Audit): the log, filtered
and paginated, one entry, and every action seen with its count. A system admin reads all
of it; a branch head the rows of their own stores."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from audit.deps import LogQueryDep, LogServiceDep, SettingsDep, StrictPageDep
from audit.entries.schemas import ActionOut, EntryOut
from common.openapi import described
from common.pagination import Page, make_page

router = APIRouter(tags=["logs"])
FILTER_ERRORS = described(
    r403="Not a system admin or branch head, or another branch's store",
    r422="An unknown filter value, date_from after date_to, a page too large, a search too long",
)
Ordering = Annotated[
    Literal["-occurred_at", "occurred_at"],
    Query(description="Newest first (default) or oldest first"),
]


async def list_entries(
    logs: LogServiceDep,
    query: LogQueryDep,
    page: StrictPageDep,
    settings: SettingsDep,
    ordering: Ordering = "-occurred_at",
) -> Page[EntryOut]:
    count, rows = await logs.page(
        query,
        page,
        newest_first=ordering == "-occurred_at",
        search_timeout=settings.audit_search_timeout_seconds,
        exact_count_limit=settings.audit_exact_count_limit,
    )
    return make_page(count, [EntryOut.model_validate(row) for row in rows], page)


for path, summary in (
    ("/api/logs", "List activity log entries, filtered (newest first)"),
    ("/api/audit", "Audit log, paginated and filtered (seed 004; the same rows and shape)"),
):
    router.add_api_route(
        path,
        list_entries,
        methods=["GET"],
        summary=summary,
        responses=FILTER_ERRORS,
        response_model=Page[EntryOut],
        name=f"list_entries_{path.rsplit('/', 1)[-1]}",
    )


@router.get(
    "/api/audit/actions",
    summary="Every action type the log has seen, with how many rows each",
    responses=described(r403="Not a system admin or branch head"),
)
async def list_actions(logs: LogServiceDep) -> list[ActionOut]:
    return await logs.actions()


@router.get(
    "/api/logs/{entry_id}",
    summary="Retrieve one log entry",
    responses=described(r404="No such entry", r403="Another branch's entry"),
)
async def get_entry(
    entry_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="The row's id")],
    logs: LogServiceDep,
) -> EntryOut:
    return EntryOut.model_validate(await logs.get(entry_id))
