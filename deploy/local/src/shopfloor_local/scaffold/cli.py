"""``shopfloor-new-service NAME --prefix /api/x/``: scaffold a service in the one shape."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopfloor_local.paths import repo_root
from shopfloor_local.scaffold import NewService, ScaffoldError, scaffold

app = typer.Typer(add_completion=False)


@app.command()
def new_service(
    name: Annotated[str, typer.Argument(help="Service (and Python package) name, e.g. invoicing")],
    prefix: Annotated[str, typer.Option(help="Its first path prefix, e.g. /api/invoices/")],
    description: Annotated[
        str, typer.Option(help="One sentence: what the service is for")
    ] = "a Shopfloor service.",
    root: Annotated[Path | None, typer.Option(help="Repository root (default: this one)")] = None,
    sync: Annotated[bool, typer.Option(help="uv lock + sync the workspace afterwards")] = True,
) -> None:
    """Create services/NAME (app, example domain, tests, migration, contracts) and add it to
    the workspace, the route table, deploy and the docs. Then: `make test`."""
    target = root or repo_root()
    try:
        files = scaffold(NewService(name, prefix, description), target, sync=sync)
    except ScaffoldError as exc:
        typer.echo(f"shopfloor-new-service: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"created services/{name} ({len(files)} files); run its tests with:")
    typer.echo(f"  uv run --frozen python -m shopfloor_local.testrun services/{name}")
