"""`make test`'s judge: pytest summaries read honestly, packages found, the run's verdict."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from shopfloor_local.testrun import (
    Counts,
    PackageResult,
    find_packages,
    main,
    parse_summary,
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
