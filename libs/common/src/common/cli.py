"""The command line every service ships: ``migrate``, ``prestart``, ``serve``, ``openapi``.

``prestart`` is what a container or the local runner calls before serving:
wait for the database, apply migrations, then the service's own bootstrap.
``serve`` runs uvicorn through ``run_server``, the one place its options live.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any

import typer

from common.config import ServiceSettings
from common.db import Database

Bootstrap = Callable[[ServiceSettings], Coroutine[Any, Any, None]]

# How long uvicorn keeps an idle keep-alive connection open (uvicorn's default is 5 s).
# Both gateways close their idle upstream connections sooner (60 s: gateway.policy), so an
# idle connection is always closed by the proxy, never by the service while the proxy is
# already sending a request on it (which the proxy would answer with 502).
KEEP_ALIVE_SECONDS = 75
# With --workers, uvicorn's master pings each worker and kills one that has not answered
# within this many seconds (uvicorn's default: 5). A spawned worker answers only once its
# interpreter has started and imported uvicorn: on a busy machine that took longer than
# 5 s, so every worker was killed while starting, again and again, and never served.
WORKER_HEALTHCHECK_SECONDS = 60


def run_server(app_path: str, *, host: str, port: int, workers: int = 1) -> None:
    """uvicorn as every service runs it: proxy headers trusted only from
    ``FORWARDED_ALLOW_IPS``, JSON logs (ours, not uvicorn's), no Server header, a
    keep-alive longer than the gateway's, and workers given time to start."""
    import uvicorn

    uvicorn.run(
        app_path,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        log_config=None,
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


def service_cli(
    *,
    name: str,
    app_path: str,
    migrations_dir: Path,
    settings_factory: Callable[[], ServiceSettings],
    bootstrap: Bootstrap | None = None,
) -> typer.Typer:
    cli = typer.Typer(help=f"Shopfloor {name} service.", no_args_is_help=True)

    @cli.command()
    def migrate() -> None:
        """Wait for the database, then `alembic upgrade head` on this service's database."""
        # Here, not at the top: `serve` never migrates, and Alembic (with Mako) is ~8 MiB of
        # RSS in every serving process (bench/README.md, idle-memory).
        from common.migrations import upgrade_head

        settings = settings_factory()
        asyncio.run(_wait_for_db(settings))
        upgrade_head(migrations_dir, settings.database_url)
        typer.echo(f"{name}: migrations at head")

    @cli.command()
    def prestart() -> None:
        """Everything before serving: wait for the database, migrate, bootstrap."""
        migrate()
        if bootstrap is not None:
            asyncio.run(bootstrap(settings_factory()))

    @cli.command()
    def serve(
        host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
        workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
    ) -> None:
        """Run the API under uvicorn, trusting X-Forwarded-* only from FORWARDED_ALLOW_IPS."""
        settings_factory()  # fail fast on bad configuration, before binding the port
        run_server(app_path, host=host, port=port, workers=workers)

    @cli.command()
    def openapi(
        out: Annotated[Path | None, typer.Option(help="Write to this file")] = None,
    ) -> None:
        """Print (or write) the OpenAPI document."""
        app = _load_app(app_path)
        document = json.dumps(app.openapi(), indent=2)
        if out:
            out.write_text(document)
        else:
            typer.echo(document)

    @cli.command()
    def asyncapi() -> None:
        """Print this service's event fragment (its contracts) as JSON, for `shopfloor-local docs`."""
        os.environ.setdefault("DATABASE_URL", "postgresql://offline@127.0.0.1:1/offline")
        typer.echo(json.dumps(event_fragment(name, _load_app(app_path)), indent=2))

    return cli


def _load_app(app_path: str) -> Any:
    import importlib

    module_name, attribute = app_path.split(":")
    return getattr(importlib.import_module(module_name), attribute)


def event_fragment(name: str, app: Any) -> dict[str, Any]:
    """The service's contracts, as the app was built with them."""
    from common.events.asyncapi import fragment

    return fragment(name, app.state.published, app.state.subscriptions)


async def _wait_for_db(settings: ServiceSettings) -> None:
    database = Database(settings.database_url, pool_size=1)
    try:
        await database.wait_until_ready()
    finally:
        await database.dispose()
