"""``shopfloor-attendance``: migrate, prestart, serve, openapi, asyncapi."""

from __future__ import annotations

from pathlib import Path

from attendance.config import get_settings
from common.cli import service_cli

app = service_cli(
    name="attendance",
    app_path="attendance.main:app",
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    settings_factory=get_settings,
)
