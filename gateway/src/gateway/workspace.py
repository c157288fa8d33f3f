"""Find the repository root and the services that exist in it (``services/<name>/pyproject.toml``)."""

from __future__ import annotations

from pathlib import Path

from gateway.table import service_names

_MARKER = Path("gateway/src/gateway/routes.toml")


def find_repo_root(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` (default: cwd) holding the route table."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / _MARKER).is_file():
            return candidate
    raise FileNotFoundError(
        f"no Shopfloor checkout at or above {here} (looked for {_MARKER}); pass --root"
    )


def existing_services(root: Path) -> tuple[str, ...]:
    """The services of the route table that have a package under ``root/services``, in table order."""
    return tuple(
        name for name in service_names() if (root / "services" / name / "pyproject.toml").is_file()
    )
