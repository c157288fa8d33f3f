"""Seed 000 /api/stock-entries (system_admin): drafts, posting to the ledger, cancelling."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.security import AdminUser
from inventory.entries.schemas import EntryIn, EntryOut, EntryType, EntryUpdate
from inventory.entries.service import EntryService
from inventory.models import StockEntry

router = APIRouter(prefix="/api/stock-entries", tags=["stock entries"])
NOT_FOUND = described(r404="No such stock entry")
POSTED = described(r409="Posted or cancelled: the ledger keeps it (cancel writes reversing rows)")
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=120,
        description="Same key and body → the same entry; same key, other body → 422",
    ),
]


@router.get("", summary="List stock entries (filters: status, entry_type, reference)")
async def list_entries(
    actor: AdminUser,
    session: SessionDep,
    page: PageDep,
    status: Annotated[str | None, Query(description="draft, posted, cancelled")] = None,
    entry_type: Annotated[EntryType | None, Query()] = None,
    reference: Annotated[str | None, Query()] = None,
    ordering: Annotated[
        str | None, Query(description="created_at, posted_at, number; '-' for descending")
    ] = None,
) -> Page[EntryOut]:
    statement = EntryService.listing(status=status, entry_type=entry_type, reference=reference)
    statement = apply_ordering(
        statement,
        ordering,
        {
            "created_at": StockEntry.created_at,
            "posted_at": StockEntry.posted_at,
            "number": StockEntry.number,
        },
        [StockEntry.created_at.desc(), StockEntry.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [EntryOut.of(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Create a draft stock entry (post it to move stock)",
    responses=described(r422="A line names an unknown SKU or location, or the key was reused"),
)
async def create_entry(
    body: EntryIn,
    actor: AdminUser,
    session: SessionDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> EntryOut:
    entry, created = await EntryService(session, actor).create(body, idempotency_key)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return EntryOut.of(entry)


@router.get("/{entry_id}", summary="Retrieve a stock entry", responses=NOT_FOUND)
async def get_entry(entry_id: uuid.UUID, actor: AdminUser, session: SessionDep) -> EntryOut:
    return EntryOut.of(await EntryService(session, actor).get(entry_id))


async def update_entry(
    entry_id: uuid.UUID, body: EntryUpdate, actor: AdminUser, session: SessionDep
) -> EntryOut:
    return EntryOut.of(await EntryService(session, actor).update(entry_id, body))


for method in ("PUT", "PATCH"):
    router.add_api_route(
        "/{entry_id}",
        update_entry,
        methods=[method],
        summary="Edit a draft (lines, when sent, replace all lines)",
        responses={**NOT_FOUND, **POSTED},
        operation_id=f"{method.lower()}_stock_entry",
    )


@router.delete(
    "/{entry_id}",
    status_code=204,
    summary="Delete a draft",
    responses={**NOT_FOUND, **POSTED},
)
async def delete_entry(entry_id: uuid.UUID, actor: AdminUser, session: SessionDep) -> Response:
    await EntryService(session, actor).delete(entry_id)
    return Response(status_code=204)


@router.post(
    "/{entry_id}/post",
    summary="Post a draft: write its movements to the stock ledger",
    responses={**NOT_FOUND, **described(r409="Already posted, or not enough stock")},
)
async def post_entry(entry_id: uuid.UUID, actor: AdminUser, session: SessionDep) -> EntryOut:
    return EntryOut.of(await EntryService(session, actor).post(entry_id))


@router.post(
    "/{entry_id}/cancel",
    summary="Cancel a posted entry: write reversing ledger rows",
    responses={
        **NOT_FOUND,
        **described(r409="A draft, already cancelled, or its stock has moved on"),
    },
)
async def cancel_entry(entry_id: uuid.UUID, actor: AdminUser, session: SessionDep) -> EntryOut:
    return EntryOut.of(await EntryService(session, actor).cancel(entry_id))
