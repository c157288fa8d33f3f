"""Seed 000 /api/inventory-config (system_admin): thresholds, negative stock, valuation."""

from __future__ import annotations

from fastapi import APIRouter

from common.security import AdminUser
from inventory.deps import ConfigServiceDep
from inventory.inventory_config.schemas import ConfigIn, ConfigOut

router = APIRouter(prefix="/api/inventory-config", tags=["inventory config"])


@router.get("", summary="The global inventory configuration")
async def get_config(_: AdminUser, config: ConfigServiceDep) -> ConfigOut:
    return ConfigOut.model_validate(await config.get())


@router.put("", summary="Replace the global inventory configuration")
async def put_config(body: ConfigIn, _: AdminUser, config: ConfigServiceDep) -> ConfigOut:
    return ConfigOut.model_validate(await config.replace(body))
