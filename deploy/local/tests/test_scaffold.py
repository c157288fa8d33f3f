"""`shopfloor-new-service` makes a complete, passing service: run into a copy of this checkout,
its output passes ruff, mypy and its own tests (standard tests, permission matrix, events through
real JetStream), and it is in the workspace, the route table, deploy and the docs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from shopfloor_local.paths import repo_root
from shopfloor_local.scaffold import NewService, ScaffoldError, scaffold

NAME = "repairs"


def _copy_checkout(target: Path) -> Path:
    """The tracked and new files of this checkout (no venv, no data)."""
    root = repo_root()
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    for relative in listed:
        source = root / relative
        if not source.is_file() or relative.startswith(("var/", ".venv")):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    return target


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _copy_checkout(tmp_path_factory.mktemp("checkout"))
    scaffold(
        NewService(NAME, "/api/repairs/", "Repair tickets taken at the counter."), root, sync=False
    )
    return root


def _run(
    root: Path, *args: str, cwd: Path | None = None, path: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": path, "MYPYPATH": path}
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd or root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_service_is_wired_into_the_workspace_routes_deploy_and_docs(scaffolded: Path) -> None:
    pyproject = tomllib.loads((scaffolded / "pyproject.toml").read_text())
    assert pyproject["tool"]["uv"]["sources"][f"shopfloor-{NAME}"] == {"workspace": True}
    assert NAME in pyproject["tool"]["ruff"]["lint"]["isort"]["known-first-party"]
    routes = tomllib.loads((scaffolded / "gateway/src/gateway/routes.toml").read_text())
    assert {"name": NAME, "prefixes": ["/api/repairs/"]} in routes["service"]
    assert f"shopfloor-{NAME}:latest" in (scaffolded / "deploy/compose.yaml").read_text()
    assert f"| {NAME} | `/api/repairs/` |" in (scaffolded / "README.md").read_text()
    assert f"`{NAME}.note.created`" in (scaffolded / "docs/events.md").read_text()
    assert f"{NAME}__sends__{NAME}_note_created" in (scaffolded / "docs/asyncapi.yaml").read_text()
    versions = list((scaffolded / f"services/{NAME}/migrations/versions").glob("0001_*.py"))
    assert len(versions) == 1
    migration = versions[0].read_text().replace('"', "'")
    assert "op.create_table(" in migration and "'notes'" in migration


def test_the_output_passes_lint(scaffolded: Path) -> None:
    service = f"services/{NAME}"
    assert _run(scaffolded, "-m", "ruff", "check", service).returncode == 0
    assert _run(scaffolded, "-m", "ruff", "format", "--check", service).returncode == 0
    typed = _run(scaffolded, "-m", "mypy", f"{service}/src", path=str(scaffolded / service / "src"))
    assert typed.returncode == 0, typed.stdout


def test_the_output_passes_its_own_tests(scaffolded: Path) -> None:
    service = scaffolded / "services" / NAME
    result = _run(
        scaffolded,
        "-m",
        "pytest",
        "tests",
        "-q",
        "-p",
        "no:cacheprovider",
        cwd=service,
        path=str(service / "src"),
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_a_bad_name_or_an_existing_service_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="lower-case"):
        NewService("Bad-Name", "/api/x/", "").validate(tmp_path)
    with pytest.raises(ScaffoldError, match="prefix"):
        NewService("fine", "api/x", "").validate(tmp_path)
    (tmp_path / "services" / "auth").mkdir(parents=True)
    with pytest.raises(ScaffoldError, match="exists already"):
        NewService("auth", "/api/auth/", "").validate(tmp_path)
