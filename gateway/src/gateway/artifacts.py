"""The generated files committed under deploy/: what each should contain, and writing or checking them."""

from __future__ import annotations

from pathlib import Path

from gateway.compose import render_compose
from gateway.containers import TRAEFIK_DYNAMIC_FILE, TRAEFIK_STATIC_FILE
from gateway.databases import render_postgres_init
from gateway.k8s import k8s_artifacts
from gateway.table import service_names
from gateway.traefik import render_traefik_dynamic, render_traefik_static
from gateway.workspace import existing_services


def deploy_artifacts(root: Path) -> dict[Path, str]:
    """Every generated file under ``root/deploy`` and its expected content.

    Compose and deploy/k8s list only the services that exist in ``root/services``;
    Traefik and the database init script cover the whole route table.
    """
    deploy = root / "deploy"
    return {
        deploy / "traefik" / TRAEFIK_STATIC_FILE: render_traefik_static(),
        deploy / "traefik" / TRAEFIK_DYNAMIC_FILE: render_traefik_dynamic(),
        deploy / "postgres" / "init-databases.sql": render_postgres_init(service_names()),
        deploy / "compose.yaml": render_compose(existing_services(root)),
        **k8s_artifacts(root),
    }


def _strays(root: Path, expected: dict[Path, str]) -> list[Path]:
    """Files under deploy/k8s (generated whole) that no renderer writes any more."""
    tree = root / "deploy" / "k8s"
    found = tree.rglob("*") if tree.is_dir() else iter(())
    return sorted(path for path in found if path.is_file() and path not in expected)


def stale_artifacts(root: Path) -> list[Path]:
    """The generated files that are missing or differ from a fresh render, and strays."""
    expected = deploy_artifacts(root)
    stale = [
        path
        for path, text in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    return stale + _strays(root, expected)


def write_artifacts(root: Path) -> list[Path]:
    """Write every generated file and remove strays under deploy/k8s; returns the paths written."""
    expected = deploy_artifacts(root)
    for stray in _strays(root, expected):
        stray.unlink()
    written = []
    for path, text in expected.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
