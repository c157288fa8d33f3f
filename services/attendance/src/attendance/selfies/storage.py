"""Where selfie files live: an interface, and the disk store used by default.

Files are stored under a server-generated name (never the client's) with mode 0600 in a
folder that no route serves; a selfie is read back only through the API, which checks who
asks first. (The same three methods as inventory's attachment store: an object store can
implement them.)
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    async def save(self, key: str, data: bytes) -> None: ...

    async def read(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


class DiskStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key

    async def save(self, key: str, data: bytes) -> None:
        def write() -> None:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(self._path(key), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)

        await asyncio.to_thread(write)

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)
