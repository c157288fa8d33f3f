"""Seed 002 /api/pos/supplemental (Manager+, own stores): the safe's status, draws into and
returns from drawers, audits, and its transactions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import BranchHeadUser
from pos.safe.schemas import (
    SafeAuditIn,
    SafeAuditOut,
    SafeKind,
    SafeMovementIn,
    SafeMovementOut,
    SafeStatus,
    SafeTransactionOut,
)
from pos.safe.service import SafeService

router = APIRouter(prefix="/api/pos/supplemental", tags=["safe"])
STORE = described(r403="Another store's safe", r422="Unknown store")
MOVING = {
    **STORE,
    **described(
        r409="More than the safe or the drawer holds, or the drawer is closed",
        r422="Unknown store, or the drawer is unknown or in another store",
    ),
}


@router.get(
    "",
    summary="The safe's status: balance, last audit, movements today (?store=; your only "
    "store by default)",
    responses={**STORE, **described(r422="Unknown store, or none named while you have 0 or 2+")},
)
async def safe_status(
    actor: BranchHeadUser,
    session: SessionDep,
    store: Annotated[
        uuid.UUID | None, Query(description="Required unless you have one store")
    ] = None,
) -> SafeStatus:
    return await SafeService(session, actor).status(store)


@router.post(
    "/draw",
    summary="Draw cash out of the safe, into an open drawer of the store if one is named",
    responses=MOVING,
)
async def draw_cash(
    body: SafeMovementIn, actor: BranchHeadUser, session: SessionDep
) -> SafeMovementOut:
    row, drawer_expected = await SafeService(session, actor).draw(body)
    return SafeMovementOut.with_drawer(row, drawer_expected)


@router.post(
    "/return",
    summary="Return cash into the safe, out of an open drawer of the store if one is named",
    responses=MOVING,
)
async def return_cash(
    body: SafeMovementIn, actor: BranchHeadUser, session: SessionDep
) -> SafeMovementOut:
    row, drawer_expected = await SafeService(session, actor).return_cash(body)
    return SafeMovementOut.with_drawer(row, drawer_expected)


@router.post(
    "/audit",
    summary="Audit the safe by count: records expected, counted and variance; the count "
    "becomes the balance",
    responses=STORE,
)
async def audit_safe(body: SafeAuditIn, actor: BranchHeadUser, session: SessionDep) -> SafeAuditOut:
    return SafeAuditOut.of(await SafeService(session, actor).audit(body))


@router.get("/transactions", summary="The safe's transactions, newest first: ?store=, ?kind=")
async def safe_transactions(
    actor: BranchHeadUser,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    kind: Annotated[SafeKind | None, Query()] = None,
) -> Page[SafeTransactionOut]:
    count, rows = await paginate(session, SafeService(session, actor).listing(store, kind), page)
    return make_page(count, [SafeTransactionOut.of(row) for row in rows], page)
