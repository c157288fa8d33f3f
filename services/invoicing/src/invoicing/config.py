"""The invoicing service's settings: common's, with its name (and its own fields)."""

from __future__ import annotations

from functools import lru_cache

from common.config import ServiceSettings


class InvoicingSettings(ServiceSettings):
    service_name: str = "invoicing"


@lru_cache
def get_settings() -> InvoicingSettings:
    return InvoicingSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
