"""``shopfloor-audit verify-export``: an export as downloaded verifies; a changed cell, a
removed row or a wrong trailer is named, and the command exits 1."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from audit.cli import app
from common.db import Database
from tests.conftest import record, sale_event

pytestmark = pytest.mark.usefixtures("stores")


async def export(client: httpx.AsyncClient, admin: dict[str, str], database: Database) -> str:
    await record(database, [sale_event() for _ in range(3)])
    answer = await client.get("/api/logs/export/", headers=admin)
    assert answer.status_code == 200
    return answer.text


def run(tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["verify-export", str(path)])
    return result.exit_code, result.output


async def test_a_downloaded_export_verifies(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database, tmp_path: Path
) -> None:
    code, output = run(tmp_path, await export(client, admin, database))
    assert code == 0 and "3 rows" in output and "verified" in output


async def test_a_changed_cell_a_removed_row_and_a_wrong_trailer_are_named(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database, tmp_path: Path
) -> None:
    text = await export(client, admin, database)
    header, first, second, third, trailer = text.rstrip("\n").split("\n")
    changed = "\n".join([header, first.replace("10.00", "99.00"), second, third, trailer]) + "\n"
    code, output = run(tmp_path, changed)
    assert code == 1 and "do not give its hash" in output
    removed = "\n".join([header, first, third, trailer]) + "\n"
    code, output = run(tmp_path, removed)
    assert code == 1 and "trailer says 3 rows, the file has 2" in output
    cut = "\n".join([header, first, second]) + "\n"
    code, output = run(tmp_path, cut)
    assert code == 1 and "no trailer line" in output
