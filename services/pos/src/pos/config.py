"""The POS service's settings (common's, with its name and the selling rules)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from pydantic import Field

from common.config import ServiceSettings


class PosSettings(ServiceSettings):
    service_name: str = "pos"
    advisor_discount_cap_percent: Decimal = Field(
        default=Decimal("10"),
        ge=0,
        le=100,
        description="Largest line or cart discount (percent) an advisor may give; above it a "
        "branch head must (ADVISOR_DISCOUNT_CAP_PERCENT)",
    )
    shift_hours: int = Field(
        default=10, ge=1, le=24, description="A drawer open longer than this is an alert"
    )
    variance_alert: Decimal = Field(
        default=Decimal("20.00"), ge=0, description="A closing variance beyond this is an alert"
    )
    requests_in_flight: int = Field(
        default=4,
        ge=1,
        description="API requests handled at once, the rest queued in arrival order "
        "(REQUESTS_IN_FLIGHT). One process is one core: a few requests in flight hide the "
        "database's round trips; more only share the core (measured with bench pos-rates). "
        "Never more than the database pool less two connections (outbox relay, consumers).",
    )

    @property
    def in_flight_limit(self) -> int:
        return min(self.requests_in_flight, max(1, self.database_pool_size - 2))


@lru_cache
def get_settings() -> PosSettings:
    return PosSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
