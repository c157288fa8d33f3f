"""Seed 000 /api/inventory-config (system_admin): thresholds, negative stock, valuation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from common.db import SessionDep
from common.security import AdminUser
from inventory.ledger.posting import load_config
from inventory.models import InventoryConfig
from inventory.types import Count

router = APIRouter(prefix="/api/inventory-config", tags=["inventory config"])


class Valuation(StrEnum):
    moving_average = "moving_average"


class ConfigIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "default_low_stock_threshold": "5",
                "low_stock_overrides": {"IP13-SCR-OLED": "20"},
                "allow_negative_stock": False,
                "allow_over_receipt": False,
                "valuation_method": "moving_average",
            }
        },
    )

    default_low_stock_threshold: Count = Field(
        description="An article's balance at a location under this is low (0: never)"
    )
    low_stock_overrides: dict[str, Count] = Field(
        default_factory=dict, description="Per-SKU thresholds", max_length=10_000
    )
    allow_negative_stock: bool = False
    allow_over_receipt: bool = Field(
        default=False, description="Receiving more than a purchase order line ordered"
    )
    valuation_method: Valuation = Valuation.moving_average


class ConfigOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "default_low_stock_threshold": "5.000",
                "low_stock_overrides": {"IP13-SCR-OLED": "20.000"},
                "allow_negative_stock": False,
                "allow_over_receipt": False,
                "valuation_method": "moving_average",
                "updated_by": "admin-1",
                "updated_at": "2026-11-20T08:00:00Z",
            }
        }
    )

    default_low_stock_threshold: Decimal
    low_stock_overrides: dict[str, Decimal]
    allow_negative_stock: bool
    allow_over_receipt: bool
    valuation_method: str
    updated_by: str | None
    updated_at: datetime

    @classmethod
    def of(cls, config: InventoryConfig) -> ConfigOut:
        return cls(
            default_low_stock_threshold=config.default_low_stock_threshold,
            low_stock_overrides={
                sku: Decimal(value) for sku, value in (config.low_stock_overrides or {}).items()
            },
            allow_negative_stock=config.allow_negative_stock,
            allow_over_receipt=config.allow_over_receipt,
            valuation_method=config.valuation_method,
            updated_by=config.updated_by,
            updated_at=config.updated_at,
        )


@router.get("", summary="The global inventory configuration")
async def get_config(actor: AdminUser, session: SessionDep) -> ConfigOut:
    return ConfigOut.of(await load_config(session))


@router.put("", summary="Replace the global inventory configuration")
async def put_config(body: ConfigIn, actor: AdminUser, session: SessionDep) -> ConfigOut:
    config = await load_config(session)
    config.default_low_stock_threshold = body.default_low_stock_threshold
    config.low_stock_overrides = {
        sku.upper(): str(value) for sku, value in body.low_stock_overrides.items()
    }
    config.allow_negative_stock = body.allow_negative_stock
    config.allow_over_receipt = body.allow_over_receipt
    config.valuation_method = body.valuation_method
    config.updated_by = actor.user_id
    await session.flush()
    await session.refresh(config)
    return ConfigOut.of(config)
