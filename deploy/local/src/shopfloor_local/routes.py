"""The services this checkout can run, from the gateway's route table, and their Caddyfile.

A service of the route table exists when ``services/<name>/pyproject.toml`` is
in the repository and its CLI ``shopfloor-<name>`` is installed. Its port is
the route table's (``SHOPFLOOR_SERVICE_PORT_BASE`` + its index).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gateway.caddy as caddy
import gateway.table as table
import gateway.workspace as workspace
from shopfloor_local.paths import service_executable
from shopfloor_local.settings import Settings


@dataclass(frozen=True)
class ServiceSpec:
    """One service to run: where it listens, how to start it, where the gateway sends it."""

    name: str
    port: int
    cli: str
    prefix: str

    @property
    def upstream(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def direct_url(self) -> str:
        return f"http://{self.upstream}"


def service_port(settings: Settings, name: str) -> int:
    return int(table.local_port(name, settings.service_port_base))


def first_prefix(name: str) -> str:
    """The service's first public path prefix (for the announcement)."""
    return str(table.route_for(name).prefixes[0])


def installed_services(settings: Settings, root: Path) -> tuple[list[ServiceSpec], list[str]]:
    """(services to run, why each other service of the table is left out)."""
    running: list[ServiceSpec] = []
    skipped: list[str] = []
    for name in workspace.existing_services(root):
        cli = service_executable(f"shopfloor-{name}")
        if cli is None:
            skipped.append(f"{name}: shopfloor-{name} is not installed (run `make install`)")
            continue
        running.append(ServiceSpec(name, service_port(settings, name), cli, first_prefix(name)))
    return running, skipped


def find_service(settings: Settings, root: Path, name: str) -> ServiceSpec:
    running, skipped = installed_services(settings, root)
    for spec in running:
        if spec.name == name:
            return spec
    reasons = [reason for reason in skipped if reason.startswith(f"{name}:")]
    raise LookupError(reasons[0] if reasons else f"no service {name!r} in services/")


def write_caddyfile(settings: Settings, services: list[ServiceSpec]) -> Path:
    """Render the local gateway's config for the services that run (body cap: the gateway's,
    CORS for ``SHOPFLOOR_CORS_ORIGINS``).

    The admin API stays off, so several platforms can run side by side.
    """
    settings.caddy_dir.mkdir(parents=True, exist_ok=True)
    text = caddy.render_caddyfile(
        port=settings.gateway_port,
        upstreams=caddy.local_upstreams(
            [spec.name for spec in services], settings.service_port_base
        ),
        access_log=settings.caddy_dir / "access.log",
        cors_origins=settings.cors_origins,
    )
    settings.caddyfile.write_text(text, encoding="utf-8")
    return settings.caddyfile
