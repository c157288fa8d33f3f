"""The bookings service's settings: common's, with its name (and its own fields)."""

from __future__ import annotations

from functools import lru_cache

from common.config import ServiceSettings


class BookingsSettings(ServiceSettings):
    service_name: str = "bookings"


@lru_cache
def get_settings() -> BookingsSettings:
    return BookingsSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
