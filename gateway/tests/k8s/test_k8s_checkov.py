"""checkov finds nothing in either rendered overlay but the checks skipped on purpose.

checkov pins packaging, pytest and wrapt below what the workspace uses, so it lives in an
environment of its own, gateway/k8s-lint (its own uv.lock), synced here from that lock.
Offline (``--skip-download``) checkov has no severities, so every failed check counts:
none is allowed. A skip is an annotation on the object with its reason
(``gateway.k8s.workloads.CHECKOV_SKIPS``; the dev overlay adds CKV_K8S_15).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gateway.k8s.workloads import CHECKOV_SKIPS

DEV_ONLY_SKIPS = {"CKV_K8S_15"}  # pull policy: a dev cluster runs images loaded into it


def uv_binary(repo_root: Path) -> str:
    """The uv running these tests (``uv run`` sets UV), else the one `make` would use."""
    found = os.environ.get("UV") or shutil.which("uv")
    if found:
        return found
    ensured = subprocess.run(
        ["sh", "deploy/local/ensure-uv.sh"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=True,
    )
    return ensured.stdout.strip()


@pytest.fixture(scope="module")
def checkov(repo_root: Path) -> Path:
    project = repo_root / "gateway" / "k8s-lint"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "VIRTUAL_ENV" and not key.startswith("UV_")
    }
    synced = subprocess.run(
        [uv_binary(repo_root), "sync", "--frozen", "--quiet", "--project", str(project)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert synced.returncode == 0, f"uv sync of gateway/k8s-lint failed:\n{synced.stderr}"
    return project / ".venv" / "bin" / "checkov"


def scan(checkov: Path, directory: Path) -> dict[str, Any]:
    ran = subprocess.run(
        [
            str(checkov),
            "--directory",
            str(directory),
            "--framework",
            "kubernetes",
            "--skip-download",
            "--compact",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode in (0, 1), f"checkov could not run:\n{ran.stderr[-3000:]}"
    report = json.loads(ran.stdout)
    result: dict[str, Any] = report[0] if isinstance(report, list) else report
    return result


def test_checkov_finds_nothing_but_the_skips_it_was_told_why(
    checkov: Path, rendered_text: dict[str, str], tmp_path: Path
) -> None:
    for overlay, text in rendered_text.items():
        (tmp_path / f"{overlay}.yaml").write_text(text)
    report = scan(checkov, tmp_path)
    assert report["check_type"] == "kubernetes"
    failed = [
        f"{check['check_id']} {check['check_name']}: {check['resource']}"
        for check in report["results"]["failed_checks"]
    ]
    assert failed == []
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 100 and report["summary"]["resource_count"] > 50
    allowed = {overlay: set(CHECKOV_SKIPS) for overlay in rendered_text}
    allowed["dev"] |= DEV_ONLY_SKIPS
    for check in report["results"]["skipped_checks"]:
        overlay = Path(check["file_path"]).stem
        assert check["check_id"] in allowed[overlay], (overlay, check["check_id"])
