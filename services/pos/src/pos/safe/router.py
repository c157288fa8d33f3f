"""Seed 002 /api/pos/supplemental (Manager+, own stores): the safe's status, draws into and
returns from drawers, audits, and its transactions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from common.openapi import described
from common.pagination import Page, PageDep
from common.security import BranchHeadUser
from pos.cash.models import SafeKind
from pos.deps import SafeServiceDep
from pos.pages import page_of
from pos.safe.schemas import (
    SafeAuditIn,
    SafeAuditOut,
    SafeMovementIn,
    SafeMovementOut,
    SafeStatus,
    SafeTransactionOut,
)

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
    _: BranchHeadUser,
    safe: SafeServiceDep,
    store: Annotated[
        uuid.UUID | None, Query(description="Required unless you have one store")
    ] = None,
) -> SafeStatus:
    return await safe.status(store)


@router.post(
    "/draw",
    summary="Draw cash out of the safe, into an open drawer of the store if one is named",
    responses=MOVING,
)
async def draw_cash(
    body: SafeMovementIn, _: BranchHeadUser, safe: SafeServiceDep
) -> SafeMovementOut:
    return SafeMovementOut.model_validate(await safe.draw(body))


@router.post(
    "/return",
    summary="Return cash into the safe, out of an open drawer of the store if one is named",
    responses=MOVING,
)
async def return_cash(
    body: SafeMovementIn, _: BranchHeadUser, safe: SafeServiceDep
) -> SafeMovementOut:
    return SafeMovementOut.model_validate(await safe.return_cash(body))


@router.post(
    "/audit",
    summary="Audit the safe by count: records expected, counted and variance; the count "
    "becomes the balance",
    responses=STORE,
)
async def audit_safe(body: SafeAuditIn, _: BranchHeadUser, safe: SafeServiceDep) -> SafeAuditOut:
    return SafeAuditOut.model_validate(await safe.audit(body))


@router.get("/transactions", summary="The safe's transactions, newest first: ?store=, ?kind=")
async def safe_transactions(
    _: BranchHeadUser,
    safe: SafeServiceDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    kind: Annotated[SafeKind | None, Query()] = None,
) -> Page[SafeTransactionOut]:
    return page_of(SafeTransactionOut, await safe.listing(page, store=store, kind=kind), page)
