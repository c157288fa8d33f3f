"""``shopfloor-bookings``: migrate, prestart, serve, openapi, asyncapi."""

from __future__ import annotations

from pathlib import Path

from bookings.config import get_settings
from common.cli import service_cli

app = service_cli(
    name="bookings",
    app_path="bookings.main:app",
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    settings_factory=get_settings,
)
