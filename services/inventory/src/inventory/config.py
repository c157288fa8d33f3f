"""The inventory service's settings (common's, with its name, plus where attachments live)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field

from common.config import ServiceSettings


class InventorySettings(ServiceSettings):
    service_name: str = "inventory"
    attachments_dir: Path = Field(
        default=Path("var/attachments/inventory"),
        description="Purchase order attachments (ATTACHMENTS_DIR); not served directly",
    )
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)


@lru_cache
def get_settings() -> InventorySettings:
    return InventorySettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
