"""``shopfloor-pos``: migrate, prestart, serve, openapi."""

from __future__ import annotations

from pathlib import Path

from common.cli import service_cli
from pos.config import get_settings

app = service_cli(
    name="pos",
    app_path="pos.main:app",
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    settings_factory=get_settings,
)
