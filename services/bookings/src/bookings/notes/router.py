"""/api routes of store notes: Staff read and write their own stores', a branch head edits,
a system admin deletes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from bookings.deps import NoteServiceDep
from bookings.notes.schemas import NoteIn, NoteOut, NoteUpdate
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.roles import Role
from common.routing import put_and_patch
from common.security import StaffUser, require_roles

router = APIRouter(prefix="/api/bookings/notes", tags=["notes"])
NOT_FOUND = described(r404="No such note", r403="Another store's note")


@router.get("", summary="List the notes of your stores (newest first)")
async def list_notes(
    _: StaffUser,
    notes: NoteServiceDep,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    search: Annotated[str | None, Query(description="In title and body")] = None,
    ordering: Annotated[str | None, Query(description="title, created_at; '-' descending")] = None,
) -> Page[NoteOut]:
    statement = notes.listing(store=store, search=search, ordering=ordering)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [NoteOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Write a note in one of your stores",
    responses=described(r403="Another store", r422="Unknown store"),
)
async def create_note(body: NoteIn, _: StaffUser, notes: NoteServiceDep) -> NoteOut:
    return NoteOut.model_validate(await notes.create(body))


@router.get("/{note_id}", summary="Retrieve a note", responses=NOT_FOUND)
async def get_note(note_id: uuid.UUID, _: StaffUser, notes: NoteServiceDep) -> NoteOut:
    return NoteOut.model_validate(await notes.get(note_id))


async def update_note(
    note_id: uuid.UUID,
    body: NoteUpdate,
    notes: NoteServiceDep,
    _: Annotated[object, Depends(require_roles(Role.branch_head))],
) -> NoteOut:
    return NoteOut.model_validate(await notes.update(note_id, body))


put_and_patch(
    router,
    "/{note_id}",
    update_note,
    summary="Edit a note (branch head of its store)",
    responses=NOT_FOUND,
    response_model=NoteOut,
)


@router.delete(
    "/{note_id}",
    status_code=204,
    summary="Delete a note (system admin)",
    responses=NOT_FOUND,
    dependencies=[Depends(require_roles(Role.system_admin))],
)
async def delete_note(note_id: uuid.UUID, notes: NoteServiceDep) -> Response:
    await notes.delete(note_id)
    return Response(status_code=204)
