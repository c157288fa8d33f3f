"""release_startup_memory gives freed heap pages back to the system (glibc, Linux)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from common import memory
from common.memory import release_startup_memory, release_startup_memory_once

MIB = 1024 * 1024


def rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_start_up_memory_leaves_the_process() -> None:
    # 64 MiB in 4 KiB blocks (malloc, not pymalloc), every 64th kept: the heap's top stays
    # in use, so glibc cannot shrink it on free and the freed pages stay resident.
    blocks = [bytes(4096) for _ in range(16 * 1024)]
    kept = blocks[::64]
    del blocks
    before = rss()
    assert release_startup_memory()
    assert before - rss() > 32 * MIB
    assert len(kept) == 256


def test_start_up_memory_is_released_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[None] = []
    monkeypatch.setattr(memory, "_released", False)
    monkeypatch.setattr(memory, "release_startup_memory", lambda: calls.append(None) or True)
    assert release_startup_memory_once() is True
    assert release_startup_memory_once() is False
    assert release_startup_memory_once() is False
    assert len(calls) == 1
