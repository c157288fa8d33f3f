"""Give the memory a service's start-up used and freed back to the system.

Building the app (routes, pydantic schemas, SQLAlchemy mappers) and starting its
lifespan allocate and free a lot; glibc keeps freed heap pages mapped, so they
stay in the process's RSS for its whole life. ``release_startup_memory()``
collects the garbage of start-up and asks glibc to return its free pages
(``malloc_trim``): a few MiB per idle service (bench/README.md, idle-memory).
Elsewhere than glibc (macOS, musl) only the collection runs.

The app's lifespan calls ``release_startup_memory_once()``: start-up happens once
per process, and a full collection is not free. A test process starts hundreds of
app lifespans over a heap that grows with every test; collecting at each of them
made catalog's suite four times slower (1,350 s against 318 s in CI).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys


def _malloc_trim() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return bool(trim(0))


def release_startup_memory() -> bool:
    """Collect garbage, then trim glibc's heap; True when glibc gave pages back."""
    gc.collect()
    return _malloc_trim()


_released = False


def release_startup_memory_once() -> bool:
    """``release_startup_memory()`` the first time a process calls it; False afterwards."""
    global _released
    if _released:
        return False
    _released = True
    return release_startup_memory()
