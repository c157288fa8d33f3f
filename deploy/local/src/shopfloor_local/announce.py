"""The `announce` process: wait until the platform is healthy, then say where everything is.

It runs under supervisord beside the servers, is not restarted, and exits 0
once it has printed the announcement (or when it is stopped first).
"""

from __future__ import annotations

import signal
import sys
import time
from types import FrameType

from rich.console import Console
from rich.table import Table

from shopfloor_local.health import Check, gateway_check, new_client, service_checks
from shopfloor_local.routes import ServiceSpec
from shopfloor_local.settings import DEV_ADMIN_PASSWORD, Settings

POLL_SECONDS = 0.5


def _stop(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


def not_ready(settings: Settings, services: list[ServiceSpec]) -> list[Check]:
    with new_client() as client:
        checks = [gateway_check(client, settings), *service_checks(client, services)]
    return [check for check in checks if not check.ok]


def wait_until_ready(settings: Settings, services: list[ServiceSpec], console: Console) -> None:
    """Poll until every check passes; every ``ready_timeout`` seconds, say what is still down."""
    started = time.monotonic()
    next_report = started + settings.ready_timeout
    while failing := not_ready(settings, services):
        if time.monotonic() >= next_report:
            waited = time.monotonic() - started
            for check in failing:
                console.print(
                    f"not ready after {waited:.0f}s: {check.name} ({check.url}: {check.detail})"
                )
            next_report += settings.ready_timeout
        time.sleep(POLL_SECONDS)


def services_table(settings: Settings, services: list[ServiceSpec]) -> Table:
    table = Table(title=f"Shopfloor is up on {settings.gateway_url}")
    for column in ("service", "through the gateway", "direct", "API docs"):
        table.add_column(column, no_wrap=True)
    for spec in services:
        table.add_row(
            spec.name,
            f"{settings.gateway_url}{spec.prefix}",
            spec.direct_url,
            f"{settings.gateway_url}/docs/{spec.name}",
        )
    return table


def login_hint(settings: Settings, services: list[ServiceSpec]) -> str:
    if not any(spec.name == "auth" for spec in services):
        return "auth is not running yet: no login"
    password = (
        settings.admin_password
        if settings.admin_password == DEV_ADMIN_PASSWORD
        else "the SHOPFLOOR_ADMIN_PASSWORD you set"
    )
    return (
        f"admin login: {settings.admin_email} / {password}  "
        f"(POST {settings.gateway_url}/api/auth/login)"
    )


def announce(settings: Settings, services: list[ServiceSpec], console: Console) -> None:
    if services:
        console.print(services_table(settings, services))
    else:
        console.print(
            f"Shopfloor gateway is up on {settings.gateway_url}; no service is installed yet"
        )
    console.print(f"PostgreSQL: {settings.server_database_url}   NATS: {settings.nats_url}")
    console.print(login_hint(settings, services))
    console.print("Ctrl-C stops everything.")


def run(settings: Settings, services: list[ServiceSpec]) -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    console = Console(width=160, highlight=False)
    wait_until_ready(settings, services, console)
    announce(settings, services, console)
