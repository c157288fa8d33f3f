"""Seed 000 /api/stock-entries (system_admin): drafts, posting to the ledger, cancelling."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import AdminUser
from inventory.deps import EntryServiceDep
from inventory.entries.models import EntryType
from inventory.entries.repository import EntryFilters
from inventory.entries.schemas import EntryIn, EntryOut, EntryUpdate

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
    _: AdminUser,
    entries: EntryServiceDep,
    page: PageDep,
    status: Annotated[str | None, Query(description="draft, posted, cancelled")] = None,
    entry_type: Annotated[EntryType | None, Query()] = None,
    reference: Annotated[str | None, Query()] = None,
    ordering: Annotated[
        str | None, Query(description="created_at, posted_at, number; '-' for descending")
    ] = None,
) -> Page[EntryOut]:
    filters = EntryFilters(status, entry_type, reference, ordering)
    return page_of(EntryOut, await entries.listing(filters, page), page)


@router.post(
    "",
    status_code=201,
    summary="Create a draft stock entry (post it to move stock)",
    responses=described(r422="A line names an unknown SKU or location, or the key was reused"),
)
async def create_entry(
    body: EntryIn,
    _: AdminUser,
    entries: EntryServiceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> EntryOut:
    entry, created = await entries.create(body, idempotency_key)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return EntryOut.model_validate(entry)


@router.get("/{entry_id}", summary="Retrieve a stock entry", responses=NOT_FOUND)
async def get_entry(entry_id: uuid.UUID, _: AdminUser, entries: EntryServiceDep) -> EntryOut:
    return EntryOut.model_validate(await entries.get(entry_id))


async def update_entry(
    entry_id: uuid.UUID, body: EntryUpdate, _: AdminUser, entries: EntryServiceDep
) -> EntryOut:
    return EntryOut.model_validate(await entries.update(entry_id, body))


put_and_patch(
    router,
    "/{entry_id}",
    update_entry,
    summary="Edit a draft (lines, when sent, replace all lines)",
    responses={**NOT_FOUND, **POSTED},
)


@router.delete(
    "/{entry_id}",
    status_code=204,
    summary="Delete a draft",
    responses={**NOT_FOUND, **POSTED},
)
async def delete_entry(entry_id: uuid.UUID, _: AdminUser, entries: EntryServiceDep) -> Response:
    await entries.delete(entry_id)
    return Response(status_code=204)


@router.post(
    "/{entry_id}/post",
    summary="Post a draft: write its movements to the stock ledger",
    responses={**NOT_FOUND, **described(r409="Already posted, or not enough stock")},
)
async def post_entry(entry_id: uuid.UUID, _: AdminUser, entries: EntryServiceDep) -> EntryOut:
    return EntryOut.model_validate(await entries.post(entry_id))


@router.post(
    "/{entry_id}/cancel",
    summary="Cancel a posted entry: write reversing ledger rows",
    responses={
        **NOT_FOUND,
        **described(r409="A draft, already cancelled, or its stock has moved on"),
    },
)
async def cancel_entry(entry_id: uuid.UUID, _: AdminUser, entries: EntryServiceDep) -> EntryOut:
    return EntryOut.model_validate(await entries.cancel(entry_id))
