"""``shopfloor-auth``: migrate, prestart (migrate + first admin), serve, openapi, create-admin."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from auth.bootstrap import bootstrap_admin_from_env, create_admin
from auth.config import AuthSettings, get_settings
from common.cli import service_cli
from common.config import ServiceSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def _bootstrap(settings: ServiceSettings) -> None:
    if not isinstance(settings, AuthSettings):  # service_cli builds it from AuthSettings
        raise TypeError(f"auth's CLI needs AuthSettings, not {type(settings).__name__}")
    await bootstrap_admin_from_env(settings)


app = service_cli(
    name="auth",
    app_path="auth.main:app",
    migrations_dir=MIGRATIONS,
    settings_factory=get_settings,
    bootstrap=_bootstrap,
)


@app.command("create-admin")
def create_admin_command(
    email: Annotated[str, typer.Option(prompt=True, help="The admin's email")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="The admin's password"
        ),
    ],
) -> None:
    """Create a system_admin user (for recovery, or a second admin)."""
    try:
        asyncio.run(create_admin(get_settings(), email, password, only_if_none=False))
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    except Exception as exc:  # domain errors (password rules) carry a detail
        detail = getattr(exc, "detail", exc)
        if isinstance(detail, list):  # field errors: their messages, not the HTTP body's shape
            detail = " ".join(str(e["msg"]) if isinstance(e, dict) else str(e) for e in detail)
        typer.echo(f"error: {detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"created system_admin {email}")
