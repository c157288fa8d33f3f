"""Seed 002 /api/pos/registers (Staff, own stores): register configuration."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import StaffUser
from pos.deps import RegisterServiceDep
from pos.pages import page_of
from pos.registers.schemas import RegisterIn, RegisterOut, RegisterUpdate

router = APIRouter(prefix="/api/pos/registers", tags=["registers"])
NOT_FOUND = described(r404="No such register", r403="Another store's register")


@router.get("", summary="List registers of your stores")
async def list_registers(
    _: StaffUser,
    registers: RegisterServiceDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    is_active: Annotated[bool | None, Query()] = None,
    ordering: Annotated[str | None, Query(description="code, name, created_at")] = None,
) -> Page[RegisterOut]:
    found = await registers.listing(page, store=store, is_active=is_active, ordering=ordering)
    return page_of(RegisterOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Create a register in one of your stores",
    responses=described(r409="Code taken in the store", r422="Unknown store"),
)
async def create_register(
    body: RegisterIn, _: StaffUser, registers: RegisterServiceDep
) -> RegisterOut:
    return RegisterOut.model_validate(await registers.create(body))


@router.get("/{register_id}", summary="Retrieve a register", responses=NOT_FOUND)
async def get_register(
    register_id: uuid.UUID, _: StaffUser, registers: RegisterServiceDep
) -> RegisterOut:
    return RegisterOut.model_validate(await registers.get(register_id))


async def update_register(
    register_id: uuid.UUID, body: RegisterUpdate, _: StaffUser, registers: RegisterServiceDep
) -> RegisterOut:
    return RegisterOut.model_validate(await registers.update(register_id, body))


put_and_patch(
    router,
    "/{register_id}",
    update_register,
    summary="Update a register (deactivating one with an open drawer is refused)",
    responses={**NOT_FOUND, **described(r409="Code taken, or a drawer is open")},
)


@router.delete(
    "/{register_id}",
    status_code=204,
    summary="Remove a register (soft: its drawers and sales keep it); refused while a drawer is open",
    responses={**NOT_FOUND, **described(r409="A drawer is open on it")},
)
async def delete_register(
    register_id: uuid.UUID, _: StaffUser, registers: RegisterServiceDep
) -> Response:
    await registers.remove(register_id)
    return Response(status_code=204)
