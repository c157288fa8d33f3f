"""Where the repository and the installed executables are."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from gateway.workspace import find_repo_root


def repo_root() -> Path:
    """The Shopfloor checkout: $SHOPFLOOR_ROOT, else above this package (editable), else the cwd."""
    override = os.environ.get("SHOPFLOOR_ROOT")
    if override:
        return Path(override).resolve()
    for start in (Path(__file__).parent, Path.cwd()):
        try:
            root: Path = find_repo_root(start)
        except FileNotFoundError:
            continue
        return root
    raise RuntimeError(
        "cannot find the Shopfloor checkout (gateway/src/gateway/routes.toml) above this "
        "package or the current directory: run from inside it, or set SHOPFLOOR_ROOT"
    )


def executable(name: str) -> str | None:
    """An executable of this environment: the venv's bin beside Python first, then PATH."""
    beside_python = Path(sys.executable).parent / name
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which(name)


def service_executable(name: str) -> str | None:
    """A service's CLI: from ``$SHOPFLOOR_SERVICE_BIN`` when that directory has it (a service
    from another build, or a stand-in), else as ``executable`` finds it."""
    override = os.environ.get("SHOPFLOOR_SERVICE_BIN")
    if override and (Path(override) / name).is_file():
        return str(Path(override) / name)
    return executable(name)


def require_executable(name: str, hint: str) -> str:
    found = executable(name)
    if found is None:
        raise RuntimeError(f"`{name}` is not installed: {hint}")
    return found


def runner_command(*args: str) -> list[str]:
    """How to call this runner again as a child process (no reliance on PATH)."""
    return [sys.executable, "-m", "shopfloor_local", *args]
