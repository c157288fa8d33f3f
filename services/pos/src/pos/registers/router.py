"""Seed 002 /api/pos/registers (Staff, own stores): register configuration."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.security import StaffUser
from pos.models import Register
from pos.registers.schemas import RegisterIn, RegisterOut, RegisterUpdate
from pos.registers.service import RegisterService

router = APIRouter(prefix="/api/pos/registers", tags=["registers"])
NOT_FOUND = described(r404="No such register", r403="Another store's register")


@router.get("", summary="List registers of your stores")
async def list_registers(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    is_active: Annotated[bool | None, Query()] = None,
    ordering: Annotated[str | None, Query(description="code, name, created_at")] = None,
) -> Page[RegisterOut]:
    statement = apply_ordering(
        RegisterService(session, actor).listing(store, is_active),
        ordering,
        {"code": Register.code, "name": Register.name, "created_at": Register.created_at},
        [Register.code, Register.id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [RegisterOut.of(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Create a register in one of your stores",
    responses=described(r409="Code taken in the store", r422="Unknown store"),
)
async def create_register(body: RegisterIn, actor: StaffUser, session: SessionDep) -> RegisterOut:
    return RegisterOut.of(await RegisterService(session, actor).create(body))


@router.get("/{register_id}", summary="Retrieve a register", responses=NOT_FOUND)
async def get_register(
    register_id: uuid.UUID, actor: StaffUser, session: SessionDep
) -> RegisterOut:
    return RegisterOut.of(await RegisterService(session, actor).get(register_id))


async def update_register(
    register_id: uuid.UUID, body: RegisterUpdate, actor: StaffUser, session: SessionDep
) -> RegisterOut:
    return RegisterOut.of(await RegisterService(session, actor).update(register_id, body))


for method in ("PUT", "PATCH"):
    router.add_api_route(
        "/{register_id}",
        update_register,
        methods=[method],
        summary="Update a register (deactivating one with an open drawer is refused)",
        responses={**NOT_FOUND, **described(r409="Code taken, or a drawer is open")},
        operation_id=f"{method.lower()}_register",
    )


@router.delete(
    "/{register_id}",
    status_code=204,
    summary="Remove a register (soft: its drawers and sales keep it); refused while a drawer is open",
    responses={**NOT_FOUND, **described(r409="A drawer is open on it")},
)
async def delete_register(
    register_id: uuid.UUID, actor: StaffUser, session: SessionDep
) -> Response:
    await RegisterService(session, actor).remove(register_id)
    return Response(status_code=204)
