"""`make test`'s judge: pytest summaries read honestly, packages found, the run's verdict."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shopfloor_local.testrun import (
    Counts,
    PackageResult,
    default_jobs,
    find_packages,
    jobs_from_environment,
    main,
    parse_summary,
    plan,
    summarise,
)


def test_reads_a_full_summary_line() -> None:
    output = (
        "tests/test_x.py ..F.s\n"
        "=========================== short test summary info ============================\n"
        "FAILED tests/test_x.py::test_c - assert 1 == 2\n"
        "===== 1 failed, 3 passed, 1 skipped, 2 warnings, 1 error in 1.23s (0:00:01) =====\n"
    )
    counts = parse_summary(output)
    assert counts is not None
    assert (counts.passed, counts.failed, counts.errors, counts.skipped) == (3, 1, 1, 1)


def test_reads_quiet_coloured_and_plural_summaries() -> None:
    coloured = "\x1b[32m\x1b[1m12 passed\x1b[0m, \x1b[33m2 xfailed\x1b[0m\x1b[32m in 0.50s\x1b[0m\n"
    counts = parse_summary(coloured)
    assert counts is not None and counts.passed == 12 and counts.other == {"xfailed": 2}
    errors = parse_summary("==== 3 errors in 0.10s ====")
    assert errors is not None and errors.errors == 3


def test_no_tests_ran_and_no_summary() -> None:
    assert parse_summary("===== no tests ran in 0.01s =====") == Counts()
    assert parse_summary("Traceback (most recent call last):\nImportError: boom\n") is None
    # A test's own output that mentions "passed" is not a summary.
    assert parse_summary("all checks passed in time\n") is None


def test_the_last_summary_wins() -> None:
    output = "== 1 passed in 0.1s ==\nsomething\n== 2 failed, 5 passed in 0.3s ==\n"
    counts = parse_summary(output)
    assert counts is not None and (counts.passed, counts.failed) == (5, 2)


def test_verdict() -> None:
    passing = PackageResult("libs/common", 0, Counts(passed=4))
    empty = PackageResult("gateway", 5, Counts())
    failing = PackageResult("services/pos", 1, Counts(passed=2, failed=1, errors=1))
    crashed = PackageResult("services/auth", 3, None)

    assert summarise([passing, empty]) == ("4 passed, 0 failed", 0)
    assert summarise([passing, failing]) == ("6 passed, 2 failed", 1)
    # A crash with no summary still counts as a failure, never as a silent zero.
    assert summarise([passing, crashed]) == ("4 passed, 1 failed", 1)
    # Nothing ran at all: a failure.
    assert summarise([empty]) == ("0 passed, 0 failed", 1)
    assert summarise([]) == ("0 passed, 0 failed", 1)


def test_finds_packages_with_tests_only(tmp_path: Path) -> None:
    for package, test_file in (
        ("libs/common/tests", "test_a.py"),
        ("services/pos/tests", "test_b.py"),
        ("services/auth/src", "auth.py"),
        ("tests/e2e", "test_flow.py"),
        ("bench", "bench_latency.py"),
    ):
        (tmp_path / package).mkdir(parents=True)
        (tmp_path / package / test_file).write_text("")

    found = [str(path.relative_to(tmp_path)) for path in find_packages(tmp_path)]

    assert found == ["libs/common", "services/pos", "tests/e2e"]


def write_package(root: Path, name: str, tests: str) -> Path:
    package = root / name
    (package / "tests").mkdir(parents=True)
    (package / "tests" / "test_it.py").write_text(tests)
    return package


def test_runs_each_package_and_reports_honestly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_package(tmp_path, "good", "def test_a():\n    pass\ndef test_b():\n    pass\n")
    empty = write_package(tmp_path, "empty", "# no tests yet\n")
    (empty / "tests" / "test_it.py").rename(empty / "tests" / "test_later.py")
    bad = write_package(tmp_path, "bad", "def test_a():\n    assert False\n")

    assert main([str(good), str(empty)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 passed, 0 failed"
    assert main([str(good), str(bad)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "2 passed, 1 failed"
    assert main([str(empty)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "0 passed, 0 failed"


def test_a_package_past_its_timeout_is_stopped_and_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = write_package(tmp_path, "slow", "import time\ndef test_a():\n    time.sleep(120)\n")
    started = time.monotonic()

    assert main([str(slow), "--timeout", "3"]) == 1

    assert time.monotonic() - started < 60
    output = capsys.readouterr().out
    assert "timed out" in output
    assert output.splitlines()[-1] == "0 passed, 1 failed"


def test_the_plan_keeps_order_and_runs_the_timing_packages_alone() -> None:
    names = [
        "libs/common",
        "libs/other",
        "gateway",
        "deploy/local",
        "services/attendance",
        "services/auth",
        "services/pos",
        "tests/e2e",
        "bench",
    ]

    assert plan(names, 2) == [
        ["libs/common"],
        ["libs/other", "gateway"],
        ["deploy/local"],
        ["services/attendance", "services/auth", "services/pos"],
        ["tests/e2e"],
        ["bench"],
    ]
    assert plan(names, 1) == [[name] for name in names]


def test_jobs_come_from_the_environment_or_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOPFLOOR_TEST_JOBS", raising=False)
    monkeypatch.setenv("TEST_NATS_URL", "nats://127.0.0.1:4222")
    assert default_jobs() == 1  # one shared NATS: its streams would meet
    monkeypatch.delenv("TEST_NATS_URL")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_jobs() == jobs_from_environment() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert default_jobs() == 4
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert default_jobs() == 1
    monkeypatch.setenv("SHOPFLOOR_TEST_JOBS", "3")
    assert jobs_from_environment() == 3
    for wrong in ("0", "two"):
        monkeypatch.setenv("SHOPFLOOR_TEST_JOBS", wrong)
        with pytest.raises(SystemExit, match="SHOPFLOOR_TEST_JOBS"):
            jobs_from_environment()


def meeting_test(meeting: Path, me: str, other: str) -> str:
    """A test that passes only if package ``other``'s test runs at the same time."""
    return (
        "import pathlib, time\n"
        "def test_meets():\n"
        f"    here = pathlib.Path({str(meeting)!r})\n"
        f"    (here / {me!r}).touch()\n"
        f"    print('output of {me}')\n"
        "    deadline = time.monotonic() + 30\n"
        f"    while not (here / {other!r}).exists():\n"
        "        assert time.monotonic() < deadline, 'ran alone'\n"
        "        time.sleep(0.05)\n"
    )


def test_packages_run_side_by_side_each_printed_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    first = write_package(tmp_path, "first", meeting_test(meeting, "first", "second"))
    second = write_package(tmp_path, "second", meeting_test(meeting, "second", "first"))
    third = write_package(tmp_path, "third", "def test_a():\n    pass\n")

    assert main(["--jobs", "2", str(first), str(second), str(third), "--", "-rP"]) == 0

    output = capsys.readouterr().out
    assert output.splitlines()[-1] == "3 passed, 0 failed"
    # Each package's output is one block: its header, then its own lines only.
    blocks = output.split("\n=== ")[1:]
    by_package = {block.split(":", 1)[0]: block for block in blocks if not block.startswith("summ")}
    assert set(by_package) == {str(first), str(second), str(third)}
    assert "output of first" in by_package[str(first)]
    assert "output of second" not in by_package[str(first)]
    assert "output of second" in by_package[str(second)]
    # The summary keeps the packages' order, whatever order they ended in.
    summary = output.split("\n=== summary")[1].splitlines()[1:4]
    assert [line.split(":")[0] for line in summary] == [str(first), str(second), str(third)]


def test_side_by_side_packages_past_their_timeout_are_all_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = "import time\ndef test_a():\n    time.sleep(120)\n"
    one, two = write_package(tmp_path, "one", slow), write_package(tmp_path, "two", slow)
    started = time.monotonic()

    assert main(["--jobs", "2", "--timeout", "3", str(one), str(two)]) == 1

    assert time.monotonic() - started < 60
    output = capsys.readouterr().out
    assert output.count("FAILED (timed out, stopped)") == 2
    assert output.splitlines()[-1] == "0 passed, 2 failed"


def test_sigterm_stops_every_running_package(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    slow = (
        "import os, pathlib, time\n"
        "def test_a():\n"
        f"    (pathlib.Path({str(pids)!r}) / str(os.getpid())).touch()\n"
        "    time.sleep(120)\n"
    )
    packages = [str(write_package(tmp_path, name, slow)) for name in ("one", "two", "three")]
    runner = subprocess.Popen(
        [sys.executable, "-m", "shopfloor_local.testrun", "--jobs", "2", *packages],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(list(pids.iterdir())) < 2:
        assert time.monotonic() < deadline, "the two packages never started"
        time.sleep(0.1)

    runner.send_signal(signal.SIGTERM)
    output, _ = runner.communicate(timeout=60)

    assert runner.returncode == 1
    assert "interrupted" in output
    assert output.splitlines()[-1] == "0 passed, 3 failed"  # two stopped, one never run
    for pid in (int(path.name) for path in pids.iterdir()):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
