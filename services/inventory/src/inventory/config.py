"""The inventory service's settings (common's, with its name)."""

from __future__ import annotations

from functools import lru_cache

from common.config import ServiceSettings


class InventorySettings(ServiceSettings):
    service_name: str = "inventory"


@lru_cache
def get_settings() -> InventorySettings:
    return InventorySettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
