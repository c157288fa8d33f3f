"""Seed 000 /api/stock-ledgers (system_admin, read-only) and the balances staff look up
(/api/inventory/stock, own stores)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.security import AdminUser, StaffUser
from inventory.deps import LedgerServiceDep
from inventory.ledger.repository import BalanceFilters, LedgerFilters
from inventory.ledger.schemas import BalanceOut, LedgerRowOut
from inventory.types import Moment

router = APIRouter(prefix="/api/stock-ledgers", tags=["stock ledger"])
balances_router = APIRouter(prefix="/api/inventory/stock", tags=["stock ledger"])


@router.get("", summary="List ledger rows (append-only; newest first by default)")
async def list_ledger(
    _: AdminUser,
    ledger: LedgerServiceDep,
    page: PageDep,
    sku: Annotated[str | None, Query()] = None,
    location: Annotated[uuid.UUID | None, Query(description="Location id")] = None,
    voucher_type: Annotated[
        str | None,
        Query(
            description="stock_entry, stock_entry_cancel, item, item_move, item_status, pos_sale, pos_void"
        ),
    ] = None,
    voucher_id: Annotated[str | None, Query()] = None,
    since: Annotated[
        Moment | None, Query(description="Posted at or after (an ISO date or date-time)")
    ] = None,
    ordering: Annotated[
        str | None, Query(description="id or posted_at; '-' for descending")
    ] = None,
) -> Page[LedgerRowOut]:
    filters = LedgerFilters(sku, location, voucher_type, voucher_id, since, ordering)
    return page_of(LedgerRowOut, await ledger.rows(filters, page), page)


@router.get("/{row_id}", summary="Retrieve a ledger row", responses=described(r404="No such row"))
async def get_ledger_row(row_id: int, _: AdminUser, ledger: LedgerServiceDep) -> LedgerRowOut:
    return LedgerRowOut.model_validate(await ledger.row(row_id))


@balances_router.get("", summary="Stock on hand per SKU and location in your stores")
async def list_balances(
    _: StaffUser,
    ledger: LedgerServiceDep,
    page: PageDep,
    sku: Annotated[str | None, Query()] = None,
    location: Annotated[uuid.UUID | None, Query(description="Location id")] = None,
    store: Annotated[uuid.UUID | None, Query(description="Store id")] = None,
    low: Annotated[
        bool | None, Query(description="true: only balances under their threshold")
    ] = None,
    include_zero: Annotated[bool, Query(description="Also list balances at zero")] = False,
) -> Page[BalanceOut]:
    filters = BalanceFilters(sku, location, store, low, include_zero)
    return page_of(BalanceOut, await ledger.balances(filters, page), page)
