"""The browser tests' Chromium installer (headless_chromium.ensure_chromium) against a stand-in apt-get.

The real installation runs when a machine lacks Chromium (CI's first run); these
tests pin down what it does there without uninstalling this machine's browser:
an ``apt-get`` script on a PATH of its own records its calls and, on install,
puts stand-in ``chromium`` and ``chromedriver`` executables beside itself.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from headless_chromium import INSTALL_COMMAND, ChromiumUnavailable, ensure_chromium

FAKE_APT = """#!/bin/sh
PATH=/usr/bin:/bin
here=$(dirname "$0")
echo "$*" >> "$here/calls"
case " $* " in
  *" update "*)
    if [ -e "$here/unreachable" ]; then echo "E: Failed to fetch deb.debian.org" >&2; exit 100; fi
    rm -f "$here/stale"; touch "$here/lists"; exit 0 ;;
  *" --simulate "*)
    [ -e "$here/lists" ] || { echo "E: Unable to locate package chromium" >&2; exit 100; } ; exit 0 ;;
  *" install "*)
    [ -e "$here/lists" ] || { echo "E: Unable to locate package chromium" >&2; exit 100; }
    [ -e "$here/stale" ] && { echo "E: Failed to fetch chromium_1.deb 404 Not Found" >&2; exit 100; }
    sleep "$(cat "$here/install_seconds" 2>/dev/null || echo 0)"
    for tool in chromium chromedriver; do printf '#!/bin/sh\\n' > "$here/$tool"; chmod +x "$here/$tool"; done
    exit 0 ;;
esac
exit 1
"""


@pytest.fixture
def apt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory holding the stand-in apt-get, alone on PATH, as root."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "apt-get"
    script.write_text(FAKE_APT)
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    return bin_dir


def calls(apt: Path) -> list[str]:
    """Each apt-get call's action: update, simulate or install."""
    actions = []
    for line in (apt / "calls").read_text().splitlines():
        words = line.split()
        actions.append(
            "simulate" if "--simulate" in words else "install" if "install" in words else words[-1]
        )
    return actions


def test_a_fresh_machine_updates_the_lists_then_installs(apt: Path, tmp_path: Path) -> None:
    chromium = ensure_chromium(lock_file=tmp_path / "lock")
    assert calls(apt) == ["simulate", "update", "install"]
    assert chromium.browser == apt / "chromium" and chromium.driver == apt / "chromedriver"
    assert chromium.installed_in is not None
    first = (apt / "calls").read_text().splitlines()[-1]
    assert "-y" in first.split() and "Dpkg::Options::=--force-confold" in first


def test_known_lists_install_without_an_update(apt: Path, tmp_path: Path) -> None:
    (apt / "lists").touch()
    ensure_chromium(lock_file=tmp_path / "lock")
    assert calls(apt) == ["simulate", "install"]


def test_stale_lists_are_updated_once_and_the_install_retried(apt: Path, tmp_path: Path) -> None:
    (apt / "lists").touch()
    (apt / "stale").touch()
    ensure_chromium(lock_file=tmp_path / "lock")
    assert calls(apt) == ["simulate", "install", "update", "install"]


def test_an_unreachable_archive_fails_naming_the_command(apt: Path, tmp_path: Path) -> None:
    (apt / "unreachable").touch()
    with pytest.raises(ChromiumUnavailable) as refused:
        ensure_chromium(lock_file=tmp_path / "lock")
    message = str(refused.value)
    assert "`apt-get update` failed" in message and "Failed to fetch" in message
    assert INSTALL_COMMAND in message


def test_an_install_over_the_deadline_is_stopped(apt: Path, tmp_path: Path) -> None:
    (apt / "lists").touch()
    (apt / "install_seconds").write_text("30")
    with pytest.raises(ChromiumUnavailable, match="did not finish within the 2 s install deadline"):
        ensure_chromium(lock_file=tmp_path / "lock", deadline_seconds=2)


def test_parallel_runs_install_once(apt: Path, tmp_path: Path) -> None:
    (apt / "lists").touch()
    (apt / "install_seconds").write_text("1")
    found: list[Path] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            found.append(ensure_chromium(lock_file=tmp_path / "lock").browser)
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    runs = [threading.Thread(target=run) for _ in range(3)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=60)
    assert errors == []
    assert found == [apt / "chromium"] * 3
    assert calls(apt).count("install") == 1


def test_without_root_it_fails_saying_what_to_run(
    apt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(ChromiumUnavailable, match="needs root") as refused:
        ensure_chromium()
    assert f"sudo sh -c '{INSTALL_COMMAND}'" in str(refused.value)
    assert not (apt / "calls").exists()
