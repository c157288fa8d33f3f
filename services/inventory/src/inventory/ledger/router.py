"""Seed 000 /api/stock-ledgers (system_admin, read-only) and the balances staff look up
(/api/inventory/stock, own stores)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from common.db import SessionDep
from common.errors import NotFound
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.scope import scoped
from common.security import AdminUser, StaffUser
from inventory.ledger.schemas import BalanceOut, LedgerRowOut
from inventory.models import Balance, LedgerRow, Location, StockKey

router = APIRouter(prefix="/api/stock-ledgers", tags=["stock ledger"])
balances_router = APIRouter(prefix="/api/inventory/stock", tags=["stock ledger"])


@router.get("", summary="List ledger rows (append-only; newest first by default)")
async def list_ledger(
    actor: AdminUser,
    session: SessionDep,
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
    since: Annotated[datetime | None, Query(description="Posted at or after")] = None,
    ordering: Annotated[
        str | None, Query(description="id or posted_at; '-' for descending")
    ] = None,
) -> Page[LedgerRowOut]:
    statement = select(LedgerRow)
    if sku:
        key_ids = select(StockKey.id).where(func.upper(StockKey.sku) == sku.upper())
        statement = statement.where(LedgerRow.stock_key_id.in_(key_ids))
    if location is not None:
        statement = statement.where(LedgerRow.location_id == location)
    if voucher_type:
        statement = statement.where(LedgerRow.voucher_type == voucher_type)
    if voucher_id:
        statement = statement.where(LedgerRow.voucher_id == voucher_id)
    if since is not None:
        statement = statement.where(LedgerRow.posted_at >= since)
    statement = apply_ordering(
        statement,
        ordering,
        {"id": LedgerRow.id, "posted_at": LedgerRow.posted_at},
        [LedgerRow.id.desc()] if not ordering else [],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [LedgerRowOut.of(row) for row in rows], page)


@router.get("/{row_id}", summary="Retrieve a ledger row", responses=described(r404="No such row"))
async def get_ledger_row(row_id: int, actor: AdminUser, session: SessionDep) -> LedgerRowOut:
    row = await session.get(LedgerRow, row_id) if 0 < row_id < 2**63 else None
    if row is None:
        raise NotFound(f"Ledger row {row_id} not found.")
    return LedgerRowOut.of(row)


@balances_router.get("", summary="Stock on hand per SKU and location in your stores")
async def list_balances(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    sku: Annotated[str | None, Query()] = None,
    location: Annotated[uuid.UUID | None, Query(description="Location id")] = None,
    store: Annotated[uuid.UUID | None, Query(description="Store id")] = None,
    low: Annotated[
        bool | None, Query(description="true: only balances under their threshold")
    ] = None,
    include_zero: Annotated[bool, Query(description="Also list balances at zero")] = False,
) -> Page[BalanceOut]:
    statement = scoped(
        select(Balance).join(Location, Location.id == Balance.location_id),
        Location.store_id,
        actor,
    )
    if sku:
        key_ids = select(StockKey.id).where(func.upper(StockKey.sku) == sku.upper())
        statement = statement.where(Balance.stock_key_id.in_(key_ids))
    if location is not None:
        statement = statement.where(Balance.location_id == location)
    if store is not None:
        statement = statement.where(Location.store_id == store)
    if low is not None:
        statement = statement.where(Balance.is_low.is_(low))
    if not include_zero:
        statement = statement.where(Balance.quantity != 0)
    statement = statement.order_by(Balance.stock_key_id, Balance.location_id)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [BalanceOut.of(row) for row in rows], page)
