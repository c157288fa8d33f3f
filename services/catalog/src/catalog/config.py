"""The catalog service's settings (common's, with its name): where uploaded files live, the
build it runs, and how long ``/api/core/system/version/`` waits for each other service."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator

from common.config import ServiceSettings


class CatalogSettings(ServiceSettings):
    service_name: str = "catalog"
    attachments_dir: Path = Field(
        default=Path("var/attachments/catalog"),
        description="Uploaded files of /api/core/files/ (ATTACHMENTS_DIR); not served directly",
    )
    file_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # The build, reported by /api/core/system/version/ (set by the image build; unset: null).
    build_commit: str | None = Field(default=None, max_length=100)
    build_time: str | None = Field(default=None, max_length=100)
    # Each service named in SERVICE_URLS is asked for its /healthz, this long at most.
    version_probe_timeout_seconds: float = Field(default=1.0, gt=0, le=10)

    @field_validator("build_commit", "build_time", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # The image sets both, empty when its build was given no value (the Dockerfile's ARGs).
        return value or None


@lru_cache
def get_settings() -> CatalogSettings:
    return CatalogSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
