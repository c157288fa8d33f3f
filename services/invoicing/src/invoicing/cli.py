"""``shopfloor-invoicing``: migrate, prestart, serve, openapi, asyncapi."""

from __future__ import annotations

from pathlib import Path

from common.cli import service_cli
from invoicing.config import get_settings

app = service_cli(
    name="invoicing",
    app_path="invoicing.main:app",
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    settings_factory=get_settings,
)
