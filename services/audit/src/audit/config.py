"""The audit service's settings: common's, with its name (and its own fields)."""

from __future__ import annotations

from functools import lru_cache

from common.config import ServiceSettings


class AuditSettings(ServiceSettings):
    service_name: str = "audit"


@lru_cache
def get_settings() -> AuditSettings:
    return AuditSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
