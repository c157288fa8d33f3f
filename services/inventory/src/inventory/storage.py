"""Where uploaded files live: common.uploads' store interface and its disk store."""

from __future__ import annotations

from common.uploads import DiskStorage, Storage

__all__ = ["DiskStorage", "Storage"]
