"""The inventory service's settings (common's, with its name): where attachments and manifests
live, the manifest caps, and the AI provider (off without ``AI_API_KEY``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr

from common.config import ServiceSettings

MANIFEST_UPLOAD_CAP = 25 * 1024 * 1024  # the upload route's body cap; MANIFEST_MAX_BYTES is below


class InventorySettings(ServiceSettings):
    service_name: str = "inventory"
    attachments_dir: Path = Field(
        default=Path("var/attachments/inventory"),
        description="Purchase order attachments and manifests (ATTACHMENTS_DIR); not served directly",
    )
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    manifest_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, le=MANIFEST_UPLOAD_CAP)
    manifest_max_rows: int = Field(default=100_000, ge=1, le=150_000)
    # AI (seed 002 /api/ai and intake's AI steps): no key, no AI
    ai_api_key: SecretStr | None = None
    ai_base_url: str | None = None
    ai_model: str = "claude-sonnet-4-5"
    ai_max_tokens: int = Field(default=4096, ge=16, le=64_000)
    ai_chat_rate: str = "20/minute"
    ai_timeout_seconds: float = Field(default=60.0, gt=0)
    ai_suggest_timeout_seconds: float = Field(default=15.0, gt=0)
    rate_limit_storage_uri: str = "memory://"
    intake_background_rows: int = Field(
        default=2_000,
        ge=1,
        le=1_000_000,
        description="A manifest of more rows is standardised, matched and made into units by a "
        "background job (202 + job-status), not in the request (INTAKE_BACKGROUND_ROWS)",
    )
    intake_job_poll_seconds: float = Field(default=5.0, gt=0)


@lru_cache
def get_settings() -> InventorySettings:
    return InventorySettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
