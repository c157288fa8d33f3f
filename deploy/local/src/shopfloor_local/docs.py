"""`shopfloor-local docs`: regenerate docs/asyncapi.yaml and the generated blocks of
docs/events.md from every service's event contracts (`shopfloor-<name> asyncapi`).

Each service prints its own fragment in a process of its own (services are never imported
together); the fragments are merged into one AsyncAPI document. ``--check`` writes
nothing and exits 1 when a file is stale.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from common.events.asyncapi import merge, replace_block


def service_fragments(root: Path) -> list[dict[str, Any]]:
    """The fragment of every service in ``root/services``, each printed by its own CLI in a
    process of its own (with ``root``'s sources first on the path)."""
    sources = [str(path) for path in sorted((root / "services").glob("*/src"))]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([*sources, os.environ.get("PYTHONPATH", "")]),
    }
    fragments: list[dict[str, Any]] = []
    for directory in sorted((root / "services").iterdir()):
        if not (directory / "src" / directory.name / "cli.py").is_file():
            continue
        done = subprocess.run(
            [sys.executable, "-c", f"from {directory.name}.cli import app; app()", "asyncapi"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{directory.name} asyncapi failed:\n{done.stderr}")
        fragments.append(json.loads(done.stdout))
    return fragments


def render(root: Path) -> dict[Path, str]:
    """The expected content of both files."""
    fragments = service_fragments(root)
    asyncapi = yaml.safe_dump(merge(fragments), sort_keys=False, allow_unicode=True, width=100)
    events_path = root / "docs" / "events.md"
    events = events_path.read_text(encoding="utf-8")
    for fragment in fragments:
        events = replace_block(events, fragment)
    return {root / "docs" / "asyncapi.yaml": asyncapi, events_path: events}


def regenerate(root: Path, *, check: bool = False) -> list[Path]:
    """Write (or with ``check`` only list) the files whose content changes."""
    changed = []
    for path, text in render(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    return changed
