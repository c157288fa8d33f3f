"""``shopfloor-audit``: migrate, prestart, serve, openapi, asyncapi — and verify-export, the
offline check of a CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from audit.config import get_settings
from audit.integrity.offline import check_csv_export
from common.cli import service_cli

app = service_cli(
    name="audit",
    app_path="audit.main:app",
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    settings_factory=get_settings,
)


@app.command("verify-export")
def verify_export(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A CSV export")],
) -> None:
    """Check a CSV export offline: each row's hash, the links, the trailer (exit 1 if not)."""
    with path.open(encoding="utf-8", newline="") as export:
        result = check_csv_export(export)
    for problem in result.problems:
        typer.echo(f"broken: {problem}", err=True)
    typer.echo(
        f"{result.rows} rows, chain head {result.chain_head or '-'}: "
        + ("verified" if result.valid else "NOT verified")
    )
    if not result.valid:
        raise typer.Exit(1)
