"""`make up` tells the services which build they run: the checkout's HEAD commit and the
start time (catalog's /api/core/system/version/ shows them); outside a git repository the
commit stays unset and nothing fails; values already in the environment win."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shopfloor_local.build import build_env, head_commit
from shopfloor_local.paths import repo_root
from shopfloor_local.routes import ServiceSpec, service_port
from shopfloor_local.service import service_env
from shopfloor_local.settings import Settings
from shopfloor_local.up import platform_env

NOW = datetime(2026, 12, 2, 15, 30, 5, tzinfo=UTC)


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_git_checkout_reports_its_head_commit(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "README").write_text("shop\n")
    git(tmp_path, "add", "README")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "one")
    head = git(tmp_path, "rev-parse", "HEAD")
    assert len(head) == 40
    assert build_env(tmp_path, {}, now=NOW) == {
        "BUILD_COMMIT": head,
        "BUILD_TIME": "2026-12-02T15:30:05Z",
    }


def test_no_git_repository_no_commit_and_no_failure(tmp_path: Path) -> None:
    assert head_commit(tmp_path) is None
    git(tmp_path, "init", "-q")  # a repository without a commit has no HEAD either
    assert head_commit(tmp_path) is None
    assert build_env(tmp_path, {}, now=NOW) == {"BUILD_TIME": "2026-12-02T15:30:05Z"}


def test_no_git_installed_no_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the PATH
    assert head_commit(repo_root()) is None


def test_values_already_set_win(tmp_path: Path) -> None:
    given = {"BUILD_COMMIT": "cd61e95", "BUILD_TIME": "2026-11-30T08:00:00Z"}
    assert build_env(repo_root(), given, now=NOW) == {}


def test_every_service_of_up_sees_the_checkouts_commit(tmp_path: Path) -> None:
    settings = Settings.from_env({"SHOPFLOOR_DATA_DIR": str(tmp_path / "data")})
    supervised = platform_env(settings, {})
    head = head_commit(repo_root())
    if head is None:
        assert "BUILD_COMMIT" not in supervised
    else:
        assert supervised["BUILD_COMMIT"] == head
    spec = ServiceSpec("catalog", service_port(settings, "catalog"), "/bin/shopfloor-catalog", "/")
    catalog = service_env(settings, spec, supervised)
    assert catalog.get("BUILD_COMMIT") == supervised.get("BUILD_COMMIT")
    assert catalog["BUILD_TIME"] == supervised["BUILD_TIME"]
