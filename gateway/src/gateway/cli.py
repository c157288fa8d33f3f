"""``shopfloor-gateway``: print the route table and render the gateway and deployment files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gateway.artifacts import stale_artifacts, write_artifacts
from gateway.caddy import local_upstreams, render_caddyfile
from gateway.compose import render_compose
from gateway.containers import TRAEFIK_DYNAMIC_FILE, TRAEFIK_STATIC_FILE
from gateway.cors import ORIGINS_VARIABLE, parse_origins
from gateway.databases import render_postgres_init
from gateway.k8s import deployed_routes
from gateway.k8s.ingress import origins_patch
from gateway.k8s.objects import dump
from gateway.table import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_SERVICE_PORT_BASE,
    load_routes,
    local_port,
    route_for,
    service_names,
)
from gateway.traefik import render_traefik_dynamic, render_traefik_static
from gateway.workspace import existing_services, find_repo_root

app = typer.Typer(
    help="Shopfloor gateway: one route table, rendered to Caddy, Traefik and compose."
)
render = typer.Typer(help="Render a configuration file from the route table.", no_args_is_help=True)
app.add_typer(render, name="render")

RootOption = Annotated[
    Path | None, typer.Option(help="Repository root (default: found above the current directory)")
]


@app.command()
def routes(
    service_port_base: Annotated[
        int, typer.Option(help="Local port base: service i listens on base + i")
    ] = DEFAULT_SERVICE_PORT_BASE,
) -> None:
    """Print each service, its local port and the path prefixes it owns."""
    for route in load_routes():
        port = local_port(route.service, service_port_base)
        typer.echo(f"{route.service:<11} {port:<6} {' '.join(route.all_prefixes)}")


@render.command("caddy")
def render_caddy(
    out: Annotated[Path, typer.Option(help="Write the Caddyfile here")],
    port: Annotated[int, typer.Option(help="Gateway port")] = 8000,
    service_port_base: Annotated[
        int, typer.Option(help="Service i of the table listens on base + i")
    ] = DEFAULT_SERVICE_PORT_BASE,
    running: Annotated[
        str | None,
        typer.Option(help="Comma-separated running services (default: all); others answer 503"),
    ] = None,
    max_body_bytes: Annotated[
        int, typer.Option(help="Request body cap in bytes (413 above)")
    ] = DEFAULT_MAX_BODY_BYTES,
    access_log: Annotated[
        Path | None, typer.Option(help="Access log file (default: JSON on stdout)")
    ] = None,
    admin: Annotated[
        str | None, typer.Option(help="Caddy admin API address (default: admin API off)")
    ] = None,
    bind: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    production: Annotated[
        bool, typer.Option(help="Add HSTS (Strict-Transport-Security) to every answer")
    ] = False,
) -> None:
    """The local gateway's Caddyfile."""
    names = service_names() if running is None else _split(running)
    for name in names:
        route_for(name)  # a clear error for a misspelt service
    text = render_caddyfile(
        port=port,
        upstreams=local_upstreams(names, service_port_base),
        max_body_bytes=max_body_bytes,
        access_log=access_log,
        admin=admin,
        bind=bind,
        production=production,
    )
    _write(out, text)


@render.command("traefik")
def render_traefik(
    out_dir: Annotated[Path, typer.Option(help="Directory for traefik.yml and dynamic.yml")],
    production: Annotated[
        bool, typer.Option(help="Add HSTS (the containers run in production)")
    ] = True,
) -> None:
    """Traefik's static (traefik.yml) and dynamic (dynamic.yml) configuration."""
    _write(out_dir / TRAEFIK_STATIC_FILE, render_traefik_static())
    _write(out_dir / TRAEFIK_DYNAMIC_FILE, render_traefik_dynamic(production=production))


@render.command("compose")
def render_compose_file(
    out: Annotated[Path, typer.Option(help="Write the compose file here")],
    only_existing: Annotated[
        bool,
        typer.Option(help="Only services with a services/<name>/pyproject.toml (else all)"),
    ] = True,
    root: RootOption = None,
) -> None:
    """The compose file: Traefik, NATS, PostgreSQL and the services."""
    names = existing_services(root or find_repo_root()) if only_existing else service_names()
    _write(out, render_compose(names))


@render.command("postgres-init")
def render_postgres(
    out: Annotated[Path, typer.Option(help="Write the SQL here")],
) -> None:
    """The SQL that creates one database per service in the Postgres container."""
    _write(out, render_postgres_init(service_names()))


@render.command("deploy")
def render_deploy(
    root: RootOption = None,
    check: Annotated[
        bool, typer.Option(help="Write nothing; exit 1 if a committed file is stale")
    ] = False,
) -> None:
    """Regenerate every committed file under deploy/ (Traefik, compose, database init)."""
    repo = root or find_repo_root()
    if check:
        stale = stale_artifacts(repo)
        for path in stale:
            typer.echo(f"stale: {path.relative_to(repo)}", err=True)
        if stale:
            typer.echo("run: uv run shopfloor-gateway render deploy", err=True)
            raise typer.Exit(1)
        return
    for path in write_artifacts(repo):
        typer.echo(f"wrote {path.relative_to(repo)}")


@render.command("k8s-cors")
def render_k8s_cors(
    origins: Annotated[
        str, typer.Option(help="The web clients' origins, comma-separated (SHOPFLOOR_CORS_ORIGINS)")
    ],
    out: Annotated[Path, typer.Option(help="Write the patch here (a site overlay's patches)")],
    root: RootOption = None,
) -> None:
    """Kubernetes: the gateway objects that list ``origins``, as a patch for a site overlay."""
    try:
        listed = parse_origins(origins)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--origins") from exc
    objects = origins_patch(deployed_routes(root or find_repo_root()), listed)
    notice = (
        f"# Rendered by `shopfloor-gateway render k8s-cors` for {ORIGINS_VARIABLE}="
        f"{','.join(listed)}\n# Render it again when the route table changes.\n"
    )
    _write(out, notice + "---\n".join(dump(obj) for obj in objects))


def _split(names: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in names.split(",") if name.strip())


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {path}")
