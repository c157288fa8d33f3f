"""`make test`: pytest once per workspace package that has tests, each in its own process.

Packages never share a pytest process (two services' tables must not meet in
one), and the run is judged honestly: a package fails when pytest exits with
anything but 0 or 5 ("no tests collected"), and the whole run fails when any
package failed or when no test ran at all. The last line is ``N passed, N failed``.

Packages run side by side, ``SHOPFLOOR_TEST_JOBS`` at a time (default: one per core,
at most 4; each pytest starts its own PostgreSQL and NATS on free ports in its own
temporary directory). A package running beside others has its output printed whole
when it ends; the ones in ``RUN_ALONE`` (they time things, kill processes or start the
whole platform) run with nothing beside them, their output live.

    uv run python -m shopfloor_local.testrun [--jobs N] [PACKAGE_DIR ...] [-- PYTEST_ARGS ...]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from shopfloor_local.paths import repo_root

# Workspace packages in the order they are tested (shared code first, whole platform last).
PACKAGE_GLOBS = ("libs/*", "gateway", "deploy/local", "services/*", "tests/e2e", "bench")
# Packages that run with nothing beside them: they time things, kill processes, or start
# the whole platform, and a neighbour's load would make them slow or flaky.
RUN_ALONE = frozenset({"libs/common", "deploy/local", "tests/e2e", "bench"})
JOBS_VARIABLE = "SHOPFLOOR_TEST_JOBS"
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
    seconds: float = 0.0

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
        took = f" ({self.seconds:.0f}s)" if self.seconds else ""
        return f"{self.name}: {self.passed} passed, {self.failed} failed — {status}{took}"


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


def is_alone(name: str) -> bool:
    """Whether the package ``name`` (its path in the repo) must run with nothing beside it."""
    return name in RUN_ALONE


def default_jobs() -> int:
    """How many packages run at once by default: one per core, at most 4.

    One when ``TEST_NATS_URL`` is set: every session would share that NATS's streams.
    """
    if os.environ.get("TEST_NATS_URL"):
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def jobs_from_environment() -> int:
    """``SHOPFLOOR_TEST_JOBS`` when set (a whole number, at least 1), else ``default_jobs()``."""
    raw = os.environ.get(JOBS_VARIABLE, "").strip()
    if not raw:
        return default_jobs()
    try:
        jobs = int(raw)
    except ValueError:
        raise SystemExit(f"{JOBS_VARIABLE} must be a whole number, not {raw!r}") from None
    if jobs < 1:
        raise SystemExit(f"{JOBS_VARIABLE} must be at least 1, not {jobs}")
    return jobs


def plan(names: list[str], jobs: int) -> list[list[str]]:
    """The packages in steps: a step's packages run together (at most ``jobs`` at once).

    Order is kept; a package in ``RUN_ALONE`` is a step of its own, and so is every
    package when ``jobs`` is 1.
    """
    steps: list[list[str]] = []
    for name in names:
        if jobs > 1 and not is_alone(name) and steps and not is_alone(steps[-1][0]):
            steps[-1].append(name)
        else:
            steps.append([name])
    return steps


class Runs:
    """The pytest processes running now, so an interrupt can stop every one of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen[str]] = set()
        self.stopping = threading.Event()

    def add(self, process: subprocess.Popen[str]) -> None:
        with self._lock:
            self._processes.add(process)
        if self.stopping.is_set():  # started while we were stopping: stop it too
            stop_pytest(process)

    def discard(self, process: subprocess.Popen[str]) -> None:
        with self._lock:
            self._processes.discard(process)

    def stop_all(self, already_signalled: bool) -> None:
        """Stop every running pytest; each tears its fixtures (servers) down first.

        ``already_signalled``: a terminal's Ctrl-C reached them too, so they get
        30 s to stop on their own before being asked again.
        """
        self.stopping.set()
        with self._lock:
            processes = list(self._processes)
        if already_signalled:
            deadline = time.monotonic() + 30
            for process in processes:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(max(0.0, deadline - time.monotonic()))
        stoppers = [
            threading.Thread(target=stop_pytest, args=(process,), daemon=True)
            for process in processes
            if process.poll() is None
        ]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()


_print_lock = threading.Lock()


def run_pytest(
    package: Path,
    root: Path,
    pytest_args: list[str],
    timeout: float,
    *,
    buffered: bool = False,
    runs: Runs | None = None,
) -> PackageResult:
    """Run one package's tests in a fresh process.

    Its output is echoed as it comes, or, when ``buffered`` (packages running side by
    side), printed whole when it ends so the log reads one package at a time.
    pytest stays in our process group, so a Ctrl-C reaches it directly and it stops
    its own servers; a package that runs past ``timeout`` is stopped the same way.
    """
    name = display_name(package, root)
    colour = ["--color=yes"] if sys.stdout.isatty() else []
    command = [sys.executable, "-m", "pytest", str(tests_location(package)), *colour, *pytest_args]
    header = f"\n=== {name}: {' '.join(command[1:])}"
    with _print_lock:
        print(f"\n--- {name}: started" if buffered else header, flush=True)
    lines: list[str] = []
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=package,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    assert process.stdout is not None
    if runs is not None:
        runs.add(process)
    expired = threading.Event()

    def on_timeout() -> None:
        expired.set()
        note = f"\n{name}: still running after {timeout:.0f}s, stopping it\n"
        if buffered:
            lines.append(note)
        with _print_lock:
            print(note, end="", flush=True)
        stop_pytest(process)

    watchdog = threading.Timer(timeout, on_timeout)
    watchdog.daemon = True
    watchdog.start()
    try:
        for line in process.stdout:
            lines.append(line)
            if not buffered:
                sys.stdout.write(line)
        returncode = process.wait()
    except KeyboardInterrupt as interrupt:
        if isinstance(interrupt, Terminated):  # SIGTERM reached us alone
            stop_pytest(process)
            raise
        try:
            process.wait(30)  # a terminal's Ctrl-C reached pytest too: let it clean up
        except subprocess.TimeoutExpired:
            stop_pytest(process)
        raise
    finally:
        watchdog.cancel()
        if runs is not None:
            runs.discard(process)
    seconds = time.monotonic() - started
    if buffered:
        with _print_lock:
            sys.stdout.write(f"{header}\n{''.join(lines)}")
            print(f"--- {name}: ended after {seconds:.0f}s", flush=True)
    counts = parse_summary("".join(lines[-200:]))
    return PackageResult(name, returncode, counts, timed_out=expired.is_set(), seconds=seconds)


def run_step(
    step: list[Path], root: Path, pytest_args: list[str], timeout: float, jobs: int, runs: Runs
) -> list[PackageResult]:
    """Run a step's packages, ``jobs`` at a time; results in the step's order.

    A lone package runs in this thread with its output live. Side by side, each runs
    in a worker thread while this one waits, so an interrupt (Ctrl-C, SIGTERM) lands
    here and stops every running package; the ones not started yet are skipped.
    """
    if len(step) == 1 or jobs == 1:
        results = []
        for package in step:
            results.append(run_pytest(package, root, pytest_args, timeout, runs=runs))
        return results
    pool = ThreadPoolExecutor(max_workers=min(jobs, len(step)), thread_name_prefix="pytest")
    futures = [
        pool.submit(run_pytest, package, root, pytest_args, timeout, buffered=True, runs=runs)
        for package in step
    ]
    try:
        pending = set(futures)
        while pending:
            _done, pending = wait(pending, timeout=0.5)
    except KeyboardInterrupt as interrupt:
        for future in futures:
            future.cancel()
        runs.stop_all(already_signalled=not isinstance(interrupt, Terminated))
        pool.shutdown(wait=True)
        raise Interrupted([f.result() for f in futures if f.done() and not f.cancelled()]) from None
    pool.shutdown(wait=True)
    return [future.result() for future in futures]


def summarise(results: list[PackageResult]) -> tuple[str, int]:
    """The final line and the exit code of the whole run."""
    passed = sum(result.passed for result in results)
    failed = sum(result.failed for result in results)
    code = 0 if results and all(result.ok for result in results) and failed == 0 else 1
    if passed + failed == 0:
        code = 1
    return f"{passed} passed, {failed} failed", code


class Terminated(KeyboardInterrupt):
    """SIGTERM reached us alone (the children were not signalled)."""


class Interrupted(Exception):
    """A step was interrupted; ``results`` are its packages that ended (stopped or not)."""

    def __init__(self, results: list[PackageResult]) -> None:
        super().__init__("interrupted")
        self.results = results


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shopfloor_local.testrun")
    parser.add_argument("packages", nargs="*", help="package dirs to test (default: all)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per package")
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help=f"packages run at once (default: ${JOBS_VARIABLE}, else one per core, at most 4)",
    )
    argv = sys.argv[1:] if argv is None else argv
    # Everything after "--" is pytest's (argparse would take it for package dirs).
    ours, after = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    args, pytest_args = parser.parse_known_args(ours)
    pytest_args = [*pytest_args, *after]
    jobs = max(1, args.jobs) if args.jobs is not None else jobs_from_environment()
    root = repo_root()
    packages = [Path(p).resolve() for p in args.packages] or find_packages(root)
    by_name = {display_name(package, root): package for package in packages}
    results: list[PackageResult] = []
    runs = Runs()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        for step in plan(list(by_name), jobs):
            paths = [by_name[name] for name in step]
            results.extend(run_step(paths, root, pytest_args, args.timeout, jobs, runs))
    except Interrupted as interrupted:
        results.extend(interrupted.results)
        print("\ninterrupted: the packages not run yet are left out", flush=True)
        results.append(PackageResult("(interrupted)", 130, None))
    except KeyboardInterrupt:
        print("\ninterrupted: the packages not run yet are left out", flush=True)
        results.append(PackageResult("(interrupted)", 130, None))
    print(f"\n=== summary ({jobs} at a time; alone: {', '.join(sorted(RUN_ALONE))})", flush=True)
    for result in results:
        print(result.describe())
    line, code = summarise(results)
    if not results or sum(r.passed + r.failed for r in results) == 0:
        print("no test ran at all: that is a failure")
    print(line, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
