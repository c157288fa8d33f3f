"""Fixtures for the runner's tests: temporary work dirs and platforms (`shopfloor_local.platform`)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shopfloor_local.platform import Platform


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A short temporary path (PostgreSQL's socket path must stay under ~100 bytes)."""
    directory = Path(tempfile.mkdtemp(prefix="sfl-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def make_platform(workdir: Path) -> Iterator[Callable[..., Platform]]:
    made: list[Platform] = []

    def make(name: str = "data", **extra_env: str) -> Platform:
        platform = Platform(data_dir=workdir / name, extra_env=extra_env)
        made.append(platform)
        return platform

    yield make
    for platform in made:
        platform.kill_everything()
