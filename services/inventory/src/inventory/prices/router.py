"""Seed 000 /api/price-logs (system_admin, read-only): every price change of an item,
variant, product or spare, ours or catalog's."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select

from common.db import SessionDep
from common.errors import NotFound
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import AdminUser
from inventory.models import PriceLog

router = APIRouter(prefix="/api/price-logs", tags=["price logs"])


class PriceLogOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": 311,
                "subject_type": "item",
                "subject_id": "5a8e3b21-7c4d-4e9f-8b1a-2d6c0f9e7a33",
                "sku": "ITM-000123",
                "name": "iPhone 13 128GB Midnight (used)",
                "old_price": "399.00",
                "new_price": "379.00",
                "currency": "USD",
                "source": "inventory.item.updated",
                "actor": "advisor-7",
                "event_id": None,
                "changed_at": "2026-11-23T14:05:00Z",
            }
        }
    )

    id: int
    subject_type: str
    subject_id: str
    sku: str
    name: str
    old_price: Decimal | None
    new_price: Decimal | None
    currency: str
    source: str
    actor: str | None
    event_id: uuid.UUID | None
    changed_at: datetime

    @classmethod
    def of(cls, row: PriceLog) -> PriceLogOut:
        return cls.model_validate(row, from_attributes=True)


@router.get("", summary="List price changes (newest first)")
async def list_price_logs(
    actor: AdminUser,
    session: SessionDep,
    page: PageDep,
    subject_type: Annotated[str | None, Query(description="item, variant, product, spare")] = None,
    subject_id: Annotated[str | None, Query()] = None,
    sku: Annotated[str | None, Query()] = None,
    source: Annotated[str | None, Query(description="e.g. catalog.product.price_changed")] = None,
) -> Page[PriceLogOut]:
    statement = select(PriceLog)
    if subject_type:
        statement = statement.where(PriceLog.subject_type == subject_type)
    if subject_id:
        statement = statement.where(PriceLog.subject_id == subject_id)
    if sku:
        statement = statement.where(func.upper(PriceLog.sku) == sku.upper())
    if source:
        statement = statement.where(PriceLog.source == source)
    statement = statement.order_by(PriceLog.changed_at.desc(), PriceLog.id.desc())
    count, rows = await paginate(session, statement, page)
    return make_page(count, [PriceLogOut.of(row) for row in rows], page)


@router.get("/{log_id}", summary="Retrieve a price change", responses=described(r404="No such log"))
async def get_price_log(log_id: int, actor: AdminUser, session: SessionDep) -> PriceLogOut:
    row = await session.get(PriceLog, log_id) if 0 < log_id < 2**63 else None
    if row is None:
        raise NotFound(f"Price log {log_id} not found.")
    return PriceLogOut.of(row)
