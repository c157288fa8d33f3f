"""``shopfloor-catalog``: migrate, prestart, serve, openapi."""

from __future__ import annotations

from pathlib import Path

from catalog.config import get_settings
from common.cli import service_cli

app = service_cli(
    name="catalog",
    app_path="catalog.main:app",
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    settings_factory=get_settings,
)
