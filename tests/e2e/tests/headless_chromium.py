"""Debian's Chromium and ChromeDriver for the browser tests: found, else installed with apt-get.

Installed on demand the way the embedded engines come with the test set-up, so a
fresh machine (CI's included) needs nothing by hand: ``apt-get install``
(``apt-get update`` first only when the package lists do not know Chromium yet),
as root, with timeouts. When that cannot work (no apt, not root, no registry)
the test fails and says why; it never skips. Never a browser a tool downloads
for itself: Selenium is handed both paths, so its manager never runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PACKAGES = ("chromium", "chromium-driver")
UPDATE_TIMEOUT = 300
INSTALL_TIMEOUT = 900
# This machine's network is closed: without these Chromium keeps trying Google's hosts.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1024",
)


class ChromiumUnavailable(RuntimeError):
    """Chromium or its driver is missing and could not be installed; the message says why."""


@dataclass(frozen=True)
class Chromium:
    browser: Path
    driver: Path
    installed_in: float | None  # seconds the install took, None when already there


def _installed() -> tuple[str, str] | None:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def _apt(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["apt-get", "-o", "DPkg::Lock::Timeout=120", *args],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ChromiumUnavailable(
            f"`apt-get {' '.join(args)}` did not finish in {timeout:.0f} s: {exc.stderr!r}"
        ) from exc


def ensure_chromium() -> Chromium:
    """Chromium and ChromeDriver, installing Debian's packages when either is missing."""
    found = _installed()
    if found:
        return Chromium(Path(found[0]), Path(found[1]), None)
    if shutil.which("apt-get") is None:
        raise ChromiumUnavailable(
            "chromium and chromedriver are not installed and there is no apt-get here: "
            f"install {' and '.join(PACKAGES)} (Debian's packages) by hand"
        )
    if os.geteuid() != 0:
        raise ChromiumUnavailable(
            "chromium and chromedriver are not installed, and installing them needs root: "
            f"run `sudo apt-get install -y {' '.join(PACKAGES)}`"
        )
    started = time.monotonic()
    install = ("install", "-y", "--no-install-recommends", *PACKAGES)
    result = _apt(*install, timeout=INSTALL_TIMEOUT)
    if result.returncode != 0:  # most often: the package lists are empty or stale
        update = _apt("update", timeout=UPDATE_TIMEOUT)
        if update.returncode != 0:
            raise ChromiumUnavailable(f"`apt-get update` failed:\n{update.stderr[-2000:]}")
        result = _apt(*install, timeout=INSTALL_TIMEOUT)
    if result.returncode != 0:
        raise ChromiumUnavailable(f"`apt-get {' '.join(install)}` failed:\n{result.stderr[-2000:]}")
    found = _installed()
    if found is None:
        raise ChromiumUnavailable(f"apt-get installed {PACKAGES} but chromium is not on PATH")
    return Chromium(Path(found[0]), Path(found[1]), time.monotonic() - started)


def start_driver(chromium: Chromium, profile: Path) -> webdriver.Chrome:
    """Headless Chromium with a fresh profile, its console kept for the test to read."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium.browser)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=str(chromium.driver), log_output=str(profile / "driver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(30)
    driver.set_page_load_timeout(30)
    return driver
