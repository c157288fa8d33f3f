"""The catalog service's settings (common's, with its name)."""

from __future__ import annotations

from functools import lru_cache

from common.config import ServiceSettings


class CatalogSettings(ServiceSettings):
    service_name: str = "catalog"


@lru_cache
def get_settings() -> CatalogSettings:
    return CatalogSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
