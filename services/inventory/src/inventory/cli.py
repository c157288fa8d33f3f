"""``shopfloor-inventory``: migrate, prestart, serve, openapi."""

from __future__ import annotations

from pathlib import Path

from common.cli import service_cli
from inventory.config import get_settings

app = service_cli(
    name="inventory",
    app_path="inventory.main:app",
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    settings_factory=get_settings,
)
