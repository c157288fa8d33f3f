"""The audit service's settings: common's, plus retention, partitions ahead, stream discovery
and ingest batching (each an ``AUDIT_*`` variable)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from common.config import ServiceSettings


class AuditSettings(ServiceSettings):
    service_name: str = "audit"
    audit_retention_months: int = Field(
        default=84,
        ge=0,
        description=(
            "Months of log kept besides the current one; older monthly partitions are dropped "
            "whole (and the drop is logged). 0 keeps everything."
        ),
    )
    audit_partitions_ahead: int = Field(
        default=3, ge=1, le=24, description="Monthly partitions created ahead of the current one"
    )
    audit_maintenance_interval_seconds: float = Field(
        default=3600.0, gt=0, description="How often partitions and retention are checked"
    )
    audit_discovery_interval_seconds: float = Field(
        default=30.0, gt=0, description="How often JetStream is asked for streams not yet consumed"
    )
    audit_ingest_batch_size: int = Field(
        default=1000, ge=1, le=5000, description="Events fetched and written per transaction"
    )
    audit_ignored_stream_prefixes: list[str] = Field(
        default=["KV_", "OBJ_"],
        description="JetStream streams that are not event streams (key-value, object stores)",
    )
    audit_search_max_length: int = Field(default=200, ge=1, le=2000)
    audit_exact_count_limit: int = Field(
        default=10_000,
        ge=1,
        le=10_000_000,
        description=(
            "A list filtered by what the action totals cannot count (dates, actor, entity id, "
            "source, search) counts its rows up to this many; past it, `count` is PostgreSQL's "
            "estimate (never below what the page shows exists)"
        ),
    )
    audit_search_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description=(
            "A list with ?search= scans text; past this long it is refused (422 naming search) "
            "and the caller asked to narrow it"
        ),
    )


@lru_cache
def get_settings() -> AuditSettings:
    return AuditSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
