"""The attendance service's settings: common's, plus where selfies live and how big they may be."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field

from common.config import ServiceSettings


class AttendanceSettings(ServiceSettings):
    service_name: str = "attendance"
    attachments_dir: Path = Field(
        default=Path("var/attachments/attendance"),
        description="Where selfies are stored (ATTACHMENTS_DIR); never served directly",
    )
    # A selfie above this is refused with 413 (the route's body cap, MAX_UPLOAD_BYTES, comes first).
    selfie_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    # Pillow's decompression-bomb guard, lowered: a selfie has no business above 24 megapixels.
    selfie_max_pixels: int = Field(default=24_000_000, ge=1)
    # Selfies are stored re-encoded as JPEG, scaled down to at most this many pixels a side.
    selfie_max_side: int = Field(default=1600, ge=64)


@lru_cache
def get_settings() -> AttendanceSettings:
    return AttendanceSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
