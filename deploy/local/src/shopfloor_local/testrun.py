"""`make test`: pytest once per workspace package that has tests, each in its own process.

Packages never share a pytest process (two services' tables must not meet in
one), and the run is judged honestly: a package fails when pytest exits with
anything but 0 or 5 ("no tests collected"), and the whole run fails when any
package failed or when no test ran at all. The last line is ``N passed, N failed``.

    uv run python -m shopfloor_local.testrun [PACKAGE_DIR ...] [-- PYTEST_ARGS ...]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from shopfloor_local.paths import repo_root

# Workspace packages in the order they are tested (shared code first, whole platform last).
PACKAGE_GLOBS = ("libs/*", "gateway", "deploy/local", "services/*", "tests/e2e", "bench")
NO_TESTS_COLLECTED = 5
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_SUMMARY = re.compile(r"^=*\s*(?P<body>.+?)\s+in\s+\d+(?:\.\d+)?s\b.*?=*\s*$")
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|rerun)\b")
_SKIP_DIRS = {".venv", "node_modules", "__pycache__", "build", "dist", ".git"}


@dataclass
class Counts:
    """What pytest's final summary line reported."""

    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    other: dict[str, int] = field(default_factory=dict)


def parse_summary(output: str) -> Counts | None:
    """The counts of pytest's last summary line in ``output`` (None when there is none)."""
    for line in reversed(_ANSI.sub("", output).splitlines()):
        match = _SUMMARY.match(line.strip())
        if not match:
            continue
        body = match.group("body")
        found = _COUNT.findall(body)
        if not found and "no tests ran" not in body:
            continue
        counts = Counts()
        for number, word in found:
            key = "errors" if word.startswith("error") else word
            if key in ("passed", "failed", "errors", "skipped"):
                setattr(counts, key, getattr(counts, key) + int(number))
            else:
                counts.other[key] = counts.other.get(key, 0) + int(number)
        return counts
    return None


@dataclass
class PackageResult:
    """One package's pytest run."""

    name: str
    returncode: int
    counts: Counts | None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.returncode in (0, NO_TESTS_COLLECTED)

    @property
    def passed(self) -> int:
        return self.counts.passed if self.counts else 0

    @property
    def failed(self) -> int:
        """Failed tests and errors; a failed run that reported none counts as one failure."""
        reported = self.counts.failed + self.counts.errors if self.counts else 0
        return reported if self.ok or reported else max(reported, 1)

    def describe(self) -> str:
        status = "ok" if self.ok else f"FAILED (pytest exit {self.returncode})"
        if self.returncode == NO_TESTS_COLLECTED:
            status = "no tests collected"
        if self.timed_out:
            status = "FAILED (timed out, stopped)"
        return f"{self.name}: {self.passed} passed, {self.failed} failed — {status}"


def has_tests(directory: Path) -> bool:
    for _dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = [name for name in dirnames if name not in _SKIP_DIRS]
        if any(
            name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))
            for name in filenames
        ):
            return True
    return False


def tests_location(package: Path) -> Path:
    """Where a package keeps its tests: ``tests/`` when it has one, else the package itself."""
    tests = package / "tests"
    return tests if tests.is_dir() else package


def display_name(package: Path, root: Path) -> str:
    return str(package.relative_to(root)) if package.is_relative_to(root) else str(package)


def find_packages(root: Path) -> list[Path]:
    found: list[Path] = []
    for pattern in PACKAGE_GLOBS:
        for package in sorted(root.glob(pattern)):
            if package.is_dir() and package not in found and has_tests(tests_location(package)):
                found.append(package)
    return found


def stop_pytest(process: subprocess.Popen[str], grace: float = 30.0) -> None:
    """Ask pytest to stop like Ctrl-C does (it tears its fixtures down), then insist."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_pytest(package: Path, root: Path, pytest_args: list[str], timeout: float) -> PackageResult:
    """Run one package's tests in a fresh process, echoing its output as it comes.

    pytest stays in our process group, so a Ctrl-C reaches it directly and it stops
    its own servers; a package that runs past ``timeout`` is stopped the same way.
    """
    name = display_name(package, root)
    colour = ["--color=yes"] if sys.stdout.isatty() else []
    command = [sys.executable, "-m", "pytest", str(tests_location(package)), *colour, *pytest_args]
    print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
    tail: deque[str] = deque(maxlen=200)
    process = subprocess.Popen(
        command,
        cwd=package,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    assert process.stdout is not None
    expired = threading.Event()

    def on_timeout() -> None:
        expired.set()
        print(f"\n{name}: still running after {timeout:.0f}s, stopping it", flush=True)
        stop_pytest(process)

    watchdog = threading.Timer(timeout, on_timeout)
    watchdog.daemon = True
    watchdog.start()
    try:
        for line in process.stdout:
            sys.stdout.write(line)
            tail.append(line)
        returncode = process.wait()
    except KeyboardInterrupt:
        try:
            process.wait(30)  # a terminal's Ctrl-C reached pytest too: let it clean up
        except subprocess.TimeoutExpired:
            stop_pytest(process)
        raise
    finally:
        watchdog.cancel()
    counts = parse_summary("".join(tail))
    return PackageResult(name, returncode, counts, timed_out=expired.is_set())


def summarise(results: list[PackageResult]) -> tuple[str, int]:
    """The final line and the exit code of the whole run."""
    passed = sum(result.passed for result in results)
    failed = sum(result.failed for result in results)
    code = 0 if results and all(result.ok for result in results) and failed == 0 else 1
    if passed + failed == 0:
        code = 1
    return f"{passed} passed, {failed} failed", code


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shopfloor_local.testrun")
    parser.add_argument("packages", nargs="*", help="package dirs to test (default: all)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per package")
    args, pytest_args = parser.parse_known_args(argv)
    pytest_args = [arg for arg in pytest_args if arg != "--"]
    root = repo_root()
    packages = [Path(p).resolve() for p in args.packages] or find_packages(root)
    results: list[PackageResult] = []
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for package in packages:
            results.append(run_pytest(package, root, pytest_args, args.timeout))
    except KeyboardInterrupt:
        print("\ninterrupted: the packages not run yet are left out", flush=True)
        results.append(PackageResult("(interrupted)", 130, None))
    print("\n=== summary", flush=True)
    for result in results:
        print(result.describe())
    line, code = summarise(results)
    if not results or sum(r.passed + r.failed for r in results) == 0:
        print("no test ran at all: that is a failure")
    print(line, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
