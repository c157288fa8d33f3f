"""Seed 000 /api/price-logs (system_admin, read-only): every price change of an item,
variant, product or spare, ours or catalog's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.security import AdminUser
from inventory.deps import PriceLogServiceDep
from inventory.prices.repository import PriceLogFilters
from inventory.prices.schemas import PriceLogOut

router = APIRouter(prefix="/api/price-logs", tags=["price logs"])


@router.get("", summary="List price changes (newest first)")
async def list_price_logs(
    _: AdminUser,
    logs: PriceLogServiceDep,
    page: PageDep,
    subject_type: Annotated[str | None, Query(description="item, variant, product, spare")] = None,
    subject_id: Annotated[str | None, Query()] = None,
    sku: Annotated[str | None, Query()] = None,
    source: Annotated[str | None, Query(description="e.g. catalog.product.price_changed")] = None,
) -> Page[PriceLogOut]:
    filters = PriceLogFilters(subject_type, subject_id, sku, source)
    return page_of(PriceLogOut, await logs.listing(filters, page), page)


@router.get("/{log_id}", summary="Retrieve a price change", responses=described(r404="No such log"))
async def get_price_log(log_id: int, _: AdminUser, logs: PriceLogServiceDep) -> PriceLogOut:
    return PriceLogOut.model_validate(await logs.get(log_id))
