"""The attendance service's settings: common's, with its name (and its own fields)."""

from __future__ import annotations

from functools import lru_cache

from common.config import ServiceSettings


class AttendanceSettings(ServiceSettings):
    service_name: str = "attendance"


@lru_cache
def get_settings() -> AttendanceSettings:
    return AttendanceSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
