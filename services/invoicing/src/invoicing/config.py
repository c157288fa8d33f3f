"""The invoicing service's settings: common's, with its name and its own fields."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from common.config import ServiceSettings


class InvoicingSettings(ServiceSettings):
    service_name: str = "invoicing"
    payment_terms_days: int = Field(
        default=14, ge=0, le=365, description="Due date = invoice date + this, unless given"
    )


@lru_cache
def get_settings() -> InvoicingSettings:
    return InvoicingSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
