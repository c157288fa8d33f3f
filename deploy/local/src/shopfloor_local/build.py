"""The build the local platform runs, as the images report theirs: ``BUILD_COMMIT`` (the
checkout's ``git rev-parse HEAD``) and ``BUILD_TIME`` (when `up` started it, UTC), which
catalog's ``/api/core/system/version/`` shows. A checkout that is not a git repository (or
no git installed) has no commit: BUILD_COMMIT stays unset and the version shows null. Values
already in the environment win (an operator's, or a packaged build's)."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path


def head_commit(root: Path) -> str | None:
    """The checkout's HEAD commit, or None when it is not a git repository."""
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):  # no git, or it hung
        return None
    commit = found.stdout.strip()
    return commit if found.returncode == 0 and commit else None


def build_env(
    root: Path, base: Mapping[str, str], *, now: datetime | None = None
) -> dict[str, str]:
    """``BUILD_COMMIT`` and ``BUILD_TIME`` for the services, unless ``base`` sets them."""
    env: dict[str, str] = {}
    if not base.get("BUILD_COMMIT"):
        commit = head_commit(root)
        if commit is not None:
            env["BUILD_COMMIT"] = commit
    if not base.get("BUILD_TIME"):
        env["BUILD_TIME"] = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return env
