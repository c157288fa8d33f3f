"""The generated files committed under deploy/: what each should contain, and writing or checking them."""

from __future__ import annotations

from pathlib import Path

from gateway.compose import render_compose
from gateway.containers import TRAEFIK_DYNAMIC_FILE, TRAEFIK_STATIC_FILE
from gateway.databases import render_postgres_init
from gateway.table import service_names
from gateway.traefik import render_traefik_dynamic, render_traefik_static
from gateway.workspace import existing_services


def deploy_artifacts(root: Path) -> dict[Path, str]:
    """Every generated file under ``root/deploy`` and its expected content.

    Compose lists only the services that exist in ``root/services``; Traefik and
    the database init script cover the whole route table.
    """
    deploy = root / "deploy"
    return {
        deploy / "traefik" / TRAEFIK_STATIC_FILE: render_traefik_static(),
        deploy / "traefik" / TRAEFIK_DYNAMIC_FILE: render_traefik_dynamic(),
        deploy / "postgres" / "init-databases.sql": render_postgres_init(service_names()),
        deploy / "compose.yaml": render_compose(existing_services(root)),
    }


def stale_artifacts(root: Path) -> list[Path]:
    """The generated files that are missing or differ from a fresh render."""
    return [
        path
        for path, text in deploy_artifacts(root).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def write_artifacts(root: Path) -> list[Path]:
    """Write every generated file; returns the paths written."""
    written = []
    for path, text in deploy_artifacts(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
