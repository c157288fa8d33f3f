"""Render deploy/k8s from the route table: every service of it that exists in ``services/``.

``k8s_artifacts(root)`` is what ``shopfloor-gateway render deploy`` writes (and
``--check`` compares) under ``deploy/k8s``; ``gateway.k8s.layout`` says which file holds what.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from gateway.k8s.layout import k8s_files
from gateway.table import Route, load_routes
from gateway.workspace import existing_services


def service_version(root: Path, name: str) -> str:
    """The version in ``services/<name>/pyproject.toml``: the production image's tag."""
    project = tomllib.loads((root / "services" / name / "pyproject.toml").read_text("utf-8"))
    version: str = project["project"]["version"]
    return version


def deployed_routes(root: Path) -> list[Route]:
    """The table's routes of the services that exist in ``root/services``."""
    existing = set(existing_services(root))
    return [route for route in load_routes() if route.service in existing]


def k8s_artifacts(root: Path) -> dict[Path, str]:
    routes = deployed_routes(root)
    versions = {route.service: service_version(root, route.service) for route in routes}
    return {
        root / "deploy" / "k8s" / path: text for path, text in k8s_files(routes, versions).items()
    }
