"""Debian's Chromium and ChromeDriver for the browser tests: found, else installed with apt-get.

Installed on demand the way the embedded engines come with the test set-up, so a
fresh machine (CI's included: root, Debian's archive reachable) needs nothing by
hand. The installation is non-interactive (``DEBIAN_FRONTEND=noninteractive``,
``-y``, the configuration files kept, stdin closed); ``apt-get update`` runs
first only when the package lists cannot install Chromium, and once more when
the install fails on stale lists. Parallel test runs take a file lock
(``LOCK_FILE``) and look again once they hold it, so one installs and the others
find it installed; apt's own lock is waited for too (``DPkg::Lock::Timeout``).
Everything is bounded by one deadline (``INSTALL_DEADLINE_SECONDS``). When it
cannot work (no apt-get, not root, the archive unreachable, too slow) the test
fails with a message naming the command to run; it never skips. Never a browser
a tool downloads for itself: Selenium is handed both paths, so its manager never
runs.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PACKAGES = ("chromium", "chromium-driver")
INSTALL_DEADLINE_SECONDS = 600.0  # well inside testrun's 30 min per package
LOCK_FILE = Path("/tmp/shopfloor-chromium-install.lock")
APT_LOCK_WAIT_SECONDS = 120
APT_OPTIONS = (
    "-q",
    "-o",
    f"DPkg::Lock::Timeout={APT_LOCK_WAIT_SECONDS}",
    "-o",
    "Dpkg::Options::=--force-confdef",
    "-o",
    "Dpkg::Options::=--force-confold",
)
INSTALL = ("install", "-y", "--no-install-recommends", *PACKAGES)
INSTALL_COMMAND = (
    f"apt-get update && apt-get install -y --no-install-recommends {' '.join(PACKAGES)}"
)
# The flags this machine's Chromium needs headless as root, on a closed network
# (without the last four it keeps calling Google's hosts); a fresh --user-data-dir each run.
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


def installed() -> Chromium | None:
    """Chromium and ChromeDriver on PATH (Debian puts both in /usr/bin), or None."""
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return Chromium(Path(browser), Path(driver), None) if browser and driver else None


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def left(self, doing: str) -> float:
        remaining = self.ends - time.monotonic()
        if remaining <= 0:
            raise ChromiumUnavailable(
                f"installing Chromium took over {self.seconds:.0f} s (at {doing}); "
                f"install it by hand: `{INSTALL_COMMAND}`"
            )
        return remaining


@contextmanager
def _install_lock(path: Path, deadline: _Deadline) -> Iterator[None]:
    """One installer at a time across processes (flock; released when the process ends)."""
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                deadline.left(f"waiting for another test run's install ({path})")
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _apt(*args: str, deadline: _Deadline) -> subprocess.CompletedProcess[str]:
    """One apt-get call in a process group of its own, killed whole (dpkg, its download
    methods) when the deadline passes."""
    shown = f"apt-get {' '.join(args)}"
    process = subprocess.Popen(
        ["apt-get", *APT_OPTIONS, *args],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive", "NEEDRESTART_MODE": "a"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=deadline.left(f"`{shown}`"))
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ChromiumUnavailable(
            f"`{shown}` did not finish within the {deadline.seconds:.0f} s install deadline; "
            f"install it by hand: `{INSTALL_COMMAND}`"
        ) from exc
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _failed(result: subprocess.CompletedProcess[str], args: tuple[str, ...]) -> ChromiumUnavailable:
    return ChromiumUnavailable(
        f"`apt-get {' '.join(args)}` failed (exit {result.returncode}):\n"
        f"{(result.stderr or result.stdout)[-2000:]}\n"
        f"install Chromium by hand: `{INSTALL_COMMAND}`"
    )


def _install(deadline: _Deadline) -> None:
    """apt-get install, with an update first when the lists cannot, and again on stale lists."""
    updated = False
    knows = _apt(
        "install", "--simulate", "-y", "--no-install-recommends", *PACKAGES, deadline=deadline
    )
    if knows.returncode != 0:  # empty lists (a fresh image), or they lack the packages
        update = _apt("update", deadline=deadline)
        if update.returncode != 0:
            raise _failed(update, ("update",))
        updated = True
    result = _apt(*INSTALL, deadline=deadline)
    if result.returncode != 0 and not updated:  # stale lists: the archive moved on (404)
        update = _apt("update", deadline=deadline)
        if update.returncode != 0:
            raise _failed(update, ("update",))
        result = _apt(*INSTALL, deadline=deadline)
    if result.returncode != 0:
        raise _failed(result, INSTALL)


def ensure_chromium(
    *, lock_file: Path = LOCK_FILE, deadline_seconds: float = INSTALL_DEADLINE_SECONDS
) -> Chromium:
    """Chromium and ChromeDriver, installing Debian's packages when either is missing."""
    found = installed()
    if found:
        return found
    if shutil.which("apt-get") is None:
        raise ChromiumUnavailable(
            "chromium and chromedriver are not installed and there is no apt-get here: "
            f"install Debian's {' and '.join(PACKAGES)} by hand (`{INSTALL_COMMAND}`)"
        )
    if os.geteuid() != 0:
        raise ChromiumUnavailable(
            "chromium and chromedriver are not installed, and installing them needs root: "
            f"run `sudo sh -c '{INSTALL_COMMAND}'`"
        )
    deadline = _Deadline(deadline_seconds)
    started = time.monotonic()
    with _install_lock(lock_file, deadline):
        found = installed()  # another run may have installed it while this one waited
        if found:
            return found
        _install(deadline)
    found = installed()
    if found is None:
        raise ChromiumUnavailable(
            f"`apt-get {' '.join(INSTALL)}` succeeded but chromium or chromedriver is not on PATH"
        )
    return Chromium(found.browser, found.driver, time.monotonic() - started)


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
